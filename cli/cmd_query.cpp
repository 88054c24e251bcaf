#include <fmt/format.h>

#include <algorithm>
#include <boost/algorithm/string/join.hpp>

#include "command.hpp"
#include "passages.hpp"

namespace qcode {

namespace {

const std::vector<std::string> kSubcommands = {"save", "list", "run", "remove"};

struct query_command_options {
  std::vector<std::string> expression;
  std::string format;
  std::string output;
  bool matrix = false;
  std::optional<std::string> by;
  std::optional<std::string> measure;
  std::vector<std::string> where;
  std::optional<std::string> code_as;
  std::optional<std::string> theme;
  std::optional<std::string> coder;
  std::optional<std::string> memo;
  bool dry_run = false;
  std::string project;
};

constexpr std::string_view kAbout =
    "Prints the passages a query over the codings finds, each with its document,\n"
    "reference, the cases it counts for and its text. EXPR combines code ids (a theme\n"
    "includes its sub-codes; =CODE is the code alone) with AND, OR, NOT and brackets,\n"
    "the positional operators A OVERLAPS B, A WITHIN B, A NEAR/n B (n turns; NEAR/nchars\n"
    "for characters), A FOLLOWED BY/n B and A ONLY, and the restrictions speaker=CASE,\n"
    "ATTR=VALUE (a case attribute, such as group=customer), coder=NAME, doc=ID and\n"
    "text~\"words\" (matched as qcode search matches). Example:\n"
    "  qcode query \"barriers NEAR/1 choice.lack AND group=customer\"\n"
    "--matrix counts the passages by group (or --by ATTR) as qcode matrix counts codings,\n"
    "with the same JSON. --code-as CODE keeps the passages as codings of CODE in one\n"
    "change (undo reverts it); a new CODE is added under --theme THEME, or under a theme\n"
    "'queries' made for it. Saved queries:\n"
    "  qcode query save NAME EXPR    saves (or replaces) a query in the project\n"
    "  qcode query list              lists them\n"
    "  qcode query run NAME [...]    runs one, with any option above\n"
    "  qcode query remove NAME       removes one\n"
    "and qcode matrix --rows query:NAME,... charts several by group. The semantics, with\n"
    "pictures, are in docs/queries.md.";

// The options every way of running a query takes; `o` receives them.
po::options_description run_options(query_command_options& o) {
  po::options_description options("options");
  options.add_options()("expression", po::value(&o.expression),
                        "the query (docs/queries.md); quote it for the shell")(
      "format,f", po::value(&o.format)->default_value("table"),
      "table, csv, json, md, html or xlsx")("output,o", po::value(&o.output),
                                            "write to this file instead of standard output")(
      "matrix", po::bool_switch(&o.matrix), "count the passages by group, as qcode matrix does")(
      "by", optional_value(&o.by), "with --matrix: case attribute for the columns")(
      "measure,m", optional_value(&o.measure), "with --matrix: cases, segments or coverage")(
      "where", po::value(&o.where), "with --matrix: only cases with ATTR=VALUE count (repeatable)")(
      "code-as", optional_value(&o.code_as), "code every passage found with this code")(
      "theme", optional_value(&o.theme),
      "with --code-as: the theme (or code) a new code goes under (default: queries)")(
      "coder", optional_value(&o.coder),
      "with --code-as: who codes (default: $QCODE_CODER, else the login name)")(
      "memo", optional_value(&o.memo), "with --code-as: the codings' memo (default: the query)")(
      "dry-run", po::bool_switch(&o.dry_run), "with --code-as: list what would be coded");
  return options;
}

constexpr std::string_view kRunUsage =
    "qcode query EXPR [--format table|csv|json|md|html|xlsx] [-o FILE]\n"
    "       qcode query EXPR --matrix [--by ATTR] [--measure cases|segments|coverage]\n"
    "                        [--where ATTR=VALUE]... [--format ...] [-o FILE]\n"
    "       qcode query EXPR --code-as CODE [--theme THEME] [--coder NAME] [--memo TEXT] "
    "[--dry-run]\n"
    "       qcode query save NAME EXPR | list | run NAME [...] | remove NAME";

// Refuses options that go with another way of running a query.
void check_combination(const query_command_options& o) {
  const auto refuse = [](std::string_view option, std::string_view with) {
    throw coding::input_error(fmt::format("{} goes with {}", option, with));
  };
  if (!o.matrix) {
    if (o.by) refuse("--by", "--matrix");
    if (o.measure) refuse("--measure", "--matrix");
    if (!o.where.empty()) refuse("--where", "--matrix (in a query, write ATTR=VALUE)");
  }
  if (!o.code_as) {
    if (o.theme) refuse("--theme", "--code-as CODE");
    if (o.coder) refuse("--coder", "--code-as CODE (in a query, write coder=NAME)");
    if (o.memo) refuse("--memo", "--code-as CODE");
    if (o.dry_run) refuse("--dry-run", "--code-as CODE");
  }
  if (o.matrix && o.code_as) throw coding::input_error("--matrix and --code-as go separately");
}

// The code --code-as codes with: `name` when the framework has it; otherwise a new code
// added to `fw` under --theme, under the prefix of a dotted name, or under a 'queries'
// theme (made when missing).
struct code_to_use {
  std::string id;                     ///< full id
  std::optional<std::string> parent;  ///< the parent of a code added to `fw`
};

code_to_use ensure_code(coding::framework& fw, const std::string& name,
                        const std::optional<std::string>& theme, const std::string& expression) {
  if (fw.find(name)) {
    if (theme)
      throw coding::input_error(
          fmt::format("the code '{}' exists already: leave out --theme, or name a new code", name));
    return {name, std::nullopt};
  }
  std::string parent;
  std::string local = name;
  if (const auto dot = name.rfind('.'); dot != std::string::npos) {
    parent = name.substr(0, dot);
    local = name.substr(dot + 1);
    if (theme && *theme != parent)
      throw coding::input_error(fmt::format(
          "'{}' would go under '{}', not under --theme {}: give the new code's own id with "
          "--theme, or its full id without",
          name, parent, *theme));
    if (!fw.find(parent))
      throw coding::input_error(
          coding::unknown_message("code", parent, "(the parent of " + name + ")", fw.ids()));
  } else if (theme) {
    if (!fw.find(*theme))
      throw coding::input_error(
          coding::unknown_message("theme", *theme, "after --theme", fw.ids()) +
          "; --theme names a theme or code of the framework");
    parent = *theme;
  } else {
    parent = "queries";
    if (!fw.find(parent)) {
      coding::code t;
      t.local_id = parent;
      t.label = "Queries";
      t.description = "Codes kept from query results (qcode query --code-as).";
      coding::add_code(fw, t, "");
    }
  }
  coding::code k;
  k.local_id = local;
  k.label = local;
  k.description = fmt::format("Passages found by the query: {}", expression);
  const auto at = coding::add_code(fw, k, parent);
  return {fw.codes[at].id, parent};
}

// Runs `expression` as the options say: passages, a matrix, or codings.
int run_expression(const std::string& expression, const query_command_options& o, io io) {
  check_combination(o);
  const auto q = coding::parse_query(expression);
  if (o.matrix) {
    coding::matrix_options mo;
    if (o.by) mo.by = *o.by;
    if (o.measure) mo.what = coding::parse_measure(*o.measure);
    mo.where = parse_where(o.where);
    const auto f = analysis_format(o.format, o.output);
    const auto p = open_project(o.project);
    const auto study = coding::load_study(p, true);
    const auto m = coding::build_query_matrix_output(study, {{"query", expression, q}}, mo, f);
    write_output(o.output, io, "matrix",
                 [&](std::ostream& out) { coding::write(out, m, f, {study.fw.title}); });
    return 0;
  }
  if (o.code_as) {
    auto p = open_project(o.project, o.dry_run);
    const auto study = coding::load_study(p, true);
    const auto result = coding::run_query(study, q);
    if (result.passages.empty()) {
      io.err << "nothing to code: the query finds no passage\n";
      return 0;
    }
    std::vector<std::pair<std::string, coding::span>> passages;
    for (const auto& x : result.passages) passages.emplace_back(x.doc, x.where);
    const auto coder = o.coder ? *o.coder : coding::default_coder();
    const auto memo = o.memo ? *o.memo : fmt::format("qcode query: {}", expression);
    // The new code and the codings: one change, which one undo reverts.
    coding::change_group change(p);
    auto fw = study.fw;
    const auto code = ensure_code(fw, *o.code_as, o.theme, expression);
    if (code.parent) {
      p.update_framework(fw);
      io.err << fmt::format("{} the code {} under {}\n", o.dry_run ? "would add" : "added", code.id,
                            *code.parent);
    }
    code_passages(p, study.documents, passages, code.id, coder, memo, o.dry_run, io);
    if (!o.dry_run) change.commit();
    return 0;
  }
  const auto f = coding::parse_format(o.format, coding::query_formats());
  if (f == coding::format::xlsx) (void)analysis_format(o.format, o.output);
  const auto p = open_project(o.project);
  const auto study = coding::load_study(p, true);
  const auto result = coding::run_query(study, q);
  write_output(o.output, io, "query results",
               [&](std::ostream& out) { coding::write(out, result, f, {study.fw.title}); });
  return 0;
}

int query_save(const std::vector<std::string>& args, io io) {
  std::vector<std::string> words;
  std::string project;
  po::options_description options("options");
  options.add_options()("words", po::value(&words), "NAME, then the expression");
  po::positional_options_description positional;
  positional.add("words", -1);
  if (!parse(args, options, positional, "qcode query save NAME EXPR",
             "Saves EXPR in the project as NAME (replacing a query of that name), after\n"
             "checking it against the study as qcode query does. NAME: a letter, then\n"
             "letters, digits, '_', '-' or '.'. One change; undo reverts it.",
             io, &project))
    return 0;
  if (words.size() < 2)
    throw coding::input_error(
        "query save needs a NAME and an expression: qcode query save "
        "NAME \"EXPR\"");
  const auto name = words.front();
  const auto expression =
      boost::algorithm::join(std::vector<std::string>(words.begin() + 1, words.end()), " ");
  auto p = open_project(project);
  const auto q = coding::parse_query(expression);
  coding::check_query(coding::load_study(p, false), q);
  const auto before = p.queries().find(name);
  p.queries().save(name, expression);
  if (!before)
    io.err << fmt::format("saved query {}: {}\n", name, expression);
  else if (before->expression == expression)
    io.err << fmt::format("query {} is saved already, unchanged\n", name);
  else
    io.err << fmt::format("replaced query {} (was: {}): {}\n", name, before->expression,
                          expression);
  return 0;
}

int query_list(const std::vector<std::string>& args, io io) {
  std::string format;
  std::string project;
  po::options_description options("options");
  options.add_options()("format,f", po::value(&format)->default_value("table"), "table or json");
  if (!parse(args, options, {}, "qcode query list [--format table|json]",
             "Lists the project's saved queries: name, expression, who saved it and when.", io,
             &project))
    return 0;
  using coding::format;
  const auto f = coding::parse_format(format, {format::table, format::json});
  const auto p = open_project(project);
  const auto saved = p.queries().list();
  if (f == format::json) {
    coding::write_saved_queries_json(io.out, saved);
    return 0;
  }
  if (saved.empty()) {
    io.err << "no saved queries; save one with: qcode query save NAME \"EXPR\"\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& q : saved) rows.push_back({q.name, q.expression, q.author, q.updated});
  coding::write_table(io.out, {"name", "expression", "author", "updated"}, rows, {}, 60);
  return 0;
}

int query_remove(const std::vector<std::string>& args, io io) {
  std::string name;
  std::string project;
  po::options_description options("options");
  options.add_options()("name", po::value(&name)->required(), "the saved query");
  po::positional_options_description positional;
  positional.add("name", 1);
  if (!parse(args, options, positional, "qcode query remove NAME",
             "Removes a saved query from the project. One change; undo reverts it.", io, &project))
    return 0;
  auto p = open_project(project);
  const auto q = p.queries().get(name);
  p.queries().remove(name);
  io.err << fmt::format("removed query {}: {}\n", name, q.expression);
  return 0;
}

int query_run(const std::vector<std::string>& args, io io) {
  query_command_options o;
  auto options = run_options(o);
  po::positional_options_description positional;
  positional.add("expression", 1);
  if (!parse(args, options, positional, "qcode query run NAME [options of qcode query EXPR]",
             "Runs the saved query NAME as qcode query runs an expression, with the same\n"
             "options (--format, -o, --matrix, --code-as, ...).",
             io, &o.project))
    return 0;
  if (o.expression.empty())
    throw coding::input_error("query run needs the NAME of a saved query ('qcode query list')");
  const auto saved = open_project(o.project).queries().get(o.expression.front());
  return run_expression(saved.expression, o, io);
}

}  // namespace

int cmd_query(const std::vector<std::string>& args, io io) {
  if (!args.empty()) {
    const auto& word = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (word == "save") return query_save(rest, io);
    if (word == "list") return query_list(rest, io);
    if (word == "run") return query_run(rest, io);
    if (word == "remove") return query_remove(rest, io);
  }
  query_command_options o;
  auto options = run_options(o);
  po::positional_options_description positional;
  positional.add("expression", -1);
  if (!parse(args, options, positional, kRunUsage, kAbout, io, &o.project)) return 0;
  if (o.expression.empty())
    throw coding::input_error(
        "query needs an expression, such as: qcode query \"barriers AND group=customer\"");
  return run_expression(boost::algorithm::join(o.expression, " "), o, io);
}

}  // namespace qcode
