#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "command.hpp"

namespace qcode {
namespace {

// Reads and checks a framework file, reporting every problem at once.
coding::framework checked_framework(const std::string& path) {
  auto checked = coding::check_framework(coding::read_file(path), path);
  if (!checked.result)
    throw coding::problems_error(
        fmt::format("{}: {}", path, coding::plural(checked.problems.size(), "problem", "problems")),
        checked.problems);
  coding::check_framework_queries(*checked.result, path);
  return std::move(*checked.result);
}

std::string codings_count(std::size_t n) {
  return coding::plural(n, "coding", "codings");
}

void write_diff(std::ostream& err, const coding::framework_diff& d, bool refused) {
  if (d.empty()) {
    err << "framework unchanged\n";
    return;
  }
  for (const auto& field : d.framework_fields)
    err << fmt::format("changed    framework {}\n", field);
  for (const auto& c : d.added) err << fmt::format("added      {} ({})\n", c.id, c.label);
  for (const auto& c : d.renamed)
    err << fmt::format("renamed    {} -> {} ({})\n", c.old_id, c.id, codings_count(c.codings));
  for (const auto& c : d.moved)
    err << fmt::format("moved      {} -> {} ({})\n", c.old_id, c.id, codings_count(c.codings));
  for (const auto& c : d.relabelled)
    err << fmt::format("relabelled {}: \"{}\" -> \"{}\"\n", c.id, c.old_label, c.label);
  for (const auto& id : d.edited) err << fmt::format("edited     {}\n", id);
  for (const auto& id : d.reordered)
    err << fmt::format("reordered  {}\n",
                       id.empty() ? std::string("the themes") : "the codes of " + id);
  for (const auto& c : d.removed)
    err << fmt::format(
        "removed    {} ({}{})\n", c.id, codings_count(c.codings),
        refused && c.codings ? ": refused without --merge-into or --drop-codings" : "");
}

void write_outcome(std::ostream& err, const coding::framework_diff& d) {
  if (d.codings_merged) err << fmt::format("{} merged\n", codings_count(d.codings_merged));
  if (d.codings_dropped) err << fmt::format("{} deleted\n", codings_count(d.codings_dropped));
  if (d.duplicates) err << fmt::format("{} dropped as duplicates\n", codings_count(d.duplicates));
}

struct framework_update_command_options {
  std::optional<std::string> file;
  bool dry_run = false;
  std::optional<std::string> merge_into;
  bool drop_codings = false;
  std::string project;
};

int framework_update(const std::vector<std::string>& rest, io io) {
  framework_update_command_options u;
  po::options_description options("options");
  options.add_options()("file", optional_value(&u.file), "the new framework YAML file")(
      "dry-run", po::bool_switch(&u.dry_run), "print the difference and change nothing")(
      "merge-into", optional_value(&u.merge_into)->value_name("CODE"),
      "move the codings of removed codes to CODE (a code of the new framework)")(
      "drop-codings", po::bool_switch(&u.drop_codings), "delete the codings of removed codes");
  po::positional_options_description positional;
  positional.add("file", 1);
  if (!parse(
          rest, options, positional,
          "qcode framework update NEW.yaml [--dry-run] [--merge-into CODE] [--drop-codings] [-p "
          "FILE.qcode]",
          "Replaces the project's framework with a new version of it, as one change that\n"
          "'qcode undo' reverts, and prints the difference on standard error. A code with\n"
          "'renamed_from: OLD.ID' takes over that code's codings (its children follow it); a\n"
          "removed code that still has codings is refused unless --merge-into or --drop-codings.",
          io, &u.project))
    return 0;
  if (!u.file) throw coding::input_error("'qcode framework update' needs the new FRAMEWORK.yaml");
  const auto next = checked_framework(*u.file);
  coding::framework_update_options o;
  o.dry_run = u.dry_run;
  if (u.merge_into) o.merge_into = *u.merge_into;
  o.drop_codings = u.drop_codings;
  auto p = open_project(u.project, u.dry_run);
  // The difference first, so that it is shown even when the update is refused.
  auto preview = o;
  preview.dry_run = true;
  const auto diff = p.update_framework(next, preview);
  const bool refused =
      std::any_of(diff.removed.begin(), diff.removed.end(), [&](const coding::code_diff& c) {
        return c.codings && o.merge_into.empty() && !o.drop_codings;
      });
  write_diff(io.err, diff, refused);
  // The file's saved queries that the project lacks or keeps with another expression.
  std::vector<coding::named_query> queries;
  for (const auto& q : next.queries) {
    const auto ours = p.queries().find(q.name);
    if (ours && ours->expression == q.expression) continue;
    io.err << fmt::format("{} saved query {}: {}\n", ours ? "replaces" : "adds", q.name,
                          q.expression);
    queries.push_back(q);
  }
  if (o.dry_run) {
    if (!diff.empty() || !queries.empty()) io.err << "dry run: nothing changed\n";
    return 0;
  }
  // The framework and the saved queries: one change.
  coding::change_group change(p);
  write_outcome(io.err, p.update_framework(next, o));
  for (const auto& q : queries) p.queries().save(q.name, q.expression);
  change.commit();
  if (!diff.empty() || !queries.empty())
    io.err << fmt::format("updated the framework of {}\n", p.path());
  return 0;
}

struct framework_export_options {
  std::string output;
  std::string project;
};

int framework_export(const std::vector<std::string>& rest, io io) {
  framework_export_options o;
  po::options_description options("options");
  options.add_options()("output,o", po::value(&o.output)->value_name("FILE"),
                        "write to FILE instead of standard output");
  po::positional_options_description positional;
  if (!parse(rest, options, positional, "qcode framework export [-o FILE] [-p FILE.qcode]",
             "Writes the project's framework as a framework YAML file (one that 'qcode framework\n"
             "check' accepts and 'qcode init --framework' or 'qcode framework update' reads),\n"
             "with the project's saved queries under 'queries:'.",
             io, &o.project))
    return 0;
  const auto p = open_project(o.project);
  auto fw = p.get_framework();
  if (!fw) throw coding::input_error(fmt::format("project '{}' has no framework", p.path()));
  for (const auto& q : p.queries().list()) fw->queries.push_back({q.name, q.expression});
  write_output(o.output, io, "framework",
               [&](std::ostream& out) { out << coding::framework_to_yaml(*fw); });
  return 0;
}

// check and show: a framework file, or (show) the project's.
struct framework_file_options {
  std::optional<std::string> file;
  std::string project;
};

}  // namespace

int cmd_framework(const std::vector<std::string>& args, io io) {
  const std::vector<std::string> subs = {"check", "show", "update", "export"};
  if (args.empty() || std::find(subs.begin(), subs.end(), args[0]) == subs.end()) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      io.out << "usage: qcode framework check FRAMEWORK.yaml\n"
                "       qcode framework show [FRAMEWORK.yaml] [-p FILE.qcode]\n"
                "       qcode framework update NEW.yaml [--dry-run] [--merge-into CODE] "
                "[--drop-codings]\n"
                "       qcode framework export [-o FILE]\n\n"
                "check reports every problem in a framework file at once, with file:line:column;\n"
                "show prints the code tree of a file, or of the project's framework;\n"
                "update replaces the project's framework with a new version (undoable);\n"
                "export writes the project's framework as YAML.\n";
      return 0;
    }
    unknown_subcommand("framework", args.empty() ? "" : args[0], subs);
  }
  const std::string sub = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub == "update") return framework_update(rest, io);
  if (sub == "export") return framework_export(rest, io);
  framework_file_options o;
  po::options_description options("options");
  options.add_options()("file", optional_value(&o.file), "framework YAML file");
  po::positional_options_description positional;
  positional.add("file", 1);
  if (sub == "check") {
    if (!parse(rest, options, positional, "qcode framework check FRAMEWORK.yaml",
               "Checks a framework file and reports every problem at once (file:line:column).", io,
               nullptr))
      return 0;
    if (!o.file) throw coding::input_error("'qcode framework check' needs a FRAMEWORK.yaml");
    const auto& path = *o.file;
    const auto fw = checked_framework(path);
    std::size_t themes = 0;
    for (const auto& c : fw.codes) themes += c.depth == 0;
    io.out << fmt::format("{}: ok ({} themes, {} codes below them, {} groups)\n", path, themes,
                          fw.codes.size() - themes, fw.groups.size());
    return 0;
  }
  if (!parse(rest, options, positional, "qcode framework show [FRAMEWORK.yaml] [-p FILE.qcode]",
             "Prints the code tree (full ids and labels) and the respondent groups, of the file\n"
             "when one is given, else of the project's framework.",
             io, &o.project))
    return 0;
  if (o.file) {
    coding::write_framework_tree(io.out, coding::load_framework(*o.file));
    return 0;
  }
  const auto p = open_project(o.project);
  const auto fw = p.get_framework();
  if (!fw) throw coding::input_error(fmt::format("project '{}' has no framework", p.path()));
  coding::write_framework_tree(io.out, *fw);
  return 0;
}

}  // namespace qcode
