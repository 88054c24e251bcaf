#pragma once
/// \file
/// REFI-QDA exchange (www.qdasoftware.org): a project as a .qdpx archive (project.qde and
/// the texts under sources/) and the codebook alone as a .qdc file, written and read so
/// that projects move between qcode and NVivo, ATLAS.ti, MAXQDA or QualCoder. What maps to
/// what is in docs/refi.md.

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "coding/project.hpp"

namespace coding {

/// Writes the project as a REFI-QDA project archive (.qdpx): `project.qde` (valid against
/// Project-mrt2019.xsd) and `sources/<GUID>.txt`, the stored text of each document (UTF-8,
/// no BOM), whose code points the selections count. Users are the coders; the framework is
/// the codebook; case attributes are Variables; cases carry their values and the documents
/// they speak in; codings carry coder and date; coding memos and chart summaries are Notes,
/// as are document memos (a NoteRef of the TextSource) and case memos (linked to the Case).
/// Every entity has its project::guid, so two exports of one project agree byte for byte.
/// Throws error when the archive cannot be built.
/// `progress`, when given, is called with (documents written, documents) as the archive is
/// built (for a progress bar; the library prints nothing).
void export_qdpx(const project& p, std::ostream& out,
                 const std::function<void(std::size_t done, std::size_t total)>& progress = {});

/// The `project.qde` XML that export_qdpx puts in the archive.
std::string export_qde(const project& p);

/// Writes the project's framework as a REFI-QDA codebook (.qdc, valid against
/// Codebook-mrt2019.xsd). Throws input_error when the project has no codes.
void export_qdc(const project& p, std::ostream& out);

/// How import_refi reads a file and what it does with it.
struct refi_import_options {
  bool dry_run = false;  ///< do everything and report, then change nothing
  bool accept_changes =
      false;  ///< as import_options: a known document with new text keeps its codings, flagged
  std::string coder;  ///< recorded for codings whose file names no coder; empty: default_coder()
  /// Caps against hostile archives: the total uncompressed size of a .qdpx (and the size of
  /// a .qdc), one entry's size, and the compression ratio checked from 1 MiB up.
  std::uint64_t max_total_bytes = std::uint64_t{1} << 30;
  std::uint64_t max_entry_bytes = std::uint64_t{256} << 20;
  std::uint64_t max_ratio = 200;
  int max_depth = 100;  ///< deepest element nesting accepted in the XML
  /// Called with (documents stored, documents to store) while the documents are imported,
  /// for a progress bar; the library prints nothing. Empty: not called.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

/// What import_refi did.
struct refi_import_result {
  std::string origin;        ///< the writing program, as the file names it ("" when it does not)
  std::string project_name;  ///< the Project's name (empty for a .qdc)
  std::size_t codes_added = 0;
  std::size_t codes_matched = 0;  ///< codes already in the project (same GUID)
  std::size_t coders = 0;         ///< users with codings
  std::size_t variables = 0;
  std::size_t cases_added = 0;
  std::size_t cases_updated = 0;
  std::vector<std::string> documents_added;
  std::vector<std::string> documents_replaced;  ///< known documents (same GUID) with new text
  std::vector<std::string> documents_unchanged;
  std::size_t codings_added = 0;
  std::size_t codings_present = 0;  ///< already in the project
  std::size_t memos = 0;            ///< coding memos
  std::size_t summaries = 0;        ///< chart summaries
  std::size_t queries = 0;          ///< saved queries added (ones the project has are kept)
  /// How positions were read, and other conversions worth knowing, one line each, e.g.
  /// "positions in 'Interview 1' counted in UTF-16 units with CRLF as two (NVivo)".
  std::vector<std::string> notes;
  /// What could not be carried over and why, one line each, e.g.
  /// "1 picture source ('photo.jpg') with 1 selection: qcode holds text transcripts only".
  std::vector<std::string> not_imported;
  std::size_t document_memos = 0;  ///< documents given the file's memo
  std::size_t case_memos = 0;      ///< cases given the file's memo
};

/// Imports a REFI-QDA project (.qdpx) or codebook (.qdc), chosen by the extension, into
/// `p`, which may be empty or hold a project already: codes, cases, variables, documents and
/// users are matched by GUID (never by name), new ones added. All of it is one change (one
/// history entry); when anything throws, the project is left exactly as it was.
/// Lenient with what other programs write (see docs/refi.md). Throws parse_error naming the
/// file (and entry, line and column where known) for a file that is not REFI-QDA, malformed
/// XML, a DTD, XML nested deeper than max_depth, an archive entry whose path leaves the
/// archive's folder, or an archive over the size or ratio caps; input_error for an unknown
/// extension or a file that cannot be read.
refi_import_result import_refi(project& p, const std::string& path,
                               const refi_import_options& options = {});

/// import_refi of a .qdpx archive's bytes; `file` names it in messages.
refi_import_result import_qdpx(project& p, std::string_view bytes, std::string_view file,
                               const refi_import_options& options = {});

/// import_refi of a .qdc codebook's bytes; `file` names it in messages.
refi_import_result import_qdc(project& p, std::string_view bytes, std::string_view file,
                              const refi_import_options& options = {});

}  // namespace coding
