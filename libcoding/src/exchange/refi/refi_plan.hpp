#pragma once
// REFI-QDA import, the plan and apply stages. The plan stage (refi_plan.cpp) matches the read
// model (refi_model.hpp) against the project as it is (project_index): which codes, users,
// variables, documents, cases, codings and chart summaries are new and which the project
// knows by GUID, and what cannot be carried over; the result is an import_plan. The apply
// stage (refi_apply.cpp) makes the plan one change of the project and finishes the report.
// Private to the library.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "coding/refi.hpp"
#include "refi_internal.hpp"
#include "refi_model.hpp"

namespace coding::detail::refi {

// What the project holds as the import finds it, looked up by GUID.
struct project_index {
  std::optional<framework> fw;
  guid_book guids;  // the project's GUIDs as the import found them
  std::map<std::string, std::string> code_by_guid, case_by_guid, doc_by_guid, variable_by_guid,
      user_by_guid;
  std::set<std::string> case_ids, doc_ids, attributes, coders;
  std::set<std::string> passages;  // "doc:start:end" of the project's codings
  std::set<std::int64_t> coding_ids;
  std::map<guid_key, std::string> stored;
  std::map<std::string, summary> summaries;  // "case:code" -> the project's summary
};

project_index index_project(project& p);

// --- the plan --------------------------------------------------------------------------------

struct planned_code {
  code c;
  std::string parent;  // full id, "" for a theme
  std::string guid;
};

struct planned_document {
  document doc;
  std::string guid;
  bool known = false;     // a document of the project (same GUID): re-imported
  std::string memo_guid;  // the Note of doc.memo (the file's memo on the source), if any
};

// A text source that becomes a document, with how its positions map onto the stored text.
struct source_plan {
  file_source* source = nullptr;
  std::string id;
  std::string raw;  // UTF-8 without BOM
  std::unique_ptr<position_map> map;
  std::size_t doc = 0;  // index into import_plan::documents
};

struct planned_case {
  std::string id, label, guid;
  bool known = false;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::string> sources;  // source GUIDs
};

struct planned_coding {
  new_coding c;
  std::string guid, selection_guid, memo_guid;
};

struct planned_summary {
  std::string case_id, code, text, guid;
  bool draft = false;
  std::string author, updated;                             // "" when the Note names no user or date
  std::vector<std::pair<std::string, std::string>> links;  // kind key, GUID
  bool unchanged = false;                                  // the project has this summary already
};

// A case's memo: the Notes linked to the case alone.
struct planned_case_memo {
  std::string text, guid, link;  // the (first) Note's GUID and its link's
};

struct import_plan {
  refi_import_result report;  // as far as planning can fill it in

  std::map<std::string, std::string> code_map, user_map, variable_map,
      case_map;  // file GUID -> id
  std::vector<planned_code> new_codes;
  std::map<std::string, std::string> new_users, new_variables;  // name -> GUID
  std::vector<planned_document> documents;
  std::vector<source_plan> sources;
  std::map<std::string, std::size_t> source_index;  // source GUID -> index into sources
  std::set<std::string> skipped_sources;
  std::vector<planned_case> cases;
  std::vector<planned_coding> codings;
  std::vector<planned_summary> summaries;
  std::map<std::string, planned_case_memo> case_memos;  // case id -> memo
  std::set<std::string> used_notes, used_links;
  std::size_t no_coder = 0, missing_guids = 0, nameless_used = 0;
};

// What planning reads. The model is changed only where it lacks GUIDs: entities without one
// are given one made from the file's name and their own.
struct plan_inputs {
  project& p;
  file_model& m;
  const data_note& note;
  const project_index& now;
  const std::string& file;
  const refi_import_options& options;
  const zip_archive* archive;  // null for a .qdc
  loss_list& losses;
};

// Plans the import. Throws parse_error for a source whose text is not valid UTF-8.
import_plan plan_import(const plan_inputs& in);

// Applies `plan` to the project in one change (none with options.dry_run) and returns the
// finished report; `now` is the index planning used.
refi_import_result apply_plan(project& p, import_plan plan, const project_index& now,
                              const file_model& m, const data_note& note, const std::string& file,
                              const refi_import_options& options);

}  // namespace coding::detail::refi
