// The cases (respondents) and their attributes; cases CSV rows applied in one change.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "coding/project.hpp"
#include "project_impl.hpp"

namespace coding {

std::vector<case_record> case_store::list() const {
  std::vector<case_record> out;
  std::unordered_map<std::string, std::size_t> at;
  auto s = impl_->db.prepare("SELECT id, label, memo FROM cases ORDER BY id");
  while (s.step()) {
    at[s.text(0)] = out.size();
    out.push_back({s.text(0), s.text(1), {}, s.text(2)});
  }
  auto a = impl_->db.prepare("SELECT case_id, name, value FROM case_attributes");
  while (a.step()) out[at.at(a.text(0))].attributes[a.text(1)] = a.text(2);
  return out;
}

std::optional<case_record> case_store::find(std::string_view case_id) const {
  auto s = impl_->db.prepare("SELECT id, label, memo FROM cases WHERE id = ?");
  s.bind(1, case_id);
  if (!s.step()) return std::nullopt;
  case_record r{s.text(0), s.text(1), {}, s.text(2)};
  auto a = impl_->db.prepare("SELECT name, value FROM case_attributes WHERE case_id = ?");
  a.bind(1, case_id);
  while (a.step()) r.attributes[a.text(0)] = a.text(1);
  return r;
}

void case_store::set_memo(const std::string& case_id, const std::string& text) {
  recorded_change tx(*impl_);
  auto& known = impl_->cached("SELECT count(*) FROM cases WHERE id = ?");
  known.bind(1, case_id);
  known.step();
  const bool exists = known.integer(0) > 0;
  known.reset();
  if (!exists)
    throw input_error(unknown_message("case", case_id, "",
                                      impl_->column_strings("SELECT id FROM cases ORDER BY id")));
  impl_->cached("UPDATE cases SET memo = ?1 WHERE id = ?2 AND memo IS NOT ?1")
      .bind(1, text)
      .bind(2, case_id)
      .run();
  tx.commit();
}

std::vector<std::string> case_store::attribute_names() const {
  return impl_->column_strings("SELECT DISTINCT name FROM case_attributes ORDER BY name");
}

cases_import_result case_store::apply(const std::vector<case_row>& rows) {
  recorded_change tx(*impl_);
  auto known = impl_->column_strings("SELECT id FROM cases ORDER BY id");
  std::set<std::string> known_set(known.begin(), known.end());
  cases_import_result result;
  result.rows = rows.size();
  for (const auto& row : rows) {
    const auto cell = [&](std::size_t column) {
      return fmt::format("{}:{}, column {}", row.where.file, row.where.line, column);
    };
    if (!row.doc.empty()) {
      const auto r = row.speaker.empty()
                         ? remap(*impl_, row.doc, cell(row.doc_column), cell(1), {}, row.id)
                         : remap(*impl_, row.doc, cell(row.doc_column), cell(row.speaker_column),
                                 {{row.doc, row.speaker, row.id}}, std::nullopt);
      ++(row.speaker.empty() ? result.documents : result.speakers);
      for (const auto& c : r.new_cases) {
        result.new_cases.push_back(c);
        known_set.insert(c);  // later rows may set its attributes
        known.push_back(c);
      }
    } else if (!known_set.count(row.id)) {
      auto message = unknown_message(
          "case", row.id, fmt::format("in {}:{}, column 1", row.where.file, row.where.line), known);
      throw input_error(
          message + (closest_match(row.id, known).empty()
                         ? "; cases come from imported transcripts (front matter, --case, "
                           "--speakers) or from "
                           "rows with a 'doc' column: import its transcript or map a speaker first"
                         : ""));
    }
    for (std::size_t i = 0; i < row.attributes.size(); ++i) {
      const auto& [name, value] = row.attributes[i];
      if (value.empty()) continue;
      impl_->check_group_value(
          name, value, fmt::format("in {}:{}, column {}", row.where.file, row.where.line, i + 2));
      if (name == "label")
        impl_->cached("UPDATE cases SET label = ? WHERE id = ?")
            .bind(1, value)
            .bind(2, row.id)
            .run();
      else
        impl_->set_attribute(row.id, name, value);
    }
  }
  tx.commit();
  return result;
}

}  // namespace coding
