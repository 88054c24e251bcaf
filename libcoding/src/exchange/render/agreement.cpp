// Intercoder agreement and disagreements as table, csv, json, md, html and xlsx
// (docs/agreement.md). The html page uses the shell and escaper of the other pages
// (page.hpp), the workbook the helpers of the other workbooks (workbook.hpp).

#include "coding/agreement.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <ostream>

#include "../json.hpp"
#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/render.hpp"
#include "coding/text.hpp"
#include "coding/version.hpp"
#include "page.hpp"
#include "workbook.hpp"

namespace coding {
namespace {

std::string unit_words(agreement_unit u, double overlap) {
  switch (u) {
    case agreement_unit::character:
      return "characters (each coded or not by each coder)";
    case agreement_unit::segment:
      return fmt::format(
          "coded segments (agreeing when the other coder's passage covers {}% of it)", overlap);
    case agreement_unit::turn:
      return "turns (coded when a coding overlaps the turn)";
    case agreement_unit::document:
      return "documents (the code present or not)";
    case agreement_unit::case_:
      return "cases (the code present or not in what is attributed to the case)";
  }
  return {};
}

// A figure to 3 decimals, or "-" when there is none.
std::string figure(const statistic& s) {
  return s.value ? fmt::format("{:.3f}", *s.value) : std::string("-");
}

std::string percent(const statistic& s) {
  return s.value ? fmt::format("{:.1f}%", 100.0 * *s.value) : std::string("-");
}

std::string interval(const agreement_stats& s) {
  return s.alpha_interval
             ? fmt::format("{:.3f} to {:.3f}", s.alpha_interval->first, s.alpha_interval->second)
             : std::string("-");
}

// The kappa shown in the table: Cohen's for two coders, Fleiss' for more.
const statistic& kappa(const agreement_result& r, const agreement_stats& s) {
  return r.coders.size() == 2 ? s.cohen_kappa : s.fleiss_kappa;
}

std::vector<std::string> stats_cells(const agreement_result& r, const agreement_stats& s) {
  return {std::to_string(s.units),    percent(s.percent),           figure(kappa(r, s)),
          figure(s.brennan_prediger), figure(s.krippendorff_alpha), interval(s)};
}

// The notes of the statistics that have no value, once each: "Cohen's kappa: ...".
std::vector<std::string> notes_of(const agreement_stats& s) {
  std::vector<std::string> out;
  const std::pair<const char*, const statistic*> named[] = {
      {"percent agreement", &s.percent},
      {"Cohen's kappa", &s.cohen_kappa},
      {"Fleiss' kappa", &s.fleiss_kappa},
      {"Brennan-Prediger kappa", &s.brennan_prediger},
      {"Krippendorff's alpha", &s.krippendorff_alpha}};
  for (const auto& [name, st] : named)
    if (!st->value && !st->note.empty()) out.push_back(fmt::format("{}: {}", name, st->note));
  return out;
}

void table_section(std::ostream& out, const agreement_result& r, bool coded_only) {
  const auto kappa_name = r.coders.size() == 2 ? "Cohen k" : "Fleiss k";
  const std::vector<std::string> header = {"code",     "label", "units", "agree",
                                           kappa_name, "B-P k", "alpha", "alpha 95% CI"};
  std::vector<std::vector<std::string>> rows;
  const auto add = [&](const agreement_row& row, std::string name, std::string label) {
    const auto& s = coded_only && row.coded_only ? *row.coded_only : row.stats;
    std::vector<std::string> cells = {std::move(name), std::move(label)};
    for (auto& c : stats_cells(r, s)) cells.push_back(std::move(c));
    rows.push_back(std::move(cells));
  };
  for (const auto& row : r.by_code) add(row, row.code, row.label);
  for (const auto& row : r.by_doc) add(row, "doc " + row.doc, "all codes");
  add(r.pooled, "all", "every code, every document");
  write_table(out, header, rows, {false, false, true, true, true, true, true, false}, 40);
}

void write_table_form(std::ostream& out, const agreement_result& r) {
  out << fmt::format("Agreement of {} on {}, by {}\n", fmt::join(r.coders, ", "),
                     unit_words(r.unit, r.overlap),
                     r.level == matrix_level::theme ? "theme (its sub-codes are the categories)"
                                                    : "code (coded or not)");
  if (r.unit == agreement_unit::character) {
    out << "\nWhole text: every character of the documents, coded or not\n\n";
    table_section(out, r, false);
    out << "\nCoded text only: the characters at least one coder coded with the row's code\n\n";
    table_section(out, r, true);
  } else {
    out << '\n';
    table_section(out, r, false);
  }
  const auto notes = notes_of(r.pooled.stats);
  if (!notes.empty()) {
    out << "\nNotes (all codes, all documents):\n";
    for (const auto& n : notes) out << "  " << n << '\n';
  }
  if (!r.breaks.empty())
    out << fmt::format(
        "\n{} passages where a coder applied two sub-codes of one theme were left out for that "
        "coder (see --format json)\n",
        r.breaks.size());
}

void stats_json(detail::json_writer& j, const agreement_stats& s) {
  j.begin_object().field("units", static_cast<std::size_t>(s.units));
  const std::pair<const char*, const statistic*> named[] = {
      {"percent", &s.percent},
      {"cohen_kappa", &s.cohen_kappa},
      {"fleiss_kappa", &s.fleiss_kappa},
      {"brennan_prediger", &s.brennan_prediger},
      {"krippendorff_alpha", &s.krippendorff_alpha}};
  for (const auto& [name, st] : named) j.field(name, st->value);
  j.key("alpha_interval");
  if (s.alpha_interval)
    j.begin_array().value(s.alpha_interval->first).value(s.alpha_interval->second).end_array();
  else
    j.null();
  j.key("notes").begin_object();
  for (const auto& [name, st] : named)
    if (!st->value) j.field(name, st->note);
  j.end_object().end_object();
}

void row_json(detail::json_writer& j, const agreement_row& row) {
  j.begin_object().field("code", row.code).field("label", row.label).field("doc", row.doc);
  j.key("stats");
  stats_json(j, row.stats);
  if (row.coded_only) {
    j.key("coded_only");
    stats_json(j, *row.coded_only);
  }
  j.end_object();
}

void write_json_form(std::ostream& out, const agreement_result& r) {
  detail::json_writer j(out);
  j.begin_object().key("coders").begin_array();
  for (const auto& c : r.coders) j.value(c);
  j.end_array().field("unit", to_string(r.unit)).field("level", to_string(r.level));
  j.field("overlap", r.overlap);
  j.key("by_code").begin_array();
  for (const auto& row : r.by_code) row_json(j, row);
  j.end_array().key("by_doc").begin_array();
  for (const auto& row : r.by_doc) row_json(j, row);
  j.end_array().key("pooled");
  row_json(j, r.pooled);
  j.key("breaks").begin_array();
  for (const auto& b : r.breaks) {
    j.begin_object().field("doc", b.doc).field("start", b.where.start).field("end", b.where.end);
    j.field("coder", b.coder).field("theme", b.theme).key("codes").begin_array();
    for (const auto& c : b.codes) j.value(c);
    j.end_array().end_object();
  }
  j.end_array().end_object();
}

void write_csv_form(std::ostream& out, const agreement_result& r) {
  std::vector<std::string> header = {"scope", "code", "label", "doc"};
  const std::vector<std::string> names = {"units",        "percent",          "cohen_kappa",
                                          "fleiss_kappa", "brennan_prediger", "krippendorff_alpha",
                                          "alpha_low",    "alpha_high"};
  const bool chars = r.unit == agreement_unit::character;
  for (const auto& n : names) header.push_back(n);
  if (chars)
    for (const auto& n : names) header.push_back("coded_only_" + n);
  write_csv_row(out, header);
  const auto number = [](const statistic& s) {
    return s.value ? fmt::format("{:.6f}", *s.value) : std::string();
  };
  const auto stats = [&](std::vector<std::string>& f, const agreement_stats& s) {
    f.push_back(std::to_string(s.units));
    for (const auto* st :
         {&s.percent, &s.cohen_kappa, &s.fleiss_kappa, &s.brennan_prediger, &s.krippendorff_alpha})
      f.push_back(number(*st));
    f.push_back(s.alpha_interval ? fmt::format("{:.6f}", s.alpha_interval->first) : "");
    f.push_back(s.alpha_interval ? fmt::format("{:.6f}", s.alpha_interval->second) : "");
  };
  const auto emit = [&](const char* scope, const agreement_row& row) {
    std::vector<std::string> f = {scope, row.code, row.label, row.doc};
    stats(f, row.stats);
    if (chars) stats(f, row.coded_only.value_or(agreement_stats{}));
    write_csv_row(out, f);
  };
  for (const auto& row : r.by_code) emit("code", row);
  for (const auto& row : r.by_doc) emit("doc", row);
  emit("all", r.pooled);
}

void md_section(std::ostream& out, const agreement_result& r, bool coded_only) {
  out << "| Code | Label | Units | Agreement | " << (r.coders.size() == 2 ? "Cohen's" : "Fleiss'")
      << " κ | Brennan-Prediger κ | Krippendorff's α | α 95% CI |\n"
      << "|---|---|---:|---:|---:|---:|---:|---|\n";
  const auto line = [&](const agreement_row& row, const std::string& name,
                        const std::string& label) {
    const auto& s = coded_only && row.coded_only ? *row.coded_only : row.stats;
    out << "| " << detail::md(name) << " | " << detail::md(label);
    for (const auto& c : stats_cells(r, s)) out << " | " << c;
    out << " |\n";
  };
  for (const auto& row : r.by_code) line(row, row.code, row.label);
  for (const auto& row : r.by_doc) line(row, "doc " + row.doc, "all codes");
  line(r.pooled, "all", "every code, every document");
}

void write_md_form(std::ostream& out, const agreement_result& r) {
  out << "## Intercoder agreement\n\n"
      << fmt::format("Coders {}; unit: {}; by {}.\n\n", fmt::join(r.coders, ", "),
                     unit_words(r.unit, r.overlap),
                     r.level == matrix_level::theme ? "theme" : "code");
  if (r.unit == agreement_unit::character) {
    out << "### Whole text\n\n";
    md_section(out, r, false);
    out << "\n### Coded text only\n\n";
    md_section(out, r, true);
  } else {
    md_section(out, r, false);
  }
  const auto notes = notes_of(r.pooled.stats);
  if (!notes.empty()) {
    out << '\n';
    for (const auto& n : notes) out << "- " << detail::md(n) << '\n';
  }
}

std::string applied_text(const disagreement& d) {
  std::vector<std::string> parts;
  for (const auto& [coder, codes] : d.applied)
    parts.push_back(
        fmt::format("{}: {}", coder,
                    codes.empty() ? std::string("-") : fmt::format("{}", fmt::join(codes, ", "))));
  return fmt::format("{}", fmt::join(parts, "; "));
}

// ---- what the page formats state besides the figures -----------------------------------

std::string level_words(matrix_level level) {
  return level == matrix_level::theme ? "theme (its sub-codes are the categories)"
                                      : "code (coded or not)";
}

// What the figures were computed on: (name, value) pairs for codes, documents and cases.
std::vector<std::pair<std::string, std::string>> selection(const agreement_options& o) {
  std::vector<std::string> where;
  for (const auto& [attr, value] : o.where) where.push_back(attr + "=" + value);
  return {{"Codes", o.codes.empty()
                        ? std::string("all")
                        : fmt::format("{} and the codes below them", fmt::join(o.codes, ", "))},
          {"Documents",
           o.docs.empty() ? std::string("all") : fmt::format("{}", fmt::join(o.docs, ", "))},
          {"Cases",
           where.empty() ? std::string("all") : fmt::format("where {}", fmt::join(where, ", "))}};
}

// How the interval of alpha was drawn.
std::string interval_words(const agreement_result& r, const std::optional<agreement_options>& o) {
  if (o && o->bootstrap == 0) return "No interval of alpha was drawn (no bootstrap samples).";
  std::string out =
      o ? fmt::format(
              "The 95% interval of alpha is a bootstrap: {} samples of the units (drawn "
              "with probability proportional to their weight) with seed {}, and the "
              "2.5th and 97.5th percentiles of their alpha; the same data give the same "
              "interval every time.",
              o->bootstrap, o->seed)
        : std::string(
              "The 95% interval of alpha is a bootstrap with a fixed seed: the same data "
              "give the same interval every time.");
  if (r.unit == agreement_unit::character)
    out +=
        " For characters it treats characters as independent, which they are not: it is far "
        "too narrow to report; report intervals from turn or segment units.";
  return out;
}

constexpr std::string_view kWholeText = "every character of the documents, coded or not";
constexpr std::string_view kCodedOnly =
    "the characters at least one coder coded with the row's code (the harder test: uncoded "
    "text inflates whole-text agreement)";

// The statistics a row shows, with their names: percent, the kappa of the coders' number,
// Brennan-Prediger and alpha.
std::vector<std::pair<std::string, const statistic*>> shown(const agreement_result& r,
                                                            const agreement_stats& s) {
  return {{"percent agreement", &s.percent},
          {r.coders.size() == 2 ? "Cohen's kappa" : "Fleiss' kappa", &kappa(r, s)},
          {"Brennan-Prediger kappa", &s.brennan_prediger},
          {"Krippendorff's alpha", &s.krippendorff_alpha}};
}

// The notes of the shown statistics that have no value: "Cohen's kappa: no variation ...".
std::vector<std::string> shown_notes(const agreement_result& r, const agreement_stats& s) {
  std::vector<std::string> out;
  for (const auto& [name, st] : shown(r, s))
    if (!st->value) out.push_back(fmt::format("{}: {}", name, st->note));
  return out;
}

// One row of the statistics: a code (or theme), a document, or everything.
struct stats_line {
  std::string scope;  // code, doc, all
  const agreement_row* row;
  std::string name;   // the code id, "D1", "all"
  std::string label;  // the code's label, "all codes", ...
};

std::vector<stats_line> stats_lines(const agreement_result& r) {
  std::vector<stats_line> out;
  for (const auto& row : r.by_code) out.push_back({"code", &row, row.code, row.label});
  for (const auto& row : r.by_doc) out.push_back({"doc", &row, row.doc, "all codes"});
  out.push_back({"all", &r.pooled, "all", "every code, every document"});
  return out;
}

// ---- html --------------------------------------------------------------------------------

using detail::esc;

void html_overview(std::ostream& out,
                   const std::vector<std::pair<std::string, std::string>>& items) {
  out << "<dl class=\"overview\">";
  for (const auto& [name, value] : items)
    out << "<dt>" << esc(name) << "</dt><dd>" << esc(value) << "</dd>";
  out << "</dl>\n";
}

std::string html_figure(const statistic& s, bool as_percent) {
  if (!s.value) return "<td class=\"num\" title=\"" + esc(s.note) + "\">-</td>";
  return "<td class=\"num\">" + (as_percent ? percent(s) : figure(s)) + "</td>";
}

void html_stats_table(std::ostream& out, const agreement_result& r, bool coded_only,
                      std::string_view caption) {
  const bool two = r.coders.size() == 2;
  out << "<div class=\"scroll\">\n<table class=\"agreement\">\n<caption><span class=\"what\">"
      << esc(caption) << "</span></caption>\n<thead>\n<tr><th scope=\"col\">"
      << (r.level == matrix_level::theme ? "Theme" : "Code")
      << "</th><th scope=\"col\" class=\"num\">Units</th><th scope=\"col\" "
         "class=\"num\">Agreement</th><th scope=\"col\" class=\"num\">"
      << (two ? "Cohen's" : "Fleiss'")
      << " κ</th><th scope=\"col\" class=\"num\">Brennan-Prediger κ</th><th scope=\"col\" "
         "class=\"num\">Krippendorff's α</th><th scope=\"col\">α 95% CI</th><th "
         "scope=\"col\">Notes</th></tr>\n</thead>\n";
  std::string scope;
  for (const auto& line : stats_lines(r)) {
    if (line.scope != scope) {
      if (!scope.empty()) out << "</tbody>\n";
      scope = line.scope;
      out << "<tbody>\n";
      if (scope == "doc")
        out << "<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"8\">Per document, all "
               "codes</th></tr>\n";
    }
    const auto& s = coded_only && line.row->coded_only ? *line.row->coded_only : line.row->stats;
    const bool all = scope == "all";
    out << (all ? "<tr class=\"total\">" : "<tr>") << "<th scope=\"row\">";
    if (scope == "code")
      out << esc(line.label) << " <span class=\"id\">" << esc(line.name) << "</span>";
    else if (scope == "doc")
      out << "<span class=\"id\">" << esc(line.name) << "</span>";
    else
      out << "All codes, all documents";
    out << "</th><td class=\"num\">" << s.units << "</td>" << html_figure(s.percent, true)
        << html_figure(kappa(r, s), false) << html_figure(s.brennan_prediger, false)
        << html_figure(s.krippendorff_alpha, false) << "<td class=\"num\">" << esc(interval(s))
        << "</td><td class=\"note\">";
    const auto notes = shown_notes(r, s);
    for (std::size_t i = 0; i < notes.size(); ++i) out << (i ? "<br>" : "") << esc(notes[i]);
    out << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n</div>\n";
}

std::string html_heading(std::string_view what, const render_options& o) {
  return o.title.empty() ? std::string(what) : fmt::format("{}: {}", what, o.title);
}

void write_html_form(std::ostream& out, const agreement_result& r, const render_options& o) {
  const auto heading_text = html_heading("Intercoder agreement", o);
  detail::page_begin(out, heading_text, true);
  out << "<main>\n<h1>" << esc(heading_text) << "</h1>\n<p class=\"meta\">Made with qcode "
      << esc(version()) << ".</p>\n";
  std::vector<std::pair<std::string, std::string>> items = {
      {"Coders", fmt::format("{}", fmt::join(r.coders, ", "))},
      {"Unit", unit_words(r.unit, r.overlap)},
      {"Level", level_words(r.level)}};
  if (r.unit == agreement_unit::segment)
    items.emplace_back("Overlap", fmt::format("{}% of a passage", r.overlap));
  if (o.agreement)
    for (auto& item : selection(*o.agreement)) items.push_back(std::move(item));
  html_overview(out, items);
  if (r.unit == agreement_unit::character) {
    out << "<h2>Whole text</h2>\n<p class=\"note\">Units: " << esc(kWholeText) << ".</p>\n";
    html_stats_table(out, r, false, "Agreement over the whole text");
    out << "<h2>Coded text only</h2>\n<p class=\"note\">Units: " << esc(kCodedOnly) << ".</p>\n";
    html_stats_table(out, r, true, "Agreement over the coded text only");
  } else {
    html_stats_table(out, r, false, "Agreement on " + unit_words(r.unit, r.overlap));
  }
  out << "<p class=\"note\">Units counts the pairable units (coded by at least two coders"
      << (r.unit == agreement_unit::character ? ", in characters" : "")
      << "). A figure that cannot be computed is shown as - with the reason in Notes.</p>\n"
      << "<p class=\"note\">" << esc(interval_words(r, o.agreement)) << "</p>\n";
  if (!r.breaks.empty()) {
    out << "<h2>Mutual exclusivity</h2>\n<p class=\"note\">"
        << esc(plural(r.breaks.size(), "passage", "passages"))
        << " where a coder applied two sub-codes of one theme, left out for that coder.</p>\n"
        << "<div class=\"scroll\">\n<table class=\"breaks\">\n<thead>\n<tr><th "
           "scope=\"col\">Document</th><th scope=\"col\" class=\"num\">Start</th><th scope=\"col\" "
           "class=\"num\">End</th><th scope=\"col\">Coder</th><th scope=\"col\">Theme</th><th "
           "scope=\"col\">Codes</th></tr>\n</thead>\n<tbody>\n";
    for (const auto& b : r.breaks)
      out << "<tr><td>" << esc(b.doc) << "</td><td class=\"num\">" << b.where.start
          << "</td><td class=\"num\">" << b.where.end << "</td><td>" << esc(b.coder) << "</td><td>"
          << esc(b.theme) << "</td><td>" << esc(fmt::format("{}", fmt::join(b.codes, ", ")))
          << "</td></tr>\n";
    out << "</tbody>\n</table>\n</div>\n";
  }
  out << "</main>\n";
  detail::page_end(out);
}

// The coders of a disagreement list: those of its passages, else those asked for.
std::vector<std::string> list_coders(const std::vector<disagreement>& list,
                                     const render_options& o) {
  std::vector<std::string> out;
  if (!list.empty())
    for (const auto& [coder, codes] : list.front().applied) out.push_back(coder);
  else if (o.agreement)
    out = o.agreement->coders;
  return out;
}

void write_disagreements_html(std::ostream& out, const std::vector<disagreement>& list,
                              const render_options& o) {
  const auto coders = list_coders(list, o);
  const auto heading_text = html_heading("Disagreements", o);
  detail::page_begin(out, heading_text, true);
  out << "<main>\n<h1>" << esc(heading_text) << "</h1>\n<p class=\"meta\">Made with qcode "
      << esc(version()) << ".</p>\n";
  std::vector<std::pair<std::string, std::string>> items = {
      {"Coders", coders.empty() ? std::string("-") : fmt::format("{}", fmt::join(coders, ", "))}};
  if (o.agreement) {
    items.emplace_back("Unit", unit_words(o.agreement->unit, o.agreement->overlap));
    items.emplace_back("Level", level_words(o.agreement->level));
    for (auto& item : selection(*o.agreement)) items.push_back(std::move(item));
  }
  items.emplace_back("Passages", std::to_string(list.size()));
  html_overview(out, items);
  if (list.empty()) {
    out << "<p>The coders differ nowhere.</p>\n</main>\n";
    detail::page_end(out);
    return;
  }
  out << "<div class=\"scroll\">\n<table class=\"disagreements\">\n<caption><span "
         "class=\"what\">Passages where the coders differ</span>, in document order: who "
         "applied which code.</caption>\n<thead>\n<tr><th scope=\"col\">Document</th><th "
         "scope=\"col\">Where</th><th scope=\"col\">Code</th>";
  for (const auto& c : coders) out << "<th scope=\"col\">" << esc(c) << "</th>";
  out << "<th scope=\"col\">Text</th></tr>\n</thead>\n<tbody>\n";
  for (const auto& d : list) {
    out << "<tr><td>" << esc(d.doc) << "</td><td><span class=\"ref\">" << esc(d.reference)
        << "</span></td><td><span class=\"id\">" << esc(d.code) << "</span></td>";
    for (const auto& [coder, codes] : d.applied) {
      if (codes.empty())
        out << "<td><span class=\"n inline\">none</span></td>";
      else
        out << "<td>" << esc(fmt::format("{}", fmt::join(codes, ", "))) << "</td>";
    }
    out << "<td><blockquote>" << esc(d.text) << "</blockquote></td></tr>\n";
  }
  out << "</tbody>\n</table>\n</div>\n</main>\n";
  detail::page_end(out);
}

// ---- xlsx --------------------------------------------------------------------------------

using detail::sheet;
using detail::workbook;

void write_xlsx_form(std::ostream& out, const agreement_result& r, const render_options& o) {
  workbook book;
  sheet ws(book, book.add_sheet("Agreement"));
  const bool chars = r.unit == agreement_unit::character;
  ws.string(0, 0,
            fmt::format("Agreement of {} on {}, by {}", fmt::join(r.coders, ", "),
                        unit_words(r.unit, r.overlap), level_words(r.level)),
            book.title);
  std::vector<std::string> header = {"scope", "code", "label", "doc"};
  if (chars) header.emplace_back("text");
  const std::size_t first = header.size();  // the first column of figures
  for (const char* h :
       {"units", "percent agreement", "Cohen's kappa", "Fleiss' kappa", "Brennan-Prediger kappa",
        "Krippendorff's alpha", "alpha 95% low", "alpha 95% high", "notes"})
    header.emplace_back(h);
  std::vector<std::size_t> widest(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c)
    widest[c] = ws.string(1, c, header[c],
                          c < first || c + 1 == header.size() ? book.header : book.header_number);
  std::size_t row = 2;
  const auto emit = [&](const stats_line& line, bool coded_only) {
    const auto& s = coded_only ? *line.row->coded_only : line.row->stats;
    const bool all = line.scope == "all";
    const auto text = all ? book.total_text : book.text;
    const std::vector<std::string> names = {line.scope, line.row->code, line.label, line.row->doc};
    for (std::size_t c = 0; c < names.size(); ++c)
      widest[c] = std::max(widest[c], ws.string(row, c, names[c], text));
    if (chars)
      widest[4] = std::max(widest[4],
                           ws.string(row, 4, coded_only ? "coded text only" : "whole text", text));
    std::size_t c = first;
    ws.number(row, c++, static_cast<double>(s.units), all ? book.total_count : book.count);
    const auto value = [&](const std::optional<double>& v, lxw_format* f, lxw_format* total) {
      if (v)
        ws.number(row, c, *v, all ? total : f);
      else
        ws.blank(row, c, all ? total : nullptr);
      ++c;
    };
    value(s.percent.value, book.percent, book.total_percent);
    for (const auto* st :
         {&s.cohen_kappa, &s.fleiss_kappa, &s.brennan_prediger, &s.krippendorff_alpha})
      value(st->value, book.figure, book.total_figure);
    value(s.alpha_interval ? std::optional<double>(s.alpha_interval->first) : std::nullopt,
          book.figure, book.total_figure);
    value(s.alpha_interval ? std::optional<double>(s.alpha_interval->second) : std::nullopt,
          book.figure, book.total_figure);
    widest[c] = std::max(widest[c],
                         ws.string(row, c, fmt::format("{}", fmt::join(notes_of(s), "; ")), text));
    ++row;
  };
  const auto lines = stats_lines(r);
  for (const auto& line : lines) emit(line, false);
  if (chars)
    for (const auto& line : lines)
      if (line.row->coded_only) emit(line, true);
  const std::size_t last_data = row - 1;

  // What the figures were computed on, and how to read them, below the table.
  std::vector<std::string> notes;
  if (o.agreement)
    for (const auto& [name, value] : selection(*o.agreement))
      notes.push_back(fmt::format("{}: {}", name, value));
  if (chars) {
    notes.push_back(fmt::format("whole text: {}", kWholeText));
    notes.push_back(fmt::format("coded text only: {}", kCodedOnly));
  }
  notes.emplace_back(
      "units: the pairable units (coded by at least two coders); a blank figure "
      "cannot be computed, and the notes column says why");
  notes.push_back(interval_words(r, o.agreement));
  if (!r.breaks.empty())
    notes.push_back(fmt::format(
        "{} where a coder applied two sub-codes of one theme were left out for that coder (see "
        "--format json)",
        plural(r.breaks.size(), "passage", "passages")));
  row = last_data + 2;
  for (const auto& n : notes) ws.string(row++, 0, n, nullptr);

  ws.width(0, widest[0], 6, 10);
  ws.width(1, widest[1], 8, 30);
  ws.width(2, widest[2], 12, 40);
  ws.width(3, widest[3], 6, 20);
  if (chars) ws.width(4, widest[4], 10, 18);
  for (std::size_t c = first; c + 1 < header.size(); ++c) ws.width(c, widest[c], 9, 14);
  ws.width(header.size() - 1, widest.back(), 20, 80);
  ws.freeze(2, 0);
  ws.autofilter(1, 0, last_data, header.size() - 1);
  ws.finish(1);
  book.finish(out);
}

void write_disagreements_xlsx(std::ostream& out, const std::vector<disagreement>& list,
                              const render_options& o) {
  workbook book;
  sheet ws(book, book.add_sheet("Disagreements"));
  const auto coders = list_coders(list, o);
  std::vector<std::string> header = {"document", "start", "end", "reference", "code"};
  const std::size_t first = header.size();  // the first coder's column
  header.insert(header.end(), coders.begin(), coders.end());
  header.emplace_back("text");
  std::vector<std::size_t> widest(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c)
    widest[c] = ws.string(0, c, header[c], book.header) + 2;  // room for the filter button
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& d = list[i];
    const std::size_t r = i + 1;
    widest[0] = std::max(widest[0], ws.string(r, 0, d.doc, book.text));
    ws.number(r, 1, static_cast<double>(d.where.start), book.count);
    ws.number(r, 2, static_cast<double>(d.where.end), book.count);
    widest[3] = std::max(widest[3], ws.string(r, 3, d.reference, book.text));
    widest[4] = std::max(widest[4], ws.string(r, 4, d.code, book.text));
    for (std::size_t k = 0; k < d.applied.size() && first + k + 1 < header.size(); ++k)
      widest[first + k] =
          std::max(widest[first + k],
                   ws.string(r, first + k, fmt::format("{}", fmt::join(d.applied[k].second, ", ")),
                             book.text));
    widest.back() = std::max(widest.back(), ws.string(r, header.size() - 1, d.text, book.text));
  }
  ws.width(0, widest[0], 8, 20);
  ws.width(1, widest[1], 7, 10);
  ws.width(2, widest[2], 7, 10);
  ws.width(3, widest[3], 10, 20);
  ws.width(4, widest[4], 10, 30);
  for (std::size_t c = first; c + 1 < header.size(); ++c) ws.width(c, widest[c], 10, 30);
  ws.width(header.size() - 1, widest.back(), 30, 80);
  ws.freeze(1, 0);
  ws.autofilter(0, 0, list.size(), header.size() - 1);
  ws.finish(0);
  book.finish(out);
}

}  // namespace

void write(std::ostream& out, const agreement_result& r, format f, const render_options& o) {
  switch (f) {
    case format::table:
      return write_table_form(out, r);
    case format::json:
      return write_json_form(out, r);
    case format::csv:
      return write_csv_form(out, r);
    case format::md:
      return write_md_form(out, r);
    case format::html:
      return write_html_form(out, r, o);
    case format::xlsx:
      return write_xlsx_form(out, r, o);
    default:
      throw input_error(
          fmt::format("agreement cannot be written as {}: use table, csv, json, md, html or xlsx",
                      to_string(f)));
  }
}

void write(std::ostream& out, const std::vector<disagreement>& list, format f,
           const render_options& o) {
  switch (f) {
    case format::table: {
      std::vector<std::vector<std::string>> rows;
      for (const auto& d : list) rows.push_back({d.reference, d.code, applied_text(d), d.text});
      write_table(out, {"where", "code", "who applied what", "text"}, rows, {}, 50);
      out << fmt::format("{} passages where the coders differ\n", list.size());
      return;
    }
    case format::csv: {
      write_csv_row(out, {"doc", "start", "end", "reference", "code", "applied", "text"});
      for (const auto& d : list)
        write_csv_row(out, {d.doc, std::to_string(d.where.start), std::to_string(d.where.end),
                            d.reference, d.code, applied_text(d), d.text});
      return;
    }
    case format::json: {
      detail::json_writer j(out);
      j.begin_array();
      for (const auto& d : list) {
        j.begin_object()
            .field("doc", d.doc)
            .field("start", d.where.start)
            .field("end", d.where.end);
        j.field("reference", d.reference).field("code", d.code).field("text", d.text);
        j.key("applied").begin_object();
        for (const auto& [coder, codes] : d.applied) {
          j.key(coder).begin_array();
          for (const auto& c : codes) j.value(c);
          j.end_array();
        }
        j.end_object().end_object();
      }
      j.end_array();
      return;
    }
    case format::md: {
      out << "## Disagreements\n\n| Where | Code | Who applied what | Text |\n|---|---|---|---|\n";
      for (const auto& d : list)
        out << "| " << detail::md(d.reference) << " | " << detail::md(d.code) << " | "
            << detail::md(applied_text(d)) << " | " << detail::md(d.text) << " |\n";
      return;
    }
    case format::html:
      return write_disagreements_html(out, list, o);
    case format::xlsx:
      return write_disagreements_xlsx(out, list, o);
    default:
      throw input_error(fmt::format(
          "disagreements cannot be written as {}: use table, csv, json, md, html or xlsx",
          to_string(f)));
  }
}

}  // namespace coding
