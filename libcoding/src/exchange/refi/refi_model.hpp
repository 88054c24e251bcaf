#pragma once
// REFI-QDA import, the read stage (refi_read.cpp): a .qdpx project or a .qdc codebook as a
// plain model of what the file holds (file_model), the qcode data note among its notes
// (data_note), and the things that could not be carried over (loss_list). The plan stage
// (refi_plan.hpp) matches the model against a project. Also the small string helpers that
// every stage of the import uses. Private to the library.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coding/refi.hpp"
#include "coding/text.hpp"
#include "strings.hpp"
#include "zip.hpp"

namespace coding::detail::refi {

// --- small helpers ---------------------------------------------------------------------------

std::string trim(std::string_view s);
// "'name'", or "(no name)".
std::string named(std::string_view name);
// A size as people read it: "1000 bytes", "4 KiB", "3.0 KiB", "1024 MiB".
std::string size_text(std::uint64_t bytes);

// --- what could not be carried over -----------------------------------------------------------

class loss_list {
 public:
  // One thing of a kind (`one`/`many` name the kind) left out for `reason`; `detailed` kinds
  // list each item on a line of its own.
  void add(std::string_view one, std::string_view many, std::string_view reason, std::string item,
           bool detailed = false);

  std::vector<std::string> lines() const;

 private:
  struct entry {
    std::string key, one, many, reason;
    std::vector<std::string> items;
    bool detailed;
    std::size_t count;
  };
  std::vector<entry> entries_;
};

// --- the file as read ------------------------------------------------------------------------

struct file_code {
  std::string guid, name, color, description;
  std::vector<std::string> notes;
  int parent = -1;
};

struct file_value {
  std::string variable;  // GUID
  std::string value;
};

struct file_case {
  std::string guid, name, description;
  std::vector<file_value> values;
  std::vector<std::string> sources, selections, codes;
};

struct file_coding {
  std::string guid, code, user, date;
  std::vector<std::string> notes;
};

struct file_selection {
  std::string guid, name, description, user, date;
  std::optional<long long> start, end;
  std::vector<file_coding> codings;
  std::vector<std::string> notes;
};

struct file_source {
  std::string guid, name, description, path, user, date;
  std::optional<std::string> content;  // PlainTextContent
  std::vector<file_selection> selections;
  std::vector<file_coding> codings;  // on the whole source
  std::vector<std::string> notes;
  std::vector<file_value> values;
};

struct file_note {
  std::string guid, name, description, text, user, date;
};

struct file_link {
  std::string guid, name, origin, target;
};

struct file_model {
  bool codebook_only = false;
  std::string name, origin, description;
  std::map<std::string, std::string> users;  // GUID -> name
  std::vector<std::string> user_order;
  std::vector<file_code> codes;                                // depth-first
  std::vector<std::pair<std::string, std::string>> variables;  // GUID, name
  std::vector<file_case> cases;
  std::vector<file_source> sources;
  std::map<std::string, file_note> notes;
  std::vector<file_link> links;
  std::vector<std::string> project_notes;
};

// --- the data note ---------------------------------------------------------------------------

struct data_note {
  bool present = false;
  std::optional<framework> fw;                  // meta and groups only
  std::map<std::string, std::string> code_ids;  // code GUID -> local id
  struct case_info {
    std::string id, label;
  };
  std::map<std::string, case_info> cases;  // case GUID ->
  struct source_info {
    std::string id, title, case_id;
    std::vector<std::pair<std::string, std::string>> speakers;  // label, case id ("" none)
  };
  std::map<std::string, source_info> sources;  // source GUID ->
  std::vector<named_query> queries;            // saved queries
};

// --- reading ---------------------------------------------------------------------------------

// A REFI-QDA file as read: the model, its data note, what was left out while reading, and
// (for a .qdpx) the archive that holds the sources' text.
struct refi_file {
  std::unique_ptr<zip_archive> archive;  // null for a .qdc
  file_model model;
  data_note note;
  loss_list losses;
  std::size_t bad_guids = 0;  // GUIDs not in the standard's form
};

// Reads a .qdpx project held in `bytes` (named `file` in messages); the archive refers to
// `bytes`, which must outlive the result. Throws parse_error for a damaged or hostile file.
refi_file read_qdpx(std::string_view bytes, std::string_view file,
                    const refi_import_options& options);

// Reads a .qdc codebook held in `bytes`. Throws parse_error for a damaged or hostile file, or
// one that is not a codebook or has no codes.
refi_file read_qdc(std::string_view bytes, std::string_view file,
                   const refi_import_options& options);

}  // namespace coding::detail::refi
