#include "coding/analysis.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "coding/error.hpp"
#include "coding/project.hpp"

namespace coding {
namespace {

struct interval {
  std::size_t start, end;
};

// Sorts and merges overlapping or touching intervals in place.
void merge(std::vector<interval>& v) {
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.start < b.start; });
  std::size_t out = 0;
  for (const auto& x : v) {
    if (x.start >= x.end) continue;
    if (out > 0 && x.start <= v[out - 1].end) {
      v[out - 1].end = std::max(v[out - 1].end, x.end);
    } else {
      v[out++] = x;
    }
  }
  v.resize(out);
}

// Length of the intersection of two merged interval lists.
std::size_t overlap(const std::vector<interval>& a, const std::vector<interval>& b) {
  std::size_t total = 0, i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const auto lo = std::max(a[i].start, b[j].start);
    const auto hi = std::min(a[i].end, b[j].end);
    if (lo < hi) total += hi - lo;
    (a[i].end < b[j].end ? i : j)++;
  }
  return total;
}

template <class T>
T parse_enum(std::string_view name, std::string_view what,
             const std::vector<std::pair<std::string, T>>& values) {
  std::vector<std::string> names;
  for (const auto& [n, v] : values) {
    if (n == name) return v;
    names.push_back(n);
  }
  throw input_error(unknown_message(what, name, "", names) +
                    fmt::format(" (choose one of: {})", fmt::join(names, ", ")));
}

}  // namespace

measure parse_measure(std::string_view name) {
  return parse_enum<measure>(name, "measure",
                             {{"cases", measure::cases},
                              {"segments", measure::segments},
                              {"coverage", measure::coverage}});
}

matrix_level parse_level(std::string_view name) {
  return parse_enum<matrix_level>(name, "level",
                                  {{"theme", matrix_level::theme}, {"code", matrix_level::code}});
}

std::string_view to_string(measure m) {
  switch (m) {
    case measure::cases: return "cases";
    case measure::segments: return "segments";
    case measure::coverage: return "coverage";
  }
  return "";
}

std::string_view to_string(matrix_level l) { return l == matrix_level::theme ? "theme" : "code"; }

study load_study(const project& p, bool with_text) {
  auto fw = p.get_framework();
  if (!fw)
    throw input_error(fmt::format("project '{}' has no framework; create one with 'qcode init "
                                  "FILE --framework FRAMEWORK.yaml'",
                                  p.path()));
  return study{std::move(*fw), p.load_documents(with_text), p.cases(), p.codings(false), p.summaries()};
}

namespace {

std::vector<std::string> attribute_names(const study& s) {
  std::set<std::string> names;
  for (const auto& c : s.cases)
    for (const auto& [name, value] : c.attributes) names.insert(name);
  names.insert(s.fw.group_attribute);
  return {names.begin(), names.end()};
}

[[noreturn]] void throw_unknown_attribute(const study& s, std::string_view name) {
  const auto names = attribute_names(s);
  throw input_error(unknown_message("attribute", name, "", names) +
                    fmt::format(" (attributes: {})", fmt::join(names, ", ")));
}

// Whether a case passes the filters: for each attribute named, its value is one of the
// values given for it.
std::vector<char> cases_passing(const study& s,
                                const std::vector<std::pair<std::string, std::string>>& where) {
  const auto names = attribute_names(s);
  std::map<std::string, std::set<std::string>> wanted;
  for (const auto& [name, value] : where) {
    if (std::find(names.begin(), names.end(), name) == names.end()) throw_unknown_attribute(s, name);
    wanted[name].insert(value);
  }
  std::vector<char> pass(s.cases.size(), 1);
  for (std::size_t k = 0; k < s.cases.size(); ++k) {
    for (const auto& [name, values] : wanted) {
      const auto it = s.cases[k].attributes.find(name);
      if (it == s.cases[k].attributes.end() || !values.count(it->second)) {
        pass[k] = 0;
        break;
      }
    }
  }
  return pass;
}

void check_coder(const study& s, const std::optional<std::string>& coder) {
  if (!coder) return;
  std::set<std::string> coders;
  for (const auto& c : s.codings) coders.insert(c.coder);
  if (coders.count(*coder)) return;
  throw input_error(unknown_message("coder", *coder, "", std::vector<std::string>(coders.begin(), coders.end())) +
                    fmt::format(" (coders: {})", fmt::join(coders, ", ")));
}

}  // namespace

matrix compute_matrix(const study& s, const matrix_options& options) {
  const auto& fw = s.fw;
  matrix m;
  m.by = options.by.empty() ? fw.group_attribute : options.by;
  m.what = options.what;
  m.level = options.level;
  const auto passing = cases_passing(s, options.where);
  check_coder(s, options.coder);

  // Columns: the framework's groups in order for its grouping attribute, then any other
  // values the cases carry, sorted. All cases' values make columns, so that filters
  // keep the columns and show empty ones with n = 0.
  std::set<std::string> values;
  for (const auto& c : s.cases)
    if (const auto it = c.attributes.find(m.by); it != c.attributes.end() && !it->second.empty())
      values.insert(it->second);
  if (values.empty() && m.by != fw.group_attribute) throw_unknown_attribute(s, m.by);
  std::unordered_map<std::string, std::size_t> column_of_value;
  if (m.by == fw.group_attribute) {
    for (const auto& g : fw.groups) {
      column_of_value[g.id] = m.columns.size();
      m.columns.push_back({g.id, g.label, 0});
    }
  }
  for (const auto& v : values) {
    if (column_of_value.count(v)) continue;
    column_of_value[v] = m.columns.size();
    m.columns.push_back({v, v, 0});
  }
  const std::size_t ncol = m.columns.size();

  // Cases: index and column (-1: in no column, or filtered out).
  std::unordered_map<std::string, std::size_t> case_index;
  std::vector<int> case_column(s.cases.size(), -1);
  for (std::size_t k = 0; k < s.cases.size(); ++k) {
    case_index[s.cases[k].id] = k;
    if (!passing[k]) continue;
    if (const auto it = s.cases[k].attributes.find(m.by); it != s.cases[k].attributes.end()) {
      if (const auto col = column_of_value.find(it->second); col != column_of_value.end()) {
        case_column[k] = static_cast<int>(col->second);
        ++m.columns[col->second].n;
        ++m.n;
      }
    }
  }

  // Rows, and for every code the rows it counts towards (itself and its ancestors, and
  // the total row, which is internal row nrow).
  std::vector<int> row_of_code(fw.codes.size(), -1);
  for (std::size_t i = 0; i < fw.codes.size(); ++i) {
    const auto& c = fw.codes[i];
    const bool is_row = options.level == matrix_level::theme ? c.depth == 0 : c.depth > 0;
    if (!is_row) continue;
    row_of_code[i] = static_cast<int>(m.rows.size());
    m.rows.push_back({c.id, c.label, c.depth, std::vector<double>(ncol, 0.0), 0.0});
  }
  const std::size_t nrow = m.rows.size();
  std::unordered_map<std::string, std::vector<std::size_t>> rows_of;
  for (std::size_t i = 0; i < fw.codes.size(); ++i) {
    auto& rows = rows_of[fw.codes[i].id];
    for (int at = static_cast<int>(i); at >= 0; at = fw.codes[static_cast<std::size_t>(at)].parent)
      if (row_of_code[static_cast<std::size_t>(at)] >= 0)
        rows.push_back(static_cast<std::size_t>(row_of_code[static_cast<std::size_t>(at)]));
    rows.push_back(nrow);
  }
  // Internal rows 0..nrow (nrow: any code) by columns 0..ncol (ncol: all columns).
  const std::size_t nr = nrow + 1, nc = ncol + 1;

  std::vector<std::vector<char>> has(nr, std::vector<char>(s.cases.size(), 0));
  std::vector<std::vector<std::size_t>> segments(nr, std::vector<std::size_t>(nc, 0));
  std::vector<std::vector<std::size_t>> covered(nr, std::vector<std::size_t>(nc, 0));
  std::vector<std::size_t> spoken(nc, 0);

  // Codings grouped by document.
  std::unordered_map<std::string, std::size_t> doc_index;
  for (std::size_t d = 0; d < s.documents.size(); ++d) doc_index[s.documents[d].id] = d;
  std::vector<std::vector<const coding_record*>> by_doc(s.documents.size());
  for (const auto& c : s.codings) {
    if (options.coder && c.coder != *options.coder) continue;
    if (const auto it = doc_index.find(c.doc); it != doc_index.end()) by_doc[it->second].push_back(&c);
  }

  struct spoken_turn {
    std::size_t start, end, case_k;
  };
  std::vector<spoken_turn> turns;
  std::vector<std::vector<interval>> column_spans(nc);
  std::vector<std::vector<interval>> row_spans(nr);
  std::vector<std::size_t> cases_here;
  std::vector<char> column_seen(nc);

  for (std::size_t d = 0; d < s.documents.size(); ++d) {
    const auto& doc = s.documents[d];
    // Who speaks where: the turns of cases; a one-to-one interview without turns is
    // all spoken by its case.
    turns.clear();
    for (const auto& t : doc.turns)
      if (t.case_id && t.start < t.end)
        if (const auto it = case_index.find(*t.case_id); it != case_index.end())
          turns.push_back({t.start, t.end, it->second});
    std::optional<std::size_t> interview_case;
    if (doc.case_id)
      if (const auto it = case_index.find(*doc.case_id); it != case_index.end()) interview_case = it->second;
    if (interview_case && doc.turns.empty()) turns.push_back({0, doc.length, *interview_case});

    for (auto& v : column_spans) v.clear();
    for (const auto& t : turns) {
      if (case_column[t.case_k] < 0) continue;
      column_spans[static_cast<std::size_t>(case_column[t.case_k])].push_back({t.start, t.end});
      column_spans[ncol].push_back({t.start, t.end});
    }
    for (std::size_t c = 0; c < nc; ++c) {
      merge(column_spans[c]);
      for (const auto& x : column_spans[c]) spoken[c] += x.end - x.start;
    }

    for (auto& v : row_spans) v.clear();
    for (const auto* coding : by_doc[d]) {
      const auto rows = rows_of.find(coding->code);
      if (rows == rows_of.end()) continue;
      cases_here.clear();
      if (interview_case) {
        cases_here.push_back(*interview_case);
      } else {
        auto it = std::partition_point(turns.begin(), turns.end(),
                                       [&](const spoken_turn& t) { return t.end <= coding->start; });
        for (; it != turns.end() && it->start < coding->end; ++it)
          if (std::find(cases_here.begin(), cases_here.end(), it->case_k) == cases_here.end())
            cases_here.push_back(it->case_k);
      }
      std::fill(column_seen.begin(), column_seen.end(), 0);
      for (const auto k : cases_here) {
        if (case_column[k] < 0) continue;
        column_seen[static_cast<std::size_t>(case_column[k])] = 1;
        column_seen[ncol] = 1;
      }
      for (const auto r : rows->second) {
        for (const auto k : cases_here) has[r][k] = 1;
        for (std::size_t c = 0; c < nc; ++c) segments[r][c] += column_seen[c];
        row_spans[r].push_back({coding->start, coding->end});
      }
    }
    for (std::size_t r = 0; r < nr; ++r) {
      if (row_spans[r].empty()) continue;
      merge(row_spans[r]);
      for (std::size_t c = 0; c < nc; ++c) covered[r][c] += overlap(row_spans[r], column_spans[c]);
    }
  }

  const auto value_at = [&](std::size_t r, std::size_t c) {
    switch (m.what) {
      case measure::cases: {
        double value = 0;
        for (std::size_t k = 0; k < s.cases.size(); ++k)
          if (has[r][k] && case_column[k] >= 0 && (c == ncol || case_column[k] == static_cast<int>(c))) ++value;
        return value;
      }
      case measure::segments: return static_cast<double>(segments[r][c]);
      case measure::coverage:
        return spoken[c] == 0 ? 0.0 : 100.0 * static_cast<double>(covered[r][c]) / static_cast<double>(spoken[c]);
    }
    return 0.0;
  };
  m.total = {"", "Total", 0, std::vector<double>(ncol, 0.0), 0.0};
  for (std::size_t r = 0; r < nr; ++r) {
    auto& row = r < nrow ? m.rows[r] : m.total;
    for (std::size_t c = 0; c < ncol; ++c) row.cells[c] = value_at(r, c);
    row.total = value_at(r, ncol);
  }
  return m;
}

}  // namespace coding
