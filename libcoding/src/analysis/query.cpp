// Coding queries (docs/queries.md): a recursive-descent parser and an evaluator that
// gives every sub-expression a set of merged intervals per document.

#include "coding/query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "attribution.hpp"
#include "chart_plan.hpp"
#include "coding/codings.hpp"
#include "coding/framework.hpp"
#include "coding/project.hpp"
#include "matrix_tally.hpp"

namespace coding {

query_error::query_error(std::string_view expression, std::size_t column, std::string_view message)
    : input_error(fmt::format("{}\n  {}\n  {}^", message, expression,
                              std::string(column > 0 ? column - 1 : 0, ' '))),
      column_(column),
      detail_(message) {}

namespace {

using detail::interval;
using intervals = std::vector<interval>;
using kind = query_node::kind;

bool keyword(std::string_view word, std::string_view k) {
  if (word.size() != k.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(word[i])) != k[i]) return false;
  return true;
}

bool is_keyword(std::string_view w) {
  for (const auto* k : {"AND", "OR", "NOT", "ONLY", "OVERLAPS", "WITHIN", "NEAR", "FOLLOWED", "BY"})
    if (keyword(w, k)) return true;
  return false;
}

// ---- tokens ---------------------------------------------------------------------------

struct token {
  enum class type { word, string, lparen, rparen, equals, tilde, slash, end } what;
  std::string text;
  std::size_t column;  // 1-based, in code points
};

std::vector<token> tokenize(std::string_view e) {
  std::vector<token> out;
  std::size_t column = 1;
  auto is_lead = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };
  std::size_t i = 0;
  auto advance = [&] {
    ++i;
    while (i < e.size() && !is_lead(e[i])) ++i;
    ++column;
  };
  auto special = [](char c) {
    return c == '(' || c == ')' || c == '=' || c == '~' || c == '/' || c == '"' || c == ' ' ||
           c == '\t' || c == '\n' || c == '\r';
  };
  while (i < e.size()) {
    const char c = e[i];
    const std::size_t at = column;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      advance();
    } else if (c == '"') {
      const std::size_t begin = i + 1;
      advance();
      while (i < e.size() && e[i] != '"') advance();
      if (i >= e.size()) throw query_error(e, at, "unterminated quoted text: close it with '\"'");
      out.push_back({token::type::string, std::string(e.substr(begin, i - begin)), at});
      advance();
    } else if (special(c)) {
      const auto t = c == '('   ? token::type::lparen
                     : c == ')' ? token::type::rparen
                     : c == '=' ? token::type::equals
                     : c == '~' ? token::type::tilde
                                : token::type::slash;
      out.push_back({t, std::string(1, c), at});
      advance();
    } else {
      const std::size_t begin = i;
      while (i < e.size() && !special(e[i])) advance();
      out.push_back({token::type::word, std::string(e.substr(begin, i - begin)), at});
    }
  }
  out.push_back({token::type::end, "", column});
  return out;
}

// ---- parser ---------------------------------------------------------------------------

class parser {
 public:
  explicit parser(std::string_view e) : e_(e), tokens_(tokenize(e)) {}

  query_node parse() {
    auto root = parse_or();
    const auto& t = peek();
    if (t.what == token::type::rparen) fail(t, "unmatched ')'");
    if (t.what != token::type::end)
      fail(t, fmt::format("unexpected '{}': join terms with AND or OR", t.text));
    return root;
  }

 private:
  const token& peek() const { return tokens_[at_]; }
  const token& next() { return tokens_[at_++]; }
  bool peek_keyword(std::string_view k) const {
    return peek().what == token::type::word && keyword(peek().text, k);
  }
  [[noreturn]] void fail(const token& t, std::string_view message) const {
    throw query_error(e_, t.column, message);
  }
  static std::string shown(const token& t) {
    return t.what == token::type::end ? std::string("the end") : fmt::format("'{}'", t.text);
  }

  static query_node binary(kind k, std::size_t column, query_node a, query_node b) {
    query_node n;
    n.what = k;
    n.column = column;
    n.children.push_back(std::move(a));
    n.children.push_back(std::move(b));
    return n;
  }

  query_node parse_or() {
    auto left = parse_and();
    while (peek_keyword("OR")) {
      const auto column = next().column;
      left = binary(kind::or_, column, std::move(left), parse_and());
    }
    return left;
  }

  query_node parse_and() {
    auto left = parse_not();
    while (peek_keyword("AND")) {
      const auto column = next().column;
      left = binary(kind::and_, column, std::move(left), parse_not());
    }
    return left;
  }

  query_node parse_not() {
    if (!peek_keyword("NOT")) return parse_positional();
    query_node n;
    n.what = kind::not_;
    n.column = next().column;
    n.children.push_back(parse_not());
    return n;
  }

  // "/2" or "/200chars" after NEAR and FOLLOWED BY.
  void parse_distance(query_node& n, std::string_view op) {
    if (peek().what != token::type::slash)
      fail(peek(), fmt::format("{} needs a distance: {}/2 (turns) or {}/200chars", op, op, op));
    next();
    const auto& t = next();
    std::size_t digits = 0;
    while (t.what == token::type::word && digits < t.text.size() &&
           std::isdigit(static_cast<unsigned char>(t.text[digits])))
      ++digits;
    const auto unit = t.what == token::type::word ? std::string_view(t.text).substr(digits) : "";
    if (digits == 0 || digits > 9 || !(unit.empty() || keyword(unit, "CHARS")))
      fail(t, fmt::format("bad distance {} after {}/: write a number of turns ({}/2) or of "
                          "characters ({}/200chars)",
                          shown(t), op, op, op));
    n.distance = std::stoul(t.text.substr(0, digits));
    n.chars = !unit.empty();
  }

  query_node parse_positional() {
    auto left = parse_only();
    for (;;) {
      query_node n;
      if (peek_keyword("OVERLAPS")) {
        n.what = kind::overlaps;
        n.column = next().column;
      } else if (peek_keyword("WITHIN")) {
        n.what = kind::within;
        n.column = next().column;
      } else if (peek_keyword("NEAR")) {
        n.what = kind::near;
        n.column = next().column;
        parse_distance(n, "NEAR");
      } else if (peek_keyword("FOLLOWED")) {
        n.what = kind::followed_by;
        n.column = next().column;
        if (!peek_keyword("BY")) fail(peek(), "FOLLOWED goes with BY: A FOLLOWED BY/1 B");
        next();
        parse_distance(n, "FOLLOWED BY");
      } else {
        return left;
      }
      n.children.push_back(std::move(left));
      n.children.push_back(parse_only());
      left = std::move(n);
    }
  }

  query_node parse_only() {
    auto term = parse_primary();
    if (!peek_keyword("ONLY")) return term;
    const auto& t = next();
    if (term.what != kind::code) fail(t, "ONLY follows a code: choice ONLY or =choice ONLY");
    query_node n;
    n.what = kind::only;
    n.column = t.column;
    n.children.push_back(std::move(term));
    return n;
  }

  query_node parse_primary() {
    const auto& t = next();
    query_node n;
    n.column = t.column;
    switch (t.what) {
      case token::type::lparen: {
        n = parse_or();
        if (peek().what != token::type::rparen)
          fail(peek(), fmt::format("expected ')' to close the '(' at column {}, not {}", t.column,
                                   shown(peek())));
        next();
        return n;
      }
      case token::type::equals: {
        const auto& id = next();
        if (id.what != token::type::word || is_keyword(id.text))
          fail(id, fmt::format("expected a code id after '=', not {}", shown(id)));
        n.what = kind::code;
        n.exact = true;
        n.value = id.text;
        n.column = id.column;
        return n;
      }
      case token::type::word:
        break;
      default:
        fail(t, fmt::format("expected a code, a restriction or '(' here, not {}", shown(t)));
    }
    if (is_keyword(t.text))
      fail(t, fmt::format("expected a code, a restriction or '(' before {}", t.text));
    if (peek().what == token::type::equals || peek().what == token::type::tilde) {
      const bool tilde = next().what == token::type::tilde;
      const bool is_text = keyword(t.text, "TEXT");
      if (tilde != is_text)
        fail(t, is_text ? "text takes '~': text~\"words\""
                        : fmt::format("'~' goes with text only: {}=VALUE", t.text));
      const auto& v = next();
      if (v.what != token::type::word && v.what != token::type::string)
        fail(v, fmt::format("expected a value after {}{}, not {}", t.text, tilde ? '~' : '=',
                            shown(v)));
      n.value = v.text;
      n.value_column = v.column;
      if (is_text) {
        n.what = kind::text;
        if (n.value.empty()) fail(v, "text~ needs words to look for");
      } else if (keyword(t.text, "SPEAKER")) {
        n.what = kind::speaker;
      } else if (keyword(t.text, "CODER")) {
        n.what = kind::coder;
      } else if (keyword(t.text, "DOC")) {
        n.what = kind::doc;
      } else {
        n.what = kind::attribute;
        n.name = t.text;
      }
      return n;
    }
    n.what = kind::code;
    n.value = t.text;
    return n;
  }

  std::string_view e_;
  std::vector<token> tokens_;
  std::size_t at_ = 0;
};

// ---- interval sets --------------------------------------------------------------------

intervals intersect(const intervals& a, const intervals& b) {
  intervals out;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    const auto lo = std::max(a[i].start, b[j].start);
    const auto hi = std::min(a[i].end, b[j].end);
    if (lo < hi) out.push_back({lo, hi});
    (a[i].end < b[j].end ? i : j)++;
  }
  detail::merge(out);
  return out;
}

intervals unite(intervals a, const intervals& b) {
  a.insert(a.end(), b.begin(), b.end());
  detail::merge(a);
  return a;
}

intervals complement(const intervals& a, std::size_t length) {
  intervals out;
  std::size_t at = 0;
  for (const auto& x : a) {
    if (x.start > at) out.push_back({at, x.start});
    at = std::max(at, x.end);
  }
  if (at < length) out.push_back({at, length});
  return out;
}

// ---- evaluation -----------------------------------------------------------------------

using scope = std::optional<std::set<std::string>>;  // coders whose codings count; none: all

class evaluator {
 public:
  // `coders`: the scope of the code terms outside any coder= chain (none: everyone's).
  evaluator(const study& s, const query& q, scope coders = std::nullopt)
      : s_(s), q_(q), who_(s), outer_(std::move(coders)) {
    for (const auto& c : s.codings) {
      coders_.insert(c.coder);
      if (const auto k = s.fw.find(c.code))
        if (const auto d = who_.doc_index(c.doc)) by_doc_[*d].push_back({&c, *k});
    }
    resolve(q.root);
  }

  intervals run(std::size_t d) {
    const auto& doc = s_.documents[d];
    turn_starts_.clear();
    for (const auto& t : doc.turns) turn_starts_.push_back(t.start);
    std::sort(turn_starts_.begin(), turn_starts_.end());
    return eval(q_.root, d, outer_);
  }

 private:
  struct coded {
    const coding_record* c;
    std::size_t code;
  };

  [[noreturn]] void fail(const query_node& n, std::string_view message) const {
    throw query_error(q_.expression, n.column, message);
  }
  [[noreturn]] void fail_value(const query_node& n, std::string_view message) const {
    throw query_error(q_.expression, n.value_column, message);
  }
  std::string at(const query_node& n) const { return fmt::format("at column {}", n.column); }
  std::string at_value(const query_node& n) const {
    return fmt::format("at column {}", n.value_column);
  }

  // Checks every name against the study before any document is looked at.
  void resolve(const query_node& n) {
    for (const auto& c : n.children) resolve(c);
    switch (n.what) {
      case kind::code:
        if (!s_.fw.find(n.value)) fail(n, unknown_message("code", n.value, at(n), s_.fw.ids()));
        break;
      case kind::speaker:
        if (!who_.case_index(n.value)) {
          std::vector<std::string> ids;
          for (const auto& c : s_.cases) ids.push_back(c.id);
          fail_value(n, unknown_message("case", n.value, at_value(n), ids));
        }
        break;
      case kind::coder:
        if (!coders_.count(n.value))
          fail_value(
              n, unknown_message("coder", n.value, at_value(n), {coders_.begin(), coders_.end()}) +
                     fmt::format(" (coders: {})", fmt::join(coders_, ", ")));
        break;
      case kind::doc:
        if (!who_.doc_index(n.value)) {
          std::vector<std::string> ids;
          for (const auto& d : s_.documents) ids.push_back(d.id);
          fail_value(n, unknown_message("document", n.value, at_value(n), ids));
        }
        break;
      case kind::attribute: {
        const auto names = detail::attribute_names(s_);
        if (std::find(names.begin(), names.end(), n.name) == names.end())
          fail(n, unknown_message("attribute", n.name, at(n), names) +
                      fmt::format(" (attributes: {})", fmt::join(names, ", ")));
        std::set<std::string> values;
        for (const auto& c : s_.cases)
          if (const auto it = c.attributes.find(n.name); it != c.attributes.end())
            values.insert(it->second);
        if (!values.count(n.value)) {
          const std::vector<std::string> list(values.begin(), values.end());
          auto message =
              fmt::format("no case has {}={} (at column {}), so the query can match nothing",
                          n.name, n.value, n.value_column);
          if (const auto close = closest_match(n.value, list); !close.empty())
            message += fmt::format("; did you mean '{}'?", close);
          message += fmt::format(" (values of {}: {})", n.name, fmt::join(list, ", "));
          throw query_error(q_.expression, n.value_column, message);
        }
        break;
      }
      case kind::text:
        try {
          (void)find_matches("x", n.value, {});
        } catch (const input_error& e) {
          fail_value(n, e.what());
        }
        break;
      default:
        break;
    }
  }

  std::size_t turn_of(std::size_t pos) const {
    return static_cast<std::size_t>(
        std::upper_bound(turn_starts_.begin(), turn_starts_.end(), pos) - turn_starts_.begin());
  }

  intervals codings(std::size_t d, const scope& coders,
                    const std::function<bool(std::size_t)>& counts) const {
    intervals out;
    if (const auto it = by_doc_.find(d); it != by_doc_.end())
      for (const auto& x : it->second)
        if ((!coders || coders->count(x.c->coder)) && counts(x.code))
          out.push_back({x.c->start, x.c->end});
    detail::merge(out);
    return out;
  }

  std::function<bool(std::size_t)> matcher(const query_node& code) const {
    const auto k = *s_.fw.find(code.value);
    if (code.exact) return [k](std::size_t c) { return c == k; };
    return [this, k](std::size_t c) { return s_.fw.contains(k, c); };
  }

  // The operands of the chain of ANDs that `n` heads, however it is bracketed.
  static void and_operands(const query_node& n, std::vector<const query_node*>& out) {
    if (n.what != kind::and_) {
      out.push_back(&n);
      return;
    }
    for (const auto& c : n.children) and_operands(c, out);
  }

  intervals eval(const query_node& n, std::size_t d, const scope& coders) {
    const auto& doc = s_.documents[d];
    const intervals all{{0, doc.length}};
    switch (n.what) {
      case kind::code:
        return codings(d, coders, matcher(n));
      case kind::coder: {
        if (coders && !coders->count(n.value)) return {};
        const scope one = std::set<std::string>{n.value};
        return codings(d, one, [](std::size_t) { return true; });
      }
      case kind::speaker: {
        const auto k = *who_.case_index(n.value);
        intervals out;
        for (const auto& t : who_.turns(d))
          if (t.case_k == k) out.push_back({t.start, t.end});
        detail::merge(out);
        return out;
      }
      case kind::attribute: {
        auto has = [&](std::size_t k) {
          const auto it = s_.cases[k].attributes.find(n.name);
          return it != s_.cases[k].attributes.end() && it->second == n.value;
        };
        if (doc.case_id)
          if (const auto k = who_.case_index(*doc.case_id)) return has(*k) ? all : intervals{};
        intervals out;
        for (const auto& t : who_.turns(d))
          if (has(t.case_k)) out.push_back({t.start, t.end});
        detail::merge(out);
        return out;
      }
      case kind::doc:
        return doc.id == n.value ? all : intervals{};
      case kind::text: {
        intervals out;
        for (const auto& m : find_matches(doc.text, n.value, {})) out.push_back({m.start, m.end});
        detail::merge(out);
        return out;
      }
      case kind::and_: {
        std::vector<const query_node*> operands;
        and_operands(n, operands);
        // The chain's own coder restrictions replace those of enclosing chains.
        scope inner = coders;
        bool restricted = false;
        for (const auto* o : operands) {
          if (o->what != kind::coder) continue;
          if (!restricted)
            inner = std::set<std::string>{o->value};
          else if (!inner->count(o->value))
            inner->clear();
          restricted = true;
        }
        auto out = eval(*operands[0], d, inner);
        for (std::size_t i = 1; i < operands.size() && !out.empty(); ++i)
          out = intersect(out, eval(*operands[i], d, inner));
        return out;
      }
      case kind::or_:
        return unite(eval(n.children[0], d, coders), eval(n.children[1], d, coders));
      case kind::not_:
        return complement(eval(n.children[0], d, coders), doc.length);
      case kind::only: {
        const auto& term = n.children[0];
        const auto in_term = matcher(term);
        const auto a = codings(d, coders, in_term);
        const auto others = codings(d, coders, [&](std::size_t c) { return !in_term(c); });
        return intersect(a, complement(others, doc.length));
      }
      case kind::overlaps:
      case kind::within:
      case kind::near:
      case kind::followed_by: {
        const auto a = eval(n.children[0], d, coders);
        if (a.empty()) return a;
        const auto b = eval(n.children[1], d, coders);
        intervals out;
        for (const auto& x : a)
          if (std::any_of(b.begin(), b.end(), [&](const interval& y) { return related(n, x, y); }))
            out.push_back(x);
        return out;
      }
    }
    return {};
  }

  // Whether passage x of the left operand stands in n's relation to passage y of the right.
  bool related(const query_node& n, const interval& x, const interval& y) const {
    switch (n.what) {
      case kind::overlaps:
        return std::max(x.start, y.start) < std::min(x.end, y.end);
      case kind::within:
        return y.start <= x.start && x.end <= y.end;
      case kind::near: {
        if (n.chars) {
          const auto gap = y.start >= x.end   ? y.start - x.end
                           : x.start >= y.end ? x.start - y.end
                                              : 0;
          return gap <= n.distance;
        }
        const auto x_first = turn_of(x.start), x_last = turn_of(x.end - 1);
        const auto y_first = turn_of(y.start), y_last = turn_of(y.end - 1);
        const auto gap = y_first > x_last   ? y_first - x_last
                         : x_first > y_last ? x_first - y_last
                                            : 0;
        return gap <= n.distance;
      }
      case kind::followed_by:
        if (y.start < x.end) return false;
        return (n.chars ? y.start - x.end : turn_of(y.start) - turn_of(x.end - 1)) <= n.distance;
      default:
        return false;
    }
  }

  const study& s_;
  const query& q_;
  detail::attribution who_;
  std::set<std::string> coders_;
  std::map<std::size_t, std::vector<coded>> by_doc_;
  std::vector<std::size_t> turn_starts_;
  scope outer_;
};

}  // namespace

query parse_query(std::string_view expression) {
  query q;
  q.expression = std::string(expression);
  q.root = parser(q.expression).parse();
  return q;
}

void check_framework_queries(const framework& fw, std::string_view file) {
  for (const auto& q : fw.queries) {
    try {
      (void)parse_query(q.expression);
    } catch (const query_error& e) {
      throw input_error(
          fmt::format("{}:{}:{}: saved query '{}': {}", file, q.line, q.column, q.name, e.what()));
    }
  }
}

void check_query(const study& s, const query& q) {
  const evaluator checked(s, q);
}

query_result run_query(const study& s, const query& q) {
  evaluator e(s, q);
  const detail::attribution who(s);
  query_result r;
  r.expression = q.expression;
  std::vector<std::size_t> cases;
  for (std::size_t d = 0; d < s.documents.size(); ++d) {
    const auto found = e.run(d);
    if (found.empty()) continue;
    const auto& doc = s.documents[d];
    const text_index index(doc.text);
    for (const auto& x : found) {
      query_passage p;
      p.doc = doc.id;
      p.where = {x.start, x.end};
      p.reference = reference(doc, p.where, index);
      who.cases_of(d, x.start, x.end, cases);
      for (const auto k : cases) p.cases.push_back(s.cases[k].id);
      p.text = std::string(index.slice(x.start, x.end));
      r.passages.push_back(std::move(p));
    }
  }
  return r;
}

namespace {

// The rows' evaluators, each scoped to options.coder.
std::vector<evaluator> evaluators(const study& s, const std::vector<query_row>& rows,
                                  const matrix_options& options) {
  detail::check_coder(s, options.coder);
  std::vector<evaluator> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.emplace_back(s, r.q,
                     options.coder ? scope(std::set<std::string>{*options.coder}) : std::nullopt);
  return out;
}

}  // namespace

matrix compute_query_matrix(const study& s, const std::vector<query_row>& rows,
                            const matrix_options& options) {
  auto evals = evaluators(s, rows, options);
  matrix m;
  m.by = options.by.empty() ? s.fw.group_attribute : options.by;
  m.what = options.what;
  m.level = matrix_level::query;
  auto cols = detail::make_columns(s, m.by, detail::cases_passing(s, options.where));
  m.columns = std::move(cols.list);
  m.n = cols.n;
  for (const auto& r : rows)
    m.rows.push_back({r.id, r.label, 0, std::vector<double>(m.columns.size(), 0.0), 0.0});
  std::set<std::string> coders;
  for (const auto& c : s.codings)
    if (!options.coder || c.coder == *options.coder) coders.insert(c.coder);
  m.coders.assign(coders.begin(), coders.end());

  const detail::attribution who(s);
  detail::matrix_tally tally(s, who, m, cols.of_case, rows.size());
  std::vector<std::size_t> cases;
  std::vector<char> columns;
  // Each passage is one segment of its row, speaking for the cases the turn rule gives it.
  const auto add = [&](std::size_t r, std::size_t d, const interval& x) {
    who.cases_of(d, x.start, x.end, cases);
    tally.cover(r, x.start, x.end, cases);
    tally.columns_of(cases, columns);
    tally.count(r, columns);
  };
  for (std::size_t d = 0; d < s.documents.size(); ++d) {
    tally.begin(d);
    intervals any;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const auto found = evals[r].run(d);
      for (const auto& x : found) add(r, d, x);
      any.insert(any.end(), found.begin(), found.end());
    }
    detail::merge(any);
    for (const auto& x : any) add(rows.size(), d, x);
    tally.end();
  }
  tally.fill(m);
  return m;
}

std::vector<quote> query_matrix_quotes(const study& s, const std::vector<query_row>& rows,
                                       const matrix_options& options) {
  auto evals = evaluators(s, rows, options);
  const auto by = options.by.empty() ? s.fw.group_attribute : options.by;
  const auto cols = detail::make_columns(s, by, detail::cases_passing(s, options.where));
  const detail::attribution who(s);
  detail::text_indexes texts(s);
  std::vector<quote> out;
  std::vector<std::size_t> cases;
  for (std::size_t d = 0; d < s.documents.size(); ++d) {
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (const auto& x : evals[r].run(d)) {
        who.cases_of(d, x.start, x.end, cases);
        for (const auto k : cases) {
          if (cols.of_case[k] < 0) continue;
          auto q = detail::quote_of(s, texts, d, {x.start, x.end}, k);
          q.code = q.row = rows[r].id;
          q.code_path = rows[r].label;
          q.column = cols.list[static_cast<std::size_t>(cols.of_case[k])].id;
          out.push_back(std::move(q));
        }
      }
    }
  }
  return out;
}

}  // namespace coding
