#pragma once
/// \file
/// Coding queries: a small expression language over a project's codings (code terms,
/// AND, OR, NOT, positional operators, restrictions to speakers, case attributes, coders,
/// documents and words) whose value is a set of passages. The semantics, with pictures,
/// are in docs/queries.md.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/error.hpp"
#include "coding/quotes.hpp"
#include "coding/text.hpp"

namespace coding {

/// Bad query: a syntax error, or a name the study does not know. `column` is the 1-based
/// column (in characters) of the bad token in the expression; what() holds the message,
/// then the expression and a caret under that column on two more lines.
class query_error : public input_error {
 public:
  query_error(std::string_view expression, std::size_t column, std::string_view message);
  std::size_t column() const noexcept { return column_; }
  /// The message without the expression and caret.
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::size_t column_;
  std::string detail_;
};

/// One node of a parsed query.
struct query_node {
  enum class kind {
    code,         ///< `value` is a code id; `exact`: the code alone (`=code`), else with sub-codes
    speaker,      ///< speaker=CASE: the turns `value` (a case id) speaks
    attribute,    ///< ATTR=VALUE (`name`, `value`): what cases with that attribute value say
    coder,        ///< coder=NAME: what NAME coded; in an AND it scopes the other code terms
    doc,          ///< doc=ID: the whole document
    text,         ///< text~"words": the matches of `value`, as qcode search finds them
    and_,         ///< intersection of the two children
    or_,          ///< union of the two children
    not_,         ///< the document's text outside the child
    overlaps,     ///< passages of the first child sharing a character with the second's
    within,       ///< passages of the first child lying inside one of the second's
    near,         ///< passages of the first child within `distance` of one of the second's
    followed_by,  ///< passages of the first child that one of the second's follows within
                  ///< `distance`
    only,         ///< the parts of the child (a code term) that no other code covers
  };
  kind what = kind::code;
  std::string name;   ///< attribute: the attribute's name
  std::string value;  ///< code id, case, value, coder, document or words
  bool exact = false;
  std::size_t distance = 0;      ///< near, followed_by
  bool chars = false;            ///< near, followed_by: `distance` counts characters, not turns
  std::size_t column = 0;        ///< 1-based column of the node's token in the expression
  std::size_t value_column = 0;  ///< restrictions: the column of the value
  std::vector<query_node> children;
};

/// A parsed query: the expression as written and its tree.
struct query {
  std::string expression;
  query_node root;
};

/// Parses a query expression. Operators are case-insensitive; precedence from loosest:
/// OR, AND, NOT, the positional operators (OVERLAPS, WITHIN, NEAR/n, FOLLOWED BY/n, left
/// to right), ONLY. Throws query_error at the bad token.
/// Example: parse_query("(choice OR barriers) AND NOT group=jcp").
query parse_query(std::string_view expression);

/// One passage a query finds.
struct query_passage {
  std::string doc;
  span where;                      ///< code points into the document's text
  std::string reference;           ///< "T07 l.12-18", as other outputs cite passages
  std::vector<std::string> cases;  ///< the cases it counts for (the matrix's rule)
  std::string text;                ///< the passage
};

/// What a query found, with the expression it came from.
struct query_result {
  std::string expression;
  std::vector<query_passage> passages;  ///< in document order, then text order
};

/// Evaluates `q` on `s` (the documents' texts loaded: load_study(p, true)): for every
/// document the passages of docs/queries.md, merged. Throws query_error (with a
/// did-you-mean) for an unknown code, case, attribute, coder or document, for an attribute
/// value no case has, and for bad words after text~ (as find_matches does).
query_result run_query(const study& s, const query& q);

/// Checks every name in `q` (codes, cases, attributes and their values, coders, documents,
/// words after text~) against `s` as run_query does, without evaluating it. Throws
/// query_error as run_query does.
void check_query(const study& s, const query& q);

/// Parses every saved query `fw` carries (its `queries:`), so that a bad one is refused
/// before a project keeps it. Throws input_error naming `file`, the line and column of
/// the expression, the query's name and what query_error says.
void check_framework_queries(const framework& fw, std::string_view file);

/// One row of a matrix of queries.
struct query_row {
  std::string id;     ///< "query:NAME" for a saved query; "query" for one expression
  std::string label;  ///< the saved query's name, or the expression
  query q;
};

/// A matrix whose rows are queries (docs/queries.md#counting-by-group): for each row, the
/// measure `options.what` over the passages its query finds, per value of `options.by`
/// (each passage counts for the cases the matrix's turn rule gives it, as a coding does;
/// a passage is one segment). The Total row is the rows joined with OR. `options.where`
/// filters the cases as compute_matrix does; `options.coder` restricts every code term to
/// that coder's codings (a coder= inside the expression still applies where it is);
/// `options.level` is ignored: the matrix's level is matrix_level::query. Throws
/// query_error as run_query does, and input_error as compute_matrix does.
matrix compute_query_matrix(const study& s, const std::vector<query_row>& rows,
                            const matrix_options& options);

/// The result passages behind the cells of compute_query_matrix(s, rows, options), as
/// quotes (row: the row's id; column: the case's value of the matrix's attribute; code:
/// the row's id; code_path: its label): what clicking a cell shows. `s` must hold the
/// texts.
std::vector<quote> query_matrix_quotes(const study& s, const std::vector<query_row>& rows,
                                       const matrix_options& options);

}  // namespace coding
