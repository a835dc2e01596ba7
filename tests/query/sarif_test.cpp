// renderSarif: SARIF 2.1.0 structure, the whole catalogue as rules, results
// with ruleId/level/message/region (endColumn exclusive), notes as
// relatedLocations, URIs relative to the base directory.
#include "compiler/ir/diag_sarif.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compiler/ir/version.h"

namespace apc {
namespace {

struct Fixture {
  ir::SourceManager sm;
  ir::FileId file;
  std::vector<ir::Diagnostic> diags;
  Fixture() {
    file = sm.addBuffer("/work/plans/team a/plan.ap", "host h {\n  adapter 5 CEX5C;\n}\nguest g { adapters 5; }\n");
    ir::Diagnostic d;
    d.severity = ir::Severity::Error;
    d.code = ir::DiagCode::PolicyMinAdapters;
    d.message = "guest 'g' has 1 adapter";
    d.range = {file, 36, 37};  // "g" of "guest g" (line 4, column 7)
    d.notes.push_back({{file, 11, 18}, "adapter declared here"});  // "adapter" on line 2
    d.notes.push_back({{}, "a note without a place"});
    diags.push_back(d);
    ir::Diagnostic w;
    w.severity = ir::Severity::Warning;
    w.code = ir::DiagCode::UnusedTemplate;
    w.message = "template never used";
    diags.push_back(w);  // no location at all
  }
};

TEST(Sarif, LogStructureAndDriver) {
  Fixture f;
  auto j = nlohmann::json::parse(ir::renderSarif(f.diags, f.sm, "/work/plans"));
  EXPECT_EQ(j["version"], "2.1.0");
  EXPECT_NE(j["$schema"].get<std::string>().find("sarif-schema-2.1.0.json"), std::string::npos);
  ASSERT_EQ(j["runs"].size(), 1u);
  const auto& driver = j["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "apc");
  EXPECT_EQ(driver["version"], kVersion);
  ASSERT_EQ(driver["rules"].size(), ir::allDiagCodes().size());
  for (std::size_t i = 0; i < ir::allDiagCodes().size(); ++i) {
    ir::DiagCode c = ir::allDiagCodes()[i];
    EXPECT_EQ(driver["rules"][i]["id"], std::string(ir::codeString(c)));
    EXPECT_EQ(driver["rules"][i]["shortDescription"]["text"], std::string(ir::codeSummary(c)));
  }
  EXPECT_EQ(driver["rules"][static_cast<int>(ir::DiagCode::PolicyMinAdapters)]["name"], "PolicyMinAdapters");
  EXPECT_EQ(driver["rules"][static_cast<int>(ir::DiagCode::UnusedTemplate)]["defaultConfiguration"]["level"],
            "warning");
}

TEST(Sarif, ResultsWithRegionsAndRelatedLocations) {
  Fixture f;
  auto j = nlohmann::json::parse(ir::renderSarif(f.diags, f.sm, "/work/plans"));
  const auto& results = j["runs"][0]["results"];
  ASSERT_EQ(results.size(), 2u);
  const auto& r = results[0];
  EXPECT_EQ(r["ruleId"], "E301");
  EXPECT_EQ(r["ruleIndex"], static_cast<int>(ir::DiagCode::PolicyMinAdapters));
  EXPECT_EQ(r["level"], "error");
  EXPECT_EQ(r["message"]["text"], "guest 'g' has 1 adapter");
  const auto& loc = r["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "team%20a/plan.ap");
  EXPECT_EQ(loc["region"]["startLine"], 4);
  EXPECT_EQ(loc["region"]["startColumn"], 7);
  EXPECT_EQ(loc["region"]["endLine"], 4);
  EXPECT_EQ(loc["region"]["endColumn"], 8);  // exclusive
  ASSERT_EQ(r["relatedLocations"].size(), 2u);
  EXPECT_EQ(r["relatedLocations"][0]["message"]["text"], "adapter declared here");
  EXPECT_EQ(r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_EQ(r["relatedLocations"][0]["physicalLocation"]["region"]["startColumn"], 3);
  EXPECT_EQ(r["relatedLocations"][0]["physicalLocation"]["region"]["endColumn"], 10);
  EXPECT_FALSE(r["relatedLocations"][1].contains("physicalLocation"));
  EXPECT_EQ(results[1]["level"], "warning");
  EXPECT_EQ(results[1]["ruleId"], "W125");
  EXPECT_TRUE(results[1]["locations"].empty());
}

TEST(Sarif, FileOutsideBaseGetsAbsoluteUri) {
  Fixture f;
  auto j = nlohmann::json::parse(ir::renderSarif(f.diags, f.sm, "/elsewhere"));
  EXPECT_EQ(j["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "file:///work/plans/team%20a/plan.ap");
}

TEST(Sarif, EmptyRunStillValidAndDeterministic) {
  ir::SourceManager sm;
  std::string a = ir::renderSarif({}, sm, "/");
  EXPECT_EQ(a, ir::renderSarif({}, sm, "/"));
  auto j = nlohmann::json::parse(a);
  EXPECT_TRUE(j["runs"][0]["results"].is_array());
  EXPECT_TRUE(j["runs"][0]["results"].empty());
}

}  // namespace
}  // namespace apc
