#include "coding/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "attribution.hpp"
#include "coding/error.hpp"
#include "coding/project.hpp"
#include "matrix_tally.hpp"
#include "strings.hpp"

namespace coding {

measure parse_measure(std::string_view name) {
  return detail::parse_choice<measure>(name, "measure",
                                       {{"cases", measure::cases},
                                        {"segments", measure::segments},
                                        {"coverage", measure::coverage}});
}

matrix_level parse_level(std::string_view name) {
  return detail::parse_choice<matrix_level>(
      name, "level", {{"theme", matrix_level::theme}, {"code", matrix_level::code}});
}

std::string_view to_string(measure m) {
  switch (m) {
    case measure::cases:
      return "cases";
    case measure::segments:
      return "segments";
    case measure::coverage:
      return "coverage";
  }
  return "";
}

std::string_view to_string(matrix_level l) {
  switch (l) {
    case matrix_level::theme:
      return "theme";
    case matrix_level::code:
      return "code";
    case matrix_level::query:
      return "query";
  }
  return "";
}

study load_study(const project& p, bool with_text) {
  auto fw = p.get_framework();
  if (!fw)
    throw input_error(
        fmt::format("project '{}' has no framework; create one with 'qcode init "
                    "FILE --framework FRAMEWORK.yaml'",
                    p.path()));
  return study{std::move(*fw), p.documents().load(with_text), p.cases().list(),
               p.codings().list(false), p.summaries().list()};
}

study load_corpus(const project& p, bool with_text, bool with_codings) {
  return study{p.get_framework().value_or(framework{}),
               p.documents().load(with_text),
               p.cases().list(),
               with_codings ? p.codings().list(false) : std::vector<coding_record>{},
               {}};
}

namespace detail {

matrix_tally::matrix_tally(const study& s, const attribution& who, const matrix& m,
                           const std::vector<int>& case_column, std::size_t nrow)
    : s_(s),
      who_(who),
      case_column_(case_column),
      ncol_(m.columns.size()),
      nrow_(nrow),
      has_(nrow + 1, std::vector<char>(s.cases.size(), 0)),
      segments_(nrow + 1, std::vector<std::size_t>(ncol_ + 1, 0)),
      covered_(nrow + 1, std::vector<std::size_t>(ncol_ + 1, 0)),
      spoken_(ncol_ + 1, 0),
      column_spans_(ncol_ + 1),
      row_spans_(nrow + 1) {}

void matrix_tally::begin(std::size_t d) {
  for (auto& v : column_spans_) v.clear();
  for (auto& v : row_spans_) v.clear();
  for (const auto& t : who_.turns(d)) {
    if (case_column_[t.case_k] < 0) continue;
    column_spans_[static_cast<std::size_t>(case_column_[t.case_k])].push_back({t.start, t.end});
    column_spans_[ncol_].push_back({t.start, t.end});
  }
  for (std::size_t c = 0; c <= ncol_; ++c) {
    merge(column_spans_[c]);
    for (const auto& x : column_spans_[c]) spoken_[c] += x.end - x.start;
  }
}

void matrix_tally::cover(std::size_t r, std::size_t start, std::size_t end,
                         const std::vector<std::size_t>& cases) {
  for (const auto k : cases) has_[r][k] = 1;
  row_spans_[r].push_back({start, end});
}

void matrix_tally::columns_of(const std::vector<std::size_t>& cases,
                              std::vector<char>& columns) const {
  columns.assign(ncol_ + 1, 0);
  for (const auto k : cases) {
    if (case_column_[k] < 0) continue;
    columns[static_cast<std::size_t>(case_column_[k])] = 1;
    columns[ncol_] = 1;
  }
}

void matrix_tally::count(std::size_t r, const std::vector<char>& columns) {
  for (std::size_t c = 0; c <= ncol_; ++c) segments_[r][c] += columns[c];
}

void matrix_tally::end() {
  for (std::size_t r = 0; r <= nrow_; ++r) {
    if (row_spans_[r].empty()) continue;
    merge(row_spans_[r]);
    for (std::size_t c = 0; c <= ncol_; ++c)
      covered_[r][c] += overlap(row_spans_[r], column_spans_[c]);
  }
}

double matrix_tally::value(measure what, std::size_t r, std::size_t c) const {
  switch (what) {
    case measure::cases: {
      double value = 0;
      for (std::size_t k = 0; k < s_.cases.size(); ++k)
        if (has_[r][k] && case_column_[k] >= 0 &&
            (c == ncol_ || case_column_[k] == static_cast<int>(c)))
          ++value;
      return value;
    }
    case measure::segments:
      return static_cast<double>(segments_[r][c]);
    case measure::coverage:
      return spoken_[c] == 0
                 ? 0.0
                 : 100.0 * static_cast<double>(covered_[r][c]) / static_cast<double>(spoken_[c]);
  }
  return 0.0;
}

void matrix_tally::fill(matrix& m) const {
  m.total = {"", "Total", 0, std::vector<double>(ncol_, 0.0), 0.0};
  for (std::size_t r = 0; r <= nrow_; ++r) {
    auto& row = r < nrow_ ? m.rows[r] : m.total;
    row.cells.assign(ncol_, 0.0);
    for (std::size_t c = 0; c < ncol_; ++c) row.cells[c] = value(m.what, r, c);
    row.total = value(m.what, r, ncol_);
  }
}

}  // namespace detail

namespace {

// The passages that `segments` counts among one document's codings: a coding is a passage,
// except that codings of one code by different coders that overlap (directly, or through
// one another) are one passage, as a double-coded answer is in a chart. Returns, for each
// coding, the index of the first coding of its passage.
std::vector<std::size_t> passages_of(const std::vector<const coding_record*>& codings) {
  const auto n = codings.size();
  std::vector<std::size_t> root(n);
  std::iota(root.begin(), root.end(), std::size_t{0});
  const auto find = [&](std::size_t i) {
    while (root[i] != i) i = root[i] = root[root[i]];
    return i;
  };
  std::vector<std::size_t> order(root);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(codings[a]->code, codings[a]->start) <
           std::tie(codings[b]->code, codings[b]->start);
  });
  for (std::size_t x = 0; x < n; ++x) {
    const auto* a = codings[order[x]];
    for (std::size_t y = x + 1; y < n; ++y) {
      const auto* b = codings[order[y]];
      if (b->code != a->code || b->start >= a->end) break;
      if (b->coder == a->coder) continue;
      const auto ra = find(order[x]), rb = find(order[y]);
      if (ra != rb) root[std::max(ra, rb)] = std::min(ra, rb);
    }
  }
  for (std::size_t i = 0; i < n; ++i) root[i] = find(i);
  return root;
}

}  // namespace

matrix compute_matrix(const study& s, const matrix_options& options) {
  const auto& fw = s.fw;
  matrix m;
  m.by = options.by.empty() ? fw.group_attribute : options.by;
  m.what = options.what;
  m.level = options.level;
  const auto passing = detail::cases_passing(s, options.where);
  detail::check_coder(s, options.coder);
  auto cols = detail::make_columns(s, m.by, passing);
  m.columns = std::move(cols.list);
  m.n = cols.n;
  const auto& case_column = cols.of_case;
  const std::size_t ncol = m.columns.size();

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
  // Codings grouped by document.
  const detail::attribution speakers(s);
  std::vector<std::vector<const coding_record*>> by_doc(s.documents.size());
  std::set<std::string> coders;
  for (const auto& c : s.codings) {
    if (options.coder && c.coder != *options.coder) continue;
    if (const auto d = speakers.doc_index(c.doc)) {
      by_doc[*d].push_back(&c);
      coders.insert(c.coder);
    }
  }
  m.coders.assign(coders.begin(), coders.end());

  detail::matrix_tally tally(s, speakers, m, case_column, nrow);
  std::vector<std::size_t> cases_here;
  for (std::size_t d = 0; d < s.documents.size(); ++d) {
    tally.begin(d);
    const auto& here = by_doc[d];
    const auto passage = passages_of(here);
    // Per passage (the root coding of its group): the cases its codings speak for.
    std::vector<std::vector<std::size_t>> passage_cases(here.size());
    std::vector<char> counted(here.size(), 0);
    for (std::size_t i = 0; i < here.size(); ++i) {
      const auto* coding = here[i];
      const auto rows = rows_of.find(coding->code);
      if (rows == rows_of.end()) continue;
      speakers.cases_of(d, coding->start, coding->end, cases_here);
      counted[passage[i]] = 1;
      auto& cases = passage_cases[passage[i]];
      cases.insert(cases.end(), cases_here.begin(), cases_here.end());
      for (const auto r : rows->second) tally.cover(r, coding->start, coding->end, cases_here);
    }
    std::vector<char> columns;
    for (std::size_t i = 0; i < here.size(); ++i) {
      if (passage[i] != i || !counted[i]) continue;
      tally.columns_of(passage_cases[i], columns);
      for (const auto r : rows_of.at(here[i]->code)) tally.count(r, columns);
    }
    tally.end();
  }
  tally.fill(m);
  return m;
}

}  // namespace coding
