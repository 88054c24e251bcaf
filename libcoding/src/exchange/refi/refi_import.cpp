// REFI-QDA import: a .qdpx project or a .qdc codebook read into a project, leniently (other
// programs write the standard in many ways) but never trusting the archive. The mapping is
// described in docs/refi.md. The file is read into a plain model first (read_*), then
// planned against the project (plan_*), then applied in one change_group.

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <pugixml.hpp>
#include <set>

#include "clock.hpp"
#include "coding/refi.hpp"
#include "coding/text.hpp"
#include "refi_common.hpp"
#include "refi_internal.hpp"
#include "utf8.hpp"
#include "yaml_guard.hpp"
#include "zip.hpp"

namespace coding {
namespace detail {

// --- positions -------------------------------------------------------------------------------

std::string position_convention::describe() const {
  return fmt::format("{} with CRLF as {}", utf16 ? "UTF-16 units" : "code points",
                     crlf_as_one ? "one" : "two");
}

namespace {

const icu::Normalizer2& nfc_normalizer() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw error("cannot load ICU's NFC normaliser");
  return *n;
}

std::string nfc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = &nfc_normalizer();
  const auto source =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  const auto normal = n->normalize(source, status);
  if (U_FAILURE(status)) throw error("cannot normalise text");
  std::string out;
  normal.toUTF8String(out);
  return out;
}

}  // namespace

// The text is cut into segments that normalise independently: each starts at a code point
// that never composes with what precedes it (a normalisation boundary: every ASCII character,
// most others) and takes the code points that follow up to the next boundary; a line end (CR
// LF, CR or LF) is a segment of its own. Most segments are one character and map to
// themselves; the others are normalised on their own, and are mapped as a whole.
position_map::position_map(std::string_view raw, position_convention convention) {
  const auto cps = to_code_points(raw);
  const auto& normalizer = nfc_normalizer();
  // U+0300 is the first code point that can compose with what precedes it.
  const auto boundary = [&](char32_t c) {
    return c < 0x300 || normalizer.hasBoundaryBefore(static_cast<UChar32>(c));
  };
  floor_.reserve(cps.size() + 1);
  ceil_.reserve(cps.size() + 1);
  text_.reserve(raw.size());
  std::size_t at = 0;  // code points of text_
  std::size_t i = 0;
  while (i < cps.size()) {
    std::size_t j = i + 1;
    if (cps[i] == U'\r' || cps[i] == U'\n') {
      if (cps[i] == U'\r' && j < cps.size() && cps[j] == U'\n') ++j;
    } else {
      while (j < cps.size() && !boundary(cps[j])) ++j;
    }
    if (j == i + 1 && cps[i] < 0x80 && cps[i] != U'\r') {
      floor_.push_back(at);
      ceil_.push_back(at);
      text_ += static_cast<char>(cps[i]);
      ++at;
      i = j;
      continue;
    }
    std::string original, lf;
    for (std::size_t k = i; k < j; ++k) append_utf8(original, cps[k]);
    for (std::size_t k = i; k < j; ++k) {
      if (cps[k] == U'\r') {
        if (!(k + 1 < j && cps[k + 1] == U'\n')) lf += '\n';
      } else {
        append_utf8(lf, cps[k]);
      }
    }
    const std::string normal = nfc(lf);
    const std::size_t length = count_code_points(normal);
    if (normal == original) {
      // Unchanged: positions map one to one, except inside a surrogate pair.
      for (std::size_t k = i; k < j; ++k) {
        floor_.push_back(at + (k - i));
        ceil_.push_back(at + (k - i));
        if (convention.utf16 && cps[k] > 0xFFFF) {
          identity_ = false;
          floor_.push_back(at + (k - i));
          ceil_.push_back(at + (k - i) + 1);
        }
      }
    } else {
      identity_ = false;
      std::size_t units = 0;
      for (std::size_t k = i; k < j; ++k) {
        if (cps[k] == U'\r' && k + 1 < j && cps[k + 1] == U'\n' && convention.crlf_as_one) continue;
        units += convention.utf16 && cps[k] > 0xFFFF ? 2 : 1;
      }
      floor_.push_back(at);
      ceil_.push_back(at);
      for (std::size_t u = 1; u < units; ++u) {
        floor_.push_back(at);
        ceil_.push_back(at + length);
      }
    }
    text_ += normal;
    at += length;
    i = j;
  }
  floor_.push_back(at);
  ceil_.push_back(at);
}

// --- names, colours, GUIDs ------------------------------------------------------------------

namespace {

bool valid_local_id(std::string_view id) {
  if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string to_ascii(std::string_view name) {
  thread_local std::unique_ptr<icu::Transliterator> latin = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  if (!latin) return std::string(name);
  auto text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  latin->transliterate(text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

std::string code_id_from_name(std::string_view name) {
  std::string id;
  for (const char ch : to_ascii(name)) {
    const auto c = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(ch)));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      id += static_cast<char>(c);
    } else if (!id.empty() && id.back() != '_') {
      id += '_';
    }
  }
  while (!id.empty() && (id.back() == '_' || id.back() == '-')) id.pop_back();
  while (!id.empty() && (id.front() == '_' || id.front() == '-')) id.erase(id.begin());
  if (id.empty()) return "code";
  if (id[0] < 'a' || id[0] > 'z') id = "code_" + id;
  if (id.size() > 40) {
    id.resize(40);
    while (id.back() == '_' || id.back() == '-') id.pop_back();
  }
  return id;
}

std::optional<std::string> normalize_color(std::string_view color) {
  std::string c;
  for (const char ch : color)
    if (!std::isspace(static_cast<unsigned char>(ch)))
      c += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto hex = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char x) {
      return std::isxdigit(static_cast<unsigned char>(x));
    });
  };
  static const std::map<std::string, std::string, std::less<>> names = {
      {"black", "#000000"},  {"white", "#ffffff"},   {"red", "#ff0000"},     {"lime", "#00ff00"},
      {"green", "#008000"},  {"blue", "#0000ff"},    {"yellow", "#ffff00"},  {"cyan", "#00ffff"},
      {"aqua", "#00ffff"},   {"magenta", "#ff00ff"}, {"fuchsia", "#ff00ff"}, {"silver", "#c0c0c0"},
      {"gray", "#808080"},   {"grey", "#808080"},    {"maroon", "#800000"},  {"olive", "#808000"},
      {"purple", "#800080"}, {"teal", "#008080"},    {"navy", "#000080"},    {"orange", "#ffa500"}};
  if (const auto it = names.find(c); it != names.end()) return it->second;
  if (c.starts_with("rgb(") && c.ends_with(")")) {
    std::string out = "#";
    std::size_t at = 4;
    for (int part = 0; part < 3; ++part) {
      unsigned value = 0;
      const auto [end, ec] = std::from_chars(c.data() + at, c.data() + c.size() - 1, value);
      if (ec != std::errc() || value > 255) return std::nullopt;
      at = static_cast<std::size_t>(end - c.data());
      if (part < 2) {
        if (at >= c.size() || c[at] != ',') return std::nullopt;
        ++at;
      } else if (at != c.size() - 1) {
        return std::nullopt;
      }
      out += fmt::format("{:02x}", value);
    }
    return out;
  }
  std::string_view digits = c;
  if (digits.starts_with('#'))
    digits.remove_prefix(1);
  else if (digits.starts_with("0x"))
    digits.remove_prefix(2);
  if (!hex(digits)) return std::nullopt;
  if (digits.size() == 3)
    return fmt::format("#{0}{0}{1}{1}{2}{2}", digits[0], digits[1], digits[2]);
  if (digits.size() == 6) return "#" + std::string(digits);
  if (digits.size() == 8)
    return "#" + std::string(digits.substr(2));  // #aarrggbb, as .NET writes it
  return std::nullopt;
}

std::optional<std::string> normalize_guid(std::string_view guid) {
  while (!guid.empty() && std::isspace(static_cast<unsigned char>(guid.front())))
    guid.remove_prefix(1);
  while (!guid.empty() && std::isspace(static_cast<unsigned char>(guid.back())))
    guid.remove_suffix(1);
  if (guid.size() >= 2 && guid.front() == '{' && guid.back() == '}')
    guid = guid.substr(1, guid.size() - 2);
  std::string hex;
  for (std::size_t i = 0; i < guid.size(); ++i) {
    const char c = guid[i];
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (c != '-' || !(i == 8 || i == 13 || i == 18 || i == 23)) {
      return std::nullopt;
    }
  }
  if (hex.size() != 32 || (guid.size() != 32 && guid.size() != 36)) return std::nullopt;
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20));
}

namespace {

// White space runs as one space, trimmed, without a trailing ellipsis. Control characters
// count as white space: XML cannot hold them, so the export writes a space for them.
std::string squash(std::string_view s) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t from = i;
    const auto c = next_code_point(s, i);
    const bool white = c <= ' ' || c == 0xA0;
    if (white) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out.append(s.substr(from, i - from));
  }
  for (const std::string_view dots : {"...", "\xE2\x80\xA6"})
    if (out.ends_with(dots)) {
      out.resize(out.size() - dots.size());
      while (!out.empty() && out.back() == ' ') out.pop_back();
    }
  return out;
}

}  // namespace

bool quotes_text(std::string_view label, std::string_view text) {
  const auto a = squash(nfc(label));
  const auto b = squash(text);
  if (a.empty() || b.empty()) return a == b;
  return a == b || a.starts_with(b) || b.starts_with(a);
}

}  // namespace detail

namespace {

using detail::normalize_guid;

// --- small helpers ---------------------------------------------------------------------------

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
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
    const auto c = detail::next_code_point(name, i);
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
  return detail::utc_text(timegm(&tm) - offset);
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

// --- what could not be carried over -----------------------------------------------------------

class loss_list {
 public:
  // One thing of a kind (`one`/`many` name the kind) left out for `reason`; `detailed` kinds
  // list each item on a line of its own.
  void add(std::string_view one, std::string_view many, std::string_view reason, std::string item,
           bool detailed = false) {
    const auto key = std::string(one) + '\x1f' + std::string(reason);
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const entry& e) { return e.key == key; });
    if (it == entries_.end()) {
      entries_.push_back(
          {key, std::string(one), std::string(many), std::string(reason), {}, detailed, 0});
      it = entries_.end() - 1;
    }
    ++it->count;
    if (!item.empty()) it->items.push_back(std::move(item));
  }

  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) {
      if (e.detailed) {
        out.push_back(fmt::format("{}: {}", plural(e.count, e.one, e.many), e.reason));
        for (std::size_t i = 0; i < e.items.size() && i < 20; ++i) out.push_back("  " + e.items[i]);
        if (e.items.size() > 20) out.push_back(fmt::format("  and {} more", e.items.size() - 20));
        continue;
      }
      std::string names;
      for (std::size_t i = 0; i < e.items.size() && i < 5; ++i)
        names += (i ? ", " : "") + e.items[i];
      if (e.items.size() > 5) names += fmt::format(" and {} more", e.items.size() - 5);
      out.push_back(names.empty() ? fmt::format("{}: {}", plural(e.count, e.one, e.many), e.reason)
                                  : fmt::format("{} ({}): {}", plural(e.count, e.one, e.many),
                                                names, e.reason));
    }
    return out;
  }

 private:
  struct entry {
    std::string key, one, many, reason;
    std::vector<std::string> items;
    bool detailed;
    std::size_t count;
  };
  std::vector<entry> entries_;
};

std::string named(std::string_view name) {
  return name.empty() ? std::string("(no name)") : fmt::format("'{}'", name);
}

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
    return lower(raw);
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
};

std::string scalar(const YAML::Node& n) {
  return n && n.IsScalar() ? n.as<std::string>() : std::string();
}

data_note read_data_note(const file_model& m, loss_list& losses) {
  data_note d;
  for (const auto& [guid, note] : m.notes) {
    if (note.name != detail::kDataNoteName || !note.text.starts_with("qcode:")) continue;
    try {
      const auto y = detail::load_yaml(note.text);
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
      d.present = true;
    } catch (const YAML::Exception& e) {
      losses.add("qcode data note", "qcode data notes",
                 "it is not the YAML qcode writes, so ids are made from names", e.what());
    }
    return d;
  }
  return d;
}

// --- planning against the project and applying -----------------------------------------------

struct planned_document {
  document doc;
  std::string guid;
  bool known = false;  // a document of the project (same GUID): re-imported
};

struct planned_coding {
  new_coding c;
  std::string guid, selection_guid, memo_guid;
};

class importer {
 public:
  importer(project& p, file_model& m, std::string file, const refi_import_options& options,
           loss_list& losses)
      : p_(p), m_(m), file_(std::move(file)), options_(options), losses_(losses) {}

  refi_import_result run(const detail::zip_archive* archive) {
    archive_ = archive;
    result_.origin = m_.origin;
    result_.project_name = m_.name;
    note_ = read_data_note(m_, losses_);
    learn_project();
    plan_codes();
    plan_users();
    plan_variables();
    plan_documents();
    plan_cases();
    plan_codings();
    plan_summaries();
    report_unused();
    apply();
    result_.not_imported = losses_.lines();
    return std::move(result_);
  }

 private:
  // --- what the project holds -----------------------------------------------------------------

  void learn_project() {
    guids_now_ = p_.guids().book();
    fw_ = p_.get_framework();
    if (fw_)
      for (const auto& c : fw_->codes) code_by_guid_[guids_now_(guid_kind::code, c.id)] = c.id;
    for (const auto& c : p_.cases().list()) {
      case_ids_.insert(c.id);
      case_by_guid_[guids_now_(guid_kind::case_, c.id)] = c.id;
    }
    for (const auto& id : p_.documents().ids()) {
      doc_ids_.insert(id);
      doc_by_guid_[guids_now_(guid_kind::source, id)] = id;
    }
    for (const auto& name : p_.cases().attribute_names()) {
      attributes_.insert(name);
      variable_by_guid_[guids_now_(guid_kind::variable, name)] = name;
    }
    for (const auto& c : p_.codings().list()) {
      if (coders_.insert(c.coder).second)
        user_by_guid_[guids_now_(guid_kind::user, c.coder)] = c.coder;
      passages_.insert(fmt::format("{}:{}:{}", c.doc, c.start, c.end));
      coding_ids_.insert(c.id);
    }
    stored_ = p_.guids().stored();
    for (auto& s : p_.summaries().list()) summaries_now_[s.case_id + ":" + s.code] = std::move(s);
  }

  // --- codes ----------------------------------------------------------------------------------

  void plan_codes() {
    // Children of each parent (full id, "" for the themes) in the project, by local id.
    std::map<std::string, std::set<std::string>> siblings;
    if (fw_)
      for (const auto& c : fw_->codes)
        siblings[c.parent < 0 ? std::string() : fw_->codes[static_cast<std::size_t>(c.parent)].id]
            .insert(c.local_id);
    std::vector<std::string> full(m_.codes.size());
    std::set<std::string> seen;
    std::vector<bool> dropped(m_.codes.size(), false);
    for (std::size_t i = 0; i < m_.codes.size(); ++i) {
      auto& c = m_.codes[i];
      if (c.parent >= 0 && dropped[static_cast<std::size_t>(c.parent)]) {
        dropped[i] = true;
        continue;
      }
      if (c.guid.empty()) c.guid = synthetic_guid("code", c.name, i);
      if (!seen.insert(c.guid).second) {
        losses_.add("code", "codes",
                    "its GUID is that of another code in the file, so it (and the codes below it) "
                    "was left out",
                    named(c.name));
        dropped[i] = true;
        continue;
      }
      if (const auto it = code_by_guid_.find(c.guid); it != code_by_guid_.end()) {
        full[i] = it->second;
        code_map_[c.guid] = it->second;
        ++result_.codes_matched;
        continue;
      }
      const std::string parent =
          c.parent < 0 ? std::string() : full[static_cast<std::size_t>(c.parent)];
      auto& taken = siblings[parent];
      std::string local;
      if (const auto it = note_.code_ids.find(c.guid); it != note_.code_ids.end() &&
                                                       detail::valid_local_id(it->second) &&
                                                       !taken.count(it->second))
        local = it->second;
      else
        local = unique_id(detail::code_id_from_name(c.name.empty() ? std::string("code") : c.name),
                          taken);
      taken.insert(local);
      code x;
      x.local_id = local;
      x.id = parent.empty() ? local : parent + "." + local;
      x.label = c.name.empty() ? local : c.name;
      const auto split = detail::split_guidance(trim(c.description));
      x.description = split.description;
      x.include = split.guidance[0];
      x.exclude = split.guidance[1];
      x.example = split.guidance[2];
      if (!c.color.empty()) {
        if (const auto color = detail::normalize_color(c.color))
          x.color = *color;
        else
          losses_.add("code colour", "code colours", "not a colour qcode understands (use #rrggbb)",
                      fmt::format("'{}' of {}", c.color, named(c.name)));
      }
      // Memos on codes from other programs join the code's description.
      for (const auto& n : c.notes) {
        const auto it = m_.notes.find(n);
        if (it == m_.notes.end() || trim(it->second.text).empty()) continue;
        used_notes_.insert(n);
        x.description += (x.description.empty() ? "" : "\n\n") + trim(it->second.text);
      }
      full[i] = x.id;
      code_map_[c.guid] = x.id;
      new_codes_.push_back({std::move(x), parent, c.guid});
    }
    result_.codes_added = new_codes_.size();
  }

  std::string synthetic_guid(std::string_view kind, std::string_view name, std::size_t index) {
    ++missing_guids_;
    auto hex = content_hash(fmt::format("{}\x1f{}\x1f{}\x1f{}", file_, kind, name, index));
    hex += content_hash(hex);
    return *normalize_guid(hex);
  }

  // The project's framework with the new codes: each under its parent, after the codes that
  // were there, in depth-first order.
  framework next_framework() const {
    framework next;
    if (fw_) {
      next = *fw_;
    } else {
      if (note_.fw) {
        next = *note_.fw;
        next.codes.clear();
      }
      const auto stem = std::filesystem::path(file_).stem().string();
      if (next.title.empty()) next.title = m_.name.empty() ? stem : m_.name;
      if (next.id.empty()) next.id = detail::code_id_from_name(next.title);
      if (next.description.empty()) next.description = m_.description;
    }
    std::map<std::string, std::vector<code>> children;  // parent full id -> codes in order
    for (const auto& c : next.codes)
      children[c.parent < 0 ? std::string() : next.codes[static_cast<std::size_t>(c.parent)].id]
          .push_back(c);
    for (const auto& n : new_codes_) children[n.parent].push_back(n.c);
    framework out = next;
    out.codes.clear();
    const std::function<void(const std::string&, int, int)> walk =
        [&](const std::string& parent, int parent_index, int depth) {
          for (auto c : children[parent]) {
            c.parent = parent_index;
            c.depth = depth;
            c.renamed_from.clear();
            const int index = static_cast<int>(out.codes.size());
            out.codes.push_back(c);
            walk(c.id, index, depth + 1);
          }
        };
    walk("", -1, 0);
    return out;
  }

  // --- users, variables -----------------------------------------------------------------------

  void plan_users() {
    for (const auto& g : m_.user_order) {
      if (const auto it = user_by_guid_.find(g); it != user_by_guid_.end()) {
        user_map_[g] = it->second;
        continue;
      }
      // A name already taken by another coder is the same person only when no GUID says
      // otherwise; keep the name, since coders are known by name.
      user_map_[g] = m_.users.at(g);
      if (!coders_.count(user_map_[g])) new_users_[user_map_[g]] = g;
    }
  }

  std::string coder_of(const std::initializer_list<const std::string*> guids) {
    for (const auto* g : guids)
      if (!g->empty()) {
        if (const auto it = user_map_.find(*g); it != user_map_.end()) return it->second;
      }
    ++no_coder_;
    return options_.coder.empty() ? default_coder() : options_.coder;
  }

  void plan_variables() {
    for (const auto& [guid, name] : m_.variables) {
      if (const auto it = variable_by_guid_.find(guid); it != variable_by_guid_.end()) {
        variable_map_[guid] = it->second;
        continue;
      }
      const auto n = name.empty() ? std::string("variable") : name;
      variable_map_[guid] = n;
      if (!attributes_.count(n)) new_variables_[n] = guid;
    }
    result_.variables = m_.variables.size();
  }

  // --- documents ------------------------------------------------------------------------------

  // The bytes of a source's text; `where` is set to what names them in messages: the archive
  // entry, or the source's name for text held in the .qde.
  std::optional<std::string> source_bytes(const file_source& s, std::string& where) {
    where = fmt::format("{}:{}", file_, s.content ? s.name : s.path);
    if (s.content) return *s.content;
    if (s.path.empty()) {
      losses_.add("text source", "text sources",
                  "it has neither PlainTextContent nor plainTextPath", named(s.name));
      return std::nullopt;
    }
    std::string path = s.path;
    const auto scheme = path.find("://");
    if (scheme != std::string::npos) {
      if (!iequals(path.substr(0, scheme), "internal")) {
        losses_.add("text source", "text sources",
                    "its text is outside the archive (qcode reads only what the .qdpx holds)",
                    fmt::format("{} at '{}'", named(s.name), s.path));
        return std::nullopt;
      }
      path = path.substr(scheme + 3);
    }
    std::replace(path.begin(), path.end(), '\\', '/');
    while (path.starts_with("./")) path = path.substr(2);
    if (const auto why = detail::unsafe_entry_reason(path); !why.empty()) {
      losses_.add("text source", "text sources", "its plainTextPath leaves the archive's folder",
                  fmt::format("{} at '{}'", named(s.name), s.path));
      return std::nullopt;
    }
    if (!archive_) {
      losses_.add("text source", "text sources",
                  "its text is in a file that a .qde alone does not hold", named(s.name));
      return std::nullopt;
    }
    // sources/NAME (or Sources/), NAME itself, or an entry of that file name anywhere.
    const auto read = [&](std::size_t index) {
      where = fmt::format("{}:{}", file_, archive_->name(index));
      return archive_->read(index);
    };
    for (const auto& candidate : {"sources/" + path, path}) {
      if (const auto index = entry_index(candidate)) return read(*index);
    }
    const auto base = lower(std::filesystem::path(path).filename().string());
    for (std::size_t i = 0; i < archive_->size(); ++i) {
      auto name = archive_->name(i);
      std::replace(name.begin(), name.end(), '\\', '/');
      if (lower(std::filesystem::path(name).filename().string()) == base) return read(i);
    }
    losses_.add("text source", "text sources", "its text file is missing from the archive",
                fmt::format("{} at '{}'", named(s.name), s.path));
    return std::nullopt;
  }

  std::optional<std::size_t> entry_index(const std::string& name) const {
    for (std::size_t i = 0; i < archive_->size(); ++i) {
      auto n = archive_->name(i);
      std::replace(n.begin(), n.end(), '\\', '/');
      if (iequals(n, name)) return i;
    }
    return std::nullopt;
  }

  static std::string strip_extension(const std::string& name) {
    static const std::set<std::string> known = {".txt", ".rtf", ".docx", ".doc", ".pdf",
                                                ".odt", ".md",  ".html", ".htm"};
    const auto dot = name.rfind('.');
    if (dot != std::string::npos && dot > 0 && known.count(lower(name.substr(dot))))
      return name.substr(0, dot);
    return name;
  }

  detail::position_convention preferred_convention() const {
    const auto origin = lower(m_.origin);
    if (origin.find("nvivo") != std::string::npos) return {true, false};
    if (origin.find("atlas") != std::string::npos) return {false, true};
    return {};
  }

  struct source_plan {
    file_source* source = nullptr;
    std::string id;
    std::string raw;  // UTF-8 without BOM
    std::unique_ptr<detail::position_map> map;
    std::size_t doc = 0;  // index into documents_
  };

  void plan_documents() {
    std::set<std::string> taken = doc_ids_;
    for (auto& s : m_.sources) {
      if (s.guid.empty()) s.guid = synthetic_guid("source", s.name, sources_.size());
      std::string entry_name;
      auto bytes = source_bytes(s, entry_name);
      if (!bytes) {
        skipped_sources_.insert(s.guid);
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
      sp.map = std::make_unique<detail::position_map>(sp.raw, preferred_convention());
      const auto& text = sp.map->text();
      if (std::all_of(text.begin(), text.end(),
                      [](char c) { return c == ' ' || c == '\t' || c == '\n'; })) {
        losses_.add("text source", "text sources", "it has no text", named(s.name));
        skipped_sources_.insert(s.guid);
        continue;
      }
      planned_document pd;
      pd.guid = s.guid;
      const auto info = note_.sources.find(s.guid);
      sp.id = id_for("document", s.guid, doc_by_guid_,
                     info != note_.sources.end() && !info->second.id.empty()
                         ? plain_id(info->second.id, "doc")
                         : plain_id(strip_extension(s.name), "doc"),
                     doc_ids_, taken, pd.known);
      pd.doc.id = sp.id;
      pd.doc.title = info != note_.sources.end() && !info->second.title.empty() ? info->second.title
                     : s.name.empty()                                           ? sp.id
                                                                                : s.name;
      if (info == note_.sources.end() && !trim(s.description).empty())
        losses_.add("source description", "source descriptions",
                    "qcode keeps a document's title only", named(s.name));
      pd.doc.text = text;
      pd.doc.source_name = entry_name;
      pd.doc.source_hash = content_hash(*bytes);
      pd.doc.encoding = decoded.encoding;
      // A known document whose text is the same keeps the source it was imported from, so
      // that importing a project's own export changes nothing.
      if (pd.known)
        if (const auto now = p_.documents().find(sp.id); now && now->text == text) {
          pd.doc.source_name = now->source_name;
          pd.doc.source_hash = now->source_hash;
          pd.doc.encoding = now->encoding;
        }
      sp.doc = documents_.size();
      documents_.push_back(std::move(pd));
      source_index_[s.guid] = sources_.size();
      sources_.push_back(std::move(sp));
    }
  }

  // The id of an imported document or case: the one the project knows by its GUID
  // (`known`), else `base` made unique among `taken`, reported as renamed when the project
  // has `base` for another GUID. The id is added to `taken`.
  template <class ByGuid>
  std::string id_for(std::string_view kind, const std::string& guid, const ByGuid& by_guid,
                     const std::string& base, const std::set<std::string>& existing,
                     std::set<std::string>& taken, bool& known) {
    std::string id;
    if (const auto it = by_guid.find(guid); it != by_guid.end()) {
      known = true;
      id = it->second;
    } else {
      id = unique_id(base, taken);
      if (existing.count(base))
        losses_.add(
            fmt::format("{} id", kind), fmt::format("{} ids", kind),
            fmt::format("the project has another {} of that id (another GUID), so it was renamed",
                        kind),
            fmt::format("'{}' imported as '{}'", base, id));
    }
    taken.insert(id);
    return id;
  }

  // --- cases ----------------------------------------------------------------------------------

  struct planned_case {
    std::string id, label, guid;
    bool known = false;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<std::string> sources;  // source GUIDs
  };

  void plan_cases() {
    std::set<std::string> taken = case_ids_;
    std::map<std::string, std::size_t> by_id;
    for (auto& c : m_.cases) {
      if (c.guid.empty()) c.guid = synthetic_guid("case", c.name, cases_.size());
      if (c.name.empty()) {
        nameless_.push_back(&c);
        continue;
      }
      planned_case pc;
      pc.guid = c.guid;
      const auto info = note_.cases.find(c.guid);
      pc.id = id_for(
          "case", c.guid, case_by_guid_,
          plain_id(info != note_.cases.end() && !info->second.id.empty() ? info->second.id : c.name,
                   "case"),
          case_ids_, taken, pc.known);
      pc.label = info != note_.cases.end() ? info->second.label : c.name;
      if (info == note_.cases.end() && !trim(c.description).empty())
        losses_.add("case description", "case descriptions", "qcode keeps a case's label only",
                    named(c.name));
      pc.attributes = attribute_values(c.values, c.name);
      pc.sources = c.sources;
      if (!c.codes.empty())
        losses_.add(
            "case coding", "case codings", "qcode codes passages, not cases",
            fmt::format("{} with {}", named(c.name), plural(c.codes.size(), "code", "codes")));
      if (!c.selections.empty())
        losses_.add("case selection reference", "case selection references",
                    "qcode ties a case to whole transcripts or to its speaker's turns",
                    fmt::format("{} with {}", named(c.name),
                                plural(c.selections.size(), "selection", "selections")));
      case_map_[c.guid] = pc.id;
      by_id[pc.id] = cases_.size();
      cases_.push_back(std::move(pc));
    }

    // Which cases each source belongs to.
    std::map<std::string, std::vector<std::size_t>> of_source;
    for (std::size_t i = 0; i < cases_.size(); ++i)
      for (const auto& s : cases_[i].sources) of_source[s].push_back(i);

    // Nameless cases hold attributes of their sources (as some programs write document
    // variables): they go to the source's own case, made from the source when it has none.
    for (const auto* c : nameless_) {
      const auto values = attribute_values(c->values, "");
      if (c->sources.empty()) {
        losses_.add("nameless case", "nameless cases",
                    "it names no source, so its values belong to nothing", "");
        continue;
      }
      for (const auto& s : c->sources) {
        const auto at = source_index_.find(s);
        if (at == source_index_.end()) continue;
        auto& owners = of_source[s];
        if (owners.size() > 1) {
          losses_.add("nameless case", "nameless cases",
                      "its source belongs to several cases, so the values have no one case",
                      named(sources_[at->second].source->name));
          continue;
        }
        if (owners.empty()) {
          planned_case pc;
          pc.id = unique_id(sources_[at->second].id, taken);
          taken.insert(pc.id);
          pc.label =
              sources_[at->second].source->name.empty() ? pc.id : sources_[at->second].source->name;
          pc.guid = c->guid;
          pc.sources = {s};
          owners.push_back(cases_.size());
          case_map_[c->guid] = pc.id;
          cases_.push_back(std::move(pc));
        }
        auto& owner = cases_[owners.front()];
        for (const auto& v : values) owner.attributes.push_back(v);
        ++nameless_used_;
      }
    }
    // Values on sources themselves go to the source's case in the same way.
    for (const auto& sp : sources_) {
      if (sp.source->values.empty()) continue;
      const auto& owners = of_source[sp.source->guid];
      if (owners.size() != 1) {
        losses_.add("source variable value", "source variable values",
                    "the source has no one case to carry them", named(sp.source->name));
        continue;
      }
      for (const auto& v : attribute_values(sp.source->values, sp.source->name))
        cases_[owners.front()].attributes.push_back(v);
    }

    // The documents' cases and speakers.
    for (auto& sp : sources_) {
      auto& pd = documents_[sp.doc];
      const auto info = note_.sources.find(sp.source->guid);
      std::vector<std::string> linked;
      for (const auto i : of_source[sp.source->guid]) linked.push_back(cases_[i].id);
      if (info != note_.sources.end()) {
        build_document(pd, sp, note_case(info->second.case_id),
                       note_speakers(info->second.speakers), linked);
      } else if (linked.size() == 1) {
        build_document(pd, sp, linked.front(), std::nullopt, linked);
      } else {
        build_document(pd, sp, "", std::nullopt, linked);
      }
    }

    // Cases without a source are created with the first document of the import.
    for (const auto& c : cases_) {
      bool placed = false;
      for (const auto& d : documents_) placed = placed || d.doc.case_attributes.count(c.id) > 0;
      if (placed || c.known) continue;
      if (documents_.empty()) {
        losses_.add("case", "cases",
                    "qcode creates cases with their transcripts, and the file has none",
                    named(c.label));
        continue;
      }
      documents_.front().doc.case_attributes[c.id];
    }
  }

  // A case id of the data note (the exporting project's) as it is in this project.
  std::string note_case(const std::string& id) const {
    if (id.empty()) return id;
    for (const auto& [guid, info] : note_.cases)
      if (info.id == id) {
        if (const auto it = case_map_.find(guid); it != case_map_.end()) return it->second;
      }
    return id;
  }

  std::optional<std::vector<std::pair<std::string, std::string>>> note_speakers(
      const std::vector<std::pair<std::string, std::string>>& speakers) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [label, id] : speakers) out.emplace_back(label, note_case(id));
    return out;
  }

  // Attribute values by variable name; a value of the grouping attribute that is not one of
  // the framework's groups is left out, as qcode refuses it everywhere.
  std::vector<std::pair<std::string, std::string>> attribute_values(
      const std::vector<file_value>& values, std::string_view owner) {
    std::vector<std::pair<std::string, std::string>> out;
    const framework* fw = fw_ ? &*fw_ : note_.fw ? &*note_.fw : nullptr;
    for (const auto& v : values) {
      const auto it = variable_map_.find(v.variable);
      if (it == variable_map_.end()) {
        losses_.add("variable value", "variable values",
                    "its variable is not in the file's Variables", named(owner));
        continue;
      }
      if (fw && it->second == fw->group_attribute && !fw->groups.empty() && !v.value.empty() &&
          std::none_of(fw->groups.begin(), fw->groups.end(),
                       [&](const group& g) { return g.id == v.value; })) {
        losses_.add("group value", "group values", "not one of the framework's groups",
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
  void build_document(
      planned_document& pd, const source_plan& sp, const std::string& case_id,
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
              for (const auto& c : cases_)
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

  // --- codings --------------------------------------------------------------------------------

  struct selection_check {
    std::size_t matched = 0, mismatched = 0;
  };

  // How many of the source's quoting selections quote the text at their positions.
  selection_check check(const source_plan& sp, const detail::position_map& map) const {
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
      if ((!sel.name.empty() && detail::quotes_text(sel.name, actual)) ||
          (!sel.description.empty() && detail::quotes_text(sel.description, actual)))
        ++r.matched;
      else
        ++r.mismatched;
    }
    return r;
  }

  void choose_convention(source_plan& sp) {
    const auto preferred = preferred_convention();
    auto best = check(sp, *sp.map);
    std::optional<detail::position_convention> switched;
    if (best.mismatched > 0) {
      for (const detail::position_convention c :
           {detail::position_convention{false, false}, detail::position_convention{false, true},
            detail::position_convention{true, false}, detail::position_convention{true, true}}) {
        if (c.utf16 == preferred.utf16 && c.crlf_as_one == preferred.crlf_as_one) continue;
        auto map = std::make_unique<detail::position_map>(sp.raw, c);
        const auto r = check(sp, *map);
        if (r.matched > best.matched) {
          best = r;
          sp.map = std::move(map);
          switched = c;
        }
      }
    }
    if (switched)
      result_.notes.push_back(
          fmt::format("positions in '{}' read as {}: the selections' quoted text fits that, not "
                      "the {} expected{}",
                      sp.id, switched->describe(), preferred.describe(),
                      m_.origin.empty() ? std::string() : " from " + m_.origin));
    else if (!sp.map->identity() && !sp.source->selections.empty())
      result_.notes.push_back(
          fmt::format("positions in '{}' read as {}{}", sp.id, preferred.describe(),
                      m_.origin.empty() ? std::string() : fmt::format(" ({})", m_.origin)));
    // Selections whose names never quote the text name them some other way: they cannot be
    // checked, and are taken as they are.
    sp_unchecked_ = best.matched == 0 && best.mismatched > 0;
    if (sp_unchecked_)
      result_.notes.push_back(
          fmt::format("the selections in '{}' do not quote their text in their names, so their "
                      "positions could not be checked",
                      sp.id));
  }

  void plan_codings() {
    for (auto& sp : sources_) {
      choose_convention(sp);
      const auto& map = *sp.map;
      const text_index index(map.text());
      const auto& doc = documents_[sp.doc].doc;
      const auto& s = *sp.source;
      for (const auto& sel : s.selections) {
        const auto where =
            fmt::format("'{}' {}:{}", doc.id, sel.start ? std::to_string(*sel.start) : "?",
                        sel.end ? std::to_string(*sel.end) : "?");
        if (!sel.start || !sel.end) {
          losses_.add("selection", "selections", "without a numeric startPosition and endPosition",
                      where);
          continue;
        }
        if (*sel.start < 0 || *sel.end < *sel.start ||
            static_cast<std::size_t>(*sel.end) > map.units()) {
          losses_.add("selection", "selections", "outside the text",
                      fmt::format("{} (the text has {} positions)", where, map.units()), true);
          continue;
        }
        const auto a = map.start(static_cast<std::size_t>(*sel.start));
        const auto b = map.end(static_cast<std::size_t>(*sel.end));
        if (b <= a) {
          losses_.add("zero-length selection", "zero-length selections",
                      "an empty passage cannot be coded", where);
          continue;
        }
        const auto actual = std::string(index.slice(a, b));
        const bool quoted = !sel.name.empty() || !sel.description.empty();
        if (quoted && !sp_unchecked_ &&
            !(detail::quotes_text(sel.name, actual) ||
              detail::quotes_text(sel.description, actual))) {
          losses_.add("selection", "selections", "its quoted text is not at its positions",
                      fmt::format("{}: the file quotes {}, the text there reads {}", where,
                                  quoted_excerpt(sel.name.empty() ? sel.description : sel.name),
                                  quoted_excerpt(actual)),
                      true);
          continue;
        }
        std::string selection_memo;
        std::string selection_memo_guid;
        for (const auto& n : sel.notes) add_memo(selection_memo, selection_memo_guid, n);
        if (sel.codings.empty()) {
          if (!selection_memo.empty())
            losses_.add("memo", "memos", "it is on a selection with no coding", named(sel.name));
          continue;
        }
        for (const auto& c : sel.codings)
          add_coding(doc.id, a, b, c, {&c.user, &sel.user, &s.user}, sel.date, sel.guid,
                     selection_memo, selection_memo_guid);
      }
      for (const auto& c : s.codings)
        add_coding(doc.id, 0, doc.length, c, {&c.user, &s.user}, s.date, "", "", "");
      for (const auto& n : s.notes)
        if (m_.notes.count(n) && !used_notes_.count(n)) {
          used_notes_.insert(n);
          losses_.add("memo", "memos",
                      "qcode keeps memos on codings and chart summaries, not on documents",
                      named(m_.notes.at(n).name));
        }
    }
    if (no_coder_)
      result_.notes.push_back(fmt::format(
          "{} name no coder; recorded as coded by {}", plural(no_coder_, "coding", "codings"),
          options_.coder.empty() ? default_coder() : options_.coder));
  }

  void add_memo(std::string& memo, std::string& guid, const std::string& note) {
    const auto it = m_.notes.find(note);
    if (it == m_.notes.end()) return;
    used_notes_.insert(note);
    const auto text = trim(it->second.text);
    if (text.empty()) return;
    if (!memo.empty()) memo += "\n\n";
    memo += text;
    if (guid.empty()) guid = note;
  }

  void add_coding(const std::string& doc, std::size_t start, std::size_t end, const file_coding& c,
                  std::initializer_list<const std::string*> users, const std::string& fallback_date,
                  const std::string& selection_guid, const std::string& selection_memo,
                  const std::string& selection_memo_guid) {
    const auto code = code_map_.find(c.code);
    if (code == code_map_.end()) {
      losses_.add("coding", "codings", "its code is not in the codebook",
                  fmt::format("'{}' {}:{}", doc, start, end));
      return;
    }
    planned_coding pc;
    pc.c.doc = doc;
    pc.c.start = start;
    pc.c.end = end;
    pc.c.code = code->second;
    pc.c.coder = coder_of(users);
    pc.c.created = utc_time(c.date.empty() ? fallback_date : c.date);
    pc.c.origin.file = file_;
    std::string memo_guid;
    for (const auto& n : c.notes) add_memo(pc.c.memo, memo_guid, n);
    if (!selection_memo.empty()) {
      pc.c.memo += (pc.c.memo.empty() ? "" : "\n\n") + selection_memo;
      if (memo_guid.empty()) memo_guid = selection_memo_guid;
    }
    pc.guid = c.guid;
    pc.selection_guid = selection_guid;
    pc.memo_guid = memo_guid;
    codings_.push_back(std::move(pc));
  }

  // --- chart summaries ------------------------------------------------------------------------

  struct planned_summary {
    std::string case_id, code, text, guid;
    bool draft = false;
    std::string author, updated;  // "" when the Note names no user or date
    std::vector<std::pair<std::string, std::string>> links;  // kind key, GUID
    bool unchanged = false;                                  // the project has this summary already
  };

  void plan_summaries() {
    std::map<std::string, std::vector<const file_link*>> by_note;
    for (const auto& l : m_.links) {
      if (m_.notes.count(l.origin))
        by_note[l.origin].push_back(&l);
      else if (m_.notes.count(l.target))
        by_note[l.target].push_back(&l);
    }
    for (const auto& [note, links] : by_note) {
      std::string case_id, code;
      std::string case_link, code_link;
      for (const auto* l : links) {
        const auto other = l->origin == note ? l->target : l->origin;
        if (const auto c = case_map_.find(other); c != case_map_.end()) {
          case_id = c->second;
          case_link = l->guid;
        } else if (const auto k = code_map_.find(other); k != code_map_.end()) {
          code = k->second;
          code_link = l->guid;
        }
      }
      if (case_id.empty() || code.empty()) continue;
      const auto& n = m_.notes.at(note);
      used_notes_.insert(note);
      used_links_.insert(case_link);
      used_links_.insert(code_link);
      const auto key = case_id + ":" + code;
      const auto text = trim(n.text);
      const bool draft = n.description == "draft";
      const auto now = summaries_now_.find(key);
      // A summary keeps the Note's author and date (the importing coder and now where it has
      // none); one the project has already is left alone, so that a project's own export
      // comes back unchanged.
      const bool unchanged =
          now != summaries_now_.end() && now->second.text == text && now->second.draft == draft;
      const auto author = user_map_.find(n.user);
      summaries_.push_back(
          {case_id,
           code,
           text,
           note,
           draft,
           author == user_map_.end() ? std::string() : author->second,
           utc_time(n.date),
           {{"summary-case:" + key, case_link}, {"summary-code:" + key, code_link}},
           unchanged});
    }
  }

  void report_unused() {
    for (const auto& n : m_.project_notes) used_notes_.insert(n);
    for (const auto& [guid, n] : m_.notes) {
      if (used_notes_.count(guid)) continue;
      losses_.add("memo", "memos", "qcode keeps memos on codings and chart summaries only",
                  named(n.name));
    }
    for (const auto& n : m_.project_notes) {
      const auto it = m_.notes.find(n);
      if (it == m_.notes.end() || it->second.name == detail::kDataNoteName) continue;
      losses_.add("project memo", "project memos",
                  "qcode keeps memos on codings and chart summaries only", named(it->second.name));
    }
    for (const auto& l : m_.links)
      if (!used_links_.count(l.guid))
        losses_.add("link", "links",
                    "qcode keeps links only between chart summaries and their case and code",
                    named(l.name));
    std::set<std::string> coding_users, kept_users;
    for (const auto& c : codings_) coding_users.insert(c.c.coder);
    // The authors of chart summaries are kept with them.
    for (const auto& x : summaries_) kept_users.insert(m_.notes.at(x.guid).user);
    for (const auto& g : m_.user_order)
      if (!coding_users.count(user_map_[g]) && !kept_users.count(g))
        losses_.add("user", "users",
                    "qcode knows coders through their codings, and these have none",
                    named(user_map_[g]));
    result_.coders = coding_users.size();
    if (missing_guids_)
      result_.notes.push_back(fmt::format("{} had no GUID and were given one",
                                          plural(missing_guids_, "entity", "entities")));
  }

  // --- applying -------------------------------------------------------------------------------

  void store_guid(guid_kind kind, const std::string& key, const std::string& guid) {
    if (guid.empty() || !normalize_guid(guid)) {
      ++unstorable_guids_;
      return;
    }
    if (stored_.count({kind, key}) || guids_now_(kind, key) == *normalize_guid(guid)) return;
    new_guids_.push_back({kind, key, guid});
  }

  void apply() {
    change_group group(p_);
    if (!new_codes_.empty() || (!fw_ && note_.fw)) p_.update_framework(next_framework());

    if (!documents_.empty()) {
      import_options io;
      io.accept_changes = options_.accept_changes;
      io.coder = options_.coder;
      import_batch batch(p_, io);
      for (const auto& d : documents_) batch.add(d.doc);
      const auto r = batch.finish();
      result_.documents_added = r.added;
      result_.documents_replaced = r.replaced;
      result_.documents_unchanged = r.unchanged;
      if (!r.changed.empty())
        result_.notes.push_back(fmt::format("{} whose passage changed kept, flagged for review",
                                            plural(r.changed.size(), "coding", "codings")));
    }

    std::set<std::string> now_cases;
    for (const auto& c : p_.cases().list()) now_cases.insert(c.id);
    std::vector<case_row> rows;
    for (const auto& c : cases_) {
      if (!now_cases.count(c.id)) continue;
      case_row row;
      row.id = c.id;
      row.where = location{file_, 0, 0};
      if (!c.known && c.label != c.id && !c.label.empty())
        row.attributes.emplace_back("label", c.label);
      for (const auto& a : c.attributes) row.attributes.push_back(a);
      if (!row.attributes.empty()) rows.push_back(std::move(row));
      (c.known ? result_.cases_updated : result_.cases_added)++;
    }
    if (!rows.empty()) p_.cases().apply(rows);

    std::vector<new_coding> list;
    for (const auto& c : codings_) list.push_back(c.c);
    if (!list.empty()) {
      const auto r = p_.codings().add(list);
      result_.codings_added = r.added;
      result_.codings_present = r.duplicates;
    }
    for (const auto& c : codings_) result_.memos += c.c.memo.empty() ? 0 : 1;

    for (const auto& s : summaries_) {
      if (!s.unchanged)
        p_.summaries().set(summary{s.case_id, s.code, s.text, s.draft, s.author, s.updated});
      ++result_.summaries;
    }

    // The GUIDs the new entities keep.
    for (const auto& n : new_codes_) store_guid(guid_kind::code, n.c.id, n.guid);
    for (const auto& [name, guid] : new_users_) store_guid(guid_kind::user, name, guid);
    for (const auto& [name, guid] : new_variables_) store_guid(guid_kind::variable, name, guid);
    for (const auto& c : cases_)
      if (!c.known) store_guid(guid_kind::case_, c.id, c.guid);
    for (const auto& d : documents_)
      if (!d.known) store_guid(guid_kind::source, d.doc.id, d.guid);
    std::map<std::string, std::int64_t> ids;
    for (const auto& c : p_.codings().list())
      if (!coding_ids_.count(c.id))
        ids[fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", c.doc, c.start, c.end, c.code, c.coder)] =
            c.id;
    for (const auto& c : codings_) {
      const auto passage = fmt::format("{}:{}:{}", c.c.doc, c.c.start, c.c.end);
      if (!c.selection_guid.empty() && !passages_.count(passage)) {
        store_guid(guid_kind::selection, passage, c.selection_guid);
        passages_.insert(passage);
      }
      const auto it = ids.find(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", c.c.doc, c.c.start,
                                           c.c.end, c.c.code, c.c.coder));
      if (it == ids.end()) continue;
      store_guid(guid_kind::coding, std::to_string(it->second), c.guid);
      if (!c.memo_guid.empty())
        store_guid(guid_kind::memo, std::to_string(it->second), c.memo_guid);
      ids.erase(it);
    }
    for (const auto& s : summaries_) {
      store_guid(guid_kind::summary, s.case_id + ":" + s.code, s.guid);
      for (const auto& [key, guid] : s.links) store_guid(guid_kind::link, key, guid);
    }
    if (!stored_.count({guid_kind::note, "qcode"}) && fw_ == std::nullopt && note_.present)
      for (const auto& [guid, n] : m_.notes)
        if (n.name == detail::kDataNoteName) store_guid(guid_kind::note, "qcode", guid);
    p_.guids().set_all(new_guids_);
    if (unstorable_guids_)
      result_.notes.push_back(fmt::format("{} not valid, so the entities were given new ones",
                                          plural(unstorable_guids_, "GUID was", "GUIDs were")));
    if (nameless_used_)
      result_.notes.push_back(
          fmt::format("the values of {} went to their documents' cases",
                      plural(nameless_used_, "nameless case", "nameless cases")));
    if (!options_.dry_run) group.commit();
  }

  struct new_code {
    code c;
    std::string parent;  // full id, "" for a theme
    std::string guid;
  };

  project& p_;
  file_model& m_;
  std::string file_;
  const refi_import_options& options_;
  loss_list& losses_;
  const detail::zip_archive* archive_ = nullptr;
  refi_import_result result_;
  data_note note_;

  std::optional<framework> fw_;
  guid_book guids_now_;  // the project's GUIDs as the import found them
  std::vector<guid_entry> new_guids_;
  std::map<std::string, std::string> code_by_guid_, case_by_guid_, doc_by_guid_, variable_by_guid_,
      user_by_guid_;
  std::set<std::string> case_ids_, doc_ids_, attributes_, coders_, passages_;
  std::set<std::int64_t> coding_ids_;
  std::map<guid_key, std::string> stored_;

  std::map<std::string, std::string> code_map_, user_map_, variable_map_,
      case_map_;  // file GUID -> id
  std::vector<new_code> new_codes_;
  std::map<std::string, std::string> new_users_, new_variables_;  // name -> GUID
  std::vector<planned_document> documents_;
  std::vector<source_plan> sources_;
  std::map<std::string, std::size_t> source_index_;  // source GUID -> index into sources_
  std::set<std::string> skipped_sources_;
  std::vector<planned_case> cases_;
  std::vector<const file_case*> nameless_;
  std::vector<planned_coding> codings_;
  std::vector<planned_summary> summaries_;
  std::map<std::string, summary> summaries_now_;  // "case:code" -> the project's summary
  std::set<std::string> used_notes_, used_links_;
  std::size_t no_coder_ = 0, missing_guids_ = 0, unstorable_guids_ = 0, nameless_used_ = 0;
  bool sp_unchecked_ = false;
};

// --- the archive ------------------------------------------------------------------------------

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

detail::zip_messages qdpx_messages(const refi_import_options& options) {
  detail::zip_messages m;
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

refi_import_result import_model(project& p, file_model& m, const std::string& file,
                                const refi_import_options& options, loss_list& losses,
                                std::size_t bad_guids, const detail::zip_archive* archive) {
  importer imp(p, m, file, options, losses);
  auto result = imp.run(archive);
  if (bad_guids)
    result.notes.push_back(fmt::format("{} not in the standard's form (8-4-4-4-12 hex digits)",
                                       plural(bad_guids, "GUID is", "GUIDs are")));
  return result;
}

}  // namespace

refi_import_result import_qdpx(project& p, std::string_view bytes, std::string_view file,
                               const refi_import_options& options) {
  if (bytes.empty())
    throw parse_error(location{std::string(file), 0, 0},
                      "the file is empty (0 bytes); export the project again as .qdpx");
  if (bytes.size() > options.max_total_bytes)
    throw parse_error(location{std::string(file), 0, 0},
                      fmt::format("the file is larger than the {} qcode reads",
                                  size_text(options.max_total_bytes)));
  detail::zip_limits limits;
  limits.max_entry_bytes = options.max_entry_bytes;
  limits.max_total_bytes = options.max_total_bytes;
  limits.max_ratio = options.max_ratio;
  const detail::zip_archive zip(bytes, file, qdpx_messages(options), limits);

  // Every entry is checked, not just those read: an archive that tries to write outside its
  // folder is hostile whatever else it holds.
  std::vector<std::size_t> qde;
  for (std::size_t i = 0; i < zip.size(); ++i) {
    const auto name = zip.name(i);
    if (const auto why = detail::unsafe_entry_reason(name); !why.empty())
      throw parse_error(
          location{std::string(file), 0, 0},
          fmt::format(
              "the archive's entry '{}' is refused: {}; a .qdpx from a QDA program never has "
              "one, so the file is not read (check where it came from)",
              name, why));
    if (lower(name).ends_with(".qde")) qde.push_back(i);
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
  file_model m;
  loss_list losses;
  reader r{m, losses};
  r.project(root);
  return import_model(p, m, std::string(file), options, losses, r.bad_guids, &zip);
}

refi_import_result import_qdc(project& p, std::string_view bytes, std::string_view file,
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
  file_model m;
  m.codebook_only = true;
  loss_list losses;
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
  return import_model(p, m, std::string(file), options, losses, r.bad_guids, nullptr);
}

refi_import_result import_refi(project& p, const std::string& path,
                               const refi_import_options& options) {
  const auto ext = lower(std::filesystem::path(path).extension().string());
  if (ext != ".qdpx" && ext != ".qdc")
    throw input_error(fmt::format(
        "cannot import '{}' as REFI-QDA: expected a .qdpx project or a .qdc codebook", path));
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > options.max_total_bytes)
    throw parse_error(location{path, 0, 0},
                      fmt::format("the file is {}, more than the {} qcode reads", size_text(size),
                                  size_text(options.max_total_bytes)));
  const auto bytes = read_file(path);
  return ext == ".qdpx" ? import_qdpx(p, bytes, path, options)
                        : import_qdc(p, bytes, path, options);
}

}  // namespace coding
