// `apc query fit|fail|resilience|usage PLAN`: capacity-planning questions
// about a solved plan, answered as a table or as JSON (--format json).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "compiler/frontend/frontend.h"
#include "compiler/ir/diag_printer.h"
#include "solver/query/fail.h"
#include "solver/query/fit.h"
#include "solver/query/render.h"
#include "solver/query/usage.h"
#include "tools/apc/cli_common.h"
#include "tools/apc/cli_ids.h"
#include "tools/apc/commands.h"

namespace apc::cli {

namespace {

constexpr const char* kShapeGuest = "__apc_fit_shape";

struct QueryFlags {
  CommonFlags common;
  std::string templateName;
  std::string shape;
  bool allowMoves = false;
  std::uint64_t rlimit = 5'000'000;
  unsigned solverCalls = 6;
  std::vector<std::string> adapters;
  std::vector<std::string> domains;
};

std::string stringLiteral(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A front-end message about the shape's stand-in guest, in the user's words.
std::string shapeWording(std::string message) {
  const std::string guest = std::string("guest '") + kShapeGuest + "'";
  for (std::size_t at; (at = message.find(guest)) != std::string::npos;) message.replace(at, guest.size(), "the shape");
  for (std::size_t at; (at = message.find(kShapeGuest)) != std::string::npos;)
    message.replace(at, std::string_view(kShapeGuest).size(), "the shape");
  return message;
}

// The shape as a guest of the plan's own host: the plan is included into a
// two-line text that declares one more guest, so the front end checks the
// shape (template names, filters, ID limits) exactly as it checks a plan.
std::optional<ir::Guest> loadShape(const QueryFlags& f, std::string& described) {
  std::error_code ec;
  std::string abs = std::filesystem::absolute(f.common.pipeline.planPath, ec).string();
  std::string text = "include " + stringLiteral(abs) + ";\n";
  std::string display;
  if (!f.templateName.empty()) {
    text += std::string("guest ") + kShapeGuest + " : " + f.templateName + ";\n";
    display = "--template";
    described = "template " + f.templateName;
  } else {
    text += std::string("guest ") + kShapeGuest + " {\n" + f.shape + "\n}\n";
    display = "--shape";
    described = "shape '" + f.shape + "'";
  }
  ir::SourceManager sm;
  ir::DiagEngine diags;
  // The plan is included by absolute path, so the display name needs no folder.
  std::optional<ir::Plan> plan = compiler::loadPlanFromText(display, text, sm, diags);
  if (!plan || diags.hasErrors()) {
    // Errors inside the wrapper text speak of the shape, not of apc's
    // stand-in guest; a --template error has no place the user wrote (the
    // wrapper line is apc's own), so it is said as the flag's.
    std::vector<ir::Diagnostic> errors;
    for (ir::Diagnostic d : diags.all()) {
      if (d.severity != ir::Severity::Error) continue;
      const bool inWrapper = d.range.valid() && sm.path(d.range.file) == display;
      if (inWrapper) d.message = shapeWording(d.message);
      if (inWrapper && !f.templateName.empty()) {
        std::cerr << "apc query fit: error: --template " << f.templateName << ": " << d.message << " ["
                  << ir::codeString(d.code) << "]\n";
        continue;
      }
      errors.push_back(d);
    }
    std::cerr << ir::renderTextAll(errors, sm);
    return std::nullopt;
  }
  auto idx = plan->guestIndex(kShapeGuest);
  if (!idx) return std::nullopt;
  return plan->guests[*idx];
}

bool parseIds(const std::vector<std::string>& in, ir::IdSet& out, const char* what) {
  for (const std::string& s : in) {
    CliId id = parseCliId(s, what);
    if (!id.value) {
      std::cerr << "apc query fail: " << id.error << "\n";
      return false;
    }
    out.set(*id.value);
  }
  return true;
}

// Runs the pipeline; on success returns the solved plan, else sets exitCode.
const ir::SolvedPlan* solvedOrExit(Compilation& c, const QueryFlags& f, int& exitCode) {
  PipelineOptions opts = pipelineOptions(f.common);
  opts.checkPolicies = false;  // a capacity question has an answer even for a plan over its headroom
  runPipeline(opts, c);
  reportDiagnostics(c, "text");
  exitCode = exitCodeFor(c);
  if (exitCode != kExitOk || !c.solved) {
    if (exitCode == kExitOk) exitCode = kExitPlanErrors;
    return nullptr;
  }
  return &*c.solved;
}

CLI::App* addQuery(CLI::App& parent, const char* name, const char* help, std::shared_ptr<QueryFlags> f) {
  auto* cmd = parent.add_subcommand(name, help);
  addPipelineFlags(*cmd, f->common);
  addFormatFlag(*cmd, f->common, /*withSarif=*/false);
  return cmd;
}

}  // namespace

void registerQuery(CLI::App& app, int& exitCode) {
  auto* query = app.add_subcommand("query", "Capacity planning: fit, fail, resilience, usage");
  query->require_subcommand(1);

  auto fitFlags = std::make_shared<QueryFlags>();
  auto* fit = addQuery(*query, "fit", "How many more guests of a shape fit beside the existing ones", fitFlags);
  auto* tmpl = fit->add_option("--template", fitFlags->templateName, "The shape is this template's requirement");
  auto* shape = fit->add_option("--shape", fitFlags->shape,
                                "The shape as guest statements, e.g. 'adapters any 2 mode cca; domains any 1;'");
  tmpl->excludes(shape);
  fit->add_flag("--allow-moves", fitFlags->allowMoves,
                "Existing guests may move: report the best found and the proven upper bound");
  fit->add_option("--rlimit", fitFlags->rlimit, "Solver resource limit per call (deterministic)");
  fit->add_option("--solver-calls", fitFlags->solverCalls, "Most solver calls spent closing the gap");
  fit->callback([fitFlags, &exitCode] {
    const QueryFlags& f = *fitFlags;
    if (f.templateName.empty() && f.shape.empty()) {
      std::cerr << "apc query fit: give --template NAME or --shape 'STATEMENTS'\n";
      exitCode = kExitUsage;
      return;
    }
    Compilation c;
    const ir::SolvedPlan* sp = solvedOrExit(c, f, exitCode);
    if (!sp) return;
    std::string described;
    std::optional<ir::Guest> g = loadShape(f, described);
    if (!g) {
      exitCode = kExitPlanErrors;
      return;
    }
    query::FitOptions opts;
    opts.allowMoves = f.allowMoves;
    opts.z3ResourceLimit = f.rlimit;
    opts.maxSolverCalls = f.solverCalls;
    query::FitResult r = query::fit(*sp, *g, opts);
    r.shape = described;
    std::cout << (f.common.format == "json" ? query::fitJson(r, f.allowMoves) : query::fitText(r, f.allowMoves));
  });

  auto failFlags = std::make_shared<QueryFlags>();
  auto* fail = addQuery(*query, "fail", "Which guests lose queues when adapters or domains fail", failFlags);
  fail->add_option("--adapter", failFlags->adapters, "A failed adapter (repeatable)");
  fail->add_option("--domain", failFlags->domains, "A failed domain (repeatable)");
  fail->add_option("--rlimit", failFlags->rlimit, "Solver resource limit per call (deterministic)");
  fail->callback([failFlags, &exitCode] {
    const QueryFlags& f = *failFlags;
    ir::IdSet adapters, domains;
    if (!parseIds(f.adapters, adapters, "adapter") || !parseIds(f.domains, domains, "domain")) {
      exitCode = kExitUsage;
      return;
    }
    if (adapters.none() && domains.none()) {
      std::cerr << "apc query fail: give at least one --adapter or --domain\n";
      exitCode = kExitUsage;
      return;
    }
    Compilation c;
    const ir::SolvedPlan* sp = solvedOrExit(c, f, exitCode);
    if (!sp) return;
    for (unsigned a : ir::toVector(adapters))
      if (!sp->plan.host.adapter(a)) {
        std::cerr << "apc query fail: adapter " << ir::formatCard(a) << " is not on host " << sp->plan.host.name << "\n";
        exitCode = kExitUsage;
        return;
      }
    for (unsigned d : ir::toVector(domains))
      if (!sp->plan.host.usageDomains.test(d)) {
        std::cerr << "apc query fail: domain " << ir::formatSysfsId(d) << " is not a usage domain of host "
                  << sp->plan.host.name << "\n";
        exitCode = kExitUsage;
        return;
      }
    query::FailOptions opts;
    opts.z3ResourceLimit = f.rlimit;
    query::FailReport r = query::simulateFailure(*sp, adapters, domains, opts);
    std::cout << (f.common.format == "json" ? query::failJson(r) : query::failText(r));
  });

  auto resFlags = std::make_shared<QueryFlags>();
  auto* res = addQuery(*query, "resilience", "The single-adapter failure table for every adapter", resFlags);
  res->add_option("--rlimit", resFlags->rlimit, "Solver resource limit per call (deterministic)");
  res->callback([resFlags, &exitCode] {
    Compilation c;
    const ir::SolvedPlan* sp = solvedOrExit(c, *resFlags, exitCode);
    if (!sp) return;
    query::FailOptions opts;
    opts.z3ResourceLimit = resFlags->rlimit;
    auto lines = query::resilience(*sp, opts);
    std::cout << (resFlags->common.format == "json" ? query::resilienceJson(*sp, lines)
                                                    : query::resilienceText(*sp, lines));
  });

  auto useFlags = std::make_shared<QueryFlags>();
  auto* use = addQuery(*query, "usage", "Queues used, kept by the host and free, per adapter and domain", useFlags);
  use->callback([useFlags, &exitCode] {
    Compilation c;
    const ir::SolvedPlan* sp = solvedOrExit(c, *useFlags, exitCode);
    if (!sp) return;
    query::UsageReport r = query::computeUsage(*sp);
    std::cout << (useFlags->common.format == "json" ? query::usageJson(r) : query::usageText(r));
  });
}

}  // namespace apc::cli
