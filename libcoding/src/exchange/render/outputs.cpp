// write() for each artefact: which writer each format takes, and what each format needs
// computed besides the artefact itself (quotes, the other measures).

#include <fmt/format.h>

#include <iterator>

#include "coding/error.hpp"
#include "coding/render.hpp"

namespace coding {

const std::vector<format>& analysis_formats() {
  static const std::vector<format> formats = {format::table, format::csv,  format::json,
                                              format::md,    format::html, format::xlsx};
  return formats;
}

const std::vector<format>& report_formats() {
  static const std::vector<format> formats = {format::md, format::html};
  return formats;
}

bool shows_quotes(format f) {
  return f == format::html || f == format::xlsx;
}

namespace {

// A matrix and what format `f` shows besides it; `compute(o)` and `quotes(o)` give the
// matrix and its quotes under options o.
template <class Compute, class Quotes>
matrix_output matrix_output_of(const Compute& compute, const Quotes& quotes,
                               const matrix_options& o, format f) {
  matrix_output out{compute(o), {}, {}};
  if (f == format::xlsx)
    for (const auto what : {measure::cases, measure::segments, measure::coverage}) {
      auto other = o;
      other.what = what;
      out.measures.push_back(what == out.m.what ? out.m : compute(other));
    }
  if (shows_quotes(f)) out.quotes = quotes(o);
  return out;
}

}  // namespace

matrix_output build_matrix_output(const study& s, const matrix_options& o, format f) {
  return matrix_output_of([&](const matrix_options& x) { return compute_matrix(s, x); },
                          [&](const matrix_options& x) { return matrix_quotes(s, x); }, o, f);
}

matrix_output build_query_matrix_output(const study& s, const std::vector<query_row>& rows,
                                        const matrix_options& o, format f) {
  return matrix_output_of([&](const matrix_options& x) { return compute_query_matrix(s, rows, x); },
                          [&](const matrix_options& x) { return query_matrix_quotes(s, rows, x); },
                          o, f);
}

chart_output build_chart_output(const study& s, chart_options o,
                                const std::vector<std::string>& themes, format f) {
  chart_output out;
  for (const auto& t : themes) {
    o.theme = t;
    out.charts.push_back(compute_chart(s, o));
    if (f == format::xlsx) {
      auto q = chart_quotes(s, o);
      out.quotes.insert(out.quotes.end(), std::make_move_iterator(q.begin()),
                        std::make_move_iterator(q.end()));
    }
  }
  return out;
}

cooccurrence_output build_cooccurrence_output(const study& s, const cooccur_options& o, format f) {
  cooccurrence_output out{compute_cooccurrence(s, o), {}};
  if (shows_quotes(f)) out.quotes = cooccurrence_quotes(s, o);
  return out;
}

void write(std::ostream& out, const matrix_output& m, format f, const render_options& o) {
  switch (f) {
    case format::md:
      write_matrix_markdown(out, m.m);
      break;
    case format::html:
      write_matrix_html(out, m.m, m.quotes, o.title);
      break;
    case format::xlsx: {
      std::size_t active = 0;
      while (active < m.measures.size() && m.measures[active].what != m.m.what) ++active;
      write_matrix_xlsx(out, m.measures, m.quotes, active);
      break;
    }
    default:
      write_matrix(out, m.m, f);
  }
}

void write(std::ostream& out, const chart_output& c, format f, const render_options& o) {
  switch (f) {
    case format::md:
      write_chart_markdown(out, c.charts);
      break;
    case format::html:
      write_chart_html(out, c.charts, o.title);
      break;
    case format::xlsx:
      write_chart_xlsx(out, c.charts, c.quotes);
      break;
    default:
      write_charts(out, c.charts, f);
  }
}

void write(std::ostream& out, const cooccurrence_output& c, format f, const render_options& o) {
  switch (f) {
    case format::md:
      write_cooccurrence_markdown(out, c.c);
      break;
    case format::html:
      write_cooccurrence_html(out, c.c, c.quotes, o.title);
      break;
    case format::xlsx:
      write_cooccurrence_xlsx(out, c.c, c.quotes);
      break;
    default:
      write_cooccurrence(out, c.c, f);
  }
}

void write(std::ostream& out, const report& r, format f, const render_options&) {
  switch (f) {
    case format::md:
      write_report_markdown(out, r);
      break;
    case format::html:
      write_report_html(out, r);
      break;
    default:
      throw input_error(fmt::format("a report cannot be written as {}", to_string(f)));
  }
}

}  // namespace coding
