// REFI-QDA import, the read stage: a .qdpx archive or a .qdc codebook, checked for damage and
// hostility, and its XML read leniently (any namespace, any letter case) into the plain model
// of refi_model.hpp, with the qcode data note among its notes. Nothing here knows the project.

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <pugixml.hpp>

#include "refi_common.hpp"
#include "refi_internal.hpp"
#include "refi_model.hpp"
#include "yaml_guard.hpp"

namespace coding::detail::refi {

// --- small helpers ---------------------------------------------------------------------------

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string named(std::string_view name) {
  return name.empty() ? std::string("(no name)") : fmt::format("'{}'", name);
}
// A size as people read it: "1000 bytes", "4 KiB", "3.0 KiB", "1024 MiB".
std::string size_text(std::uint64_t bytes) {
  const auto in = [&](std::uint64_t unit, std::string_view name) {
    if (bytes % unit == 0) return fmt::format("{} {}", bytes / unit, name);
    return fmt::format("{:.1f} {}", static_cast<double>(bytes) / static_cast<double>(unit), name);
  };
  if (bytes >= (std::uint64_t{1} << 20)) return in(std::uint64_t{1} << 20, "MiB");
  if (bytes >= 1024) return in(1024, "KiB");
  return fmt::format("{} bytes", bytes);
}

// --- what could not be carried over -----------------------------------------------------------

void loss_list::add(std::string_view one, std::string_view many, std::string_view reason,
                    std::string item, bool detailed) {
  const auto key = std::string(one) + '\x1f' + std::string(reason);
  auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.key == key; });
  if (it == entries_.end()) {
    entries_.push_back(
        {key, std::string(one), std::string(many), std::string(reason), {}, detailed, 0});
    it = entries_.end() - 1;
  }
  ++it->count;
  if (!item.empty()) it->items.push_back(std::move(item));
}

std::vector<std::string> loss_list::lines() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) {
    if (e.detailed) {
      out.push_back(fmt::format("{}: {}", plural(e.count, e.one, e.many), e.reason));
      for (std::size_t i = 0; i < e.items.size() && i < 20; ++i) out.push_back("  " + e.items[i]);
      if (e.items.size() > 20) out.push_back(fmt::format("  and {} more", e.items.size() - 20));
      continue;
    }
    std::string names;
    for (std::size_t i = 0; i < e.items.size() && i < 5; ++i) names += (i ? ", " : "") + e.items[i];
    if (e.items.size() > 5) names += fmt::format(" and {} more", e.items.size() - 5);
    out.push_back(names.empty() ? fmt::format("{}: {}", plural(e.count, e.one, e.many), e.reason)
                                : fmt::format("{} ({}): {}", plural(e.count, e.one, e.many), names,
                                              e.reason));
  }
  return out;
}

namespace {

// --- XML, whatever the namespace and letter case ----------------------------------------------

std::string_view local_name(const pugi::xml_node& n) {
  const std::string_view name = n.name();
  const auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is(const pugi::xml_node& n, std::string_view name) {
  return n.type() == pugi::node_element && iequals(local_name(n), name);
}

std::vector<pugi::xml_node> children(const pugi::xml_node& n, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (const auto c : n.children())
    if (is(c, name)) out.push_back(c);
  return out;
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (const auto c : n.children())
    if (is(c, name)) return c;
  return {};
}

std::string attr(const pugi::xml_node& n, std::string_view name) {
  for (const auto a : n.attributes()) {
    std::string_view an = a.name();
    if (const auto colon = an.rfind(':'); colon != std::string_view::npos)
      an = an.substr(colon + 1);
    if (iequals(an, name)) return trim(a.value());
  }
  return "";
}

// The text of an element, all its text and CDATA children together.
std::string text_of(const pugi::xml_node& n) {
  std::string out;
  for (const auto c : n.children())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  return out;
}

std::string child_text(const pugi::xml_node& n, std::string_view name) {
  const auto c = child(n, name);
  return c ? text_of(c) : std::string();
}

struct reader {
  file_model& m;
  loss_list& losses;
  std::size_t bad_guids = 0;

  // A GUID attribute, normalised; an invalid one is kept in lower case (it can still be
  // matched within the file) and counted.
  std::string guid(const pugi::xml_node& n, std::string_view name = "guid") {
    const auto raw = attr(n, name);
    if (raw.empty()) return "";
    if (auto g = normalize_guid(raw)) return *g;
    ++bad_guids;
    return detail::ascii_lower(raw);
  }

  std::vector<std::string> refs(const pugi::xml_node& n, std::string_view name) {
    std::vector<std::string> out;
    for (const auto r : children(n, name)) {
      const auto g = guid(r, "targetGUID");
      if (!g.empty()) out.push_back(g);
    }
    return out;
  }

  void code(const pugi::xml_node& n, int parent) {
    file_code c;
    c.guid = guid(n);
    c.name = attr(n, "name");
    c.color = attr(n, "color");
    c.description = child_text(n, "Description");
    c.notes = refs(n, "NoteRef");
    c.parent = parent;
    const int index = static_cast<int>(m.codes.size());
    m.codes.push_back(std::move(c));
    for (const auto sub : children(n, "Code")) code(sub, index);
  }

  void codes(const pugi::xml_node& codebook) {
    // <CodeBook><Codes><Code>, and leniently <CodeBook><Code>.
    const auto list = child(codebook, "Codes");
    for (const auto c : children(list ? list : codebook, "Code")) code(c, -1);
  }

  std::vector<file_value> values(const pugi::xml_node& n) {
    std::vector<file_value> out;
    for (const auto vv : children(n, "VariableValue")) {
      file_value v;
      v.variable = guid(child(vv, "VariableRef"), "targetGUID");
      for (const auto c : vv.children()) {
        if (c.type() != pugi::node_element || is(c, "VariableRef")) continue;
        v.value = trim(text_of(c));
      }
      if (!v.variable.empty()) out.push_back(std::move(v));
    }
    return out;
  }

  file_coding coding(const pugi::xml_node& n) {
    file_coding c;
    c.guid = guid(n);
    c.code = guid(child(n, "CodeRef"), "targetGUID");
    c.user = guid(n, "creatingUser");
    c.date = attr(n, "creationDateTime");
    c.notes = refs(n, "NoteRef");
    return c;
  }

  static std::optional<long long> position(const pugi::xml_node& n, std::string_view name) {
    const auto s = attr(n, name);
    long long value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
  }

  void text_source(const pugi::xml_node& n) {
    file_source s;
    s.guid = guid(n);
    s.name = attr(n, "name");
    s.path = attr(n, "plainTextPath");
    s.user = guid(n, "creatingUser");
    s.date = attr(n, "creationDateTime");
    s.description = child_text(n, "Description");
    if (const auto content = child(n, "PlainTextContent")) s.content = text_of(content);
    for (const auto sel : children(n, "PlainTextSelection")) {
      file_selection x;
      x.guid = guid(sel);
      x.name = attr(sel, "name");
      x.description = child_text(sel, "Description");
      x.user = guid(sel, "creatingUser");
      x.date = attr(sel, "creationDateTime");
      x.start = position(sel, "startPosition");
      x.end = position(sel, "endPosition");
      for (const auto c : children(sel, "Coding")) x.codings.push_back(coding(c));
      x.notes = refs(sel, "NoteRef");
      s.selections.push_back(std::move(x));
    }
    for (const auto c : children(n, "Coding")) s.codings.push_back(coding(c));
    s.notes = refs(n, "NoteRef");
    s.values = values(n);
    m.sources.push_back(std::move(s));
  }

  // Sources qcode cannot hold: counted with their selections for the report.
  void other_source(const pugi::xml_node& n, std::string_view kind, std::string_view selection) {
    std::size_t selections = children(n, selection).size();
    for (const auto t : children(n, "Transcript"))
      selections += children(t, "TranscriptSelection").size();
    for (const auto r : children(n, "Representation"))
      selections += children(r, "PlainTextSelection").size();
    const auto what = fmt::format("{} source", kind);
    losses.add(what, what + "s", "qcode holds text transcripts only",
               selections ? fmt::format("{} with {}", named(attr(n, "name")),
                                        plural(selections, "selection", "selections"))
                          : named(attr(n, "name")));
  }

  void project(const pugi::xml_node& root) {
    m.name = attr(root, "name");
    m.origin = attr(root, "origin");
    m.description = child_text(root, "Description");
    for (const auto u : children(child(root, "Users"), "User")) {
      const auto g = guid(u);
      auto name = attr(u, "name");
      if (name.empty()) name = attr(u, "id");
      if (name.empty()) name = "user-" + g.substr(0, 8);
      if (!m.users.count(g)) m.user_order.push_back(g);
      m.users[g] = name;
    }
    if (const auto cb = child(root, "CodeBook")) codes(cb);
    for (const auto v : children(child(root, "Variables"), "Variable"))
      m.variables.emplace_back(guid(v), attr(v, "name"));
    for (const auto c : children(child(root, "Cases"), "Case")) {
      file_case x;
      x.guid = guid(c);
      x.name = attr(c, "name");
      x.description = child_text(c, "Description");
      x.values = values(c);
      x.sources = refs(c, "SourceRef");
      x.selections = refs(c, "SelectionRef");
      x.codes = refs(c, "CodeRef");
      m.cases.push_back(std::move(x));
    }
    for (const auto s : child(root, "Sources").children()) {
      if (is(s, "TextSource"))
        text_source(s);
      else if (is(s, "PictureSource"))
        other_source(s, "picture", "PictureSelection");
      else if (is(s, "PDFSource"))
        other_source(s, "PDF", "PDFSelection");
      else if (is(s, "AudioSource"))
        other_source(s, "audio", "AudioSelection");
      else if (is(s, "VideoSource"))
        other_source(s, "video", "VideoSelection");
    }
    for (const auto n : children(child(root, "Notes"), "Note")) {
      file_note x;
      x.guid = guid(n);
      x.name = attr(n, "name");
      x.description = child_text(n, "Description");
      x.text = child_text(n, "PlainTextContent");
      x.user = guid(n, "creatingUser");
      x.date = attr(n, "creationDateTime");
      if (x.date.empty()) x.date = attr(n, "modifiedDateTime");
      m.notes[x.guid] = std::move(x);
    }
    for (const auto l : children(child(root, "Links"), "Link"))
      m.links.push_back({guid(l), attr(l, "name"), guid(l, "originGUID"), guid(l, "targetGUID")});
    for (const auto s : children(child(root, "Sets"), "Set"))
      losses.add("set", "sets", "qcode has no sets", named(attr(s, "name")));
    for (const auto g : children(child(root, "Graphs"), "Graph"))
      losses.add("graph", "graphs", "qcode has no graphs", named(attr(g, "name")));
    m.project_notes = refs(root, "NoteRef");
  }
};

// --- reading the XML safely ------------------------------------------------------------------

location xml_location(std::string_view file, std::string_view xml, std::ptrdiff_t offset) {
  std::size_t line = 1, column = 1;
  const auto end =
      std::min(xml.size(), static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0)));
  for (std::size_t i = 0; i < end; ++i) {
    if (xml[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(xml[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return location{std::string(file), line, column};
}

// Parses `xml` (named `file` in messages) with no DTD processing at all: pugixml never
// expands entities beyond the five predefined ones and never fetches anything; a DOCTYPE is
// refused outright, since no REFI-QDA file has one. Nesting deeper than `max_depth` is refused.
void parse_xml(pugi::xml_document& doc, std::string_view xml, std::string_view file,
               int max_depth) {
  const auto result =
      doc.load_buffer(xml.data(), xml.size(),
                      pugi::parse_default | pugi::parse_doctype | pugi::parse_ws_pcdata_single);
  if (!result) {
    std::string description = result.description();
    if (!description.empty())
      description[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(description[0])));
    throw parse_error(
        xml_location(file, xml, result.offset),
        fmt::format(
            "not well-formed XML ({}); the file is damaged or not REFI-QDA: export it again",
            description));
  }
  for (const auto n : doc.children())
    if (n.type() == pugi::node_doctype)
      throw parse_error(
          xml_location(file, xml, n.offset_debug()),
          "the XML declares a DTD (<!DOCTYPE ...>); qcode never reads DTDs or external entities, "
          "and REFI-QDA files have none: remove the DOCTYPE, or export the project again");
  // Depth-first without recursion, so that a hostile nesting cannot exhaust the stack.
  std::vector<std::pair<pugi::xml_node, int>> stack;
  for (const auto n : doc.children()) stack.emplace_back(n, 1);
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > max_depth)
      throw parse_error(
          xml_location(file, xml, node.offset_debug()),
          fmt::format("elements are nested more than {} deep; no REFI-QDA file needs that, so the "
                      "file is refused (it may be built to exhaust memory)",
                      max_depth));
    for (const auto c : node.children())
      if (c.type() == pugi::node_element) stack.emplace_back(c, depth + 1);
  }
}

// --- the data note ---------------------------------------------------------------------------

std::string scalar(const YAML::Node& n) {
  return n && n.IsScalar() ? n.as<std::string>() : std::string();
}

data_note read_data_note(const file_model& m, loss_list& losses) {
  data_note d;
  for (const auto& [guid, note] : m.notes) {
    if (note.name != kDataNoteName || !note.text.starts_with("qcode:")) continue;
    try {
      const auto y = load_yaml(note.text);
      if (const auto f = y["framework"]; f && f.IsMap()) {
        framework fw;
        fw.id = scalar(f["id"]);
        fw.title = scalar(f["title"]);
        fw.description = scalar(f["description"]);
        fw.source = scalar(f["source"]);
        if (const auto a = scalar(f["group_attribute"]); !a.empty()) fw.group_attribute = a;
        if (const auto gs = f["groups"]; gs && gs.IsSequence())
          for (const auto& g : gs) fw.groups.push_back({scalar(g["id"]), scalar(g["label"])});
        d.fw = std::move(fw);
      }
      if (const auto c = y["codes"]; c && c.IsMap())
        for (const auto& kv : c)
          if (const auto g = normalize_guid(scalar(kv.first))) d.code_ids[*g] = scalar(kv.second);
      if (const auto c = y["cases"]; c && c.IsMap())
        for (const auto& kv : c)
          if (const auto g = normalize_guid(scalar(kv.first)))
            d.cases[*g] = {scalar(kv.second["id"]), scalar(kv.second["label"])};
      if (const auto s = y["sources"]; s && s.IsMap())
        for (const auto& kv : s) {
          const auto g = normalize_guid(scalar(kv.first));
          if (!g) continue;
          data_note::source_info info{
              scalar(kv.second["id"]), scalar(kv.second["title"]), scalar(kv.second["case"]), {}};
          if (const auto sp = kv.second["speakers"]; sp && sp.IsSequence())
            for (const auto& pair : sp)
              if (pair.IsSequence() && pair.size() == 2)
                info.speakers.emplace_back(scalar(pair[0]), scalar(pair[1]));
          d.sources[*g] = std::move(info);
        }
      if (const auto qs = y["queries"]; qs && qs.IsSequence())
        for (const auto& q : qs)
          if (q.IsMap() && valid_query_name(scalar(q["name"])) && !scalar(q["expression"]).empty())
            d.queries.push_back({scalar(q["name"]), scalar(q["expression"])});
      d.present = true;
    } catch (const YAML::Exception& e) {
      losses.add("qcode data note", "qcode data notes",
                 "it is not the YAML qcode writes, so ids are made from names", e.what());
    }
    return d;
  }
  return d;
}
zip_messages qdpx_messages(const refi_import_options& options) {
  zip_messages m;
  m.not_zip = [](std::string_view bytes) {
    const bool xml = bytes.starts_with("<?xml") || bytes.starts_with("\xEF\xBB\xBF<?xml");
    return fmt::format(
        "not a REFI-QDA .qdpx project (not a zip archive){}; export the project again as .qdpx",
        xml ? "; it looks like XML: a codebook is imported from a .qdc file" : "");
  };
  m.corrupt = [](std::string_view reason) {
    return fmt::format(
        "damaged .qdpx: the zip archive is incomplete or corrupt ({}); export the project again",
        reason);
  };
  m.damaged = [](std::string_view entry, std::string_view reason) {
    return fmt::format(
        "damaged .qdpx: cannot read {} from the zip archive ({}); export the project again", entry,
        reason);
  };
  m.too_large = [cap = options.max_entry_bytes](std::string_view entry, std::uint64_t size) {
    return fmt::format(
        "{} is {} uncompressed, more than the {} qcode reads from one entry of a .qdpx", entry,
        size_text(size), size_text(cap));
  };
  m.too_compressed = [](std::string_view entry, std::uint64_t size, std::uint64_t packed) {
    return fmt::format(
        "{} unpacks from {} to {} bytes, a compression ratio no text has; the file looks like a "
        "zip bomb and is "
        "not read: check where it came from",
        entry, packed, size);
  };
  m.too_large_total = [cap = options.max_total_bytes](std::uint64_t) {
    return fmt::format(
        "the archive unpacks to more than {}, more than qcode reads from a .qdpx; the file looks "
        "like a zip bomb "
        "and is not read: check where it came from",
        size_text(cap));
  };
  return m;
}

}  // namespace

refi_file read_qdpx(std::string_view bytes, std::string_view file,
                    const refi_import_options& options) {
  if (bytes.empty())
    throw parse_error(location{std::string(file), 0, 0},
                      "the file is empty (0 bytes); export the project again as .qdpx");
  if (bytes.size() > options.max_total_bytes)
    throw parse_error(location{std::string(file), 0, 0},
                      fmt::format("the file is larger than the {} qcode reads",
                                  size_text(options.max_total_bytes)));
  zip_limits limits;
  limits.max_entry_bytes = options.max_entry_bytes;
  limits.max_total_bytes = options.max_total_bytes;
  limits.max_ratio = options.max_ratio;
  refi_file out;
  out.archive = std::make_unique<zip_archive>(bytes, file, qdpx_messages(options), limits);
  const zip_archive& zip = *out.archive;

  // Every entry is checked, not just those read: an archive that tries to write outside its
  // folder is hostile whatever else it holds.
  std::vector<std::size_t> qde;
  for (std::size_t i = 0; i < zip.size(); ++i) {
    const auto name = zip.name(i);
    if (const auto why = unsafe_entry_reason(name); !why.empty())
      throw parse_error(
          location{std::string(file), 0, 0},
          fmt::format(
              "the archive's entry '{}' is refused: {}; a .qdpx from a QDA program never has "
              "one, so the file is not read (check where it came from)",
              name, why));
    if (detail::ascii_lower(name).ends_with(".qde")) qde.push_back(i);
  }
  if (qde.empty())
    throw parse_error(location{std::string(file), 0, 0},
                      "the archive holds no .qde project file (project.qde); it is not a REFI-QDA "
                      "project: export it "
                      "again as .qdpx");
  // project.qde, or the one .qde at the top, or the only one.
  std::size_t chosen = qde.front();
  if (qde.size() > 1) {
    std::vector<std::size_t> top;
    for (const auto i : qde) {
      if (iequals(zip.name(i), "project.qde")) {
        top = {i};
        break;
      }
      if (zip.name(i).find_first_of("/\\") == std::string::npos) top.push_back(i);
    }
    if (top.size() != 1) {
      std::vector<std::string> names;
      for (const auto i : qde) names.push_back(zip.name(i));
      throw parse_error(
          location{std::string(file), 0, 0},
          fmt::format(
              "the archive holds several .qde project files ({}); qcode cannot tell which is the "
              "project: export it again",
              fmt::join(names, ", ")));
    }
    chosen = top.front();
  }
  const auto entry = zip.name(chosen);
  auto xml = zip.read(chosen);
  const auto where = fmt::format("{}:{}", file, entry);
  pugi::xml_document doc;
  parse_xml(doc, xml, where, options.max_depth);
  const auto root = doc.document_element();
  if (!is(root, "Project"))
    throw parse_error(
        location{where, 0, 0},
        fmt::format("the root element is <{}>, not <Project>; {} is not a REFI-QDA project",
                    root.name(), entry));
  reader r{out.model, out.losses};
  r.project(root);
  out.bad_guids = r.bad_guids;
  out.note = read_data_note(out.model, out.losses);
  return out;
}

refi_file read_qdc(std::string_view bytes, std::string_view file,
                   const refi_import_options& options) {
  if (bytes.empty())
    throw parse_error(location{std::string(file), 0, 0},
                      "the file is empty (0 bytes); export the codebook again");
  if (bytes.size() > options.max_total_bytes)
    throw parse_error(location{std::string(file), 0, 0},
                      fmt::format("the file is larger than the {} qcode reads",
                                  size_text(options.max_total_bytes)));
  if (bytes.starts_with("PK"))
    throw parse_error(location{std::string(file), 0, 0},
                      "this is a zip archive, not a .qdc codebook; a whole project is imported "
                      "from a .qdpx file");
  std::string xml(bytes);
  pugi::xml_document doc;
  parse_xml(doc, xml, file, options.max_depth);
  const auto root = doc.document_element();
  refi_file out;
  file_model& m = out.model;
  loss_list& losses = out.losses;
  m.codebook_only = true;
  reader r{m, losses};
  if (is(root, "CodeBook")) {
    m.origin = attr(root, "origin");
    r.codes(root);
    for (const auto s : children(child(root, "Sets"), "Set"))
      losses.add("set", "sets", "qcode has no sets", named(attr(s, "name")));
  } else if (is(root, "Project")) {
    throw parse_error(location{std::string(file), 0, 0},
                      "this is a REFI-QDA project (<Project>), not a codebook; import the "
                      "project's .qdpx archive");
  } else {
    throw parse_error(
        location{std::string(file), 0, 0},
        fmt::format("the root element is <{}>, not <CodeBook>; this is not a REFI-QDA codebook",
                    root.name()));
  }
  if (m.codes.empty())
    throw parse_error(location{std::string(file), 0, 0},
                      "the codebook has no codes; there is nothing to import");
  out.bad_guids = r.bad_guids;
  out.note = read_data_note(m, losses);
  return out;
}

}  // namespace coding::detail::refi
