#include "passages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace qcode {

coding::study load_texts(const coding::project& p) {
  return coding::study{p.get_framework().value_or(coding::framework{}), p.load_documents(true),
                       p.cases(), p.codings(false)};
}

std::vector<std::pair<std::string, std::string>> parse_where(
    const std::vector<std::string>& values) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& v : values) {
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0)
      throw coding::input_error(fmt::format("malformed --where '{}': expected ATTRIBUTE=VALUE", v));
    out.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  }
  return out;
}

void code_passages(coding::project& p, const std::vector<coding::document>& docs,
                   const std::vector<std::pair<std::string, coding::span>>& passages,
                   const std::string& code, const std::string& coder, const std::string& memo,
                   bool dry_run, io io) {
  const auto fw = p.get_framework();
  if (!fw || !fw->find(code))
    throw coding::input_error(
        coding::unknown_message("code", code, "", fw ? fw->ids() : std::vector<std::string>{}));
  // Keep document order, then text order, without repeats (two hits in one sentence).
  std::vector<std::pair<std::size_t, coding::span>> order;
  for (const auto& [doc, s] : passages) {
    const auto it =
        std::find_if(docs.begin(), docs.end(), [&](const auto& d) { return d.id == doc; });
    order.emplace_back(static_cast<std::size_t>(it - docs.begin()), s);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.start, a.second.end) <
           std::tie(b.first, b.second.start, b.second.end);
  });
  order.erase(std::unique(order.begin(), order.end()), order.end());

  std::vector<coding::new_coding> codings;
  std::vector<std::vector<std::string>> rows;
  for (const auto& [i, s] : order) {
    const auto& d = docs[i];
    coding::new_coding c;
    c.doc = d.id;
    c.start = s.start;
    c.end = s.end;
    c.code = code;
    c.coder = coder;
    c.memo = memo;
    codings.push_back(std::move(c));
    const coding::text_index index(d.text);
    std::string text(index.slice(s.start, s.end));
    std::replace(text.begin(), text.end(), '\n', ' ');
    rows.push_back({d.id, fmt::format("{}:{}", s.start, s.end), coding::reference(d, s), text});
  }
  if (codings.empty()) {
    io.err << "nothing to code: no passage was selected\n";
    return;
  }
  coding::write_table(io.out, {"doc", "span", "where", "text"}, rows, {}, 60);
  if (dry_run) {
    io.err << fmt::format("would code {} passage{} as {} by {} (dry run: nothing was changed)\n",
                          codings.size(), codings.size() == 1 ? "" : "s", code, coder);
    return;
  }
  const auto result = p.add_codings(codings);
  io.err << fmt::format("coded {} passage{} as {} by {}", result.added,
                        result.added == 1 ? "" : "s", code, coder);
  if (result.duplicates) io.err << fmt::format(" ({} already coded)", result.duplicates);
  io.err << '\n';
}

}  // namespace qcode
