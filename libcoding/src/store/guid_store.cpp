// The REFI-QDA GUIDs of a project's entities (guid_store): those read from other
// programs' files are stored; the others are derived from the project's uuid.

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "project_impl.hpp"
#include "strings.hpp"

namespace coding {
namespace {

constexpr std::array<std::pair<guid_kind, std::string_view>, 12> kGuidKinds = {{
    {guid_kind::project, "project"},
    {guid_kind::user, "user"},
    {guid_kind::code, "code"},
    {guid_kind::case_, "case"},
    {guid_kind::variable, "variable"},
    {guid_kind::source, "source"},
    {guid_kind::coding, "coding"},
    {guid_kind::selection, "selection"},
    {guid_kind::memo, "memo"},
    {guid_kind::summary, "summary"},
    {guid_kind::link, "link"},
    {guid_kind::note, "note"},
}};

std::optional<guid_kind> parse_guid_kind(std::string_view name) {
  for (const auto& [kind, text] : kGuidKinds)
    if (text == name) return kind;
  return std::nullopt;
}

// "a1b2...": the 32 hex digits of a uuid, dashes and braces removed, lower case.
std::string guid_text(std::string_view hex32) {
  const std::string h = detail::ascii_lower(hex32);
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4),
                     h.substr(16, 4), h.substr(20, 12));
}

}  // namespace

std::string_view to_string(guid_kind kind) {
  for (const auto& [k, text] : kGuidKinds)
    if (k == kind) return text;
  return "unknown";
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

std::string guid_store::get(guid_kind kind, std::string_view key) const {
  auto& q = impl_->cached("SELECT guid FROM guids WHERE kind = ? AND key = ?")
                .bind(1, to_string(kind))
                .bind(2, key);
  if (q.step()) {
    auto g = q.text(0);
    q.reset();
    return g;
  }
  return derived_guid(impl_->meta("uuid").value_or(impl_->path), to_string(kind), key);
}

guid_book guid_store::book() const {
  guid_book book;
  book.seed_ = impl_->meta("uuid").value_or(impl_->path);
  for (const auto& [at, guid] : stored())
    book.stored_[fmt::format("{}\x1f{}", to_string(at.kind), at.key)] = guid;
  return book;
}

std::string guid_book::operator()(guid_kind kind, std::string_view key) const {
  const auto name = to_string(kind);
  std::string at;
  at.reserve(name.size() + key.size() + 1);
  at.append(name).append(1, '\x1f').append(key);
  if (const auto it = stored_.find(at); it != stored_.end()) return it->second;
  return derived_guid(seed_, name, key);
}

std::map<guid_key, std::string> guid_store::stored() const {
  std::map<guid_key, std::string> out;
  auto& q = impl_->cached("SELECT kind, key, guid FROM guids");
  // Only qcode writes this table, with the kinds of guid_kind.
  while (q.step())
    if (const auto kind = parse_guid_kind(q.text(0))) out[{*kind, q.text(1)}] = q.text(2);
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

void guid_store::set(guid_kind kind, const std::string& key, const std::string& guid) {
  set_all({{kind, key, guid}});
}

void guid_store::set_all(const std::vector<guid_entry>& entries) {
  recorded_change tx(*impl_);
  // OR IGNORE rather than OR REPLACE: a statement that can abort halfway (as REPLACE can,
  // with the history triggers) makes SQLite journal every page it touches, which for the
  // hundreds of thousands of GUIDs of a large import costs more than the inserts.
  for (const auto& [kind, key, guid] : entries) {
    const auto value = stored_form(guid);
    const auto name = to_string(kind);
    impl_->cached("INSERT OR IGNORE INTO guids (kind, key, guid) VALUES (?, ?, ?)")
        .bind(1, name)
        .bind(2, key)
        .bind(3, value)
        .run();
    if (impl_->db.changes() == 0)
      impl_->cached("UPDATE OR IGNORE guids SET guid = ? WHERE kind = ? AND key = ?")
          .bind(1, value)
          .bind(2, name)
          .bind(3, key)
          .run();
  }
  tx.commit();
}

}  // namespace coding
