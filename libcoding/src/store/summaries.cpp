// Chart summaries, stored GUIDs and change groups: the parts of a project that issue 5
// (Framework charts) and issue 6 (REFI-QDA) added to the store.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "project_impl.hpp"

namespace coding {

namespace {

std::string author_of(const project::impl& p) {
  return p.coder.empty() ? default_coder() : p.coder;
}

// "a1b2...": the 32 hex digits of a uuid, dashes and braces removed, lower case.
std::string guid_text(std::string_view hex32) {
  std::string h(hex32);
  std::transform(h.begin(), h.end(), h.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                     h.substr(16, 4), h.substr(20, 12));
}

}  // namespace

std::vector<summary> project::summaries() const {
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
void check_cell(project::impl& p, const std::string& case_id, const std::string& code,
                const std::string& where) {
  if (!p.cached("SELECT 1 FROM cases WHERE id = ?").bind(1, case_id).step())
    throw input_error(unknown_message("case", case_id, where,
                                      p.column_strings("SELECT id FROM cases ORDER BY id")));
  if (!p.cached("SELECT 1 FROM codes WHERE id = ?").bind(1, code).step())
    throw input_error(unknown_message("code", code, where,
                                      p.column_strings("SELECT id FROM codes ORDER BY ord")));
}

std::optional<std::string> current_summary(project::impl& p, const std::string& case_id,
                                           const std::string& code) {
  auto& q = p.cached("SELECT text FROM summaries WHERE case_id = ? AND code_id = ?")
                .bind(1, case_id)
                .bind(2, code);
  if (!q.step()) return std::nullopt;
  auto text = q.text(0);
  q.reset();
  return text;
}

void store_summary(project::impl& p, const std::string& case_id, const std::string& code,
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

void project::set_summary(const std::string& case_id, const std::string& code,
                          const std::string& text, bool draft) {
  recorded_change tx(*impl_);
  check_cell(*impl_, case_id, code, "");
  store_summary(*impl_, case_id, code, text, draft);
  tx.commit();
}

void project::set_summary(const summary& s) {
  recorded_change tx(*impl_);
  check_cell(*impl_, s.case_id, s.code, "");
  store_summary(*impl_, s.case_id, s.code, s.text, s.draft, s.author, s.updated);
  tx.commit();
}

std::size_t project::fill_drafts(const std::vector<summary>& cells) {
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

summary_import_result project::import_summaries(const std::vector<summary_edit>& rows) {
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

namespace {

// A name-based UUID (RFC 9562 version 8): two 64-bit digests of the project's uuid, the
// kind and the key, with the version and variant bits set.
std::string derived_guid(std::string_view project_uuid, std::string_view kind,
                         std::string_view key) {
  const auto seed = fmt::format("{}\x1f{}\x1f{}", project_uuid, kind, key);
  auto hex = content_hash("1" + seed) + content_hash("2" + seed);
  hex[12] = '8';
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return guid_text(hex);
}

}  // namespace

std::string project::guid(std::string_view kind, std::string_view key) const {
  auto& q =
      impl_->cached("SELECT guid FROM guids WHERE kind = ? AND key = ?").bind(1, kind).bind(2, key);
  if (q.step()) {
    auto g = q.text(0);
    q.reset();
    return g;
  }
  return derived_guid(impl_->meta("uuid").value_or(impl_->path), kind, key);
}

guid_book project::guids() const {
  guid_book book;
  book.seed_ = impl_->meta("uuid").value_or(impl_->path);
  for (const auto& [at, guid] : stored_guids()) book.stored_[at.first + '\x1f' + at.second] = guid;
  return book;
}

std::string guid_book::operator()(std::string_view kind, std::string_view key) const {
  std::string at;
  at.reserve(kind.size() + key.size() + 1);
  at.append(kind).append(1, '\x1f').append(key);
  if (const auto it = stored_.find(at); it != stored_.end()) return it->second;
  return derived_guid(seed_, kind, key);
}

std::map<std::pair<std::string, std::string>, std::string> project::stored_guids() const {
  std::map<std::pair<std::string, std::string>, std::string> out;
  auto& q = impl_->cached("SELECT kind, key, guid FROM guids");
  while (q.step()) out[{q.text(0), q.text(1)}] = q.text(2);
  q.reset();
  return out;
}

namespace {

// `guid` as stored: lower-case 8-4-4-4-12 hex. Throws input_error when it is not a GUID.
std::string stored_form(const std::string& guid) {
  std::string hex;
  for (const char c : guid)
    if (std::isxdigit(static_cast<unsigned char>(c)))
      hex += c;
    else if (c != '-' && c != '{' && c != '}')
      throw input_error(fmt::format("'{}' is not a GUID (expected 32 hex digits)", guid));
  if (hex.size() != 32)
    throw input_error(fmt::format("'{}' is not a GUID (expected 32 hex digits)", guid));
  return guid_text(hex);
}

}  // namespace

void project::set_guid(const std::string& kind, const std::string& key, const std::string& guid) {
  set_guids({{kind, key, guid}});
}

void project::set_guids(const std::vector<std::array<std::string, 3>>& kind_key_guid) {
  recorded_change tx(*impl_);
  // OR IGNORE rather than OR REPLACE: a statement that can abort halfway (as REPLACE can,
  // with the history triggers) makes SQLite journal every page it touches, which for the
  // hundreds of thousands of GUIDs of a large import costs more than the inserts.
  for (const auto& [kind, key, guid] : kind_key_guid) {
    const auto value = stored_form(guid);
    impl_->cached("INSERT OR IGNORE INTO guids (kind, key, guid) VALUES (?, ?, ?)")
        .bind(1, kind)
        .bind(2, key)
        .bind(3, value)
        .run();
    if (impl_->db.changes() == 0)
      impl_->cached("UPDATE OR IGNORE guids SET guid = ? WHERE kind = ? AND key = ?")
          .bind(1, value)
          .bind(2, kind)
          .bind(3, key)
          .run();
  }
  tx.commit();
}

struct change_group::state {
  explicit state(project::impl& p) : change(p) {}
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
