// Walks the CLI11 app (subcommands, their options and positionals) into
// roff for man(1) and into a bash `complete -F` function; see cli_doc.h.
#include "tools/apc/cli_doc.h"

#include <CLI/CLI.hpp>

namespace apc::cli {

namespace {

// roff: a leading '.' or '\'' would be a request; '\' and '-' are escaped.
std::string roff(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::vector<const CLI::App*> subcommandsOf(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

std::vector<const CLI::Option*> optionsOf(const CLI::App& app) {
  std::vector<const CLI::Option*> out;
  for (const CLI::Option* o : app.get_options())
    if (!o->get_group().empty()) out.push_back(o);  // an empty group is a hidden option
  return out;
}

// "-o, --output FILE" as man pages write it.
std::string optionSpelling(const CLI::Option& o) {
  std::string s;
  for (const std::string& n : o.get_snames()) s += (s.empty() ? "-" : ", -") + n;
  for (const std::string& n : o.get_lnames()) s += (s.empty() ? "--" : ", --") + n;
  if (!o.get_type_name().empty()) s += " " + o.get_type_name();  // flags have no value type
  return s;
}

std::string usageOf(const CLI::App& cmd) {
  std::string s = "apc " + cmd.get_name();
  for (const CLI::Option* o : optionsOf(cmd))
    if (!o->get_positional() && o->get_required()) s += " " + optionSpelling(*o);
  if (!optionsOf(cmd).empty()) s += " [options]";
  for (const CLI::Option* o : optionsOf(cmd))
    if (o->get_positional()) s += o->get_required() ? " " + o->get_name() : " [" + o->get_name() + "]";
  if (!subcommandsOf(cmd).empty()) s += " SUBCOMMAND";
  return s;
}

void manCommand(const CLI::App& cmd, const std::string& prefix, std::string& out) {
  const std::string name = prefix.empty() ? cmd.get_name() : prefix + " " + cmd.get_name();
  out += ".SS " + roff("apc " + name) + "\n" + roff(cmd.get_description()) + "\n.PP\n.B " +
         roff(usageOf(cmd).replace(0, 4 + cmd.get_name().size(), "apc " + name)) + "\n";
  for (const CLI::Option* o : optionsOf(cmd)) {
    if (o->get_name() == "--help" || o->get_name() == "-h,--help") continue;
    out += ".TP\n.B " + roff(o->get_positional() ? o->get_name() : optionSpelling(*o)) + "\n" +
           roff(o->get_description()) + "\n";
  }
  for (const CLI::App* sub : subcommandsOf(cmd)) manCommand(*sub, name, out);
}

std::string subcommandWords(const CLI::App& cmd) {
  std::string w;
  for (const CLI::App* sub : subcommandsOf(cmd)) w += (w.empty() ? "" : " ") + sub->get_name();
  return w;
}

std::string flagWords(const CLI::App& cmd) {
  std::string w;
  for (const CLI::Option* o : optionsOf(cmd)) {
    if (o->get_positional()) continue;
    for (const std::string& n : o->get_snames()) w += (w.empty() ? "-" : " -") + n;
    for (const std::string& n : o->get_lnames()) w += (w.empty() ? "--" : " --") + n;
  }
  return w;
}

// One `case` arm per command path: "query fail") subs="..." flags="..." ;;
void bashCases(const CLI::App& cmd, const std::string& path, std::string& out) {
  out += "    \"" + path + "\") subs=\"" + subcommandWords(cmd) + "\" flags=\"" + flagWords(cmd) + "\" ;;\n";
  for (const CLI::App* sub : subcommandsOf(cmd))
    bashCases(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

}  // namespace

std::string manPage(const CLI::App& app, const std::string& version) {
  std::string out = ".\\\" Generated from apc's CLI definition (tools/apc/cli_doc.cpp); do not edit.\n";
  out += ".TH APC 1 \"\" \"" + roff(version) + "\" \"User Commands\"\n";
  out += ".SH NAME\napc \\- the AP configuration compiler for KVM guests on IBM Z (vfio\\-ap)\n";
  out += ".SH SYNOPSIS\n.B apc\n.I command\n[options]\n";
  out += ".SH DESCRIPTION\n" + roff(app.get_description()) + "\n.PP\n"
         "apc reads a plan (.ap) that states the host's crypto adapters and domains and what each guest needs, "
         "assigns every guest its matrix of queues, and writes the artifacts that configure vfio_ap.\n";
  out += ".SH COMMANDS\n";
  for (const CLI::App* sub : subcommandsOf(app)) manCommand(*sub, "", out);
  out += ".SH EXIT STATUS\n.TP\n0\nok\n.TP\n1\nthe plan has errors\n.TP\n2\nusage or I/O error\n.TP\n3\n"
         "internal error (a bug in apc)\n";
  out += ".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nno colour in diagnostics and in the matrix of\n.B apc show\n";
  out += ".SH SEE ALSO\n.BR lszcrypt (8),\n.BR mdevctl (8),\n.BR chzdev (8);\n"
         "each diagnostic code is explained by\n.BR \"apc explain CODE\" .\n";
  return out;
}

std::string bashCompletion(const CLI::App& app) {
  // _apc_words PATH sets subs (the subcommands after PATH) and flags; the
  // words typed so far that are subcommands make up PATH.
  std::string out =
      "# bash completion for apc; generated from its CLI definition (tools/apc/cli_doc.cpp).\n"
      "_apc_words() {\n"
      "  case \"$1\" in\n";
  bashCases(app, "", out);
  out +=
      "    *) subs=\"\" flags=\"\" ;;\n"
      "  esac\n"
      "}\n"
      "_apc() {\n"
      "  local cur path subs flags i\n"
      "  cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
      "  path=\"\"\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    _apc_words \"$path\"\n"
      "    case \" $subs \" in\n"
      "      *\" ${COMP_WORDS[i]} \"*) path=\"${path:+$path }${COMP_WORDS[i]}\" ;;\n"
      "    esac\n"
      "  done\n"
      "  _apc_words \"$path\"\n"
      "  if [[ \"$cur\" == -* ]]; then\n"
      "    mapfile -t COMPREPLY < <(compgen -W \"$flags\" -- \"$cur\")\n"
      "  else\n"
      "    mapfile -t COMPREPLY < <(compgen -W \"$subs\" -- \"$cur\"; compgen -f -- \"$cur\")\n"
      "  fi\n"
      "}\n"
      "complete -o filenames -F _apc apc\n";
  return out;
}

}  // namespace apc::cli
