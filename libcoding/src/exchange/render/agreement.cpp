// Intercoder agreement and disagreements as table, csv, json and md (docs/agreement.md).

#include "coding/agreement.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <ostream>

#include "../json.hpp"
#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/render.hpp"

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

std::string md_cell(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    if (ch == '|')
      out += "\\|";
    else if (ch == '\n')
      out += "<br>";
    else
      out += ch;
  }
  return out;
}

void md_section(std::ostream& out, const agreement_result& r, bool coded_only) {
  out << "| Code | Label | Units | Agreement | " << (r.coders.size() == 2 ? "Cohen's" : "Fleiss'")
      << " κ | Brennan-Prediger κ | Krippendorff's α | α 95% CI |\n"
      << "|---|---|---:|---:|---:|---:|---:|---|\n";
  const auto line = [&](const agreement_row& row, const std::string& name,
                        const std::string& label) {
    const auto& s = coded_only && row.coded_only ? *row.coded_only : row.stats;
    out << "| " << md_cell(name) << " | " << md_cell(label);
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
    for (const auto& n : notes) out << "- " << md_cell(n) << '\n';
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

}  // namespace

void write(std::ostream& out, const agreement_result& r, format f, const render_options&) {
  switch (f) {
    case format::table:
      return write_table_form(out, r);
    case format::json:
      return write_json_form(out, r);
    case format::csv:
      return write_csv_form(out, r);
    case format::md:
      return write_md_form(out, r);
    default:
      throw input_error(fmt::format("agreement cannot be written as {}: use table, csv, json or md",
                                    to_string(f)));
  }
}

void write(std::ostream& out, const std::vector<disagreement>& list, format f,
           const render_options&) {
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
        out << "| " << md_cell(d.reference) << " | " << md_cell(d.code) << " | "
            << md_cell(applied_text(d)) << " | " << md_cell(d.text) << " |\n";
      return;
    }
    default:
      throw input_error(fmt::format(
          "disagreements cannot be written as {}: use table, csv, json or md", to_string(f)));
  }
}

}  // namespace coding
