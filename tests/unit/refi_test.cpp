// Tests for libcoding/src/refi*.cpp: REFI-QDA export and import. Every expected position and
// passage below is worked out by hand from the text it names (the working is in the comments),
// never copied from the program's output. Archives are built in memory with libzip directly,
// not with the code under test.

#include <doctest/doctest.h>
#include <zip.h>

#include <algorithm>
#include <coding/codings.hpp>
#include <coding/error.hpp>
#include <coding/framework.hpp>
#include <coding/project.hpp>
#include <coding/refi.hpp>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "mini_study.hpp"
#include "refi_internal.hpp"
#include "test_support.hpp"

// Vectors of pairs and tuples print as their items when a check fails.
namespace doctest {
template <typename... T>
struct StringMaker<std::vector<std::tuple<T...>>> {
  static String convert(const std::vector<std::tuple<T...>>& v) {
    std::ostringstream out;
    out << "{";
    for (const auto& t : v) {
      out << " (";
      std::apply([&](const auto&... x) { ((out << x << ","), ...); }, t);
      out << ")";
    }
    out << " }";
    return String(out.str().c_str());
  }
};
template <typename A, typename B>
struct StringMaker<std::vector<std::pair<A, B>>> {
  static String convert(const std::vector<std::pair<A, B>>& v) {
    std::ostringstream out;
    out << "{";
    for (const auto& [a, b] : v) out << " (" << a << ", \"" << b << "\")";
    out << " }";
    return String(out.str().c_str());
  }
};
}  // namespace doctest

using coding::detail::position_convention;
using coding::detail::position_map;

namespace {

using entries = std::vector<std::pair<std::string, std::string>>;

// A zip archive of `files`, deflated (or stored, with `store`), built with libzip.
std::string make_zip(const entries& files, bool store = false) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  REQUIRE(buffer != nullptr);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  REQUIRE(zip != nullptr);
  zip_error_fini(&error);
  zip_source_keep(buffer);
  for (const auto& [name, data] : files) {
    zip_source_t* s = zip_source_buffer(zip, data.data(), data.size(), 0);
    REQUIRE(s != nullptr);
    const auto index = zip_file_add(zip, name.c_str(), s, ZIP_FL_ENC_UTF_8);
    REQUIRE(index >= 0);
    REQUIRE(zip_set_file_compression(zip, static_cast<zip_uint64_t>(index),
                                     store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) == 0);
  }
  REQUIRE(zip_close(zip) == 0);
  zip_stat_t st;
  zip_stat_init(&st);
  REQUIRE(zip_source_stat(buffer, &st) == 0);
  REQUIRE(zip_source_open(buffer) == 0);
  std::string out(static_cast<std::size_t>(st.size), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    const auto n = zip_source_read(buffer, out.data() + got, out.size() - got);
    REQUIRE(n > 0);
    got += static_cast<std::size_t>(n);
  }
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

// The entries of a zip archive, by name.
std::map<std::string, std::string> unzip(const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  REQUIRE(source != nullptr);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  REQUIRE(zip != nullptr);
  zip_error_fini(&error);
  std::map<std::string, std::string> out;
  for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
    const auto index = static_cast<zip_uint64_t>(i);
    zip_stat_t st;
    zip_stat_init(&st);
    REQUIRE(zip_stat_index(zip, index, 0, &st) == 0);
    std::string data(static_cast<std::size_t>(st.size), '\0');
    zip_file_t* f = zip_fopen_index(zip, index, 0);
    REQUIRE(f != nullptr);
    REQUIRE(zip_fread(f, data.data(), data.size()) == static_cast<zip_int64_t>(data.size()));
    zip_fclose(f);
    out[st.name] = std::move(data);
  }
  zip_discard(zip);
  return out;
}

// A project.qde: the root element with `attributes` (origin, name, ...) around `body`.
std::string qde(const std::string& attributes, const std::string& body,
                const std::string& ns = R"( xmlns="urn:QDA-XML:project:1.0")") {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project" + ns + " " + attributes + ">\n" +
         body + "</Project>\n";
}

// GUIDs for the files written here: g(7) is "00000000-0000-0000-0000-000000000007".
std::string g(int n) {
  const auto digits = std::to_string(n);
  return "00000000-0000-0000-0000-" + std::string(12 - digits.size(), '0') + digits;
}

// A text source whose text is sources/<GUID>.txt, with `selections` inside.
std::string text_source(int guid, const std::string& name, const std::string& selections) {
  return "<TextSource guid=\"" + g(guid) + "\" name=\"" + name + "\" plainTextPath=\"internal://" +
         g(guid) + ".txt\">\n" + selections + "</TextSource>\n";
}

// A selection [start, end) coded with `code` by user 1 (name omitted when empty).
std::string selection(int guid, std::size_t start, std::size_t end, int code,
                      const std::string& name = "", const std::string& extra = "") {
  std::string s = "<PlainTextSelection guid=\"" + g(guid) + "\"";
  if (!name.empty()) s += " name=\"" + name + "\"";
  s += " startPosition=\"" + std::to_string(start) + "\" endPosition=\"" + std::to_string(end) +
       "\" creatingUser=\"" + g(1) + "\"" + extra + ">";
  s += "<Coding guid=\"" + g(guid + 1000) + "\" creatingUser=\"" + g(1) +
       "\"><CodeRef targetGUID=\"" + g(code) + "\"/></Coding></PlainTextSelection>\n";
  return s;
}

const std::string kUsers = "<Users><User guid=\"" + g(1) + "\" name=\"Ann\"/></Users>\n";

// A codebook of flat codes 11, 12, ... named `names`.
std::string codebook(const std::vector<std::string>& names) {
  std::string s = "<CodeBook><Codes>\n";
  for (std::size_t i = 0; i < names.size(); ++i)
    s += "<Code guid=\"" + g(11 + static_cast<int>(i)) + "\" name=\"" + names[i] +
         "\" isCodable=\"true\"/>\n";
  return s + "</Codes></CodeBook>\n";
}

// (code, passage text) of every coding, in the project's order.
std::vector<std::pair<std::string, std::string>> passages(const coding::project& p) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : p.codings().list(true)) out.emplace_back(c.code, c.text);
  std::sort(out.begin(), out.end());
  return out;
}

// (code, start, end) of every coding.
std::vector<std::tuple<std::string, std::size_t, std::size_t>> spans(const coding::project& p) {
  std::vector<std::tuple<std::string, std::size_t, std::size_t>> out;
  for (const auto& c : p.codings().list()) out.emplace_back(c.code, c.start, c.end);
  std::sort(out.begin(), out.end());
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// True when a line of `lines` holds `part`; says what the lines were when none does.
bool has_line(const std::vector<std::string>& lines, const std::string& part) {
  const bool found = std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
    return l.find(part) != std::string::npos;
  });
  if (!found) MESSAGE("no line holds '" << part << "' in:\n" << joined(lines));
  return found;
}

// Everything a user can see of a project, to compare before and after a failed import.
struct project_state {
  std::string qde;
  std::size_t history = 0;
  std::map<coding::guid_key, std::string> guids;
  bool operator==(const project_state&) const = default;
};

project_state state_of(const coding::project& p) {
  return {coding::export_qde(p), p.history().entries().size(), p.guids().stored()};
}

// The message of the parse_error that importing `bytes` as a .qdpx throws, after checking
// that it names `file` and that the project did not change.
struct refusal {
  std::string message;
  coding::location where;
};

refusal refuse_qdpx(coding::project& p, const std::string& bytes, const std::string& file,
                    const coding::refi_import_options& options = {}) {
  const auto before = state_of(p);
  refusal r;
  try {
    coding::import_qdpx(p, bytes, file, options);
    FAIL_CHECK("no exception thrown");
  } catch (const coding::parse_error& e) {
    r.message = e.what();
    r.where = e.where();
  } catch (const std::exception& e) {
    FAIL_CHECK("expected a parse_error, got: " << e.what());
  }
  CHECK(r.where.file.starts_with(file));
  CHECK(r.message.find(file) != std::string::npos);
  CHECK(state_of(p) == before);
  return r;
}

}  // namespace

// --- positions -------------------------------------------------------------------------------

TEST_CASE("plain ASCII text maps every position to itself in every convention") {
  for (const position_convention c :
       {position_convention{false, false}, position_convention{true, false},
        position_convention{false, true}}) {
    const position_map m("Diet and health", c);
    CHECK(m.identity());
    CHECK(m.text() == "Diet and health");
    CHECK(m.units() == 15);
    for (std::size_t i = 0; i <= 15; ++i) {
      CHECK(m.start(i) == i);
      CHECK(m.end(i) == i);
    }
  }
}

TEST_CASE("an astral character is two UTF-16 units but one code point") {
  // "a😀b": UTF-16 units a=0, 😀=1 and 2 (a surrogate pair), b=3, end=4; stored code points
  // a=0, 😀=1, b=2, end=3. A start inside the pair (unit 2) moves to the emoji's start (1), an
  // end inside it to the emoji's end (2).
  const position_map m("a\U0001F600b", {true, false});
  CHECK_FALSE(m.identity());
  CHECK(m.text() == "a\U0001F600b");
  CHECK(m.units() == 4);
  CHECK(m.start(1) == 1);
  CHECK(m.start(2) == 1);
  CHECK(m.end(2) == 2);
  CHECK(m.end(3) == 2);
  CHECK(m.start(3) == 2);
  CHECK(m.end(4) == 3);
  // Counted in code points the same text maps to itself.
  const position_map cp("a\U0001F600b", {false, false});
  CHECK(cp.identity());
  CHECK(cp.units() == 3);
}

TEST_CASE("a CRLF is two positions by the standard and NVivo, one by ATLAS.ti") {
  // "a\r\nb" is stored as "a\nb" (a=0, \n=1, b=2, end=3).
  // Two units: a=0, CR=1, LF=2, b=3, end=4. A position between CR and LF starts at the
  // newline and ends after it.
  const position_map two("a\r\nb", {false, false});
  CHECK(two.text() == "a\nb");
  CHECK_FALSE(two.identity());
  CHECK(two.units() == 4);
  CHECK(two.start(3) == 2);
  CHECK(two.end(4) == 3);
  CHECK(two.start(1) == 1);
  CHECK(two.start(2) == 1);
  CHECK(two.end(2) == 2);
  CHECK(two.end(1) == 1);
  // One unit: a=0, CRLF=1, b=2, end=3: the stored positions themselves.
  const position_map one("a\r\nb", {false, true});
  CHECK(one.text() == "a\nb");
  CHECK(one.units() == 3);
  for (std::size_t i = 0; i <= 3; ++i) {
    CHECK(one.start(i) == i);
    CHECK(one.end(i) == i);
  }
  // A lone CR is a line end too, one position in every convention.
  const position_map cr("a\rb", {true, false});
  CHECK(cr.text() == "a\nb");
  CHECK(cr.units() == 3);
  CHECK(cr.start(2) == 2);
}

TEST_CASE("decomposed text is stored composed and positions after it shift back") {
  // "Cafe\u0301 ok": C=0 a=1 f=2 e=3 U+0301=4 space=5 o=6 k=7, end 8; stored NFC "Café ok":
  // C=0 a=1 f=2 é=3 space=4 o=5 k=6, end 7. "ok" (6-8) is 5-7; "Café" (0-5) is 0-4; an end
  // between e and the accent (4) takes the whole é (4), a start there goes to its start (3).
  const position_map m("Cafe\u0301 ok", {false, false});
  CHECK(m.text() == "Caf\u00e9 ok");
  CHECK(m.units() == 8);
  CHECK(m.start(6) == 5);
  CHECK(m.end(8) == 7);
  CHECK(m.end(5) == 4);
  CHECK(m.end(4) == 4);
  CHECK(m.start(4) == 3);
}

TEST_CASE("a non-ASCII character right after a CRLF keeps its own position") {
  // "x\r\n“y”" stored "x\n“y”": x=0 \n=1 “=2 y=3 ”=4, end 5. NVivo units: x=0 CR=1 LF=2 “=3
  // y=4 ”=5, end 6. The quotation mark at unit 3 starts at 2, not at the newline (1); an end
  // right after the LF (unit 3) ends after the newline (2), not after the mark.
  const position_map m("x\r\n\u201cy\u201d", {true, false});
  CHECK(m.text() == "x\n\u201cy\u201d");
  CHECK(m.units() == 6);
  CHECK(m.start(3) == 2);
  CHECK(m.end(3) == 2);
  CHECK(m.end(6) == 5);
  // The same with ATLAS.ti's count: x=0 CRLF=1 “=2 y=3 ”=4.
  const position_map a("x\r\n\u201cy\u201d", {false, true});
  CHECK(a.start(2) == 2);
  CHECK(a.end(2) == 2);
}

TEST_CASE("position conventions describe themselves") {
  CHECK(position_convention{true, false}.describe() == "UTF-16 units with CRLF as two");
  CHECK(position_convention{false, true}.describe() == "code points with CRLF as one");
  CHECK(position_convention{false, false}.describe() == "code points with CRLF as two");
}

// --- names, colours, GUIDs, quotes ------------------------------------------------------------

TEST_CASE("code ids are made from names") {
  using coding::detail::code_id_from_name;
  CHECK(code_id_from_name("Health care") == "health_care");
  // é and ç lose their accents, "&" and the spaces around it become one "_".
  CHECK(code_id_from_name("Économie & Société") == "economie_societe");
  // ’ becomes an apostrophe, which is not a letter: one "_".
  CHECK(code_id_from_name("Zoë’s café") == "zoe_s_cafe");
  CHECK(code_id_from_name("  --Topics--  ") == "topics");
  CHECK(code_id_from_name("2022 plans") == "code_2022_plans");
  CHECK(code_id_from_name("") == "code");
  CHECK(code_id_from_name("!!!") == "code");
  // 45 letters are cut to 40.
  CHECK(code_id_from_name(std::string(45, 'q')) == std::string(40, 'q'));
  // 39 letters, a space, then more: the cut at 40 would end in "_", which goes.
  CHECK(code_id_from_name(std::string(39, 'q') + " and more") == std::string(39, 'q'));
}

TEST_CASE("colours in the forms programs write become #rrggbb") {
  using coding::detail::normalize_color;
  CHECK(normalize_color("#33CC33") == "#33cc33");
  CHECK(normalize_color("33cc33") == "#33cc33");
  CHECK(normalize_color("#abc") == "#aabbcc");
  CHECK(normalize_color("#FF102030") == "#102030");  // #aarrggbb
  CHECK(normalize_color("rgb(255, 0, 10)") == "#ff000a");
  CHECK(normalize_color("Red") == "#ff0000");
  CHECK_FALSE(normalize_color(""));
  CHECK_FALSE(normalize_color("#12345"));
  CHECK_FALSE(normalize_color("rgb(256, 0, 0)"));
  CHECK_FALSE(normalize_color("bluish"));
}

TEST_CASE("GUIDs lose braces and upper case; other strings are not GUIDs") {
  using coding::detail::normalize_guid;
  CHECK(normalize_guid("{5215CC69-B628-4E02-AFB9-9BEEAEE55808}") ==
        "5215cc69-b628-4e02-afb9-9beeaee55808");
  CHECK(normalize_guid(" 9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520 ") ==
        "9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520");
  CHECK(normalize_guid("5215CC69B6284E02AFB99BEEAEE55808") ==
        "5215cc69-b628-4e02-afb9-9beeaee55808");
  CHECK_FALSE(normalize_guid("c001"));
  CHECK_FALSE(normalize_guid("5215cc69b-628-4e02-afb9-9beeaee55808"));
  CHECK_FALSE(normalize_guid("5215cc69-b628-4e02-afb9-9beeaee5580g"));
}

TEST_CASE("a selection's name quotes its text when equal, cut short or differently spaced") {
  using coding::detail::quotes_text;
  CHECK(quotes_text("Diet and health", "Diet and health"));
  CHECK(quotes_text("Diet and\u2026", "Diet and health"));
  CHECK(quotes_text("Diet and ...", "Diet and health"));
  CHECK(quotes_text("Diet  and\r\nhealth", "Diet and\nhealth"));
  CHECK(quotes_text("Cafe\u0301", "Caf\u00e9"));    // compared in NFC
  CHECK(quotes_text("page break", "page\fbreak"));  // control characters are white space
  CHECK_FALSE(quotes_text("Wellbeing", "Diet and health"));
}

// --- positions in files from other programs ---------------------------------------------------

namespace {

// The source text of the position tests, as the file holds it (CRLF line ends), and as qcode
// stores it (LF, NFC). The last "é" is decomposed in the file (e + U+0301).
const std::string kCrlfText =
    "Hi \U0001F600 there\r\n\u201c\u00c9t\u00e9\u201d was fine\r\nCafe\u0301 ok";
// Stored code points: H0 i1 _2 😀3 _4 t5 h6 e7 r8 e9 \n10 “11 É12 t13 é14 ”15 _16 w17 a18 s19
// _20 f21 i22 n23 e24 \n25 C26 a27 f28 é29 _30 o31 k32, end 33.
const std::string kStoredText =
    "Hi \U0001F600 there\n\u201c\u00c9t\u00e9\u201d was fine\nCaf\u00e9 ok";

// The passages the position tests code, by code GUID 11-16.
const std::vector<std::pair<std::string, std::string>> kExpectedPassages = {
    {"emoji", "\U0001F600"},       {"there", "there"}, {"quote", "\u201c\u00c9t\u00e9\u201d"},
    {"across", "fine\nCaf\u00e9"}, {"ok", "ok"},       {"cafe", "Caf\u00e9"}};

std::string position_codebook() {
  return codebook({"emoji", "there", "quote", "across", "ok", "cafe"});
}

// Imports a project with one source of `bytes` whose selections (start, end, name) code
// 11, 12, ... in turn.
coding::refi_import_result import_positions(
    coding::project& p, const std::string& origin, const std::string& bytes,
    const std::vector<std::tuple<std::size_t, std::size_t, std::string>>& sels) {
  std::string s;
  for (std::size_t i = 0; i < sels.size(); ++i)
    s += selection(101 + static_cast<int>(i) * 2, std::get<0>(sels[i]), std::get<1>(sels[i]),
                   11 + static_cast<int>(i), std::get<2>(sels[i]));
  const auto xml = qde("name=\"P\" origin=\"" + origin + "\"",
                       kUsers + position_codebook() + "<Sources>" +
                           text_source(2, "Interview.txt", s) + "</Sources>\n");
  return coding::import_qdpx(
      p, make_zip({{"project.qde", xml}, {"sources/" + g(2) + ".txt", bytes}}), "t.qdpx");
}

std::vector<std::pair<std::string, std::string>> sorted(
    std::vector<std::pair<std::string, std::string>> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("NVivo positions count UTF-16 units and CRLF as two, after a byte order mark") {
  // NVivo units of kCrlfText (the BOM is not counted): H0 i1 _2 😀3-4 _5 t6 h7 e8 r9 e10 CR11
  // LF12 “13 É14 t15 é16 ”17 _18 w19 a20 s21 _22 f23 i24 n25 e26 CR27 LF28 C29 a30 f31 e32
  // U+0301 33 _34 o35 k36, end 37.
  //   😀 3-5 -> 3-4; "there" 6-11 -> 5-10; "“Été”" 13-18 -> 11-16 (it starts right after a
  //   CRLF); "fine\r\nCafé" 23-34 -> 21-30; "ok" 35-37 -> 31-33; "Café" 29-34 -> 26-30.
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = import_positions(p, "NVivo 14.23.0 (Windows)", "\xEF\xBB\xBF" + kCrlfText,
                                  {{3, 5, "\U0001F600"},
                                   {6, 11, "there"},
                                   {13, 18, "\u201c\u00c9t\u00e9\u201d"},
                                   {23, 34, "fine Cafe\u0301"},
                                   {35, 37, ""},
                                   {29, 34, "Caf\u00e9"}});
  CHECK(r.codings_added == 6);
  CHECK(r.not_imported.empty());
  CHECK(has_line(r.notes, "positions in 'Interview' read as UTF-16 units with CRLF as two"));
  const auto doc = p.documents().find("Interview");
  REQUIRE(doc);
  CHECK(doc->text == kStoredText);
  CHECK(passages(p) == sorted(kExpectedPassages));
  CHECK(spans(p) ==
        std::vector<std::tuple<std::string, std::size_t, std::size_t>>{{"across", 21, 30},
                                                                       {"cafe", 26, 30},
                                                                       {"emoji", 3, 4},
                                                                       {"ok", 31, 33},
                                                                       {"quote", 11, 16},
                                                                       {"there", 5, 10}});
}

TEST_CASE("ATLAS.ti positions count code points and CRLF as one") {
  // ATLAS.ti units of kCrlfText are code points with CRLF as one, so up to the decomposed é
  // they are the stored positions: 😀 3-4, "there" 5-10, "“Été”" 11-16; then C26 a27 f28 e29
  // U+0301 30 _31 o32 k33, end 34: "fine\r\nCafé" 21-31 -> 21-30, "ok" 32-34 -> 31-33,
  // "Café" 26-31 -> 26-30. No selection is named, so only the origin says how to count.
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = import_positions(
      p, "ATLAS.ti for Windows 23.2.3.27778", kCrlfText,
      {{3, 4, ""}, {5, 10, ""}, {11, 16, ""}, {21, 31, ""}, {32, 34, ""}, {26, 31, ""}});
  CHECK(r.codings_added == 6);
  CHECK(has_line(r.notes, "read as code points with CRLF as one"));
  CHECK(passages(p) == sorted(kExpectedPassages));
}

TEST_CASE("other programs' positions count code points with CRLF as two") {
  // Code points of kCrlfText: H0 i1 _2 😀3 _4 t5 h6 e7 r8 e9 CR10 LF11 “12 É13 t14 é15 ”16 _17
  // w18 a19 s20 _21 f22 i23 n24 e25 CR26 LF27 C28 a29 f30 e31 U+0301 32 _33 o34 k35, end 36.
  //   😀 3-4; "there" 5-10; "“Été”" 12-17 -> 11-16; "fine\r\nCafé" 22-33 -> 21-30; "ok"
  //   34-36 -> 31-33; "Café" 28-33 -> 26-30.
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = import_positions(
      p, "QualCoder 3.5", "\xEF\xBB\xBF" + kCrlfText,
      {{3, 4, ""}, {5, 10, ""}, {12, 17, ""}, {22, 33, ""}, {34, 36, ""}, {28, 33, ""}});
  CHECK(r.codings_added == 6);
  CHECK(passages(p) == sorted(kExpectedPassages));
}

TEST_CASE("when the selections' quoted text fits another convention, that one is used") {
  // The NVivo positions of the first test, from a file that does not say it is NVivo: read
  // as code points, "there" (6-11) would be "here\r" and "ok" (35-37) "k"; as UTF-16 units
  // every name fits.
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = import_positions(p, "MAXQDA 2022", kCrlfText,
                                  {{3, 5, "\U0001F600"},
                                   {6, 11, "there"},
                                   {13, 18, "\u201c\u00c9t\u00e9\u201d"},
                                   {23, 34, "fine\nCaf\u00e9"},
                                   {35, 37, "ok"},
                                   {29, 34, "Caf\u00e9"}});
  CHECK(has_line(
      r.notes,
      "positions in 'Interview' read as UTF-16 units with CRLF as two: the selections' "
      "quoted text fits that, not the code points with CRLF as two expected from MAXQDA 2022"));
  CHECK(passages(p) == sorted(kExpectedPassages));
}

TEST_CASE("a selection whose name does not quote its passage is left out and reported") {
  // "alpha beta gamma": alpha 0-5, beta 6-10, gamma 11-16. The third selection claims
  // "delta" at 11-16.
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto xml =
      qde("name=\"P\" origin=\"Test\"",
          kUsers + codebook({"one", "two", "three"}) + "<Sources>" +
              text_source(2, "Notes",
                          selection(101, 0, 5, 11, "alpha") + selection(103, 6, 10, 12, "beta") +
                              selection(105, 11, 16, 13, "delta")) +
              "</Sources>\n");
  const auto r = coding::import_qdpx(
      p, make_zip({{"project.qde", xml}, {"sources/" + g(2) + ".txt", "alpha beta gamma"}}),
      "t.qdpx");
  CHECK(r.codings_added == 2);
  CHECK(passages(p) ==
        std::vector<std::pair<std::string, std::string>>{{"one", "alpha"}, {"two", "beta"}});
  CHECK(has_line(r.not_imported, "1 selection: its quoted text is not at its positions"));
  CHECK(has_line(r.not_imported,
                 "'Notes' 11:16: the file quotes \"delta\", the text there reads \"gamma\""));
}

TEST_CASE("selections named otherwise than by their text are taken as they are, with a note") {
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto xml = qde("name=\"P\" origin=\"Test\"",
                       kUsers + codebook({"one", "two"}) + "<Sources>" +
                           text_source(2, "Notes",
                                       selection(101, 0, 5, 11, "Selection 1") +
                                           selection(103, 6, 10, 12, "Selection 2")) +
                           "</Sources>\n");
  const auto r = coding::import_qdpx(
      p, make_zip({{"project.qde", xml}, {"sources/" + g(2) + ".txt", "alpha beta gamma"}}),
      "t.qdpx");
  CHECK(r.codings_added == 2);
  CHECK(passages(p) ==
        std::vector<std::pair<std::string, std::string>>{{"one", "alpha"}, {"two", "beta"}});
  CHECK(has_line(r.notes, "the selections in 'Notes' do not quote their text in their names"));
}

// --- leniency ---------------------------------------------------------------------------------

TEST_CASE(
    "a file without namespaces, with braced upper-case GUIDs, Sources/ and Trial.qde imports") {
  // The Code's GUID is written in braces and upper case, the CodeRef's in lower case without
  // braces: they are one GUID. The user has no name.
  const std::string code_guid = "{0DCEF2F5-E55C-49DA-8C33-9B0803C7AEB4}";
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<Project name=\"Old\" origin=\"Some QDA 1.0\">\n"
      "<Users><User guid=\"{AAAAAAAA-0000-0000-0000-000000000001}\"/></Users>\n"
      "<CodeBook><Codes><Code guid=\"" +
      code_guid +
      "\" name=\"Health care\"/></Codes></CodeBook>\n"
      "<Sources><TextSource guid=\"BBBBBBBB-0000-0000-0000-000000000002\" name=\"Interview 1.txt\" "
      "plainTextPath=\"internal://BBBBBBBB-0000-0000-0000-000000000002.txt\">\n"
      "<PlainTextSelection guid=\"CCCCCCCC-0000-0000-0000-000000000003\" startPosition=\"0\" "
      "endPosition=\"4\">"
      "<Coding guid=\"DDDDDDDD-0000-0000-0000-000000000004\" "
      "creatingUser=\"aaaaaaaa-0000-0000-0000-000000000001\">"
      "<CodeRef "
      "targetGUID=\"0dcef2f5-e55c-49da-8c33-9b0803c7aeb4\"/></Coding></PlainTextSelection>\n"
      "</TextSource></Sources>\n</Project>\n";
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = coding::import_qdpx(
      p,
      make_zip(
          {{"Trial.qde", xml}, {"Sources/BBBBBBBB-0000-0000-0000-000000000002.txt", "Long wait."}}),
      "old.qdpx");
  CHECK(r.codes_added == 1);
  CHECK(r.documents_added == std::vector<std::string>{"Interview_1"});
  CHECK(r.codings_added == 1);
  CHECK(passages(p) == std::vector<std::pair<std::string, std::string>>{{"health_care", "Long"}});
  // The GUIDs are kept in the standard's form.
  CHECK(p.guids().get(coding::guid_kind::code, "health_care") ==
        "0dcef2f5-e55c-49da-8c33-9b0803c7aeb4");
  CHECK(p.guids().get(coding::guid_kind::source, "Interview_1") ==
        "bbbbbbbb-0000-0000-0000-000000000002");
  // The user without a name is named from its GUID.
  CHECK(p.codings().list().front().coder == "user-aaaaaaaa");
  // Imported again with the GUID in yet another form, the code is the same code.
  const std::string again =
      "<?xml version=\"1.0\"?><CodeBook><Codes><Code guid=\"0DCEF2F5E55C49DA8C339B0803C7AEB4\" "
      "name=\"Renamed\"/></Codes></CodeBook>";
  const auto r2 = coding::import_qdc(p, again, "again.qdc");
  CHECK(r2.codes_matched == 1);
  CHECK(r2.codes_added == 0);
}

TEST_CASE("an old namespace and prefixed elements are read like the standard's") {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<qda:Project xmlns:qda=\"urn:QDA-XML:project:0.9\" "
      "name=\"Prefixed\">\n"
      "<qda:CodeBook><qda:Codes><qda:Code guid=\"" +
      g(11) +
      "\" name=\"Topic\"/></qda:Codes></qda:CodeBook>\n"
      "<qda:Sources><qda:TextSource guid=\"" +
      g(2) +
      "\" name=\"Memo\">"
      "<qda:PlainTextContent>Short text</qda:PlainTextContent>"
      "<qda:PlainTextSelection guid=\"" +
      g(3) +
      "\" startPosition=\"6\" endPosition=\"10\">"
      "<qda:Coding guid=\"" +
      g(4) + "\"><qda:CodeRef targetGUID=\"" + g(11) +
      "\"/></qda:Coding>"
      "</qda:PlainTextSelection></qda:TextSource></qda:Sources>\n</qda:Project>\n";
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  coding::refi_import_options options;
  options.coder = "importer";
  const auto r = coding::import_qdpx(p, make_zip({{"project.qde", xml}}), "prefixed.qdpx", options);
  CHECK(r.codings_added == 1);
  // "Short text": S0 h1 o2 r3 t4 _5 t6 e7 x8 t9, so 6-10 is "text".
  CHECK(passages(p) == std::vector<std::pair<std::string, std::string>>{{"topic", "text"}});
  // Neither the coding nor its selection or source names a user.
  CHECK(p.codings().list().front().coder == "importer");
  CHECK(has_line(r.notes, "1 coding name no coder; recorded as coded by importer"));
}

TEST_CASE("colours in other forms are read, and one that is no colour is reported") {
  const std::string xml = qde("name=\"C\"",
                              "<CodeBook><Codes>"
                              "<Code guid=\"" +
                                  g(11) +
                                  "\" name=\"Short\" color=\"#ABC\"/>"
                                  "<Code guid=\"" +
                                  g(12) +
                                  "\" name=\"Rgb\" color=\"rgb(0, 128, 255)\"/>"
                                  "<Code guid=\"" +
                                  g(13) +
                                  "\" name=\"Argb\" color=\"#FF102030\"/>"
                                  "<Code guid=\"" +
                                  g(14) +
                                  "\" name=\"None\"/>"
                                  "<Code guid=\"" +
                                  g(15) +
                                  "\" name=\"Odd\" color=\"bluish\"/>"
                                  "</Codes></CodeBook>\n");
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = coding::import_qdpx(p, make_zip({{"project.qde", xml}}), "c.qdpx");
  const auto fw = p.get_framework();
  REQUIRE(fw);
  REQUIRE(fw->codes.size() == 5);
  // 0 128 255 is 00 80 ff in hex.
  CHECK(fw->codes[0].color == "#aabbcc");
  CHECK(fw->codes[1].color == "#0080ff");
  CHECK(fw->codes[2].color == "#102030");
  CHECK(fw->codes[3].color.empty());
  CHECK(fw->codes[4].color.empty());
  CHECK(has_line(r.not_imported,
                 "1 code colour ('bluish' of 'Odd'): not a colour qcode understands"));
}

TEST_CASE("codes of one name get unique ids among their siblings, keyed by GUID") {
  // "Other" three times: under Health, and twice under Work. Codings point at each by GUID.
  const std::string xml =
      qde("name=\"D\"", kUsers +
                            "<CodeBook><Codes>"
                            "<Code guid=\"" +
                            g(11) + "\" name=\"Health\"><Code guid=\"" + g(12) +
                            "\" name=\"Other\"/></Code>"
                            "<Code guid=\"" +
                            g(13) + "\" name=\"Work\"><Code guid=\"" + g(14) +
                            "\" name=\"Other\"/>"
                            "<Code guid=\"" +
                            g(15) +
                            "\" name=\"Other\"/></Code>"
                            "</Codes></CodeBook>\n<Sources>" +
                            text_source(2, "T",
                                        selection(101, 0, 3, 12) + selection(103, 4, 7, 14) +
                                            selection(105, 8, 11, 15)) +
                            "</Sources>\n");
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  coding::import_qdpx(
      p, make_zip({{"project.qde", xml}, {"sources/" + g(2) + ".txt", "one two six"}}), "d.qdpx");
  const auto fw = p.get_framework();
  REQUIRE(fw);
  CHECK(fw->ids() ==
        std::vector<std::string>{"health", "health.other", "work", "work.other", "work.other_2"});
  // "one two six": one 0-3, two 4-7, six 8-11.
  CHECK(passages(p) == std::vector<std::pair<std::string, std::string>>{{"health.other", "one"},
                                                                        {"work.other", "two"},
                                                                        {"work.other_2", "six"}});
}

TEST_CASE("zero-length and overlapping selections, missing and offset dates") {
  // "Diet and health are linked": Diet 0-4, "and health" 5-15, "health are" 9-19.
  const std::string xml = qde(
      "name=\"Z\" origin=\"Test\"",
      kUsers + codebook({"diet", "overlap"}) + "<Sources>" +
          text_source(
              2, "T",
              selection(101, 3, 3, 11) +
                  selection(103, 5, 15, 12, "", " creationDateTime=\"2024-01-15T12:00:00+02:00\"") +
                  selection(105, 9, 19, 12) + selection(107, 0, 4, 11)) +
          "</Sources>\n");
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = coding::import_qdpx(
      p,
      make_zip({{"project.qde", xml}, {"sources/" + g(2) + ".txt", "Diet and health are linked"}}),
      "z.qdpx");
  CHECK(r.codings_added == 3);
  CHECK(passages(p) == std::vector<std::pair<std::string, std::string>>{
                           {"diet", "Diet"}, {"overlap", "and health"}, {"overlap", "health are"}});
  CHECK(has_line(r.not_imported,
                 "1 zero-length selection ('T' 3:3): an empty passage cannot be coded"));
  for (const auto& c : p.codings().list()) {
    // The selection's date, 12:00 at +02:00, is 10:00 UTC; the others have none, so now.
    if (c.start == 5)
      CHECK(c.created == "2024-01-15T10:00:00Z");
    else
      CHECK(c.created.size() == 20);
  }
}

TEST_CASE("file attributes in nameless cases go to the document's case") {
  const std::string xml =
      qde("name=\"N\"",
          kUsers + codebook({"x"}) + "<Variables><Variable guid=\"" + g(21) +
              "\" name=\"site\" typeOfVariable=\"Text\"/></Variables>\n"
              "<Cases><Case guid=\"" +
              g(31) + "\"><VariableValue><VariableRef targetGUID=\"" + g(21) +
              "\"/><TextValue>Leeds</TextValue></VariableValue><SourceRef targetGUID=\"" + g(2) +
              "\"/></Case></Cases>\n"
              "<Sources>" +
              text_source(2, "Interview 7.txt", selection(101, 0, 3, 11)) + "</Sources>\n");
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = coding::import_qdpx(
      p, make_zip({{"project.qde", xml}, {"sources/" + g(2) + ".txt", "Yes, fine."}}), "n.qdpx");
  CHECK(has_line(r.notes, "the values of 1 nameless case went to their documents' cases"));
  const auto cases = p.cases().list();
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].id == "Interview_7");
  CHECK(cases[0].attributes.at("site") == "Leeds");
  CHECK(p.documents().find("Interview_7")->case_id == "Interview_7");
}

TEST_CASE("another program's notes on a source and linked to a case alone become memos") {
  const auto note = [](int guid, const std::string& name, const std::string& text) {
    return "<Note guid=\"" + g(guid) + "\" name=\"" + name + "\"><PlainTextContent>" + text +
           "</PlainTextContent></Note>\n";
  };
  const auto link = [](int guid, int origin, int target) {
    return "<Link guid=\"" + g(guid) + "\" name=\"about\" direction=\"OneWay\" originGUID=\"" +
           g(origin) + "\" targetGUID=\"" + g(target) + "\"/>\n";
  };
  const std::string xml =
      qde("name=\"N\"",
          kUsers + codebook({"x"}) + "<Cases><Case guid=\"" + g(31) + "\" name=\"P1\"><SourceRef " +
              "targetGUID=\"" + g(2) + "\"/></Case></Cases>\n<Sources>" +
              text_source(2, "Interview 7.txt",
                          selection(101, 0, 3, 11) + "<NoteRef targetGUID=\"" + g(41) +
                              "\"/><NoteRef targetGUID=\"" + g(42) + "\"/>") +
              "</Sources>\n<Notes>" + note(41, "first", " Noisy room. ") +
              note(42, "second", "Recorder stopped once.") + note(43, "about P1", "Keen to help.") +
              "</Notes>\n<Links>" + link(51, 43, 31) + "</Links>\n");
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = coding::import_qdpx(
      p, make_zip({{"project.qde", xml}, {"sources/" + g(2) + ".txt", "Yes, fine."}}), "n.qdpx");
  CHECK(r.document_memos == 1);
  CHECK(r.case_memos == 1);
  CHECK(r.not_imported.empty());
  // Two notes on one source: trimmed, one paragraph each, in the order referred to.
  CHECK(p.documents().memo("Interview_7") == "Noisy room.\n\nRecorder stopped once.");
  CHECK(p.cases().find("P1")->memo == "Keen to help.");
  CHECK(p.guids().get(coding::guid_kind::memo, "doc:Interview_7") == g(41));
  CHECK(p.guids().get(coding::guid_kind::memo, "case:P1") == g(43));
  CHECK(p.guids().get(coding::guid_kind::link, "memo-case:P1") == g(51));
}

TEST_CASE("a codebook imports into a project that has one, matched by GUID") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  // Theme A as this project names it, with one new code under it; and a new theme.
  const std::string qdc =
      "<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>"
      "<Code guid=\"" +
      p.guids().get(coding::guid_kind::code, "a") +
      "\" name=\"Theme A\">"
      "<Code guid=\"" +
      g(11) +
      "\" name=\"New one\"/></Code>"
      "<Code guid=\"" +
      g(12) + "\" name=\"Theme C\"/></Codes></CodeBook>\n";
  const auto r = coding::import_qdc(p, qdc, "more.qdc");
  CHECK(r.codes_matched == 1);
  CHECK(r.codes_added == 2);
  CHECK(p.get_framework()->ids() ==
        std::vector<std::string>{"a", "a.x", "a.y", "a.new_one", "b", "b.z", "theme_c"});
  CHECK(p.guids().get(coding::guid_kind::code, "a.new_one") == g(11));
  // Again: nothing new.
  const auto again = coding::import_qdc(p, qdc, "more.qdc");
  CHECK(again.codes_matched == 3);
  CHECK(again.codes_added == 0);
}

// --- security and bad input ----------------------------------------------------------------------

TEST_CASE("archive entries whose paths leave the archive's folder are refused") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  const auto good = qde("name=\"P\"", codebook({"x"}));
  auto r = refuse_qdpx(p, make_zip({{"project.qde", good}, {"../evil.txt", "x"}}), "up.qdpx");
  CHECK(r.message.find(
            "the archive's entry '../evil.txt' is refused: it climbs out of the archive's folder "
            "with '..'") != std::string::npos);
  r = refuse_qdpx(p, make_zip({{"project.qde", good}, {"sources/../../evil.txt", "x"}}),
                  "up2.qdpx");
  CHECK(r.message.find("'sources/../../evil.txt' is refused") != std::string::npos);
  r = refuse_qdpx(p, make_zip({{"project.qde", good}, {"/etc/evil", "x"}}), "abs.qdpx");
  CHECK(r.message.find("'/etc/evil' is refused: it is an absolute path") != std::string::npos);
  r = refuse_qdpx(p, make_zip({{"project.qde", good}, {"C:\\evil.txt", "x"}}), "drive.qdpx");
  CHECK(r.message.find("it is an absolute path with a drive letter") != std::string::npos);
}

TEST_CASE("sources whose text lies outside the archive are not read") {
  const std::string xml =
      qde("name=\"P\"", kUsers + codebook({"x"}) + "<Sources><TextSource guid=\"" + g(2) +
                            "\" name=\"Up\" plainTextPath=\"internal://../secret.txt\"/>"
                            "<TextSource guid=\"" +
                            g(3) +
                            "\" name=\"Abs\" plainTextPath=\"absolute:///etc/passwd\"/>"
                            "<TextSource guid=\"" +
                            g(4) +
                            "\" name=\"Rel\" plainTextPath=\"relative://notes.txt\"/></Sources>\n");
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r = coding::import_qdpx(p, make_zip({{"project.qde", xml}}), "out.qdpx");
  CHECK(r.documents_added.empty());
  CHECK(has_line(r.not_imported,
                 "1 text source ('Up' at 'internal://../secret.txt'): its plainTextPath leaves the "
                 "archive's folder"));
  CHECK(has_line(
      r.not_imported,
      "2 text sources ('Abs' at 'absolute:///etc/passwd', 'Rel' at 'relative://notes.txt'): "
      "its text is outside the archive"));
}

TEST_CASE("an archive over the total size cap is refused before anything is read") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  coding::refi_import_options options;
  options.max_total_bytes = 4096;
  // 3000 + 3000 bytes of text unpack to more than 4096, though the archive itself is small.
  const auto bytes = make_zip({{"project.qde", qde("name=\"P\"", std::string(3000, ' '))},
                               {"sources/a.txt", std::string(3000, 'a')}});
  REQUIRE(bytes.size() < 4096);
  const auto r = refuse_qdpx(p, bytes, "big.qdpx", options);
  CHECK(r.message.find("the archive unpacks to more than 4 KiB") != std::string::npos);
  CHECK(r.message.find("looks like a zip bomb") != std::string::npos);
  // One entry over the entry cap.
  options = {};
  options.max_entry_bytes = 1000;
  const auto r2 = refuse_qdpx(p, bytes, "big.qdpx", options);
  CHECK(r2.message.find("project.qde is 3.0 KiB uncompressed, more than the 1000 bytes qcode reads "
                        "from one entry") != std::string::npos);
}

TEST_CASE("an entry compressed beyond the ratio cap is refused as a zip bomb") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  // Two MiB of spaces deflate to a few KiB: a ratio far over 200.
  const auto bytes =
      make_zip({{"project.qde", qde("name=\"P\"", std::string(std::size_t{2} << 20, ' '))}});
  const auto r = refuse_qdpx(p, bytes, "bomb.qdpx");
  CHECK(r.message.find("project.qde unpacks from") != std::string::npos);
  CHECK(r.message.find("a compression ratio no text has; the file looks like a zip bomb") !=
        std::string::npos);
  // Stored without compression, the same entry is read.
  coding::import_qdpx(
      p,
      make_zip({{"project.qde", qde("name=\"P\"", std::string(std::size_t{2} << 20, ' '))}}, true),
      "plain.qdpx");
}

TEST_CASE("a DTD or external entity is refused, never resolved") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  const std::string xxe =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
      "<Project name=\"&xxe;\"><CodeBook><Codes><Code guid=\"" +
      g(11) + "\" name=\"x\"/></Codes></CodeBook></Project>\n";
  const auto r = refuse_qdpx(p, make_zip({{"project.qde", xxe}}), "xxe.qdpx");
  CHECK(r.where.file == "xxe.qdpx:project.qde");
  CHECK(r.where.line == 2);
  CHECK(
      r.message.find(
          "the XML declares a DTD (<!DOCTYPE ...>); qcode never reads DTDs or external entities") !=
      std::string::npos);
  // The same in a codebook.
  const auto before = state_of(p);
  const std::string laughs =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE CodeBook [<!ENTITY a \"aaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<CodeBook><Codes><Code guid=\"" +
      g(11) + "\" name=\"&b;\"/></Codes></CodeBook>\n";
  const auto where = test::parse_error_at([&] { coding::import_qdc(p, laughs, "laughs.qdc"); });
  CHECK(where.file == "laughs.qdc");
  CHECK(where.line == 2);
  CHECK(state_of(p) == before);
}

TEST_CASE("XML nested deeper than the limit is refused") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  // Project 1, CodeBook 2, Codes 3, then Codes nested: the sixth level is the third Code.
  std::string codes;
  for (int i = 0; i < 10; ++i)
    codes += "<Code guid=\"" + g(11 + i) + "\" name=\"c" + std::to_string(i) + "\">";
  for (int i = 0; i < 10; ++i) codes += "</Code>";
  coding::refi_import_options options;
  options.max_depth = 5;
  const auto xml = qde("name=\"Deep\"", "<CodeBook><Codes>\n" + codes + "\n</Codes></CodeBook>\n");
  const auto r = refuse_qdpx(p, make_zip({{"project.qde", xml}}), "deep.qdpx", options);
  CHECK(r.message.find("elements are nested more than 5 deep") != std::string::npos);
  CHECK(r.where.file == "deep.qdpx:project.qde");
  CHECK(r.where.line == 4);
  // Within the default limit the same file imports.
  CHECK(coding::import_qdpx(p, make_zip({{"project.qde", xml}}), "deep.qdpx").codes_added == 10);
}

TEST_CASE("bad input is refused naming the file, entry, line and column, changing nothing") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  auto r = refuse_qdpx(p, "<?xml version=\"1.0\"?><Project/>", "x.qdpx");
  CHECK(r.message.find("not a REFI-QDA .qdpx project (not a zip archive); it looks like XML") !=
        std::string::npos);
  r = refuse_qdpx(p, make_zip({{"readme.txt", "hello"}}), "noqde.qdpx");
  CHECK(r.message.find("the archive holds no .qde project file") != std::string::npos);
  // Line 2, column 12: the "<" of "</Code>" that closes nothing open.
  r = refuse_qdpx(
      p,
      make_zip({{"project.qde", "<?xml version=\"1.0\"?>\n<Project><Codes></Code></Project>\n"}}),
      "broken.qdpx");
  CHECK(r.where.file == "broken.qdpx:project.qde");
  CHECK(r.where.line == 2);
  CHECK(r.where.column > 1);
  CHECK(r.message.find("not well-formed XML") != std::string::npos);
  r = refuse_qdpx(p, make_zip({{"project.qde", "<?xml version=\"1.0\"?>\n<CodeBook/>\n"}}),
                  "cb.qdpx");
  CHECK(r.message.find("the root element is <CodeBook>, not <Project>") != std::string::npos);
  // A source that is UTF-8 but for one byte (0xFF after "café ", byte offset 6) names the
  // archive, its entry and the line.
  const auto xml =
      qde("name=\"P\"", kUsers + codebook({"x"}) + "<Sources>" +
                            text_source(2, "T", selection(101, 0, 2, 11)) + "</Sources>\n");
  r = refuse_qdpx(
      p, make_zip({{"project.qde", xml}, {"sources/" + g(2) + ".txt", "caf\xC3\xA9 \xFF"}}),
      "bad.qdpx");
  CHECK(r.where.file == "bad.qdpx:sources/" + g(2) + ".txt");
  CHECK(r.where.line == 1);
  CHECK(r.message.find("byte offset 6") != std::string::npos);
  const auto before = state_of(p);
  CHECK_THROWS_WITH_AS(coding::import_qdc(p, make_zip({{"a.qde", "x"}}), "z.qdc"),
                       doctest::Contains("this is a zip archive, not a .qdc codebook"),
                       coding::parse_error);
  CHECK_THROWS_WITH_AS(coding::import_qdc(p, "<?xml version=\"1.0\"?><CodeBook/>", "e.qdc"),
                       doctest::Contains("the codebook has no codes"), coding::parse_error);
  CHECK_THROWS_WITH_AS(coding::import_refi(p, dir.file("x.nvp")),
                       doctest::Contains("expected a .qdpx project or a .qdc"),
                       coding::input_error);
  CHECK(state_of(p) == before);
}

// --- round trip ---------------------------------------------------------------------------------

namespace {

std::string qdpx_of(const coding::project& p) {
  std::ostringstream out;
  coding::export_qdpx(p, out);
  return out.str();
}

}  // namespace

TEST_CASE("document and case memos go out as Notes and come back with their GUIDs") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  p.documents().set_memo("G1", "Two arrived late.");
  p.cases().set_memo("K3", "Moved away in May.");
  const auto first = qdpx_of(p);
  const auto qde = unzip(first).at("project.qde");
  const auto doc_note = p.guids().get(coding::guid_kind::memo, "doc:G1");
  const auto case_note = p.guids().get(coding::guid_kind::memo, "case:K3");
  CHECK(qde.find("<NoteRef targetGUID=\"" + doc_note + "\"") != std::string::npos);
  CHECK(qde.find("<Note guid=\"" + doc_note + "\" name=\"Memo: document G1\"") !=
        std::string::npos);
  CHECK(qde.find("<Note guid=\"" + case_note + "\" name=\"Memo: case K3\"") != std::string::npos);
  CHECK(qde.find("name=\"memo of case\" direction=\"OneWay\" originGUID=\"" + case_note +
                 "\" targetGUID=\"" + p.guids().get(coding::guid_kind::case_, "K3") + "\"") !=
        std::string::npos);

  auto q = coding::project::create(dir.file("copy.qcode"));
  const auto r = coding::import_qdpx(q, first, "mini.qdpx");
  CHECK(r.document_memos == 1);
  CHECK(r.case_memos == 1);
  CHECK(r.not_imported.empty());
  CHECK(q.documents().memo("G1") == "Two arrived late.");
  CHECK(q.documents().memo("I1") == "");
  CHECK(q.cases().find("K3")->memo == "Moved away in May.");
  CHECK(q.cases().find("K1")->memo.empty());
  CHECK(q.guids().get(coding::guid_kind::memo, "doc:G1") == doc_note);
  CHECK(q.guids().get(coding::guid_kind::memo, "case:K3") == case_note);
  CHECK(unzip(qdpx_of(q)).at("project.qde") == qde);
}

TEST_CASE("export, import into a new project and export again give the same project") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  p.summaries().set("K2", "a.x", "Praised the service.");
  p.summaries().set("K4", "a.y", "Agreed.", true);
  const auto first = qdpx_of(p);
  // Two exports of one project are the same bytes.
  CHECK(qdpx_of(p) == first);
  const auto files = unzip(first);
  CHECK(files.size() == 4);  // project.qde and three sources
  CHECK(files.at("sources/" + p.guids().get(coding::guid_kind::source, "I2") + ".txt") ==
        p.documents().find("I2")->text);

  auto q = coding::project::create(dir.file("copy.qcode"));
  const auto r = coding::import_qdpx(q, first, "mini.qdpx");
  CHECK(r.origin.starts_with("qcode "));
  CHECK(r.codes_added == 5);
  CHECK(r.documents_added == std::vector<std::string>{"I1", "G1", "I2"});
  CHECK(r.cases_added == 5);
  CHECK(r.variables == 2);
  CHECK(r.codings_added == 8);
  CHECK(r.memos == 3);
  CHECK(r.summaries == 2);
  CHECK(r.coders == 2);

  // Same framework, documents, cases, codings and summaries.
  const auto fw_p = p.get_framework(), fw_q = q.get_framework();
  REQUIRE(fw_q);
  CHECK(fw_q->id == fw_p->id);
  CHECK(fw_q->title == fw_p->title);
  CHECK(fw_q->ids() == fw_p->ids());
  CHECK(fw_q->groups.size() == 2);
  for (std::size_t i = 0; i < fw_p->codes.size(); ++i)
    CHECK(fw_q->codes[i].label == fw_p->codes[i].label);
  const auto docs_p = p.documents().load(true), docs_q = q.documents().load(true);
  REQUIRE(docs_q.size() == docs_p.size());
  for (std::size_t i = 0; i < docs_p.size(); ++i) {
    CHECK(docs_q[i].id == docs_p[i].id);
    CHECK(docs_q[i].title == docs_p[i].title);
    CHECK(docs_q[i].text == docs_p[i].text);
    CHECK(docs_q[i].case_id == docs_p[i].case_id);
    CHECK(docs_q[i].speakers.size() == docs_p[i].speakers.size());
    CHECK(docs_q[i].turns.size() == docs_p[i].turns.size());
  }
  const auto cases_p = p.cases().list(), cases_q = q.cases().list();
  REQUIRE(cases_q.size() == cases_p.size());
  for (std::size_t i = 0; i < cases_p.size(); ++i) {
    CHECK(cases_q[i].id == cases_p[i].id);
    CHECK(cases_q[i].attributes == cases_p[i].attributes);
  }
  auto codings_of = [](const coding::project& x) {
    std::vector<std::tuple<std::string, std::size_t, std::size_t, std::string, std::string,
                           std::string, std::string, std::string>>
        out;
    for (const auto& c : x.codings().list(true))
      out.emplace_back(c.doc, c.start, c.end, c.code, c.coder, c.memo, c.created, c.text);
    return out;
  };
  CHECK(codings_of(q) == codings_of(p));
  // I1 12-30 is "Because it helped." (tests/fixtures/mini/WORKING.md).
  CHECK(std::get<7>(codings_of(q).front()) == "Because it helped.");
  const auto sums = q.summaries().list();
  REQUIRE(sums.size() == 2);
  CHECK(std::make_tuple(sums[0].case_id, sums[0].code, sums[0].text, sums[0].draft) ==
        std::make_tuple(std::string("K2"), std::string("a.x"), std::string("Praised the service."),
                        false));
  CHECK(std::make_tuple(sums[1].case_id, sums[1].code, sums[1].draft) ==
        std::make_tuple(std::string("K4"), std::string("a.y"), true));

  // The summaries keep their authors and times.
  const auto sums_p = p.summaries().list();
  REQUIRE(sums_p.size() == 2);
  CHECK(sums[0].author == sums_p[0].author);
  CHECK(sums[0].updated == sums_p[0].updated);
  CHECK(sums[1].updated == sums_p[1].updated);

  // Every GUID is the same, so the export is the same, byte for byte.
  for (const auto& id : fw_p->ids())
    CHECK(q.guids().get(coding::guid_kind::code, id) == p.guids().get(coding::guid_kind::code, id));
  for (const auto& c : cases_p)
    CHECK(q.guids().get(coding::guid_kind::case_, c.id) ==
          p.guids().get(coding::guid_kind::case_, c.id));
  for (const auto& d : docs_p)
    CHECK(q.guids().get(coding::guid_kind::source, d.id) ==
          p.guids().get(coding::guid_kind::source, d.id));
  for (const auto& name : {"x", "y"})
    CHECK(q.guids().get(coding::guid_kind::user, name) ==
          p.guids().get(coding::guid_kind::user, name));
  CHECK(coding::export_qde(q) == coding::export_qde(p));
  CHECK(qdpx_of(q) == first);
}

TEST_CASE("re-importing a project's own export adds nothing and changes nothing") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  p.set_context("qcode summary set", "anna");
  p.summaries().set("K2", "a.x", "Praised the service.");
  const auto bytes = qdpx_of(p);
  const auto qde_before = coding::export_qde(p);
  auto sources = [&] {
    std::vector<std::string> out;
    for (const auto& d : p.documents().list()) out.push_back(d.source_name);
    return out;
  };
  const auto sources_before = sources();
  // Someone else imports it: a summary set again would become theirs.
  p.set_context("qcode import mini.qdpx", "bob");
  const auto r = coding::import_qdpx(p, bytes, "mini.qdpx");
  CHECK(r.codes_added == 0);
  CHECK(r.codes_matched == 5);
  CHECK(r.documents_added.empty());
  CHECK(r.documents_unchanged.size() == 3);
  CHECK(r.cases_added == 0);
  CHECK(r.codings_added == 0);
  CHECK(r.codings_present == 8);
  CHECK(r.summaries == 1);
  CHECK(r.not_imported == std::vector<std::string>{});
  // Byte for byte: the summary keeps its author and date.
  CHECK(p.summaries().list().at(0).author == "anna");
  // The documents still name the files they were imported from.
  CHECK(sources() == sources_before);
  CHECK(coding::export_qde(p) == qde_before);
}

TEST_CASE("a dry run reports the import and changes nothing") {
  test::temp_dir dir;
  const auto mini = test::make_mini_project(dir.file("mini.qcode"));
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto before = state_of(p);
  coding::refi_import_options options;
  options.dry_run = true;
  const auto r = coding::import_qdpx(p, qdpx_of(mini), "mini.qdpx", options);
  CHECK(r.codings_added == 8);
  CHECK(r.documents_added.size() == 3);
  CHECK(state_of(p) == before);
  CHECK_FALSE(p.get_framework());
}

TEST_CASE("text with characters XML cannot hold exports as valid XML and comes back") {
  test::temp_dir dir;
  const auto fw = coding::load_framework(test::fixture("mini/framework.yaml"));
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  // "R: page\fbreak \x01 ok": R0 :1 _2 p3 a4 g5 e6 \f7 b8 r9 e10 a11 k12 _13 \x01 14 _15 o16 k17.
  p.documents().add(
      {coding::parse_transcript("---\ncase: K1\n---\nR: page\fbreak \x01 ok\n", "T1.txt")});
  coding::new_coding c;
  c.doc = "T1";
  c.start = 3;
  c.end = 18;
  c.code = "a.x";
  c.coder = "ann";
  c.memo = "a memo with a \x02";
  p.codings().add({c});
  const auto xml = coding::export_qde(p);
  // No character reference to a control character, which XML 1.0 forbids.
  CHECK(xml.find("&#") == std::string::npos);
  CHECK(xml.find("name=\"page break   ok\"") != std::string::npos);
  auto q = coding::project::create(dir.file("q.qcode"));
  const auto r = coding::import_qdpx(q, qdpx_of(p), "p.qdpx");
  CHECK(r.not_imported.empty());
  REQUIRE(q.codings().list(true).size() == 1);
  CHECK(q.codings().list(true).front().text == "page\fbreak \x01 ok");
  CHECK(q.codings().list(true).front().memo == "a memo with a");
}

TEST_CASE(
    "the codebook export holds every code with its GUID, and none for a project without codes") {
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("mini.qcode"));
  std::ostringstream out;
  coding::export_qdc(p, out);
  const auto qdc = out.str();
  CHECK(qdc.find("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"") != std::string::npos);
  for (const auto& id : p.get_framework()->ids())
    CHECK(qdc.find(p.guids().get(coding::guid_kind::code, id)) != std::string::npos);
  // Into a new project it gives the same codes with the same GUIDs. A codebook has no place
  // for qcode's ids, so they are made from the labels: "Theme A" -> "theme_a", "Code A.x" ->
  // "code_a_x" ("." is not a letter).
  auto q = coding::project::create(dir.file("q.qcode"));
  CHECK(coding::import_qdc(q, qdc, "mini.qdc").codes_added == 5);
  const auto ids_p = p.get_framework()->ids(), ids_q = q.get_framework()->ids();
  CHECK(ids_q == std::vector<std::string>{"theme_a", "theme_a.code_a_x", "theme_a.code_a_y",
                                          "theme_b", "theme_b.code_b_z"});
  REQUIRE(ids_q.size() == ids_p.size());
  for (std::size_t i = 0; i < ids_p.size(); ++i)
    CHECK(q.guids().get(coding::guid_kind::code, ids_q[i]) ==
          p.guids().get(coding::guid_kind::code, ids_p[i]));
  // Into the project it came from it matches every code and adds none.
  const auto back = coding::import_qdc(p, qdc, "mini.qdc");
  CHECK(back.codes_matched == 5);
  CHECK(back.codes_added == 0);
  const auto empty = coding::project::create(dir.file("e.qcode"));
  std::ostringstream none;
  CHECK_THROWS_WITH_AS(coding::export_qdc(empty, none),
                       doctest::Contains("the project has no codes"), coding::input_error);
}

TEST_CASE("the shipped examples import") {
  // The hand-authored project of qdpx-toolkit: its text is "Diet and health are closely
  // linked in this interview." (D0 ... h14 = "Diet and health" 0-15; "health are clo"
  // is 9-23).
  const auto root = test::fixture("refi/examples/qdpx-toolkit-hand_authored/");
  const auto source = "sources/11111111-1111-1111-1111-111111111111.txt";
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  const auto r =
      coding::import_qdpx(p,
                          make_zip({{"project.qde", coding::read_file(root + "project.qde")},
                                    {source, coding::read_file(root + source)}}),
                          "hand_authored.qdpx");
  CHECK(r.codes_added == 4);
  CHECK(r.codings_added == 2);
  CHECK(passages(p) ==
        std::vector<std::pair<std::string, std::string>>{{"topics.health", "Diet and health"},
                                                         {"topics.health.diet", "health are clo"}});
  CHECK(has_line(
      r.not_imported,
      "1 picture source ('photo.jpg' with 1 selection): qcode holds text transcripts only"));
  CHECK(p.cases().list().at(0).attributes.at("Age") == "34");

  auto a = coding::project::create(dir.file("a.qcode"));
  const auto atlas =
      coding::read_file(test::fixture("refi/examples/ponte-atlasti23-target-project/project.qde"));
  const auto ra = coding::import_qdpx(a, make_zip({{"project.qde", atlas}}), "atlas.qdpx");
  // "2022-05-10T02:05:59Z 19e4dce": lower case, ":" and " " each become "_", and since it
  // starts with a digit "code_" goes before it.
  CHECK(a.get_framework()->ids() ==
        std::vector<std::string>{"commits", "commits.code_2022-05-10t02_05_59z_19e4dce",
                                 "commits.code_2022-02-11t10_39_25z_cdbfd92"});
  CHECK(a.guids().get(coding::guid_kind::code, "commits") ==
        "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6");
  CHECK(has_line(ra.not_imported, "2 users ('Enric Llagostera', 'ATLAS.ti')"));

  auto c = coding::project::create(dir.file("c.qcode"));
  const auto rc = coding::import_refi(c, test::fixture("refi/examples/spec-annexA1-codebook.qdc"));
  CHECK(rc.codes_added == 6);
  CHECK(c.get_framework()->ids() == std::vector<std::string>{"topics", "economy", "health_care",
                                                             "values", "conservatives",
                                                             "liberals"});
  CHECK(c.guids().get(coding::guid_kind::code, "health_care") ==
        "0dcef2f5-e55c-49da-8c33-9b0803c7aeb4");
  CHECK(c.get_framework()->codes[1].color == "#ffff00");
}

TEST_CASE(
    "documents and cases of another project that reuse ids are renamed, never merged by name") {
  // Two mini projects made apart have the same ids but different GUIDs (each derives its
  // GUIDs from its own uuid), so importing one into the other adds everything anew: I1 is
  // taken, so the imported I1 becomes I1_2 (and so on), K1 becomes K1_2.
  test::temp_dir dir;
  auto p = test::make_mini_project(dir.file("a.qcode"));
  auto q = test::make_mini_project(dir.file("b.qcode"));
  const auto r = coding::import_qdpx(q, qdpx_of(p), "a.qdpx");
  CHECK(r.documents_added == std::vector<std::string>{"I1_2", "G1_2", "I2_2"});
  CHECK(r.cases_added == 5);
  CHECK(q.documents().find("I1_2")->text == p.documents().find("I1")->text);
  CHECK(has_line(r.not_imported, "'I1' imported as 'I1_2'"));
  CHECK(has_line(r.not_imported, "'K1' imported as 'K1_2'"));
  CHECK(has_line(r.not_imported,
                 "the project has another case of that id (another GUID), so it was renamed"));
  CHECK(has_line(r.not_imported,
                 "the project has another document of that id (another GUID), so it was renamed"));
}
