#include "coding/chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "attribution.hpp"
#include "chart_plan.hpp"
#include "coding/error.hpp"
#include "coding/project.hpp"
#include "coding/quotes.hpp"
#include "coding/text.hpp"

namespace coding {
namespace {

// True when `coders` ("anna, ben") names `coder`.
bool names_coder(std::string_view coders, std::string_view coder) {
  for (std::size_t from = 0;;) {
    const auto comma = coders.find(", ", from);
    if (coders.substr(
            from, comma == std::string_view::npos ? std::string_view::npos : comma - from) == coder)
      return true;
    if (comma == std::string_view::npos) return false;
    from = comma + 2;
  }
}

}  // namespace

std::vector<std::string> chartable_codes(const framework& fw) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 1 < fw.codes.size(); ++i)
    if (fw.codes[i + 1].parent == static_cast<int>(i)) out.push_back(fw.codes[i].id);
  return out;
}

namespace detail {

chart_plan plan_chart(const study& s, const chart_options& options) {
  const auto& fw = s.fw;
  chart_plan plan;
  const auto parents = chartable_codes(fw);
  const auto theme = fw.find(options.theme);
  if (!theme)
    throw input_error(unknown_message("theme", options.theme, "", parents) +
                      " (chart a theme or a code with sub-codes)");
  const auto& t = fw.codes[*theme];
  plan.shape.theme = t.id;
  plan.shape.theme_label = t.label;
  plan.shape.group_rows = options.group_rows;
  plan.column_of_code.assign(fw.codes.size(), -1);
  for (std::size_t i = 0; i < fw.codes.size(); ++i) {
    if (fw.codes[i].parent != static_cast<int>(*theme)) continue;
    const auto column = static_cast<int>(plan.shape.columns.size());
    plan.shape.columns.push_back({fw.codes[i].id, fw.codes[i].label, fw.codes[i].description});
    for (std::size_t j = i; j < fw.codes.size() && fw.contains(i, j); ++j)
      plan.column_of_code[j] = column;
  }
  if (plan.shape.columns.empty())
    throw input_error(fmt::format("code '{}' has no sub-codes to chart; chart one of: {}", t.id,
                                  fmt::join(parents, ", ")));
  for (const auto& a : options.attrs) detail::check_attribute(s, a);
  plan.shape.attributes = options.attrs;
  detail::check_coder(s, options.coder);

  const auto passing = detail::cases_passing(s, options.where);
  const auto groups = detail::make_columns(s, fw.group_attribute, passing);
  plan.in_chart = passing;
  plan.group_cases.resize(groups.list.size());
  std::vector<std::size_t> no_group;
  for (std::size_t k = 0; k < s.cases.size(); ++k) {
    if (!passing[k]) continue;
    if (groups.of_case[k] >= 0)
      plan.group_cases[static_cast<std::size_t>(groups.of_case[k])].push_back(k);
    else
      no_group.push_back(k);
  }
  for (const auto& g : groups.list) plan.shape.groups.push_back({g.id, g.label, g.n, {}});
  if (!no_group.empty()) {
    plan.shape.groups.push_back({"", "No group", no_group.size(), {}});
    plan.group_cases.push_back(no_group);
  }
  return plan;
}

}  // namespace detail

chart compute_chart(const study& s, const chart_options& options) {
  auto plan = detail::plan_chart(s, options);
  auto& out = plan.shape;
  const auto ncol = out.columns.size();
  // Per case and column: the case's entry.
  std::vector<std::vector<chart_entry>> entries(s.cases.size());
  for (std::size_t k = 0; k < s.cases.size(); ++k)
    if (plan.in_chart[k]) {
      entries[k].resize(ncol);
      for (auto& e : entries[k]) e.case_id = s.cases[k].id;
    }
  std::unordered_map<std::string, std::size_t> case_index;
  for (std::size_t k = 0; k < s.cases.size(); ++k) case_index[s.cases[k].id] = k;
  std::unordered_map<std::string, std::size_t> column_index;
  for (std::size_t c = 0; c < ncol; ++c) column_index[out.columns[c].code] = c;
  for (const auto& sum : s.summaries) {
    const auto k = case_index.find(sum.case_id);
    const auto c = column_index.find(sum.code);
    if (k == case_index.end() || c == column_index.end() || !plan.in_chart[k->second]) continue;
    entries[k->second][c->second].summary = sum.text;
    entries[k->second][c->second].draft = sum.draft;
  }

  const detail::attribution speakers(s);
  detail::text_indexes texts(s);
  std::set<std::string> coders;
  detail::for_each_cell_coding(
      s, plan, speakers, options.coder,
      [&](std::size_t d, std::size_t, const coding_record& c, std::size_t column, std::size_t k) {
        coders.insert(c.coder);
        auto& passages = entries[k][column].passages;
        // Codings that overlap (the same passage coded by two coders, or with two codes of
        // the column) are one passage of the cell, with each coder named once. Codings come
        // in document order and by start, so only the last passage can overlap.
        if (!passages.empty() && passages.back().doc == s.documents[d].id &&
            (c.start < passages.back().where.end || c.start == passages.back().where.start)) {
          auto& last = passages.back();
          last.where.end = std::max(last.where.end, c.end);
          if (!names_coder(last.coder, c.coder)) last.coder += ", " + c.coder;
          return;
        }
        passages.push_back({s.documents[d].id, span{c.start, c.end}, {}, c.coder, {}});
      });
  out.coders.assign(coders.begin(), coders.end());
  // References and quotes of the merged passages.
  for (auto& per_case : entries)
    for (auto& e : per_case)
      for (std::size_t n = 0; n < e.passages.size(); ++n) {
        auto& p = e.passages[n];
        const auto d = *speakers.doc_index(p.doc);
        const auto& index = texts.of(d);
        p.reference = reference(s.documents[d], p.where, index);
        if (n < options.quotes)
          p.quote = cut_quote(index.slice(std::min(p.where.start, index.size()),
                                          std::min(p.where.end, index.size())),
                              options.quote_length);
      }

  const auto has_content = [](const chart_entry& e) {
    return !e.summary.empty() || !e.passages.empty();
  };
  for (std::size_t g = 0; g < out.groups.size(); ++g) {
    auto members = plan.group_cases[g];
    std::sort(members.begin(), members.end(),
              [&](auto a, auto b) { return s.cases[a].id < s.cases[b].id; });
    auto& group = out.groups[g];
    if (options.group_rows) {
      chart_row row{group.id, group.label, {}, std::vector<chart_cell>(ncol)};
      for (const auto k : members)
        for (std::size_t c = 0; c < ncol; ++c)
          if (has_content(entries[k][c])) row.cells[c].entries.push_back(std::move(entries[k][c]));
      group.rows.push_back(std::move(row));
      continue;
    }
    for (const auto k : members) {
      const auto& kase = s.cases[k];
      chart_row row{kase.id, kase.label, {}, std::vector<chart_cell>(ncol)};
      for (const auto& a : out.attributes) {
        const auto it = kase.attributes.find(a);
        row.attributes.push_back(it == kase.attributes.end() ? std::string() : it->second);
      }
      for (std::size_t c = 0; c < ncol; ++c)
        if (has_content(entries[k][c])) row.cells[c].entries.push_back(std::move(entries[k][c]));
      group.rows.push_back(std::move(row));
    }
  }
  // A group with no case in the chart (none yet, or none passing --where) has no rows.
  std::erase_if(out.groups, [](const chart_group& g) { return g.n == 0; });
  return out;
}

std::vector<summary> draft_summaries(const study& s, const std::string& theme,
                                     std::size_t quote_length) {
  chart_options options;
  options.theme = theme;
  options.quotes = static_cast<std::size_t>(-1);
  options.quote_length = quote_length;
  const auto c = compute_chart(s, options);
  std::vector<summary> out;
  for (const auto& g : c.groups)
    for (const auto& row : g.rows)
      for (std::size_t col = 0; col < c.columns.size(); ++col)
        for (const auto& e : row.cells[col].entries) {
          if (e.passages.empty()) continue;
          std::string text;
          for (const auto& p : e.passages)
            text += fmt::format("{}[{}] {}", text.empty() ? "" : "\n", p.reference, p.quote);
          out.push_back({e.case_id, c.columns[col].code, text, true, "", ""});
        }
  return out;
}

}  // namespace coding
