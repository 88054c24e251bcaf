// REFI-QDA export: a project as project.qde plus sources/<GUID>.txt in a .qdpx archive, and
// the framework alone as a .qdc codebook. The mapping is described in docs/refi.md.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "coding/refi.hpp"
#include "coding/version.hpp"
#include "refi_common.hpp"
#include "strings.hpp"
#include "zip.hpp"

namespace coding {
namespace {

using detail::is_xsd_datetime;

std::string origin() {
  return fmt::format("qcode {}", version());
}

bool valid_color(std::string_view c) {
  return c.size() == 7 && c[0] == '#' && std::all_of(c.begin() + 1, c.end(), [](char x) {
           return std::isxdigit(static_cast<unsigned char>(x));
         });
}

std::string to_xml(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

pugi::xml_node root_element(pugi::xml_document& doc, const char* name, std::string_view ns,
                            std::string_view schema_location) {
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "utf-8";
  auto root = doc.append_child(name);
  root.append_attribute("xmlns") = std::string(ns).c_str();
  root.append_attribute("xmlns:xsi") = "http://www.w3.org/2001/XMLSchema-instance";
  root.append_attribute("xsi:schemaLocation") = std::string(schema_location).c_str();
  return root;
}

// `s` with the characters XML 1.0 cannot hold, even escaped, made a space (the control
// characters other than tab, LF and CR) or U+FFFD (U+FFFE and U+FFFF). A transcript may hold
// them (a form feed from a page break); the source file keeps them, only the XML loses them.
std::string xml_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      out += ' ';
    } else if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE) {
      out += "\xEF\xBF\xBD";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void set(pugi::xml_node node, const char* name, const std::string& value) {
  node.append_attribute(name) = xml_safe(value).c_str();
}

void add_text(pugi::xml_node parent, const char* name, const std::string& text) {
  parent.append_child(name).text().set(xml_safe(text).c_str());
}

// Everything the export reads from the project, once.
struct snapshot {
  const project& p;
  std::optional<framework> fw;
  std::vector<document> docs;
  std::vector<case_record> cases;
  std::vector<std::string> attributes;
  std::vector<coding_record> codings;
  std::vector<summary> summaries;
  std::vector<saved_query> queries;
  guid_book guids;

  explicit snapshot(const project& proj)
      : p(proj),
        fw(proj.get_framework()),
        docs(proj.documents().load(true)),
        cases(proj.cases().list()),
        attributes(proj.cases().attribute_names()),
        codings(proj.codings().list(true)),
        summaries(proj.summaries().list()),
        queries(proj.queries().list()),
        guids(proj.guids().book()) {}

  std::string guid(guid_kind kind, std::string_view key) const { return guids(kind, key); }

  std::string name() const {
    if (fw && !fw->title.empty()) return fw->title;
    return std::filesystem::path(p.path()).stem().string();
  }
};

void write_code(pugi::xml_node parent, const snapshot& s, std::size_t index) {
  const auto& fw = *s.fw;
  const auto& c = fw.codes[index];
  auto node = parent.append_child("Code");
  set(node, "guid", s.guid(guid_kind::code, c.id));
  set(node, "name", c.label);
  set(node, "isCodable", "true");
  if (valid_color(c.color)) set(node, "color", detail::ascii_lower(c.color));
  const auto description =
      detail::compose_description(c.description, {c.include, c.exclude, c.example});
  if (!description.empty()) add_text(node, "Description", description);
  for (std::size_t i = index + 1; i < fw.codes.size(); ++i)
    if (fw.codes[i].parent == static_cast<int>(index)) write_code(node, s, i);
}

void write_codes(pugi::xml_node parent, const snapshot& s) {
  auto codes = parent.append_child("Codes");
  for (std::size_t i = 0; i < s.fw->codes.size(); ++i)
    if (s.fw->codes[i].parent < 0) write_code(codes, s, i);
}

// The cases a document is linked to: its respondent and every case that speaks in it.
std::vector<std::string> cases_of(const document& d) {
  std::vector<std::string> out;
  auto add = [&](const std::optional<std::string>& id) {
    if (id && std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  };
  add(d.case_id);
  for (const auto& sp : d.speakers) add(sp.case_id);
  return out;
}

// The data note: what REFI-QDA has no element for, keyed by GUID (see refi_common.hpp).
std::string data_note(const snapshot& s) {
  YAML::Emitter y;
  y << YAML::BeginMap;
  y << YAML::Key << "qcode" << YAML::Value << 1;
  if (s.fw) {
    const auto& fw = *s.fw;
    y << YAML::Key << "framework" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "id" << YAML::Value << fw.id;
    y << YAML::Key << "title" << YAML::Value << fw.title;
    if (!fw.description.empty()) y << YAML::Key << "description" << YAML::Value << fw.description;
    if (!fw.source.empty()) y << YAML::Key << "source" << YAML::Value << fw.source;
    y << YAML::Key << "group_attribute" << YAML::Value << fw.group_attribute;
    y << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
    for (const auto& g : fw.groups)
      y << YAML::Flow << YAML::BeginMap << YAML::Key << "id" << YAML::Value << g.id << YAML::Key
        << "label" << YAML::Value << g.label << YAML::EndMap;
    y << YAML::EndSeq << YAML::EndMap;
    y << YAML::Key << "codes" << YAML::Value << YAML::BeginMap;
    for (const auto& c : fw.codes)
      y << YAML::Key << s.guid(guid_kind::code, c.id) << YAML::Value << c.local_id;
    y << YAML::EndMap;
  }
  y << YAML::Key << "cases" << YAML::Value << YAML::BeginMap;
  for (const auto& c : s.cases)
    y << YAML::Key << s.guid(guid_kind::case_, c.id) << YAML::Value << YAML::Flow << YAML::BeginMap
      << YAML::Key << "id" << YAML::Value << c.id << YAML::Key << "label" << YAML::Value << c.label
      << YAML::EndMap;
  y << YAML::EndMap;
  if (!s.queries.empty()) {
    y << YAML::Key << "queries" << YAML::Value << YAML::BeginSeq;
    for (const auto& q : s.queries)
      y << YAML::BeginMap << YAML::Key << "name" << YAML::Value << q.name << YAML::Key
        << "expression" << YAML::Value << q.expression << YAML::EndMap;
    y << YAML::EndSeq;
  }
  y << YAML::Key << "sources" << YAML::Value << YAML::BeginMap;
  for (const auto& d : s.docs) {
    y << YAML::Key << s.guid(guid_kind::source, d.id) << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "id" << YAML::Value << d.id;
    y << YAML::Key << "title" << YAML::Value << d.title;
    if (d.case_id) y << YAML::Key << "case" << YAML::Value << *d.case_id;
    // Every label that has turns, with its case ("" for none), so that the same turns
    // come back.
    y << YAML::Key << "speakers" << YAML::Value << YAML::BeginSeq;
    for (const auto& sp : d.speakers)
      y << YAML::Flow << YAML::BeginSeq << sp.label << sp.case_id.value_or("") << YAML::EndSeq;
    y << YAML::EndSeq << YAML::EndMap;
  }
  y << YAML::EndMap;
  y << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

void add_note(pugi::xml_node notes, const std::string& guid, const std::string& name,
              const std::string& text, const std::string& user_guid, const std::string& date,
              const std::string& description = "") {
  auto note = notes.append_child("Note");
  set(note, "guid", guid);
  set(note, "name", name);
  if (!user_guid.empty()) set(note, "creatingUser", user_guid);
  if (is_xsd_datetime(date)) set(note, "creationDateTime", date);
  if (!description.empty()) add_text(note, "Description", description);
  add_text(note, "PlainTextContent", text);
}

// A user's GUID, or "" for no user.
std::string user_guid(const snapshot& s, const std::string& name) {
  return name.empty() ? std::string() : s.guid(guid_kind::user, name);
}

// <Users>: everyone who coded or wrote a chart summary.
void write_users(pugi::xml_node root, const snapshot& s) {
  std::set<std::string> coders;
  for (const auto& c : s.codings) coders.insert(c.coder);
  for (const auto& x : s.summaries)
    if (!x.author.empty()) coders.insert(x.author);
  if (coders.empty()) return;
  auto users = root.append_child("Users");
  for (const auto& name : coders) {
    auto u = users.append_child("User");
    set(u, "guid", user_guid(s, name));
    set(u, "name", name);
  }
}

// <Variables>: the case attributes.
void write_variables(pugi::xml_node root, const snapshot& s) {
  if (s.attributes.empty()) return;
  auto variables = root.append_child("Variables");
  for (const auto& name : s.attributes) {
    auto v = variables.append_child("Variable");
    set(v, "guid", s.guid(guid_kind::variable, name));
    set(v, "name", name);
    set(v, "typeOfVariable", "Text");
  }
}

// <Cases>: each with its attribute values and the sources it belongs to.
void write_cases(pugi::xml_node root, const snapshot& s) {
  if (s.cases.empty()) return;
  auto cases = root.append_child("Cases");
  for (const auto& c : s.cases) {
    auto node = cases.append_child("Case");
    set(node, "guid", s.guid(guid_kind::case_, c.id));
    set(node, "name", c.id);
    if (!c.label.empty() && c.label != c.id) add_text(node, "Description", c.label);
    for (const auto& [name, value] : c.attributes) {
      auto vv = node.append_child("VariableValue");
      set(vv.append_child("VariableRef"), "targetGUID", s.guid(guid_kind::variable, name));
      add_text(vv, "TextValue", value);
    }
    for (const auto& d : s.docs) {
      const auto linked = cases_of(d);
      if (std::find(linked.begin(), linked.end(), c.id) != linked.end())
        set(node.append_child("SourceRef"), "targetGUID", s.guid(guid_kind::source, d.id));
    }
  }
}

// <Sources>: a TextSource per document, its text in sources/<GUID>.txt (added to `sources`
// when given), one selection per coded passage; the codings' memos go into `notes`.
void write_sources(pugi::xml_node root, pugi::xml_node notes, const snapshot& s,
                   std::vector<std::pair<std::string, std::string>>* sources,
                   const std::function<void(std::size_t, std::size_t)>& progress) {
  if (s.docs.empty()) return;
  std::size_t done = 0;
  auto sources_node = root.append_child("Sources");
  std::map<std::string, std::vector<const coding_record*>> by_doc;
  for (const auto& c : s.codings) by_doc[c.doc].push_back(&c);
  for (const auto& d : s.docs) {
    if (progress) progress(done++, s.docs.size());
    const auto guid = s.guid(guid_kind::source, d.id);
    const auto file = guid + ".txt";
    if (sources) sources->emplace_back("sources/" + file, d.text);
    auto node = sources_node.append_child("TextSource");
    set(node, "guid", guid);
    set(node, "name", d.id);
    set(node, "plainTextPath", "internal://" + file);
    if (!d.title.empty() && d.title != d.id) add_text(node, "Description", d.title);
    // One selection per passage, holding the codings of every code and coder on it.
    std::map<std::pair<std::size_t, std::size_t>, std::vector<const coding_record*>> passages;
    for (const auto* c : by_doc[d.id]) passages[{c->start, c->end}].push_back(c);
    for (const auto& [at, list] : passages) {
      auto sel = node.append_child("PlainTextSelection");
      set(sel, "guid",
          s.guid(guid_kind::selection, fmt::format("{}:{}:{}", d.id, at.first, at.second)));
      set(sel, "name", list.front()->text);
      set(sel, "startPosition", std::to_string(at.first));
      set(sel, "endPosition", std::to_string(at.second));
      set(sel, "creatingUser", user_guid(s, list.front()->coder));
      std::string earliest;
      for (const auto* c : list)
        if (is_xsd_datetime(c->created) && (earliest.empty() || c->created < earliest))
          earliest = c->created;
      if (!earliest.empty()) set(sel, "creationDateTime", earliest);
      for (const auto* c : list) {
        auto coding = sel.append_child("Coding");
        const auto id = std::to_string(c->id);
        set(coding, "guid", s.guid(guid_kind::coding, id));
        set(coding, "creatingUser", user_guid(s, c->coder));
        if (is_xsd_datetime(c->created)) set(coding, "creationDateTime", c->created);
        set(coding.append_child("CodeRef"), "targetGUID", s.guid(guid_kind::code, c->code));
        if (c->memo.empty()) continue;
        const auto memo = s.guid(guid_kind::memo, id);
        set(coding.append_child("NoteRef"), "targetGUID", memo);
        add_note(notes, memo, fmt::format("Memo: {} {}:{} {}", d.id, c->start, c->end, c->code),
                 c->memo, user_guid(s, c->coder), c->created);
      }
    }
    if (!d.memo.empty()) {
      const auto memo = s.guid(guid_kind::memo, "doc:" + d.id);
      set(node.append_child("NoteRef"), "targetGUID", memo);
      add_note(notes, memo, fmt::format("Memo: document {}", d.id), d.memo, "", "");
    }
  }
  if (progress) progress(s.docs.size(), s.docs.size());
}

struct qde_link {
  std::string guid, name, origin, target;
};

// Chart summaries: a Note per (case, code) into `notes`, linked to both, since a Case has no
// NoteRef; returns the links.
std::vector<qde_link> write_summaries(pugi::xml_node notes, const snapshot& s) {
  std::vector<qde_link> links;
  for (const auto& x : s.summaries) {
    const auto key = x.case_id + ":" + x.code;
    const auto guid = s.guid(guid_kind::summary, key);
    add_note(notes, guid, fmt::format("Chart summary: {}, {}", x.case_id, x.code), x.text,
             user_guid(s, x.author), x.updated, x.draft ? "draft" : "");
    links.push_back({s.guid(guid_kind::link, "summary-case:" + key), "chart summary of case", guid,
                     s.guid(guid_kind::case_, x.case_id)});
    links.push_back({s.guid(guid_kind::link, "summary-code:" + key), "chart summary of code", guid,
                     s.guid(guid_kind::code, x.code)});
  }
  return links;
}

// Case memos: a Note per case into `notes`, linked to its case (a Case has no NoteRef);
// adds the links to `links`.
void write_case_memos(pugi::xml_node notes, const snapshot& s, std::vector<qde_link>& links) {
  for (const auto& c : s.cases) {
    if (c.memo.empty()) continue;
    const auto guid = s.guid(guid_kind::memo, "case:" + c.id);
    add_note(notes, guid, fmt::format("Memo: case {}", c.id), c.memo, "", "");
    links.push_back({s.guid(guid_kind::link, "memo-case:" + c.id), "memo of case", guid,
                     s.guid(guid_kind::case_, c.id)});
  }
}

void write_links(pugi::xml_node root, const std::vector<qde_link>& links) {
  if (links.empty()) return;
  auto node = root.append_child("Links");
  for (const auto& l : links) {
    auto link = node.append_child("Link");
    set(link, "guid", l.guid);
    set(link, "name", l.name);
    set(link, "direction", "OneWay");
    set(link, "originGUID", l.origin);
    set(link, "targetGUID", l.target);
  }
}

// project.qde, its sections in the order the schema gives them; the sources' text is added
// to `sources` when given.
std::string build_qde(const snapshot& s, std::vector<std::pair<std::string, std::string>>* sources,
                      const std::function<void(std::size_t, std::size_t)>& progress = {}) {
  pugi::xml_document xml;
  auto root =
      root_element(xml, "Project", detail::kProjectNamespace, detail::kProjectSchemaLocation);
  set(root, "name", s.name());
  set(root, "origin", origin());
  write_users(root, s);
  if (s.fw && !s.fw->codes.empty()) write_codes(root.append_child("CodeBook"), s);
  write_variables(root, s);
  write_cases(root, s);
  // Notes are gathered while the sources are written and placed after them, as the schema
  // orders them.
  pugi::xml_document notes_holder;
  auto notes = notes_holder.append_child("Notes");
  write_sources(root, notes, s, sources, progress);
  auto links = write_summaries(notes, s);
  write_case_memos(notes, s, links);
  const auto data_guid = s.guid(guid_kind::note, "qcode");
  add_note(notes, data_guid, std::string(detail::kDataNoteName), data_note(s), "", "",
           "Ids and settings that qcode reads back on import; other programs may ignore it.");
  root.append_copy(notes);
  write_links(root, links);
  if (s.fw && !s.fw->description.empty()) add_text(root, "Description", s.fw->description);
  set(root.append_child("NoteRef"), "targetGUID", data_guid);
  return to_xml(xml);
}

}  // namespace

std::string export_qde(const project& p) {
  return build_qde(snapshot(p), nullptr);
}

void export_qdpx(const project& p, std::ostream& out,
                 const std::function<void(std::size_t, std::size_t)>& progress) {
  const snapshot s(p);
  std::vector<std::pair<std::string, std::string>> entries;
  std::vector<std::pair<std::string, std::string>> sources;
  entries.emplace_back("project.qde", build_qde(s, &sources, progress));
  for (auto& e : sources) entries.push_back(std::move(e));
  const auto bytes = detail::write_zip(entries, static_cast<std::time_t>(detail::kArchiveTime));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw error("cannot write the .qdpx archive");
}

void export_qdc(const project& p, std::ostream& out) {
  const snapshot s(p);
  if (!s.fw || s.fw->codes.empty())
    throw input_error(
        "the project has no codes, so there is no codebook to export; give it a framework with "
        "'qcode framework update FRAMEWORK.yaml'");
  pugi::xml_document xml;
  auto root =
      root_element(xml, "CodeBook", detail::kCodebookNamespace, detail::kCodebookSchemaLocation);
  set(root, "origin", origin());
  write_codes(root, s);
  out << to_xml(xml);
}

}  // namespace coding
