// Two-stage parse (ANTLR's recommended pattern): SLL prediction with the bail
// strategy is several times faster and succeeds on every valid plan; only a
// plan with a syntax error is re-parsed with full LL and error recovery, so
// errors are reported exactly once and with the best recovery.
#include "compiler/frontend/parse_file.h"

#include "compiler/frontend/ast_builder.h"
#include "compiler/frontend/parse_arena.h"
#include "compiler/frontend/syntax_errors.h"
#include "compiler/frontend/text_check.h"

namespace apc::compiler {

ast::File parseFile(ir::FileId file, const ir::SourceManager& sm, Reporter& rep, bool wantLayout) {
  const std::string& text = sm.text(file);
  if (auto bad = findBinaryByte(text)) {
    const bool nul = text[*bad] == '\0';
    rep.error(ir::DiagCode::BinaryInput, {file, *bad, *bad + 1},
              std::string("this is not a plan text file: ") +
                  (nul ? "it contains a NUL byte" : "it contains bytes that are not valid UTF-8"));
    ast::File f;
    f.file = file;
    f.syntaxOk = false;
    return f;
  }
  ParseArena arena;  // first, so that it dies after the parser and its contexts
  OffsetMap offsets(text);
  TokenPlace place{file, &offsets};
  CheckedLexer lexer(text, sm.path(file), place, rep);
  antlr4::CommonTokenStream tokens(&lexer);
  apc_gen::ApcParser parser(&tokens);
  parser.removeErrorListeners();

  apc_gen::ApcParser::PlanContext* tree = nullptr;
  bool parseErrors = false;
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  try {
    tree = parser.plan();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  }
  if (!tree) {
    tokens.seek(0);
    parser.reset();
    auto strategy = std::make_shared<PlainErrorStrategy>(place, rep);
    parser.setErrorHandler(strategy);
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    try {
      tree = parser.plan();
    } catch (const antlr4::ParseCancellationException&) {
      tree = nullptr;  // the error cap was reached; what was reported stands
    }
    parseErrors = true;
  }
  ast::File f = buildAst(tree, tokens, place, rep, wantLayout);
  if (parseErrors || lexer.hadErrors() || !tree) f.syntaxOk = false;
  return f;
}

}  // namespace apc::compiler
