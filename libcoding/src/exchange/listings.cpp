// Writers for the analysis layer's listings: search hits, word frequencies, speakers,
// cases and the summaries file that `summary export` writes.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/text.hpp"
#include "json.hpp"

namespace coding {

void write_hits_json(std::ostream& out, const std::vector<hit>& hits) {
  detail::json_writer j(out);
  j.begin_array();
  for (const auto& h : hits) {
    j.begin_object().field("doc", h.doc).field("start", h.where.start).field("end", h.where.end);
    j.field("line", h.line)
        .field("speaker", h.speaker)
        .field("case", h.case_id)
        .field("group", h.group);
    j.field("before", h.before).field("match", h.match).field("after", h.after).end_object();
  }
  j.end_array();
}

void write_word_frequencies(std::ostream& out, const word_frequencies& w, format f) {
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_object().field("by", w.by).key("columns").begin_array();
    for (const auto& c : w.columns) j.value(c);
    j.end_array().key("rows").begin_array();
    for (const auto& r : w.rows) {
      j.begin_object().field("word", r.word).field("total", r.total).key("counts").begin_array();
      for (const auto n : r.counts) j.value(n);
      j.end_array().end_object();
    }
    j.end_array().end_object();
    return;
  }
  if (f != format::table)
    throw input_error(fmt::format("word frequencies cannot be written as {}", to_string(f)));
  std::vector<std::string> header{"word", w.by.empty() ? "count" : "total"};
  header.insert(header.end(), w.columns.begin(), w.columns.end());
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : w.rows) {
    std::vector<std::string> row{r.word, std::to_string(r.total)};
    for (const auto n : r.counts) row.push_back(std::to_string(n));
    rows.push_back(std::move(row));
  }
  std::vector<bool> right(header.size(), true);
  right[0] = false;
  write_table(out, header, rows, right);
}

namespace {

std::string role_kind(const speaker_role& r) {
  const char* kind = r.case_id ? "case" : r.interviewer ? "interviewer" : "unmapped";
  return r.declared ? fmt::format("{} (mapped)", kind) : kind;
}

void check_list_format(format f, std::string_view what) {
  if (f != format::table && f != format::csv && f != format::json)
    throw input_error(
        fmt::format("{} cannot be written as {} (use table, csv or json)", what, to_string(f)));
}

std::string places_text(const case_listing& c) {
  std::string out;
  for (const auto& p : c.places)
    out += fmt::format("{}{} ({}{})", out.empty() ? "" : ", ", p.doc,
                       p.interview ? "interview, " : "", plural(p.turns, "turn", "turns"));
  return out;
}

}  // namespace

void write_speaker_list(std::ostream& out, const std::vector<speaker_listing>& speakers, format f) {
  check_list_format(f, "a speaker list");
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_array();
    for (const auto& s : speakers) {
      j.begin_object().field("doc", s.doc).field("speaker", s.role.label);
      j.field("role", s.role.case_id ? "case" : s.role.interviewer ? "interviewer" : "unmapped");
      j.field("declared", s.role.declared).field("case", s.role.case_id);
      j.field("group", s.group.empty() ? std::optional<std::string>() : s.group);
      j.field("turns", s.turns)
          .field("characters", s.characters)
          .field("codings", s.codings)
          .end_object();
    }
    j.end_array();
    return;
  }
  const std::vector<std::string> header = {"doc",   "speaker", "role",       "case",
                                           "group", "turns",   "characters", "codings"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : speakers)
    rows.push_back({s.doc, s.role.label, role_kind(s.role), s.role.case_id.value_or(""), s.group,
                    std::to_string(s.turns), std::to_string(s.characters),
                    std::to_string(s.codings)});
  if (f == format::csv) {
    write_csv_row(out, header);
    for (const auto& r : rows) write_csv_row(out, r);
    return;
  }
  write_table(out, header, rows, {false, false, false, false, false, true, true, true});
}

void write_case_list(std::ostream& out, const std::vector<case_listing>& cases, format f) {
  check_list_format(f, "a case list");
  if (f == format::json) {
    detail::json_writer j(out);
    j.begin_array();
    for (const auto& c : cases) {
      j.begin_object().field("id", c.record.id).field("label", c.record.label);
      j.key("attributes").begin_object();
      for (const auto& [name, value] : c.record.attributes) j.field(name, value);
      j.end_object();
      j.key("documents").begin_array();
      for (const auto& p : c.places)
        j.begin_object()
            .field("doc", p.doc)
            .field("interview", p.interview)
            .field("turns", p.turns)
            .end_object();
      j.end_array().end_object();
    }
    j.end_array();
    return;
  }
  std::set<std::string> names;
  for (const auto& c : cases)
    for (const auto& [name, value] : c.record.attributes) names.insert(name);
  std::vector<std::string> header = {"case", "label"};
  header.insert(header.end(), names.begin(), names.end());
  header.push_back("documents");
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : cases) {
    std::vector<std::string> row = {c.record.id, c.record.label};
    for (const auto& n : names) {
      const auto it = c.record.attributes.find(n);
      row.push_back(it == c.record.attributes.end() ? "" : it->second);
    }
    row.push_back(f == format::table && c.places.empty() ? "(speaks nowhere)" : places_text(c));
    rows.push_back(std::move(row));
  }
  if (f == format::csv) {
    write_csv_row(out, header);
    for (const auto& r : rows) write_csv_row(out, r);
    return;
  }
  write_table(out, header, rows, std::vector<bool>(header.size(), false));
}

void write_summaries_csv(std::ostream& out, const study& s, const std::string& theme) {
  std::vector<std::string> themes;
  if (!theme.empty())
    themes.push_back(theme);
  else
    for (const auto& id : chartable_codes(s.fw))
      if (s.fw.codes[*s.fw.find(id)].depth == 0) themes.push_back(id);
  write_csv_row(out, {"group", "case", "code", "label", "summary", "draft", "base", "passages"});
  for (const auto& t : themes) {
    chart_options options;
    options.theme = t;
    options.quotes = static_cast<std::size_t>(-1);
    options.quote_length = 400;
    const auto c = compute_chart(s, options);
    for (const auto& g : c.groups)
      for (const auto& row : g.rows)
        for (std::size_t col = 0; col < c.columns.size(); ++col)
          for (const auto& e : row.cells[col].entries) {
            std::string passages;
            for (const auto& p : e.passages)
              passages +=
                  fmt::format("{}[{}] {}", passages.empty() ? "" : "\n", p.reference, p.quote);
            write_csv_row(out, {g.label, e.case_id, c.columns[col].code, c.columns[col].label,
                                e.summary, e.draft ? "yes" : "",
                                e.summary.empty() ? "" : content_hash(e.summary), passages});
          }
  }
}

}  // namespace coding
