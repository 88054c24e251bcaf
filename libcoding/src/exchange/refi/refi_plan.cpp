// REFI-QDA import, the plan stage: the read model matched against the project. Each stage is
// a function from the inputs (plan_inputs) into the plan (import_plan), run in this order:
// codes, users, variables, documents (with how their positions map), cases, codings, chart
// summaries, and last what was left unused. Planning changes nothing in the project.

#include "refi_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <initializer_list>

#include "clock.hpp"
#include "coding/text.hpp"
#include "refi_common.hpp"
#include "utf8.hpp"

namespace coding::detail::refi {

project_index index_project(project& p) {
  project_index now;
  now.guids = p.guids().book();
  now.fw = p.get_framework();
  if (now.fw)
    for (const auto& c : now.fw->codes) now.code_by_guid[now.guids(guid_kind::code, c.id)] = c.id;
  for (const auto& c : p.cases().list()) {
    now.case_ids.insert(c.id);
    now.case_by_guid[now.guids(guid_kind::case_, c.id)] = c.id;
  }
  for (const auto& id : p.documents().ids()) {
    now.doc_ids.insert(id);
    now.doc_by_guid[now.guids(guid_kind::source, id)] = id;
  }
  for (const auto& name : p.cases().attribute_names()) {
    now.attributes.insert(name);
    now.variable_by_guid[now.guids(guid_kind::variable, name)] = name;
  }
  for (const auto& c : p.codings().list()) {
    if (now.coders.insert(c.coder).second)
      now.user_by_guid[now.guids(guid_kind::user, c.coder)] = c.coder;
    now.passages.insert(fmt::format("{}:{}:{}", c.doc, c.start, c.end));
    now.coding_ids.insert(c.id);
  }
  now.stored = p.guids().stored();
  for (auto& s : p.summaries().list()) now.summaries[s.case_id + ":" + s.code] = std::move(s);
  return now;
}

namespace {

bool valid_local_id(std::string_view id) {
  if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string quoted_excerpt(std::string_view s) {
  constexpr std::size_t limit = 50;
  const text_index index(s);
  std::string out(index.slice(0, std::min(limit, index.size())));
  if (index.size() > limit) out += "...";
  std::string escaped;
  for (const char c : out) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  return "\"" + escaped + "\"";
}

// An id for a document or case from a name: no white space, commas or slashes.
std::string plain_id(std::string_view name, std::string_view fallback) {
  std::string out;
  bool gap = false;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t from = i;
    const auto c = next_code_point(name, i);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == ',' || c == '/' ||
        c == '\\') {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '_';
    gap = false;
    out.append(name.substr(from, i - from));
  }
  return out.empty() ? std::string(fallback) : out;
}

std::string unique_id(const std::string& base, const std::set<std::string>& taken,
                      std::string_view joiner = "_") {
  if (!taken.count(base)) return base;
  for (int n = 2;; ++n) {
    auto candidate = fmt::format("{}{}{}", base, joiner, n);
    if (!taken.count(candidate)) return candidate;
  }
}

// An xsd:dateTime (or "YYYY-MM-DD HH:MM:SS", or a date) as qcode stores times:
// "YYYY-MM-DDTHH:MM:SSZ" in UTC; "" when it is none of these.
std::string utc_time(std::string_view s) {
  const auto t = trim(s);
  std::tm tm{};
  int offset = 0;  // seconds east of UTC
  std::size_t at = 0;
  auto number = [&](std::size_t n, int& out) {
    if (at + n > t.size()) return false;
    int value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      value = value * 10 + (t[i] - '0');
    }
    out = value;
    at += n;
    return true;
  };
  auto expect = [&](char c) { return at < t.size() && t[at++] == c; };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!(number(4, year) && expect('-') && number(2, month) && expect('-') && number(2, day)))
    return "";
  if (at < t.size()) {
    if (t[at] != 'T' && t[at] != ' ') return "";
    ++at;
    if (!(number(2, hour) && expect(':') && number(2, minute) && expect(':') && number(2, second)))
      return "";
    if (at < t.size() && (t[at] == '.' || t[at] == ',')) {
      ++at;
      while (at < t.size() && std::isdigit(static_cast<unsigned char>(t[at]))) ++at;
    }
    if (at < t.size() && t[at] == 'Z') {
      ++at;
    } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
      const int sign = t[at] == '-' ? -1 : 1;
      ++at;
      int oh = 0, om = 0;
      if (!(number(2, oh) && expect(':') && number(2, om))) return "";
      offset = sign * (oh * 3600 + om * 60);
    }
    if (at != t.size()) return "";
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return "";
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return utc_text(timegm(&tm) - offset);
}

// A YAML double-quoted scalar.
std::string yaml_quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    else
      out += c;
  }
  return out + "\"";
}

std::string synthetic_guid(const plan_inputs& in, import_plan& plan, std::string_view kind,
                           std::string_view name, std::size_t index) {
  ++plan.missing_guids;
  auto hex = content_hash(fmt::format("{}\x1f{}\x1f{}\x1f{}", in.file, kind, name, index));
  hex += content_hash(hex);
  return *normalize_guid(hex);
}

std::string coder_of(const plan_inputs& in, import_plan& plan,
                     const std::initializer_list<const std::string*> guids) {
  for (const auto* g : guids)
    if (!g->empty()) {
      if (const auto it = plan.user_map.find(*g); it != plan.user_map.end()) return it->second;
    }
  ++plan.no_coder;
  return in.options.coder.empty() ? default_coder() : in.options.coder;
}

std::optional<std::size_t> entry_index(const zip_archive& archive, const std::string& name) {
  for (std::size_t i = 0; i < archive.size(); ++i) {
    auto n = archive.name(i);
    std::replace(n.begin(), n.end(), '\\', '/');
    if (iequals(n, name)) return i;
  }
  return std::nullopt;
}

// The bytes of a source's text; `where` is set to what names them in messages: the archive
// entry, or the source's name for text held in the .qde.
std::optional<std::string> source_bytes(const plan_inputs& in, const file_source& s,
                                        std::string& where) {
  where = fmt::format("{}:{}", in.file, s.content ? s.name : s.path);
  if (s.content) return *s.content;
  if (s.path.empty()) {
    in.losses.add("text source", "text sources",
                  "it has neither PlainTextContent nor plainTextPath", named(s.name));
    return std::nullopt;
  }
  std::string path = s.path;
  const auto scheme = path.find("://");
  if (scheme != std::string::npos) {
    if (!iequals(path.substr(0, scheme), "internal")) {
      in.losses.add("text source", "text sources",
                    "its text is outside the archive (qcode reads only what the .qdpx holds)",
                    fmt::format("{} at '{}'", named(s.name), s.path));
      return std::nullopt;
    }
    path = path.substr(scheme + 3);
  }
  std::replace(path.begin(), path.end(), '\\', '/');
  while (path.starts_with("./")) path = path.substr(2);
  if (const auto why = unsafe_entry_reason(path); !why.empty()) {
    in.losses.add("text source", "text sources", "its plainTextPath leaves the archive's folder",
                  fmt::format("{} at '{}'", named(s.name), s.path));
    return std::nullopt;
  }
  if (!in.archive) {
    in.losses.add("text source", "text sources",
                  "its text is in a file that a .qde alone does not hold", named(s.name));
    return std::nullopt;
  }
  // sources/NAME (or Sources/), NAME itself, or an entry of that file name anywhere.
  const auto read = [&](std::size_t index) {
    where = fmt::format("{}:{}", in.file, in.archive->name(index));
    return in.archive->read(index);
  };
  for (const auto& candidate : {"sources/" + path, path}) {
    if (const auto index = entry_index(*in.archive, candidate)) return read(*index);
  }
  const auto base = detail::ascii_lower(std::filesystem::path(path).filename().string());
  for (std::size_t i = 0; i < in.archive->size(); ++i) {
    auto name = in.archive->name(i);
    std::replace(name.begin(), name.end(), '\\', '/');
    if (detail::ascii_lower(std::filesystem::path(name).filename().string()) == base)
      return read(i);
  }
  in.losses.add("text source", "text sources", "its text file is missing from the archive",
                fmt::format("{} at '{}'", named(s.name), s.path));
  return std::nullopt;
}

std::string strip_extension(const std::string& name) {
  static const std::set<std::string> known = {".txt", ".rtf", ".docx", ".doc", ".pdf",
                                              ".odt", ".md",  ".html", ".htm"};
  const auto dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0 && known.count(detail::ascii_lower(name.substr(dot))))
    return name.substr(0, dot);
  return name;
}

position_convention preferred_convention(const file_model& m) {
  const auto origin = detail::ascii_lower(m.origin);
  if (origin.find("nvivo") != std::string::npos) return {true, false};
  if (origin.find("atlas") != std::string::npos) return {false, true};
  return {};
}

// The id of an imported document or case: the one the project knows by its GUID
// (`known`), else `base` made unique among `taken`, reported as renamed when the project
// has `base` for another GUID. The id is added to `taken`.
template <class ByGuid>
std::string id_for(const plan_inputs& in, std::string_view kind, const std::string& guid,
                   const ByGuid& by_guid, const std::string& base,
                   const std::set<std::string>& existing, std::set<std::string>& taken,
                   bool& known) {
  std::string id;
  if (const auto it = by_guid.find(guid); it != by_guid.end()) {
    known = true;
    id = it->second;
  } else {
    id = unique_id(base, taken);
    if (existing.count(base))
      in.losses.add(
          fmt::format("{} id", kind), fmt::format("{} ids", kind),
          fmt::format("the project has another {} of that id (another GUID), so it was renamed",
                      kind),
          fmt::format("'{}' imported as '{}'", base, id));
  }
  taken.insert(id);
  return id;
}

// A case id of the data note (the exporting project's) as it is in this project.
std::string note_case(const plan_inputs& in, const import_plan& plan, const std::string& id) {
  if (id.empty()) return id;
  for (const auto& [guid, info] : in.note.cases)
    if (info.id == id) {
      if (const auto it = plan.case_map.find(guid); it != plan.case_map.end()) return it->second;
    }
  return id;
}

std::optional<std::vector<std::pair<std::string, std::string>>> note_speakers(
    const plan_inputs& in, const import_plan& plan,
    const std::vector<std::pair<std::string, std::string>>& speakers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [label, id] : speakers) out.emplace_back(label, note_case(in, plan, id));
  return out;
}

// Attribute values by variable name; a value of the grouping attribute that is not one of
// the framework's groups is left out, as qcode refuses it everywhere.
std::vector<std::pair<std::string, std::string>> attribute_values(
    const plan_inputs& in, const import_plan& plan, const std::vector<file_value>& values,
    std::string_view owner) {
  std::vector<std::pair<std::string, std::string>> out;
  const framework* fw = in.now.fw ? &*in.now.fw : in.note.fw ? &*in.note.fw : nullptr;
  for (const auto& v : values) {
    const auto it = plan.variable_map.find(v.variable);
    if (it == plan.variable_map.end()) {
      in.losses.add("variable value", "variable values",
                    "its variable is not in the file's Variables", named(owner));
      continue;
    }
    if (fw && it->second == fw->group_attribute && !fw->groups.empty() && !v.value.empty() &&
        std::none_of(fw->groups.begin(), fw->groups.end(),
                     [&](const group& g) { return g.id == v.value; })) {
      in.losses.add("group value", "group values", "not one of the framework's groups",
                    fmt::format("'{}' of {}", v.value, named(owner)));
      continue;
    }
    out.emplace_back(it->second, v.value);
  }
  return out;
}

// Fills a document's turns, speakers and cases: with the speakers of the data note (all
// declared, as qcode stored them), or by finding labels in the text and matching them to
// the source's cases by name.
void build_document(const import_plan& plan, planned_document& pd, const source_plan& sp,
                    const std::string& case_id,
                    const std::optional<std::vector<std::pair<std::string, std::string>>>& speakers,
                    const std::vector<std::string>& linked) {
  const auto& text = sp.map->text();
  document& doc = pd.doc;
  const bool markup =
      text.find("(QCODE)") != std::string::npos || text.find("(/QCODE)") != std::string::npos;
  auto parse = [&](const std::vector<std::pair<std::string, std::string>>& declared,
                   const std::map<std::string, std::string>& extra) {
    std::string front = "---\n";
    if (!case_id.empty()) front += "case: " + yaml_quote(case_id) + "\n";
    if (!declared.empty()) {
      front += "speakers: {";
      for (std::size_t i = 0; i < declared.size(); ++i)
        front += (i ? ", " : "") + yaml_quote(declared[i].first) + ": " +
                 yaml_quote(declared[i].second.empty() ? std::string("interviewer")
                                                       : declared[i].second);
      front += "}\n";
    }
    front += "---\n";
    transcript_options o;
    o.speakers = extra;
    return parse_transcript(front + text, doc.id + ".txt", o);
  };
  std::optional<document> parsed;
  if (!markup) {
    try {
      if (speakers) {
        parsed = parse(*speakers, {});
      } else {
        parsed = parse({}, {});
        if (linked.size() > 1) {
          // A group discussion: labels that name one of its cases speak for that case.
          std::map<std::string, std::string> extra;
          for (const auto& s : parsed->speakers)
            for (const auto& c : plan.cases)
              if (std::find(linked.begin(), linked.end(), c.id) != linked.end() &&
                  (iequals(s.label, c.id) || iequals(s.label, c.label)))
                extra[s.label] = c.id;
          if (!extra.empty()) parsed = parse({}, extra);
        }
      }
    } catch (const input_error&) {
      parsed.reset();  // the text is kept without turns
    }
  }
  if (parsed && parsed->text == text) {
    doc.case_id = parsed->case_id;
    doc.speakers = std::move(parsed->speakers);
    doc.turns = std::move(parsed->turns);
    doc.case_attributes = std::move(parsed->case_attributes);
    for (auto& [id, attributes] : doc.case_attributes) attributes.clear();
  } else if (!case_id.empty()) {
    doc.case_id = case_id;
    doc.case_attributes[case_id];
  }
  doc.length = count_code_points(text);
  for (const auto& id : linked) doc.case_attributes[id];
}

struct selection_check {
  std::size_t matched = 0, mismatched = 0;
};

// How many of the source's quoting selections quote the text at their positions.
selection_check check(const source_plan& sp, const position_map& map) {
  selection_check r;
  const text_index index(map.text());
  for (const auto& sel : sp.source->selections) {
    if (!sel.start || !sel.end || *sel.start < 0 || *sel.end <= *sel.start) continue;
    const auto s = static_cast<std::size_t>(*sel.start), e = static_cast<std::size_t>(*sel.end);
    if (e > map.units()) {
      ++r.mismatched;
      continue;
    }
    const auto a = map.start(s), b = map.end(e);
    if (b <= a) continue;
    const auto actual = index.slice(a, b);
    if (sel.name.empty() && sel.description.empty()) continue;
    if ((!sel.name.empty() && quotes_text(sel.name, actual)) ||
        (!sel.description.empty() && quotes_text(sel.description, actual)))
      ++r.matched;
    else
      ++r.mismatched;
  }
  return r;
}

bool choose_convention(const plan_inputs& in, import_plan& plan, source_plan& sp) {
  const auto preferred = preferred_convention(in.m);
  auto best = check(sp, *sp.map);
  std::optional<position_convention> switched;
  if (best.mismatched > 0) {
    for (const position_convention c :
         {position_convention{false, false}, position_convention{false, true},
          position_convention{true, false}, position_convention{true, true}}) {
      if (c.utf16 == preferred.utf16 && c.crlf_as_one == preferred.crlf_as_one) continue;
      auto map = std::make_unique<position_map>(sp.raw, c);
      const auto r = check(sp, *map);
      if (r.matched > best.matched) {
        best = r;
        sp.map = std::move(map);
        switched = c;
      }
    }
  }
  if (switched)
    plan.report.notes.push_back(
        fmt::format("positions in '{}' read as {}: the selections' quoted text fits that, not "
                    "the {} expected{}",
                    sp.id, switched->describe(), preferred.describe(),
                    in.m.origin.empty() ? std::string() : " from " + in.m.origin));
  else if (!sp.map->identity() && !sp.source->selections.empty())
    plan.report.notes.push_back(
        fmt::format("positions in '{}' read as {}{}", sp.id, preferred.describe(),
                    in.m.origin.empty() ? std::string() : fmt::format(" ({})", in.m.origin)));
  // Selections whose names never quote the text name them some other way: they cannot be
  // checked, and are taken as they are.
  const bool unchecked = best.matched == 0 && best.mismatched > 0;
  if (unchecked)
    plan.report.notes.push_back(
        fmt::format("the selections in '{}' do not quote their text in their names, so their "
                    "positions could not be checked",
                    sp.id));
  return unchecked;
}

void add_memo(const plan_inputs& in, import_plan& plan, std::string& memo, std::string& guid,
              const std::string& note) {
  const auto it = in.m.notes.find(note);
  if (it == in.m.notes.end()) return;
  plan.used_notes.insert(note);
  const auto text = trim(it->second.text);
  if (text.empty()) return;
  if (!memo.empty()) memo += "\n\n";
  memo += text;
  if (guid.empty()) guid = note;
}

void add_coding(const plan_inputs& in, import_plan& plan, const std::string& doc, std::size_t start,
                std::size_t end, const file_coding& c,
                std::initializer_list<const std::string*> users, const std::string& fallback_date,
                const std::string& selection_guid, const std::string& selection_memo,
                const std::string& selection_memo_guid) {
  const auto code = plan.code_map.find(c.code);
  if (code == plan.code_map.end()) {
    in.losses.add("coding", "codings", "its code is not in the codebook",
                  fmt::format("'{}' {}:{}", doc, start, end));
    return;
  }
  planned_coding pc;
  pc.c.doc = doc;
  pc.c.start = start;
  pc.c.end = end;
  pc.c.code = code->second;
  pc.c.coder = coder_of(in, plan, users);
  pc.c.created = utc_time(c.date.empty() ? fallback_date : c.date);
  pc.c.origin.file = in.file;
  std::string memo_guid;
  for (const auto& n : c.notes) add_memo(in, plan, pc.c.memo, memo_guid, n);
  if (!selection_memo.empty()) {
    pc.c.memo += (pc.c.memo.empty() ? "" : "\n\n") + selection_memo;
    if (memo_guid.empty()) memo_guid = selection_memo_guid;
  }
  pc.guid = c.guid;
  pc.selection_guid = selection_guid;
  pc.memo_guid = memo_guid;
  plan.codings.push_back(std::move(pc));
}

// The codebook: codes the project knows by GUID are matched (code_map), the others become
// new_codes under their parents, with ids from the data note or their names.
void plan_codes(const plan_inputs& in, import_plan& plan) {
  // Children of each parent (full id, "" for the themes) in the project, by local id.
  std::map<std::string, std::set<std::string>> siblings;
  if (in.now.fw)
    for (const auto& c : in.now.fw->codes)
      siblings[c.parent < 0 ? std::string()
                            : in.now.fw->codes[static_cast<std::size_t>(c.parent)].id]
          .insert(c.local_id);
  std::vector<std::string> full(in.m.codes.size());
  std::set<std::string> seen;
  std::vector<bool> dropped(in.m.codes.size(), false);
  for (std::size_t i = 0; i < in.m.codes.size(); ++i) {
    auto& c = in.m.codes[i];
    if (c.parent >= 0 && dropped[static_cast<std::size_t>(c.parent)]) {
      dropped[i] = true;
      continue;
    }
    if (c.guid.empty()) c.guid = synthetic_guid(in, plan, "code", c.name, i);
    if (!seen.insert(c.guid).second) {
      in.losses.add("code", "codes",
                    "its GUID is that of another code in the file, so it (and the codes below it) "
                    "was left out",
                    named(c.name));
      dropped[i] = true;
      continue;
    }
    if (const auto it = in.now.code_by_guid.find(c.guid); it != in.now.code_by_guid.end()) {
      full[i] = it->second;
      plan.code_map[c.guid] = it->second;
      ++plan.report.codes_matched;
      continue;
    }
    const std::string parent =
        c.parent < 0 ? std::string() : full[static_cast<std::size_t>(c.parent)];
    auto& taken = siblings[parent];
    std::string local;
    if (const auto it = in.note.code_ids.find(c.guid);
        it != in.note.code_ids.end() && valid_local_id(it->second) && !taken.count(it->second))
      local = it->second;
    else
      local = unique_id(code_id_from_name(c.name.empty() ? std::string("code") : c.name), taken);
    taken.insert(local);
    code x;
    x.local_id = local;
    x.id = parent.empty() ? local : parent + "." + local;
    x.label = c.name.empty() ? local : c.name;
    const auto split = split_guidance(trim(c.description));
    x.description = split.description;
    x.include = split.guidance[0];
    x.exclude = split.guidance[1];
    x.example = split.guidance[2];
    if (!c.color.empty()) {
      if (const auto color = normalize_color(c.color))
        x.color = *color;
      else
        in.losses.add("code colour", "code colours", "not a colour qcode understands (use #rrggbb)",
                      fmt::format("'{}' of {}", c.color, named(c.name)));
    }
    // Memos on codes from other programs join the code's description.
    for (const auto& n : c.notes) {
      const auto it = in.m.notes.find(n);
      if (it == in.m.notes.end() || trim(it->second.text).empty()) continue;
      plan.used_notes.insert(n);
      x.description += (x.description.empty() ? "" : "\n\n") + trim(it->second.text);
    }
    full[i] = x.id;
    plan.code_map[c.guid] = x.id;
    plan.new_codes.push_back({std::move(x), parent, c.guid});
  }
  plan.report.codes_added = plan.new_codes.size();
}

// The file's users as coders (user_map); those the project has no coder of are new_users.
void plan_users(const plan_inputs& in, import_plan& plan) {
  for (const auto& g : in.m.user_order) {
    if (const auto it = in.now.user_by_guid.find(g); it != in.now.user_by_guid.end()) {
      plan.user_map[g] = it->second;
      continue;
    }
    // A name already taken by another coder is the same person only when no GUID says
    // otherwise; keep the name, since coders are known by name.
    plan.user_map[g] = in.m.users.at(g);
    if (!in.now.coders.count(plan.user_map[g])) plan.new_users[plan.user_map[g]] = g;
  }
}

// The file's variables as case attributes (variable_map); unknown ones are new_variables.
void plan_variables(const plan_inputs& in, import_plan& plan) {
  for (const auto& [guid, name] : in.m.variables) {
    if (const auto it = in.now.variable_by_guid.find(guid); it != in.now.variable_by_guid.end()) {
      plan.variable_map[guid] = it->second;
      continue;
    }
    const auto n = name.empty() ? std::string("variable") : name;
    plan.variable_map[guid] = n;
    if (!in.now.attributes.count(n)) plan.new_variables[n] = guid;
  }
  plan.report.variables = in.m.variables.size();
}

// Text sources as documents (documents, sources): their text read and decoded, their ids
// from the data note or their names; sources without usable text are skipped.
void plan_documents(const plan_inputs& in, import_plan& plan) {
  std::set<std::string> taken = in.now.doc_ids;
  for (auto& s : in.m.sources) {
    if (s.guid.empty()) s.guid = synthetic_guid(in, plan, "source", s.name, plan.sources.size());
    std::string entry_name;
    auto bytes = source_bytes(in, s, entry_name);
    if (!bytes) {
      plan.skipped_sources.insert(s.guid);
      continue;
    }
    auto decoded = decode_text(*bytes, entry_name);
    std::string raw = std::move(decoded.text);
    if (raw.starts_with("\xEF\xBB\xBF")) raw.erase(0, 3);
    if (const auto bad = find_invalid_utf8(raw); bad != std::string::npos)
      throw parse_error(location{entry_name, 0, 0},
                        fmt::format("invalid UTF-8 at byte offset {}", bad));
    source_plan sp;
    sp.source = &s;
    sp.raw = std::move(raw);
    sp.map = std::make_unique<position_map>(sp.raw, preferred_convention(in.m));
    const auto& text = sp.map->text();
    if (std::all_of(text.begin(), text.end(),
                    [](char c) { return c == ' ' || c == '\t' || c == '\n'; })) {
      in.losses.add("text source", "text sources", "it has no text", named(s.name));
      plan.skipped_sources.insert(s.guid);
      continue;
    }
    planned_document pd;
    pd.guid = s.guid;
    const auto info = in.note.sources.find(s.guid);
    sp.id = id_for(in, "document", s.guid, in.now.doc_by_guid,
                   info != in.note.sources.end() && !info->second.id.empty()
                       ? plain_id(info->second.id, "doc")
                       : plain_id(strip_extension(s.name), "doc"),
                   in.now.doc_ids, taken, pd.known);
    pd.doc.id = sp.id;
    pd.doc.title = info != in.note.sources.end() && !info->second.title.empty() ? info->second.title
                   : s.name.empty()                                             ? sp.id
                                                                                : s.name;
    if (info == in.note.sources.end() && !trim(s.description).empty())
      in.losses.add("source description", "source descriptions",
                    "qcode keeps a document's title only", named(s.name));
    pd.doc.text = text;
    pd.doc.source_name = entry_name;
    pd.doc.source_hash = content_hash(*bytes);
    pd.doc.encoding = decoded.encoding;
    // A known document whose text is the same keeps the source it was imported from, so
    // that importing a project's own export changes nothing.
    if (pd.known)
      if (const auto now = in.p.documents().find(sp.id); now && now->text == text) {
        pd.doc.source_name = now->source_name;
        pd.doc.source_hash = now->source_hash;
        pd.doc.encoding = now->encoding;
      }
    sp.doc = plan.documents.size();
    plan.documents.push_back(std::move(pd));
    plan.source_index[s.guid] = plan.sources.size();
    plan.sources.push_back(std::move(sp));
  }
}

// Cases (cases, case_map) with their attributes, and the documents' cases and speakers.
void plan_cases(const plan_inputs& in, import_plan& plan) {
  std::vector<const file_case*> nameless;
  std::set<std::string> taken = in.now.case_ids;
  std::map<std::string, std::size_t> by_id;
  for (auto& c : in.m.cases) {
    if (c.guid.empty()) c.guid = synthetic_guid(in, plan, "case", c.name, plan.cases.size());
    if (c.name.empty()) {
      nameless.push_back(&c);
      continue;
    }
    planned_case pc;
    pc.guid = c.guid;
    const auto info = in.note.cases.find(c.guid);
    pc.id = id_for(
        in, "case", c.guid, in.now.case_by_guid,
        plain_id(info != in.note.cases.end() && !info->second.id.empty() ? info->second.id : c.name,
                 "case"),
        in.now.case_ids, taken, pc.known);
    pc.label = info != in.note.cases.end() ? info->second.label : c.name;
    if (info == in.note.cases.end() && !trim(c.description).empty())
      in.losses.add("case description", "case descriptions", "qcode keeps a case's label only",
                    named(c.name));
    pc.attributes = attribute_values(in, plan, c.values, c.name);
    pc.sources = c.sources;
    if (!c.codes.empty())
      in.losses.add(
          "case coding", "case codings", "qcode codes passages, not cases",
          fmt::format("{} with {}", named(c.name), plural(c.codes.size(), "code", "codes")));
    if (!c.selections.empty())
      in.losses.add("case selection reference", "case selection references",
                    "qcode ties a case to whole transcripts or to its speaker's turns",
                    fmt::format("{} with {}", named(c.name),
                                plural(c.selections.size(), "selection", "selections")));
    plan.case_map[c.guid] = pc.id;
    by_id[pc.id] = plan.cases.size();
    plan.cases.push_back(std::move(pc));
  }

  // Which cases each source belongs to.
  std::map<std::string, std::vector<std::size_t>> of_source;
  for (std::size_t i = 0; i < plan.cases.size(); ++i)
    for (const auto& s : plan.cases[i].sources) of_source[s].push_back(i);

  // Nameless cases hold attributes of their sources (as some programs write document
  // variables): they go to the source's own case, made from the source when it has none.
  for (const auto* c : nameless) {
    const auto values = attribute_values(in, plan, c->values, "");
    if (c->sources.empty()) {
      in.losses.add("nameless case", "nameless cases",
                    "it names no source, so its values belong to nothing", "");
      continue;
    }
    for (const auto& s : c->sources) {
      const auto at = plan.source_index.find(s);
      if (at == plan.source_index.end()) continue;
      auto& owners = of_source[s];
      if (owners.size() > 1) {
        in.losses.add("nameless case", "nameless cases",
                      "its source belongs to several cases, so the values have no one case",
                      named(plan.sources[at->second].source->name));
        continue;
      }
      if (owners.empty()) {
        planned_case pc;
        pc.id = unique_id(plan.sources[at->second].id, taken);
        taken.insert(pc.id);
        pc.label = plan.sources[at->second].source->name.empty()
                       ? pc.id
                       : plan.sources[at->second].source->name;
        pc.guid = c->guid;
        pc.sources = {s};
        owners.push_back(plan.cases.size());
        plan.case_map[c->guid] = pc.id;
        plan.cases.push_back(std::move(pc));
      }
      auto& owner = plan.cases[owners.front()];
      for (const auto& v : values) owner.attributes.push_back(v);
      ++plan.nameless_used;
    }
  }
  // Values on sources themselves go to the source's case in the same way.
  for (const auto& sp : plan.sources) {
    if (sp.source->values.empty()) continue;
    const auto& owners = of_source[sp.source->guid];
    if (owners.size() != 1) {
      in.losses.add("source variable value", "source variable values",
                    "the source has no one case to carry them", named(sp.source->name));
      continue;
    }
    for (const auto& v : attribute_values(in, plan, sp.source->values, sp.source->name))
      plan.cases[owners.front()].attributes.push_back(v);
  }

  // The documents' cases and speakers.
  for (auto& sp : plan.sources) {
    auto& pd = plan.documents[sp.doc];
    const auto info = in.note.sources.find(sp.source->guid);
    std::vector<std::string> linked;
    for (const auto i : of_source[sp.source->guid]) linked.push_back(plan.cases[i].id);
    if (info != in.note.sources.end()) {
      build_document(plan, pd, sp, note_case(in, plan, info->second.case_id),
                     note_speakers(in, plan, info->second.speakers), linked);
    } else if (linked.size() == 1) {
      build_document(plan, pd, sp, linked.front(), std::nullopt, linked);
    } else {
      build_document(plan, pd, sp, "", std::nullopt, linked);
    }
  }

  // Cases without a source are created with the first document of the import.
  for (const auto& c : plan.cases) {
    bool placed = false;
    for (const auto& d : plan.documents) placed = placed || d.doc.case_attributes.count(c.id) > 0;
    if (placed || c.known) continue;
    if (plan.documents.empty()) {
      in.losses.add("case", "cases",
                    "qcode creates cases with their transcripts, and the file has none",
                    named(c.label));
      continue;
    }
    plan.documents.front().doc.case_attributes[c.id];
  }
}

// Selections and whole-source codings as codings, positions mapped by the convention that
// fits each source best.
void plan_codings(const plan_inputs& in, import_plan& plan) {
  for (auto& sp : plan.sources) {
    const bool unchecked = choose_convention(in, plan, sp);
    const auto& map = *sp.map;
    const text_index index(map.text());
    const auto& doc = plan.documents[sp.doc].doc;
    const auto& s = *sp.source;
    for (const auto& sel : s.selections) {
      const auto where =
          fmt::format("'{}' {}:{}", doc.id, sel.start ? std::to_string(*sel.start) : "?",
                      sel.end ? std::to_string(*sel.end) : "?");
      if (!sel.start || !sel.end) {
        in.losses.add("selection", "selections", "without a numeric startPosition and endPosition",
                      where);
        continue;
      }
      if (*sel.start < 0 || *sel.end < *sel.start ||
          static_cast<std::size_t>(*sel.end) > map.units()) {
        in.losses.add("selection", "selections", "outside the text",
                      fmt::format("{} (the text has {} positions)", where, map.units()), true);
        continue;
      }
      const auto a = map.start(static_cast<std::size_t>(*sel.start));
      const auto b = map.end(static_cast<std::size_t>(*sel.end));
      if (b <= a) {
        in.losses.add("zero-length selection", "zero-length selections",
                      "an empty passage cannot be coded", where);
        continue;
      }
      const auto actual = std::string(index.slice(a, b));
      const bool quoted = !sel.name.empty() || !sel.description.empty();
      if (quoted && !unchecked &&
          !(quotes_text(sel.name, actual) || quotes_text(sel.description, actual))) {
        in.losses.add("selection", "selections", "its quoted text is not at its positions",
                      fmt::format("{}: the file quotes {}, the text there reads {}", where,
                                  quoted_excerpt(sel.name.empty() ? sel.description : sel.name),
                                  quoted_excerpt(actual)),
                      true);
        continue;
      }
      std::string selection_memo;
      std::string selection_memo_guid;
      for (const auto& n : sel.notes) add_memo(in, plan, selection_memo, selection_memo_guid, n);
      if (sel.codings.empty()) {
        if (!selection_memo.empty())
          in.losses.add("memo", "memos", "it is on a selection with no coding", named(sel.name));
        continue;
      }
      for (const auto& c : sel.codings)
        add_coding(in, plan, doc.id, a, b, c, {&c.user, &sel.user, &s.user}, sel.date, sel.guid,
                   selection_memo, selection_memo_guid);
    }
    for (const auto& c : s.codings)
      add_coding(in, plan, doc.id, 0, doc.length, c, {&c.user, &s.user}, s.date, "", "", "");
    // The source's own notes are the document's memo.
    auto& pd = plan.documents[sp.doc];
    for (const auto& n : s.notes)
      if (!plan.used_notes.count(n)) add_memo(in, plan, pd.doc.memo, pd.memo_guid, n);
  }
  if (plan.no_coder)
    plan.report.notes.push_back(fmt::format(
        "{} name no coder; recorded as coded by {}", plural(plan.no_coder, "coding", "codings"),
        in.options.coder.empty() ? default_coder() : in.options.coder));
}

// Notes linked to both a case and a code, as chart summaries; those linked to a case alone,
// as its memo.
void plan_summaries(const plan_inputs& in, import_plan& plan) {
  std::map<std::string, std::vector<const file_link*>> by_note;
  for (const auto& l : in.m.links) {
    if (in.m.notes.count(l.origin))
      by_note[l.origin].push_back(&l);
    else if (in.m.notes.count(l.target))
      by_note[l.target].push_back(&l);
  }
  for (const auto& [note, links] : by_note) {
    std::string case_id, code;
    std::string case_link, code_link;
    for (const auto* l : links) {
      const auto other = l->origin == note ? l->target : l->origin;
      if (const auto c = plan.case_map.find(other); c != plan.case_map.end()) {
        case_id = c->second;
        case_link = l->guid;
      } else if (const auto k = plan.code_map.find(other); k != plan.code_map.end()) {
        code = k->second;
        code_link = l->guid;
      }
    }
    if (!case_id.empty() && code.empty() && links.size() == 1 && !plan.used_notes.count(note)) {
      // Linked to a case alone: the case's memo.
      auto& memo = plan.case_memos[case_id];
      if (memo.link.empty()) memo.link = case_link;
      add_memo(in, plan, memo.text, memo.guid, note);
      plan.used_links.insert(case_link);
      continue;
    }
    if (case_id.empty() || code.empty()) continue;
    const auto& n = in.m.notes.at(note);
    plan.used_notes.insert(note);
    plan.used_links.insert(case_link);
    plan.used_links.insert(code_link);
    const auto key = case_id + ":" + code;
    const auto text = trim(n.text);
    const bool draft = n.description == "draft";
    const auto now = in.now.summaries.find(key);
    // A summary keeps the Note's author and date (the importing coder and now where it has
    // none); one the project has already is left alone, so that a project's own export
    // comes back unchanged.
    const bool unchanged =
        now != in.now.summaries.end() && now->second.text == text && now->second.draft == draft;
    const auto author = plan.user_map.find(n.user);
    plan.summaries.push_back(
        {case_id,
         code,
         text,
         note,
         draft,
         author == plan.user_map.end() ? std::string() : author->second,
         utc_time(n.date),
         {{"summary-case:" + key, case_link}, {"summary-code:" + key, code_link}},
         unchanged});
  }
}

// What nothing used (notes, links, users) goes into the losses; the report's coder count.
void report_unused(const plan_inputs& in, import_plan& plan) {
  for (const auto& n : in.m.project_notes) plan.used_notes.insert(n);
  for (const auto& [guid, n] : in.m.notes) {
    if (plan.used_notes.count(guid)) continue;
    in.losses.add("memo", "memos",
                  "qcode keeps memos on codings, documents, cases and chart summaries only",
                  named(n.name));
  }
  for (const auto& n : in.m.project_notes) {
    const auto it = in.m.notes.find(n);
    if (it == in.m.notes.end() || it->second.name == kDataNoteName) continue;
    in.losses.add("project memo", "project memos",
                  "qcode keeps memos on codings, documents, cases and chart summaries only",
                  named(it->second.name));
  }
  for (const auto& l : in.m.links)
    if (!plan.used_links.count(l.guid))
      in.losses.add("link", "links",
                    "qcode keeps links only between chart summaries and their case and code",
                    named(l.name));
  std::set<std::string> coding_users, kept_users;
  for (const auto& c : plan.codings) coding_users.insert(c.c.coder);
  // The authors of chart summaries are kept with them.
  for (const auto& x : plan.summaries) kept_users.insert(in.m.notes.at(x.guid).user);
  for (const auto& g : in.m.user_order)
    if (!coding_users.count(plan.user_map[g]) && !kept_users.count(g))
      in.losses.add("user", "users",
                    "qcode knows coders through their codings, and these have none",
                    named(plan.user_map[g]));
  plan.report.coders = coding_users.size();
  if (plan.missing_guids)
    plan.report.notes.push_back(fmt::format("{} had no GUID and were given one",
                                            plural(plan.missing_guids, "entity", "entities")));
}

}  // namespace

import_plan plan_import(const plan_inputs& in) {
  import_plan plan;
  plan.report.origin = in.m.origin;
  plan.report.project_name = in.m.name;
  plan_codes(in, plan);
  plan_users(in, plan);
  plan_variables(in, plan);
  plan_documents(in, plan);
  plan_cases(in, plan);
  plan_codings(in, plan);
  plan_summaries(in, plan);
  report_unused(in, plan);
  return plan;
}

}  // namespace coding::detail::refi
