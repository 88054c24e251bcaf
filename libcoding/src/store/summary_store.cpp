// Chart summaries (summary_store) and change groups.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "project_impl.hpp"

namespace coding {

namespace {

std::string author_of(const detail::project_state& p) {
  return p.coder.empty() ? default_coder() : p.coder;
}

}  // namespace

std::vector<summary> summary_store::list() const {
  std::vector<summary> out;
  auto& q = impl_->cached(
      "SELECT s.case_id, s.code_id, s.text, s.draft, s.author, s.updated FROM summaries s "
      "JOIN codes c ON c.id = s.code_id ORDER BY s.case_id, c.ord");
  while (q.step())
    out.push_back({q.text(0), q.text(1), q.text(2), q.integer(3) != 0, q.text(4), q.text(5)});
  q.reset();
  return out;
}

namespace {

// Throws input_error when the case or code does not exist; `where` says where it was named.
void check_cell(detail::project_state& p, const std::string& case_id, const std::string& code,
                const std::string& where) {
  if (!p.cached("SELECT 1 FROM cases WHERE id = ?").bind(1, case_id).step())
    throw input_error(unknown_message("case", case_id, where,
                                      p.column_strings("SELECT id FROM cases ORDER BY id")));
  if (!p.cached("SELECT 1 FROM codes WHERE id = ?").bind(1, code).step())
    throw input_error(unknown_message("code", code, where,
                                      p.column_strings("SELECT id FROM codes ORDER BY ord")));
}

std::optional<std::string> current_summary(detail::project_state& p, const std::string& case_id,
                                           const std::string& code) {
  auto& q = p.cached("SELECT text FROM summaries WHERE case_id = ? AND code_id = ?")
                .bind(1, case_id)
                .bind(2, code);
  if (!q.step()) return std::nullopt;
  auto text = q.text(0);
  q.reset();
  return text;
}

void store_summary(detail::project_state& p, const std::string& case_id, const std::string& code,
                   const std::string& text, bool draft, const std::string& author = {},
                   const std::string& updated = {}) {
  if (text.empty()) {
    p.cached("DELETE FROM summaries WHERE case_id = ? AND code_id = ?")
        .bind(1, case_id)
        .bind(2, code)
        .run();
    return;
  }
  p.cached(
       "INSERT INTO summaries (case_id, code_id, text, draft, author, updated) VALUES (?, ?, ?, ?, "
       "?, ?) "
       "ON CONFLICT (case_id, code_id) DO UPDATE SET text = excluded.text, draft = excluded.draft, "
       "author = excluded.author, updated = excluded.updated")
      .bind(1, case_id)
      .bind(2, code)
      .bind(3, text)
      .bind(4, static_cast<std::int64_t>(draft ? 1 : 0))
      .bind(5, author.empty() ? author_of(p) : author)
      .bind(6, updated.empty() ? now_utc() : updated)
      .run();
}

}  // namespace

void summary_store::set(const std::string& case_id, const std::string& code,
                        const std::string& text, bool draft) {
  recorded_change tx(*impl_);
  check_cell(*impl_, case_id, code, "");
  store_summary(*impl_, case_id, code, text, draft);
  tx.commit();
}

void summary_store::set(const summary& s) {
  recorded_change tx(*impl_);
  check_cell(*impl_, s.case_id, s.code, "");
  store_summary(*impl_, s.case_id, s.code, s.text, s.draft, s.author, s.updated);
  tx.commit();
}

std::size_t summary_store::fill_drafts(const std::vector<summary>& cells) {
  recorded_change tx(*impl_);
  std::size_t filled = 0;
  for (const auto& c : cells) {
    check_cell(*impl_, c.case_id, c.code, "");
    if (c.text.empty() || !current_summary(*impl_, c.case_id, c.code).value_or("").empty())
      continue;
    store_summary(*impl_, c.case_id, c.code, c.text, true);
    ++filled;
  }
  tx.commit();
  return filled;
}

summary_import_result summary_store::apply(const std::vector<summary_edit>& rows) {
  recorded_change tx(*impl_);
  summary_import_result result;
  for (const auto& row : rows) {
    check_cell(*impl_, row.case_id, row.code, "in " + row.where.str());
    const auto now = current_summary(*impl_, row.case_id, row.code);
    const auto& ours = now.value_or("");
    if (ours == row.text) {
      ++result.unchanged;
      continue;
    }
    const auto base = ours.empty() ? std::string() : content_hash(ours);
    if (base != row.base) {
      result.conflicts.push_back({row.case_id, row.code, ours, row.text, row.where});
      continue;
    }
    // Edited in the spreadsheet: the researcher's own summary now, not a draft.
    store_summary(*impl_, row.case_id, row.code, row.text, false);
    ++result.updated;
  }
  tx.commit();
  return result;
}

struct change_group::state {
  explicit state(detail::project_state& p) : change(p) {}
  recorded_change change;
};

change_group::change_group(project& p) {
  if (p.impl_->open_changes > 0) throw error("change groups do not nest");
  state_ = std::make_unique<state>(*p.impl_);
}

change_group::~change_group() = default;

void change_group::commit() {
  state_->change.commit();
}

}  // namespace coding
