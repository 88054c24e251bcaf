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
#include "coding/project.hpp"
#include "coding/records.hpp"
#include "coding/search.hpp"
#include "coding/speakers.hpp"

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

/// The history as JSON: [{"id", "time", "coder", "command", "summary", "undone",
/// "compacted"}].
void write_history_json(std::ostream& out, const std::vector<history_entry>& entries);

/// Saved queries as JSON: [{"name", "expression", "author", "updated"}], by name.
void write_saved_queries_json(std::ostream& out, const std::vector<saved_query>& queries);

/// The framework as an indented tree of ids and labels, then the groups.
void write_framework_tree(std::ostream& out, const framework& fw);

// Listings of the analysis layer's results.

/// Hits as `json` (an array of {"doc", "start", "end", "line", "speaker", "case", "group",
/// "before", "match", "after"}). Throws input_error for other formats.
void write_hits_json(std::ostream& out, const std::vector<hit>& hits);

/// Word frequencies as `table` or `json` ({"by", "columns", "rows": [{"word", "total",
/// "counts"}]}). Throws input_error for other formats.
void write_word_frequencies(std::ostream& out, const word_frequencies& w, format f);

/// Speakers as `table` (document, speaker, role, case, group, turns, characters, codings;
/// role is "case", "interviewer" or "unmapped", with " (mapped)" when declared), `csv`
/// (the same columns) or `json` (an array of objects with those keys, "declared" a
/// boolean and "case"/"group" null when none). Throws input_error for other formats.
void write_speaker_list(std::ostream& out, const std::vector<speaker_listing>& speakers, format f);

/// Cases as `table` (case, label, each attribute, documents as "G01 (3 turns)" with
/// "interview" for a one-to-one interview), `csv` (the same) or `json` (an array of
/// {"id", "label", "attributes": {...}, "documents": [{"doc", "interview", "turns"}]}).
/// Throws input_error for other formats.
void write_case_list(std::ostream& out, const std::vector<case_listing>& cases, format f);

/// The summaries file `summary export` writes, to edit in a spreadsheet and read back
/// with parse_summaries_csv: one row per case and sub-theme of `theme` (every theme when
/// empty) that has a summary or coded passages, in chart order, with the columns group,
/// case, code, label, summary, draft ("yes" for drafts), base (content_hash of the
/// summary, "" when none: leave it alone) and passages ("[T07 l.12-18] text" per line).
/// The study must hold the texts.
void write_summaries_csv(std::ostream& out, const study& s, const std::string& theme);

// Readers of the files researchers edit: codings, cases and summaries.

/// Reads codings from a CSV file (columns doc,start,end,code,coder[,memo][,text][,created][,review]
/// in any order, named by a header row) or a JSON file (an array of objects with those
/// keys), chosen by the extension. Throws parse_error for a malformed row, naming the
/// row and column, and input_error for a file that cannot be read.
std::vector<new_coding> read_codings(const std::string& path);

/// Parses codings CSV text; `file` names it in messages.
std::vector<new_coding> parse_codings_csv(std::string_view text, std::string_view file);

/// Parses codings JSON text; `file` names it in messages.
std::vector<new_coding> parse_codings_json(std::string_view text, std::string_view file);

/// Reads a summaries file as `summary export` writes it: columns case, code, summary and
/// base (required), draft (yes/no, true/false, y/n, 1/0 in any case, or empty for no)
/// and any others (group, label, passages), which are ignored. Cell text is normalised (LF line
/// ends, NFC). Throws parse_error naming the row and column.
std::vector<summary_edit> parse_summaries_csv(std::string_view text, std::string_view file);

/// Reads cases CSV (first column `case`, then one column per attribute; an optional
/// `label` column gives the case's label; optional `doc` and `speaker` columns map a
/// speaker label in a document to the case, or with `doc` alone declare the document a
/// one-to-one interview with the case). Throws parse_error naming row and column.
std::vector<case_row> parse_cases_csv(std::string_view text, std::string_view file);

}  // namespace coding
