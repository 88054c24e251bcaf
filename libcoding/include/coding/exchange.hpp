#pragma once
/// \file
/// Writers for what qcode prints and exports: matrices, codings and documents as
/// aligned text tables, CSV (RFC 4180) and JSON.

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "coding/analysis.hpp"
#include "coding/chart.hpp"
#include "coding/codings.hpp"
#include "coding/cooccur.hpp"
#include "coding/document.hpp"
#include "coding/framework.hpp"

namespace coding {

struct document_info;
struct history_entry;
struct summary;
class speaker_index;

/// Output formats.
enum class format { table, csv, json, text, lines, md, html, xlsx };

/// Parses a format name, accepting only those in `allowed`; throws input_error naming
/// the allowed ones and a did-you-mean.
format parse_format(std::string_view name, const std::vector<format>& allowed);
std::string_view to_string(format f);

/// One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180).
std::string csv_field(std::string_view value);
/// One CSV record of `fields`, ending in LF.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

/// Rows of cells as a table aligned by display width, with a rule under the header.
/// Cells (and header cells) wider than `wrap_width` display columns are wrapped at
/// word boundaries onto several lines; 0 never wraps.
void write_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& right_aligned = {}, std::size_t wrap_width = 0);

/// A matrix as `table`, `csv` or `json` (the JSON shape is in docs/cli.md).
void write_matrix(std::ostream& out, const matrix& m, format f);

/// Charts as `table` (one aligned table per chart, cells wrapped), `csv` (one chart:
/// group, case, label, the attributes, then a column per sub-theme) or `json` (an array
/// of charts; the shape is in docs/cli.md). Throws input_error for csv with several charts.
void write_charts(std::ostream& out, const std::vector<chart>& charts, format f);

/// The text of a chart cell as tables and CSV show it: per entry the summary ("[draft] "
/// before a draft), the references on the next line, then each quote in curly quotes;
/// group rows put the case id before each entry ("K2: ...").
std::string chart_cell_text(const chart_cell& cell, bool group_rows);

/// Co-occurrence tables as `table`, `csv` (table, code, label, then one column per code)
/// or `json` ({"level", "by", "codes": [{"code", "label"}], "tables": [{"id", "label",
/// "n", "counts": [[...]]}]}).
void write_cooccurrence(std::ostream& out, const cooccurrence& c, format f);

/// Summaries as `table` (case, code, summary; drafts marked) or `json` (an array of
/// {"case", "code", "summary", "draft", "author", "updated"}).
void write_summaries(std::ostream& out, const std::vector<summary>& summaries, format f);

/// Codings (with their text) as `csv` (doc,start,end,code,coder,memo,created,review,text) or
/// `json` (an array of objects with those keys).
void write_codings(std::ostream& out, const std::vector<coding_record>& codings, format f);

/// Codings as above, each followed by who it speaks for, as `who` (an index of the
/// codings' study) answers: CSV gains the columns `case`, `group` and `speaker` after
/// `text` (each list joined by "; " in text order, empty for nobody), JSON the arrays
/// `cases`, `groups` and `speakers`. read_codings accepts and ignores them, so the export
/// reads back. Example: write_codings(out, p.codings(true), format::csv, speaker_index(s)).
void write_codings(std::ostream& out, const std::vector<coding_record>& codings, format f,
                   const speaker_index& who);

/// The document list as `table` or `json`.
void write_document_list(std::ostream& out, const std::vector<document_info>& docs, format f);

/// One document: `text` (the stored text exactly), `lines` (numbered lines) or `json`
/// ({"id", "title", "text", "turns": [{"speaker", "case", "start", "end", "time"}]}).
void write_document(std::ostream& out, const document& doc, format f);

/// The history as JSON: [{"id", "time", "coder", "command", "summary", "undone"}].
void write_history_json(std::ostream& out, const std::vector<history_entry>& entries);

/// The framework as an indented tree of ids and labels, then the groups.
void write_framework_tree(std::ostream& out, const framework& fw);

}  // namespace coding
