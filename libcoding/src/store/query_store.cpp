// Saved queries (query_store): a name for an expression, kept in the project.

#include <optional>
#include <string>

#include "project_impl.hpp"

namespace coding {

namespace {

void check_name(const std::string& name) {
  if (!valid_query_name(name))
    throw input_error(fmt::format(
        "bad query name '{}': use a letter followed by letters, digits, '_', '-' or '.' "
        "(at most 100), such as barriers-near-choice",
        name));
}

std::vector<std::string> names(detail::project_state& p) {
  return p.column_strings("SELECT name FROM queries ORDER BY name");
}

}  // namespace

std::vector<saved_query> query_store::list() const {
  std::vector<saved_query> out;
  auto& q = impl_->cached("SELECT name, expression, author, updated FROM queries ORDER BY name");
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3)});
  q.reset();
  return out;
}

std::optional<saved_query> query_store::find(const std::string& name) const {
  auto& q = impl_->cached("SELECT name, expression, author, updated FROM queries WHERE name = ?")
                .bind(1, name);
  if (!q.step()) return std::nullopt;
  saved_query out{q.text(0), q.text(1), q.text(2), q.text(3)};
  q.reset();
  return out;
}

saved_query query_store::get(const std::string& name) const {
  if (auto q = find(name)) return *q;
  const auto saved = names(*impl_);
  if (saved.empty())
    throw input_error(fmt::format(
        "unknown saved query '{}': the project has none; save one with 'qcode query save {} "
        "EXPR'",
        name, name));
  throw input_error(
      unknown_message("saved query", name, "", saved) +
      fmt::format(" (saved: {}; 'qcode query list' shows them)", fmt::join(saved, ", ")));
}

bool query_store::save(const std::string& name, const std::string& expression) {
  return save(saved_query{name, expression, {}, {}});
}

bool query_store::save(const saved_query& q) {
  check_name(q.name);
  if (q.expression.find_first_not_of(" \t\r\n") == std::string::npos)
    throw input_error(fmt::format("saved query '{}' needs an expression", q.name));
  recorded_change tx(*impl_);
  const bool replaced = find(q.name).has_value();
  impl_
      ->cached(
          "INSERT INTO queries (name, expression, author, updated) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (name) DO UPDATE SET expression = excluded.expression, "
          "author = excluded.author, updated = excluded.updated "
          "WHERE expression IS NOT excluded.expression")
      .bind(1, q.name)
      .bind(2, q.expression)
      .bind(3,
            q.author.empty() ? (impl_->coder.empty() ? default_coder() : impl_->coder) : q.author)
      .bind(4, q.updated.empty() ? now_utc() : q.updated)
      .run();
  tx.commit();
  return replaced;
}

void query_store::remove(const std::string& name) {
  recorded_change tx(*impl_);
  (void)get(name);
  impl_->cached("DELETE FROM queries WHERE name = ?").bind(1, name).run();
  tx.commit();
}

}  // namespace coding
