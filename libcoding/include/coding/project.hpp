#pragma once
/// \file
/// A qcode project: one SQLite file holding the framework, the transcripts, the cases
/// and the codings. Every changing call is one transaction: when it throws, the project
/// is left exactly as it was.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "coding/codings.hpp"
#include "coding/document.hpp"
#include "coding/error.hpp"
#include "coding/framework.hpp"

namespace coding {

/// A respondent and its attributes.
struct case_record {
  std::string id;
  std::string label;
  std::map<std::string, std::string> attributes;
};

/// One row of a cases file: a case and the attributes to set on it.
struct case_row {
  std::string id;
  std::vector<std::pair<std::string, std::string>> attributes;
  location where;  ///< the row, for messages (column 1 is the case id)
};

/// A document as listed: everything but the text.
struct document_info {
  std::string id;
  std::string title;
  std::string source_name;
  std::optional<std::string> case_id;
  std::size_t length = 0;  ///< code points
  std::size_t lines = 0;
  std::size_t turns = 0;
  std::size_t codings = 0;
};

/// What an import did with each document.
struct import_result {
  std::vector<std::string> added;
  std::vector<std::string> replaced;   ///< same id, new text, no codings to shift
  std::vector<std::string> unchanged;  ///< same id and text: nothing to do
};

/// What adding codings did.
struct add_codings_result {
  std::size_t added = 0;
  std::size_t duplicates = 0;  ///< identical codings already present, left alone
};

/// Reads cases CSV (first column `case`, then one column per attribute; an optional
/// `label` column gives the case's label). Throws parse_error naming row and column.
std::vector<case_row> parse_cases_csv(std::string_view text, std::string_view file);

/// An open project file.
class project {
 public:
  /// The current schema version (PRAGMA user_version).
  static constexpr int schema_version = 1;

  /// Creates a new project file; throws input_error when `path` exists.
  static project create(const std::string& path, const framework* fw = nullptr);
  /// Opens an existing project, migrating an older schema forward. Throws input_error
  /// when the file does not exist or is not a qcode project.
  static project open(const std::string& path);

  project(project&&) noexcept;
  project& operator=(project&&) noexcept;
  ~project();

  const std::string& path() const noexcept;

  /// The project's framework (empty when it was created without one).
  std::optional<framework> get_framework() const;

  /// Documents in import order, without their text.
  std::vector<document_info> list_documents() const;
  /// Every document, with turns and speakers; with `with_text` false the text is left
  /// empty (enough for the matrix).
  std::vector<document> load_documents(bool with_text) const;
  /// One document with its text and turns.
  std::optional<document> find_document(std::string_view id) const;
  /// Ids of every document (for suggestions).
  std::vector<std::string> document_ids() const;

  /// Every case with its attributes, ordered by id.
  std::vector<case_record> cases() const;
  /// Names of every case attribute in use, sorted.
  std::vector<std::string> attribute_names() const;

  /// Every coding, ordered by document (import order), start, end, code, coder; with
  /// `with_text` each carries its passage.
  std::vector<coding_record> codings(bool with_text = false) const;

  /// Adds documents, creating the cases they name and setting the attributes they
  /// declare. A document whose id exists with the same text is left alone; with other
  /// text it is replaced when it has no codings and refused (input_error) otherwise.
  /// Duplicate ids within `docs` are refused.
  import_result import_documents(const std::vector<document>& docs);

  /// Sets case attributes. Every case must exist (input_error with a did-you-mean).
  std::size_t import_cases(const std::vector<case_row>& rows);

  /// Checks every coding against the project (document, code, range, text) and adds
  /// them all, or throws input_error for the first bad one and adds none.
  add_codings_result add_codings(const std::vector<new_coding>& codings);

  /// Runs SQLite's integrity check and the project's own: codings inside their
  /// documents, codes that exist, stored text that matches its hash, turns inside
  /// their documents. Returns one line per problem; empty when all is well.
  std::vector<std::string> check() const;

 private:
  struct impl;
  explicit project(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// The project file named by `explicit_path`, else $QCODE_PROJECT, else the one
/// *.qcode file in the working directory. Throws input_error when there is none or
/// more than one.
std::string find_project_path(const std::string& explicit_path);

}  // namespace coding
