// WebVTT and SubRip loaders. Both formats come down to cues (a start time and payload
// lines); each cue's speaker is read from its payload, runs of cues by one speaker become
// one turn, and turns are written as "Name: what was said" paragraphs.

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "loaders.hpp"
#include "strings.hpp"
#include "utf8.hpp"

namespace coding::detail {
namespace {

using millis = std::int64_t;

// A speaker label longer than this is more likely the start of a sentence
// ("What I wanted to say is: ...") than a name.
constexpr std::size_t kMaxLabelCodePoints = 40;
constexpr int kMaxLabelWords = 4;

struct source_line {
  std::string_view text;
  std::size_t number;  // 1-based; normalize_text keeps one line per input line
};
using block = std::vector<source_line>;

// One speaker's words within a cue. A cue usually gives one segment; a WebVTT cue with a
// voice span at the start of several lines gives one per voice.
struct segment {
  std::optional<std::string> speaker;  // none: the cue names nobody
  std::string text;                    // one line, tags removed, NFC
  millis start = 0;
};

struct timing_syntax {
  bool hours_optional;       // WebVTT allows mm:ss.ttt
  std::string_view example;  // for messages
};

constexpr timing_syntax kVtt{true, "00:01:02.500 --> 00:01:05.000"};
constexpr timing_syntax kSrt{false, "00:01:02,500 --> 00:01:05,000"};

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
  for (const char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

// Whitespace-only lines count as blank: some exporters leave a space on the lines that
// separate cues, and a reader cannot see the difference.
bool is_blank(std::string_view s) {
  return trim(s).empty();
}

bool has_arrow(std::string_view s) {
  return s.find("-->") != std::string_view::npos;
}

// "WEBVTT", "NOTE", "STYLE" or "REGION" alone or followed by a space or tab.
bool keyword_line(std::string_view line, std::string_view keyword) {
  return line.starts_with(keyword) &&
         (line.size() == keyword.size() || is_space(line[keyword.size()]));
}

std::vector<source_line> split_lines(std::string_view text) {
  std::vector<source_line> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const auto lf = text.find('\n', begin);
    const auto end = lf == std::string_view::npos ? text.size() : lf;
    lines.push_back({text.substr(begin, end - begin), lines.size() + 1});
    begin = end + 1;
  }
  return lines;
}

std::vector<block> split_blocks(const std::vector<source_line>& lines, std::size_t from) {
  std::vector<block> blocks;
  bool open = false;
  for (std::size_t i = from; i < lines.size(); ++i) {
    if (is_blank(lines[i].text)) {
      open = false;
      continue;
    }
    if (!open) blocks.emplace_back();
    blocks.back().push_back(lines[i]);
    open = true;
  }
  return blocks;
}

char32_t first_code_point(std::string_view s) {
  const auto lead = static_cast<unsigned char>(s[0]);
  if (lead < 0x80) return lead;
  const std::size_t extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
  char32_t c = lead & (0x3Fu >> extra);
  for (std::size_t i = 1; i <= extra && i < s.size(); ++i)
    c = (c << 6) | (static_cast<unsigned char>(s[i]) & 0x3Fu);
  return c;
}

// --- errors, built in one place -------------------------------------------------------

// At most 60 bytes of a line for a message, cut at a code point boundary.
std::string excerpt(std::string_view s) {
  constexpr std::size_t kMax = 60;
  if (s.size() <= kMax) return std::string(s);
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

parse_error error_at(std::string_view file, const source_line& line, std::size_t byte,
                     std::string_view message) {
  const std::size_t column = count_code_points(line.text.substr(0, byte)) + 1;
  return parse_error(location{std::string(file), line.number, column}, message);
}

parse_error missing_header(std::string_view file, std::string_view first) {
  const std::string found = is_blank(first)
                                ? std::string("the file is empty or starts with a blank line")
                                : fmt::format("the first line is '{}'", excerpt(first));
  return parse_error(location{std::string(file), 1, 1},
                     fmt::format("missing WEBVTT header: {}; a WebVTT file must start with a "
                                 "line 'WEBVTT'",
                                 found));
}

parse_error missing_arrow(std::string_view file, const source_line& line,
                          const timing_syntax& syntax) {
  const auto text = trim(line.text);
  return error_at(file, line, static_cast<std::size_t>(text.data() - line.text.data()),
                  fmt::format("expected a cue timing line such as '{}', but '{}' has no '-->'",
                              syntax.example, excerpt(text)));
}

// A timing line in which neither time can be read: the block cannot be placed at all, so
// it is not taken for a cue.
parse_error unreadable_timing(std::string_view file, const source_line& line, std::size_t byte,
                              const timing_syntax& syntax) {
  return error_at(file, line, byte,
                  fmt::format("cue timing '{}' holds no time that can be read; expected a line "
                              "such as '{}'",
                              excerpt(trim(line.text)), syntax.example));
}

parse_error bad_cue_number(std::string_view file, const source_line& line) {
  const auto text = trim(line.text);
  return error_at(file, line, static_cast<std::size_t>(text.data() - line.text.data()),
                  fmt::format("cue number '{}' is not a number; an SRT cue starts with its "
                              "number (1, 2, 3, ...) on a line of its own, then its timing such "
                              "as '{}'",
                              excerpt(text), kSrt.example));
}

parse_error missing_timing(std::string_view file, const source_line& line) {
  return error_at(file, line, 0,
                  fmt::format("cue {} has no timing line; expected a line such as '{}' after the "
                              "cue number",
                              trim(line.text), kSrt.example));
}

parse_error no_cues(std::string_view file, std::string_view format, const timing_syntax& syntax) {
  return parse_error(location{std::string(file), 1, 0},
                     fmt::format("no cues found: the file is empty or holds no {} cue; expected "
                                 "cues with timing lines such as '{}'",
                                 format, syntax.example));
}

// --- timings ----------------------------------------------------------------------------

// Times as qcode writes them in messages: h:mm:ss.mmm.
std::string clock_text(millis t) {
  return fmt::format("{}:{:02}:{:02}.{:03}", t / 3'600'000, t / 60'000 % 60, t / 1000 % 60,
                     t % 1000);
}

// A timestamp read leniently, or why it could not be read ("malformed start time '...'").
struct clock_reading {
  std::optional<millis> value;
  std::string problem;
};

// Reads "[h:]m:s.f". Fields need no padding, and a fraction of fewer than three digits is
// a count of milliseconds, as Microsoft Teams writes it: its cue "0:9:2.70 --> 0:9:2.330"
// would end before it starts if ".70" were 700 ms, and its fractions of three digits all
// end in 0 (times to the hundredth) while those of two are 10, 20, ... 90. Either '.' or
// ',' may separate the fraction, in WebVTT as in SubRip, since writers mix them up.
clock_reading read_clock(std::string_view token, std::string_view which,
                         const timing_syntax& syntax) {
  if (token.empty()) return {std::nullopt, fmt::format("missing {} time", which)};
  const auto malformed = [&] {
    return clock_reading{std::nullopt,
                         fmt::format("malformed {} time '{}'", which, excerpt(token))};
  };
  std::vector<std::string_view> fields;
  for (std::size_t begin = 0;;) {
    const auto colon = token.find(':', begin);
    fields.push_back(token.substr(begin, colon == std::string_view::npos ? colon : colon - begin));
    if (colon == std::string_view::npos) break;
    begin = colon + 1;
  }
  const bool has_hours = fields.size() == 3;
  if (!has_hours && !(syntax.hours_optional && fields.size() == 2)) return malformed();
  const auto hours = has_hours ? fields[0] : std::string_view("0");
  const auto minutes = fields[fields.size() - 2];
  const auto last = fields.back();  // "s.f"
  const auto separator = last.find_first_of(".,");
  if (separator == std::string_view::npos) return malformed();
  const auto seconds = last.substr(0, separator);
  const auto fraction = last.substr(separator + 1);
  // Nine digits of hours keep the arithmetic below far from overflow.
  if (!all_digits(hours) || hours.size() > 9 || !all_digits(minutes) || minutes.size() > 2 ||
      !all_digits(seconds) || seconds.size() > 2 || !all_digits(fraction) || fraction.size() > 3)
    return malformed();
  auto number = [](std::string_view digits) {
    millis n = 0;
    for (const char c : digits) n = n * 10 + (c - '0');
    return n;
  };
  const millis m = number(minutes);
  const millis s = number(seconds);
  if (m >= 60 || s >= 60)
    return {
        std::nullopt,
        fmt::format("{} '{}' out of range in {} time '{}' (they run from 0 to 59)",
                    m >= 60 ? "minutes" : "seconds", m >= 60 ? minutes : seconds, which, token)};
  return {((number(hours) * 60 + m) * 60 + s) * 1000 + number(fraction), {}};
}

// Where a cue is, for warnings: its timing line and its place among the file's cues.
struct cue_place {
  std::string_view file;
  std::size_t line;
  std::size_t number;              // 1-based, counting cues only (not NOTE blocks)
  std::optional<millis> previous;  // the start of the cue before, if any
};

// The warnings, built in one place. A bad start time is replaced by the start of the cue
// before: cues run in order, so that is the latest time known not to be after the cue's
// own, and it keeps the turns in order.
std::string bad_start_warning(const cue_place& cue, std::string_view problem) {
  const std::string taken =
      cue.previous
          ? fmt::format("read as the start of the cue before ({})", clock_text(*cue.previous))
          : std::string("read as 0:00:00.000, the start of the recording");
  return fmt::format(
      "{}:{}: cue {}: {}; {}; to place the cue exactly, correct its time in the "
      "file",
      cue.file, cue.line, cue.number, problem, taken);
}

std::string bad_end_warning(const cue_place& cue, std::string_view problem) {
  return fmt::format("{}:{}: cue {}: {}; the cue is kept (qcode uses only start times)", cue.file,
                     cue.line, cue.number, problem);
}

// "start --> end [settings]": the start time in milliseconds. What follows the end time
// (WebVTT cue settings, the coordinates some SRT writers add) does not matter here. Bad
// times are read leniently, with a warning, so that one broken cue never costs the
// transcript; only a line in which no time at all can be read is refused.
millis parse_timing(const cue_place& cue, const source_line& line, const timing_syntax& syntax,
                    std::vector<std::string>& warnings) {
  const auto s = line.text;
  const auto arrow = s.find("-->");
  if (arrow == std::string_view::npos) throw missing_arrow(cue.file, line, syntax);
  std::size_t start_at = 0;
  while (start_at < arrow && is_space(s[start_at])) ++start_at;
  std::size_t start_end = arrow;
  while (start_end > start_at && is_space(s[start_end - 1])) --start_end;
  std::size_t end_at = arrow + 3;
  while (end_at < s.size() && is_space(s[end_at])) ++end_at;
  std::size_t end_end = end_at;
  while (end_end < s.size() && !is_space(s[end_end])) ++end_end;
  const auto start_token = s.substr(start_at, start_end - start_at);
  const auto end_token = s.substr(end_at, end_end - end_at);
  const auto start = read_clock(start_token, "start", syntax);
  const auto end = read_clock(end_token, "end", syntax);
  if (!start.value && !end.value) throw unreadable_timing(cue.file, line, start_at, syntax);
  if (!start.value) {
    warnings.push_back(bad_start_warning(cue, start.problem));
    return cue.previous.value_or(0);
  }
  if (!end.value)
    warnings.push_back(bad_end_warning(cue, end.problem));
  else if (*end.value < *start.value)
    warnings.push_back(bad_end_warning(
        cue, fmt::format("ends at '{}', before it starts at '{}'", end_token, start_token)));
  return *start.value;
}

// A line that was meant to be a timing but lost its arrow: "00:00:05.000 00:00:07.000".
bool looks_like_timing(std::string_view line) {
  const auto t = trim(line);
  const auto token = t.substr(0, t.find_first_of(" \t"));
  return !token.empty() && is_digit(token[0]) && token.find(':') != std::string_view::npos;
}

// --- payload text -----------------------------------------------------------------------

// Runs of spaces and tabs become one space, the ends are trimmed, and the result is NFC
// (a numeric character reference can produce a combining mark).
std::string tidy(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : trim(s)) {
    if (is_space(c)) {
      if (out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return normalize_text(out);
}

// HTML maps these references (bytes 0x80-0x9F in windows-1252) to the characters that
// encoding has there, so that "&#146;" in old captions is an apostrophe; the five bytes
// windows-1252 leaves unassigned are control characters, which become spaces below.
constexpr char32_t kWindows1252[32] = {
    0x20AC, 0x0020, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x0020, 0x017D, 0x0020, 0x0020, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0020, 0x017E, 0x0178};

// Decodes the character reference at the start of `s` (which starts with '&') onto `out`;
// returns the bytes it took, or 0 when `s` does not start with one.
std::size_t decode_entity(std::string_view s, std::string& out) {
  struct named {
    std::string_view name;
    std::string_view text;
  };
  static constexpr named kNamed[] = {{"&amp;", "&"},
                                     {"&lt;", "<"},
                                     {"&gt;", ">"},
                                     {"&nbsp;", "\xC2\xA0"},
                                     {"&lrm;", "\xE2\x80\x8E"},
                                     {"&rlm;", "\xE2\x80\x8F"},
                                     {"&quot;", "\""},
                                     {"&apos;", "'"}};
  for (const auto& entity : kNamed) {
    if (s.starts_with(entity.name)) {
      out += entity.text;
      return entity.name.size();
    }
  }
  if (!s.starts_with("&#")) return 0;
  const bool hex = s.size() > 2 && (s[2] == 'x' || s[2] == 'X');
  std::size_t i = hex ? 3 : 2;
  const std::size_t digits_at = i;
  std::uint32_t value = 0;
  for (; i < s.size() && i - digits_at < 8; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t digit = 0;
    if (is_digit(s[i]))
      digit = c - '0';
    else if (hex && std::isxdigit(c))
      digit = static_cast<std::uint32_t>(std::tolower(c) - 'a' + 10);
    else
      break;
    value = value * (hex ? 16u : 10u) + digit;
  }
  if (i == digits_at || i >= s.size() || s[i] != ';') return 0;
  // Invalid code points become U+FFFD as in HTML. A line break or another control
  // character must not break the one-line-per-turn text: it becomes a space.
  char32_t decoded = value;
  if (decoded == 0 || decoded > 0x10FFFF || (decoded >= 0xD800 && decoded <= 0xDFFF))
    decoded = 0xFFFD;
  else if (decoded >= 0x80 && decoded <= 0x9F)
    decoded = kWindows1252[decoded - 0x80];
  else if (decoded < 0x20 || decoded == 0x7F)
    decoded = ' ';
  append_utf8(out, decoded);
  return i + 1;
}

// A WebVTT payload line without its tags (<i>, <c.x>, <lang en>, <ruby>, <rt>, </v>,
// timestamps <00:01:02.000>, ...) and with character references decoded. WebVTT escapes
// a literal '<' as "&lt;", so every '<' opens a tag; one never closed on its line is
// kept as text rather than swallowing the rest.
std::string clean_vtt(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '<') {
      if (const auto close = s.find('>', i + 1); close != std::string_view::npos) {
        i = close + 1;
        continue;
      }
    } else if (s[i] == '&') {
      if (const auto taken = decode_entity(s.substr(i), out); taken > 0) {
        i += taken;
        continue;
      }
    }
    out += s[i++];
  }
  return tidy(out);
}

bool is_ascii_alpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

// An SRT payload line without HTML-like tags (<i>, </b>, <font color="...">) and SSA
// override codes ({\an8}) that some players honour. SubRip has no escapes, so a '<' that
// does not open a tag ("a < b") is text; nor are entities decoded.
std::string clean_srt(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const bool tag = s[i] == '<' && i + 1 < s.size() &&
                     (is_ascii_alpha(s[i + 1]) ||
                      (s[i + 1] == '/' && i + 2 < s.size() && is_ascii_alpha(s[i + 2])));
    const bool code = s[i] == '{' && i + 1 < s.size() && s[i + 1] == '\\';
    if (tag || code) {
      if (const auto close = s.find(tag ? '>' : '}', i); close != std::string_view::npos) {
        i = close + 1;
        continue;
      }
    }
    out += s[i++];
  }
  return tidy(out);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

// --- speakers -----------------------------------------------------------------------------

// Short, starts with a letter, at most four words of letters, digits and the punctuation
// names carry ("Dr. Siobhán O’Neill", "Speaker 2", "Jean-Luc"), like the labels that
// plain-text transcripts use.
bool label_like(std::string_view label) {
  if (label.empty() || label.back() == ' ' || count_code_points(label) > kMaxLabelCodePoints)
    return false;
  if (!u_isalpha(static_cast<UChar32>(first_code_point(label)))) return false;
  int words = 1;
  for (const char c : label) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ' ')
      ++words;
    else if (!(std::isalnum(u) || u >= 0x80 || c == '.' || c == '\'' || c == '-' || c == '_'))
      return false;
  }
  return words <= kMaxLabelWords;
}

// Sounds and stage directions that captioners and transcribers put in brackets at the
// start of a line, as "[Laughter]" or "[Crosstalk]"; compared without regard to case.
bool is_stage_direction(std::string_view label) {
  static constexpr std::string_view kDirections[] = {"applause",       "background noise",
                                                     "beep",           "bleep",
                                                     "break",          "chuckle",
                                                     "chuckles",       "chuckling",
                                                     "clapping",       "clears throat",
                                                     "coughing",       "coughs",
                                                     "cross talk",     "crosstalk",
                                                     "crying",         "foreign",
                                                     "gasps",          "giggles",
                                                     "groans",         "inaudible",
                                                     "indistinct",     "laugh",
                                                     "laughing",       "laughs",
                                                     "laughter",       "long pause",
                                                     "music",          "no audio",
                                                     "noise",          "overlapping",
                                                     "pause",          "sigh",
                                                     "sighs",          "silence",
                                                     "sneezes",        "sniffs",
                                                     "static",         "unclear",
                                                     "unintelligible", "whispering",
                                                     "whispers"};
  const std::string lower = ascii_lower(label);
  for (const auto direction : kDirections)
    if (lower == direction) return true;
  return false;
}

// "Name: text" on the first line, or "Name:" alone on it with the text on the lines after
// (the layout of broadcast captions, where a new speaker's name gets its own line).
bool take_colon_label(std::vector<std::string>& lines, std::optional<std::string>& speaker) {
  if (lines.empty()) return false;
  const std::string_view first = lines.front();
  const auto colon = first.find(':');
  if (colon == std::string_view::npos) return false;
  // "at 10:30" or "https://..." are not labels: a label's colon ends the word.
  if (colon + 1 < first.size() && first[colon + 1] != ' ') return false;
  const auto label = first.substr(0, colon);
  if (!label_like(label)) return false;
  speaker = std::string(label);
  const std::string rest(trim(first.substr(colon + 1)));
  if (rest.empty())
    lines.erase(lines.begin());
  else
    lines.front() = rest;
  return true;
}

// The label of "[Name] text" or "[Name]: text" opening a cue, when Name may be a name. A
// bracket with nothing after it in the cue ("[Phone rings]") describes; it is only a
// speaker when words follow.
std::optional<std::string> bracket_label(const std::vector<std::string>& lines) {
  if (lines.empty() || !lines.front().starts_with('[')) return std::nullopt;
  const std::string_view first = lines.front();
  const auto close = first.find(']');
  if (close == std::string_view::npos) return std::nullopt;
  std::size_t after = close + 1;
  if (after < first.size() && first[after] == ':') ++after;
  if (after < first.size() && first[after] != ' ') return std::nullopt;
  const auto label = first.substr(1, close - 1);
  if (!label_like(label) || !may_be_bracket_label(label)) return std::nullopt;
  if (trim(first.substr(after)).empty() && lines.size() == 1) return std::nullopt;
  return std::string(label);
}

// Takes "[Name] " off the cue's first line as its speaker. `named` counts, for each name,
// the cues that open with it as "[Name]" or "Name:": a bracket names a speaker only when
// the file uses it as a label more than once, so that a one-off "[Door slams] Sorry."
// stays words of whoever is speaking.
bool take_bracket_label(std::vector<std::string>& lines, std::optional<std::string>& speaker,
                        const std::map<std::string, int, std::less<>>& named) {
  const auto label = bracket_label(lines);
  if (!label) return false;
  if (const auto n = named.find(*label); n == named.end() || n->second < 2) return false;
  const std::string_view first = lines.front();
  std::size_t after = label->size() + 2;
  if (after < first.size() && first[after] == ':') ++after;
  const std::string rest(trim(first.substr(after)));
  speaker = *label;
  if (rest.empty())
    lines.erase(lines.begin());
  else
    lines.front() = rest;
  return true;
}

struct voice {
  std::string name;    // may be empty ("<v>" or "<v >")
  std::size_t length;  // bytes of the opening tag
};

// A voice span opening `s`: "<v Name>", "<v.class.other Name>".
std::optional<voice> voice_span(std::string_view s) {
  if (s.size() < 3 || !s.starts_with("<v")) return std::nullopt;
  if (s[2] != '.' && s[2] != '>' && !is_space(s[2])) return std::nullopt;  // not "<vx>"
  const auto close = s.find('>');
  if (close == std::string_view::npos) return std::nullopt;
  auto inside = s.substr(2, close - 2);
  if (inside.starts_with('.')) {
    const auto blank = inside.find_first_of(" \t");
    inside = blank == std::string_view::npos ? std::string_view() : inside.substr(blank);
  }
  return voice{clean_vtt(inside), close + 1};
}

// Adds the segments of `cue`, whose payload starts at its line `first_payload`.
void add_vtt_cue(const block& cue, std::size_t first_payload, millis start,
                 std::vector<segment>& out) {
  std::vector<std::string> lines;
  std::optional<std::string> voiced;
  auto flush = [&] {
    segment seg{voiced, {}, start};
    if (!seg.speaker) take_colon_label(lines, seg.speaker);
    seg.text = join(lines);
    if (seg.speaker || !seg.text.empty()) out.push_back(std::move(seg));
    lines.clear();
    voiced.reset();
  };
  for (std::size_t k = first_payload; k < cue.size(); ++k) {
    auto raw = trim(cue[k].text);
    if (const auto v = voice_span(raw)) {
      // A second voice in one cue ("<v A>Hi\n<v B>Hello") is a second speaker.
      if (!lines.empty() || voiced) flush();
      if (!v->name.empty()) voiced = v->name;
      raw.remove_prefix(v->length);
    }
    if (auto cleaned = clean_vtt(raw); !cleaned.empty()) lines.push_back(std::move(cleaned));
  }
  flush();
}

// --- turns ---------------------------------------------------------------------------------

loaded_text write_turns(const std::vector<segment>& segments) {
  struct turn {
    std::string speaker;
    std::string said;
    millis start;
  };
  auto append = [](std::string& said, std::string_view more) {
    if (more.empty()) return;
    if (!said.empty()) said += ' ';
    said += more;
  };
  std::vector<turn> turns;
  for (const auto& seg : segments) {
    if (seg.speaker) {
      if (turns.empty() || turns.back().speaker != *seg.speaker)
        turns.push_back({*seg.speaker, {}, seg.start});
    } else if (turns.empty()) {
      turns.push_back({{}, {}, seg.start});
    }
    append(turns.back().said, seg.text);
  }
  // A cue with only a label whose speaker then says nothing leaves an empty turn; without
  // it, the turns on either side may be one speaker's and join up.
  std::vector<turn> kept;
  for (auto& t : turns) {
    if (t.said.empty()) continue;
    if (!kept.empty() && kept.back().speaker == t.speaker)
      append(kept.back().said, t.said);
    else
      kept.push_back(std::move(t));
  }

  loaded_text out;
  out.has_turns = true;
  std::size_t position = 0;  // code points written so far
  for (const auto& t : kept) {
    if (!out.text.empty()) {
      out.text += "\n\n";
      position += 2;
    }
    if (!t.speaker.empty()) {
      out.text += t.speaker;
      out.text += ": ";
      position += count_code_points(t.speaker) + 2;
    }
    const std::size_t start = position;
    out.text += t.said;
    position += count_code_points(t.said);
    out.turns.push_back({t.speaker, start, position, static_cast<double>(t.start) / 1000.0});
  }
  if (!out.text.empty()) out.text += '\n';
  return out;
}

}  // namespace

loaded_text load_webvtt(std::string_view utf8, std::string_view file) {
  const std::string text = normalize_text(utf8, file);
  const auto lines = split_lines(text);
  if (lines.empty() || !keyword_line(lines[0].text, "WEBVTT"))
    throw missing_header(file, lines.empty() ? std::string_view() : lines[0].text);
  // The header runs to the first blank line; a timing line there means the writer left
  // the blank line out, and starts the first cue.
  std::size_t i = 1;
  while (i < lines.size() && !is_blank(lines[i].text) && !has_arrow(lines[i].text)) ++i;

  loaded_text out;
  std::vector<segment> segments;
  cue_place cue{file, 0, 0, std::nullopt};
  for (const auto& b : split_blocks(lines, i)) {
    const auto first = b[0].text;
    if (keyword_line(first, "NOTE") || keyword_line(first, "STYLE") ||
        keyword_line(first, "REGION"))
      continue;
    std::size_t timing = 0;  // an identifier line may precede the timing
    if (!has_arrow(first)) {
      if (b.size() >= 2 && has_arrow(b[1].text))
        timing = 1;
      else
        throw missing_arrow(file, b.size() == 1 || looks_like_timing(first) ? b[0] : b[1], kVtt);
    }
    cue.line = b[timing].number;
    ++cue.number;
    const millis start = parse_timing(cue, b[timing], kVtt, out.warnings);
    cue.previous = start;
    add_vtt_cue(b, timing + 1, start, segments);
  }
  if (cue.number == 0) throw no_cues(file, "WebVTT", kVtt);
  auto warnings = std::move(out.warnings);
  out = write_turns(segments);
  out.warnings = std::move(warnings);
  return out;
}

loaded_text load_srt(std::string_view utf8, std::string_view file) {
  const std::string text = normalize_text(utf8, file);
  const auto lines = split_lines(text);
  std::vector<std::string> warnings;
  // The cues are read first and their speakers after, because whether "[Name]" is a label
  // depends on the whole file.
  std::vector<segment> cues;
  std::vector<std::vector<std::string>> payloads;
  cue_place cue{file, 0, 0, std::nullopt};
  for (const auto& b : split_blocks(lines, 0)) {
    std::size_t timing = 0;  // a cue whose number was left out starts with its timing
    if (!has_arrow(b[0].text)) {
      if (!all_digits(trim(b[0].text))) throw bad_cue_number(file, b[0]);
      if (b.size() < 2) throw missing_timing(file, b[0]);
      timing = 1;
    }
    cue.line = b[timing].number;
    ++cue.number;
    segment seg;
    seg.start = parse_timing(cue, b[timing], kSrt, warnings);
    cue.previous = seg.start;
    std::vector<std::string> payload;
    for (std::size_t k = timing + 1; k < b.size(); ++k)
      if (auto cleaned = clean_srt(b[k].text); !cleaned.empty())
        payload.push_back(std::move(cleaned));
    cues.push_back(std::move(seg));
    payloads.push_back(std::move(payload));
  }
  if (cues.empty()) throw no_cues(file, "SubRip", kSrt);

  std::map<std::string, int, std::less<>> named;
  for (const auto& payload : payloads) {
    if (const auto label = bracket_label(payload)) {
      ++named[*label];
    } else {
      auto copy = payload;
      std::optional<std::string> speaker;
      if (take_colon_label(copy, speaker)) ++named[*speaker];
    }
  }
  std::vector<segment> segments;
  for (std::size_t k = 0; k < cues.size(); ++k) {
    auto& seg = cues[k];
    auto& payload = payloads[k];
    if (!take_bracket_label(payload, seg.speaker, named)) take_colon_label(payload, seg.speaker);
    seg.text = join(payload);
    if (seg.speaker || !seg.text.empty()) segments.push_back(std::move(seg));
  }
  auto out = write_turns(segments);
  out.warnings = std::move(warnings);
  return out;
}

bool may_be_bracket_label(std::string_view label) {
  if (label.empty()) return false;
  const auto first = static_cast<UChar32>(first_code_point(label));
  if (!u_isalpha(first) || u_islower(first)) return false;
  return !is_stage_direction(label);
}

}  // namespace coding::detail
