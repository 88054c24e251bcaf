#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <coding/error.hpp>
#include <coding/exchange.hpp>
#include <coding/project.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include "sqlite.hpp"
#include "test_support.hpp"

namespace {

coding::framework mini_framework() {
  return coding::load_framework(test::fixture("mini/framework.yaml"));
}

coding::document interview(const std::string& id, const std::string& body) {
  return coding::parse_transcript(
      "---\ncase: K" + id + "\nspeakers: {IV: interviewer, R: K" + id + "}\n---\n" + body,
      id + ".txt");
}

coding::new_coding coding_of(std::string doc, std::size_t start, std::size_t end, std::string code,
                             std::optional<std::string> text = std::nullopt) {
  coding::new_coding c;
  c.doc = std::move(doc);
  c.start = start;
  c.end = end;
  c.code = std::move(code);
  c.coder = "tester";
  c.text = std::move(text);
  return c;
}

// Runs one SQL statement on a project file behind the library's back.
void tamper(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("a new project keeps its framework") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  coding::project::create(dir.file("p.qcode"), &fw);
  const auto p = coding::project::open(dir.file("p.qcode"));
  const auto back = p.get_framework();
  REQUIRE(back);
  CHECK(back->id == "mini");
  REQUIRE(back->codes.size() == 5);
  CHECK(back->codes[1].id == "a.x");
  CHECK(back->codes[1].parent == 0);
  CHECK(back->groups.size() == 2);
  CHECK(back->group_attribute == "group");
}

TEST_CASE("a project created without a framework has none") {
  test::temp_dir dir;
  const auto p = coding::project::create(dir.file("p.qcode"));
  CHECK_FALSE(p.get_framework());
  CHECK(p.documents().list().empty());
}

TEST_CASE("create refuses an existing file and open refuses what is not a project") {
  test::temp_dir dir;
  coding::project::create(dir.file("p.qcode"));
  CHECK_THROWS_WITH_AS(coding::project::create(dir.file("p.qcode")),
                       doctest::Contains("already exists"), coding::input_error);
  CHECK_THROWS_WITH_AS(coding::project::open(dir.file("missing.qcode")),
                       doctest::Contains("does not exist"), coding::input_error);
  {
    std::ofstream junk(dir.file("junk.qcode"));
    junk
        << "this is not a database, just some text that is long enough to fill a header page......";
  }
  CHECK_THROWS_WITH_AS(coding::project::open(dir.file("junk.qcode")),
                       doctest::Contains("not a qcode project"), coding::input_error);
}

TEST_CASE("a project stores its schema version and refuses a newer one") {
  test::temp_dir dir;
  coding::project::create(dir.file("p.qcode"));
  tamper(dir.file("p.qcode"), "PRAGMA user_version = 99");
  CHECK_THROWS_WITH_AS(
      coding::project::open(dir.file("p.qcode")),
      doctest::Contains("was written by a newer qcode (project format version 99; this qcode "
                        "reads versions up to 7); upgrade qcode"),
      coding::input_error);
}

namespace {

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Another connection holding the write lock, as another process writing would.
struct writer {
  sqlite3* db = nullptr;
  explicit writer(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~writer() {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
};

// Sets an environment variable for one scope.
struct scoped_env {
  std::string name;
  scoped_env(std::string n, const char* value) : name(std::move(n)) {
    ::setenv(name.c_str(), value, 1);
  }
  ~scoped_env() { ::unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("a project cut short is damaged, not 'not a qcode project', and the file is kept") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  {
    auto p = coding::project::create(dir.file("p.qcode"), &fw);
    coding::import_batch batch(p);
    batch.add(interview("1", "IV: Hello?\nR: Yes.\n"));
    batch.finish();
  }
  const auto size = std::filesystem::file_size(dir.file("p.qcode"));
  // The page size, from the header (big-endian at offset 16): cut the last page off.
  const auto whole = bytes_of(dir.file("p.qcode"));
  const auto page =
      (static_cast<unsigned char>(whole[16]) << 8) | static_cast<unsigned char>(whole[17]);
  std::filesystem::resize_file(dir.file("p.qcode"), size - static_cast<std::uintmax_t>(page));
  const auto before = bytes_of(dir.file("p.qcode"));
  CHECK_THROWS_WITH_AS(coding::project::open(dir.file("p.qcode")),
                       doctest::Contains("is damaged (it has"), coding::damaged_error);
  CHECK(bytes_of(dir.file("p.qcode")) == before);
  const auto report = coding::inspect_damaged_project(dir.file("p.qcode"));
  CHECK(!report.integrity.empty());
  REQUIRE(!report.tables.empty());
  CHECK(report.tables.front().table == "meta");
  CHECK(report.backups.empty());
  CHECK(bytes_of(dir.file("p.qcode")) == before);
}

TEST_CASE("a snapshot reads the project, never waits for a writer and changes nothing") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  coding::project::create(dir.file("p.qcode"), &fw);
  const scoped_env timeout("QCODE_BUSY_TIMEOUT_MS", "0");
  writer other(dir.file("p.qcode"));
  coding::open_options o;
  o.snapshot = true;
  auto copy = coding::project::open(dir.file("p.qcode"), o);
  CHECK(copy.get_framework()->id == "mini");
  coding::import_batch in_copy(copy);  // in the copy only
  in_copy.add(interview("9", "IV: Hello?\nR: Yes.\n"));
  CHECK(in_copy.finish().added.size() == 1);
  CHECK(copy.cases().list().size() == 1);
  // The real file is held: a change there is refused at once (timeout 0), naming the
  // command to retry.
  o.snapshot = false;
  o.command = "qcode cases import k.csv";
  auto p = coding::project::open(dir.file("p.qcode"), o);
  const auto import_one = [&] {
    coding::import_batch batch(p);
    batch.add(interview("9", "IV: Hello?\nR: Yes.\n"));
    batch.finish();
  };
  CHECK_THROWS_WITH_AS(import_one(),
                       doctest::Contains("is still busy after 0 s: another qcode (or another "
                                         "program) is writing to it; nothing was changed; when "
                                         "it has finished, run again: qcode cases import k.csv"),
                       coding::error);
  CHECK(p.cases().list().empty());
}

TEST_CASE("file failures are named for what they are") {
  using coding::detail::file_failure;
  using coding::detail::throw_file_failure;
  test::temp_dir dir;
  coding::project::create(dir.file("p.qcode"));
  const auto size = std::filesystem::file_size(dir.file("p.qcode"));
  const auto fail = [&](int code, int system_errno) {
    file_failure f;
    f.code = code;
    f.system_errno = system_errno;
    f.sqlite_message = "sqlite says";
    f.path = dir.file("p.qcode");
    f.busy_timeout_ms = 2500;
    throw_file_failure(f, "database error");
  };
  // A full disk (not reproducible here without a small file system: the CLI test mounts
  // one when it may): the free space of the folder and the project's size.
  CHECK_THROWS_WITH_AS(fail(SQLITE_FULL, 0), doctest::Contains("is full: "), coding::error);
  const auto takes = fmt::format("the project takes {:.1f} kB", static_cast<double>(size) / 1000.0);
  CHECK_THROWS_WITH_AS(fail(SQLITE_IOERR_WRITE, ENOSPC), doctest::Contains(takes.c_str()),
                       coding::error);
  CHECK_THROWS_WITH_AS(fail(SQLITE_BUSY, 0),
                       doctest::Contains("still busy after 2.5 s: another qcode"), coding::error);
  CHECK_THROWS_WITH_AS(fail(SQLITE_CORRUPT, 0), doctest::Contains("is damaged (sqlite says)"),
                       coding::damaged_error);
  CHECK_THROWS_WITH_AS(fail(SQLITE_NOTADB, 0), doctest::Contains("is damaged"),
                       coding::damaged_error);
  CHECK_THROWS_WITH_AS(fail(SQLITE_CONSTRAINT, 0), "database error: sqlite says", coding::error);
}

TEST_CASE("imported documents keep text, turns and cases") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  const auto r = p.documents().add({interview("1", "IV: Hi?\nR: Hello.\n")});
  CHECK(r.added == std::vector<std::string>{"1"});
  const auto d = p.documents().find("1");
  REQUIRE(d);
  CHECK(d->text == "IV: Hi?\nR: Hello.\n");
  REQUIRE(d->turns.size() == 2);
  // "R: Hello." starts at 8; the turn's text "Hello." is 11..17.
  CHECK(d->turns[1].start == 11);
  CHECK(d->turns[1].end == 17);
  CHECK(d->turns[1].case_id == "K1");
  CHECK_FALSE(d->turns[0].case_id);
  const auto cases = p.cases().list();
  REQUIRE(cases.size() == 1);
  CHECK(cases[0].id == "K1");
  CHECK_FALSE(p.documents().find("2"));
}

TEST_CASE(
    "importing the same text again changes nothing, and duplicate ids in one import are refused") {
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  p.documents().add({interview("1", "R: a\n")});
  const auto again = p.documents().add({interview("1", "R: a\n")});
  CHECK(again.unchanged == std::vector<std::string>{"1"});
  CHECK_THROWS_WITH_AS(p.documents().add({interview("2", "R: b\n"), interview("2", "R: c\n")}),
                       doctest::Contains("appears twice"), coding::input_error);
  CHECK(p.documents().list().size() == 1);
}

TEST_CASE("a changed transcript under existing codings is refused and nothing changes") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: the first text\n")});
  p.codings().add({coding_of("1", 3, 12, "a.x")});  // "the first"
  CHECK_THROWS_WITH_AS(
      p.documents().add({interview("2", "R: new\n"), interview("1", "R: other text\n")}),
      doctest::Contains("changed under 1 coding:\n  1 a.x (tester) 3:12: \"the first\""),
      coding::input_error);
  CHECK(p.documents().find("1")->text == "R: the first text\n");
  CHECK_FALSE(p.documents().find("2"));  // the whole import was rolled back
  // Without codings, a changed transcript replaces the old one.
  p.documents().add({interview("3", "R: x\n")});
  const auto r = p.documents().add({interview("3", "R: y\n")});
  CHECK(r.replaced == std::vector<std::string>{"3"});
  CHECK(p.documents().find("3")->text == "R: y\n");
}

TEST_CASE("an unchanged transcript with codings re-imports and keeps them") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: the first text\n")});
  p.codings().add({coding_of("1", 3, 12, "a.x")});
  const auto r = p.documents().add({interview("1", "R: the first text\n")});
  CHECK(r.unchanged == std::vector<std::string>{"1"});
  REQUIRE(p.codings().list(true).size() == 1);
  CHECK(p.codings().list(true)[0].text == "the first");
}

TEST_CASE("codings on unchanged passages move with them when text is inserted before") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  // "R: Café is good.\nR: Choice was poor.\n": "good" is 11..15, "Choice" is 20..26.
  p.documents().add({interview("1", "R: Café is good.\nR: Choice was poor.\n")});
  p.codings().add({coding_of("1", 11, 15, "a.x", "good"), coding_of("1", 20, 26, "b.z", "Choice")});
  // A new first line of 14 code points ("IV: Welcome.\n" is 13, plus "\n" = 14) shifts both by 14.
  const auto r = p.documents().add(
      {interview("1", "IV: Welcome.\n\nR: Café is good.\nR: Choice was poor.\n")});
  CHECK(r.replaced == std::vector<std::string>{"1"});
  CHECK(r.moved == 2);
  CHECK(r.changed.empty());
  const auto all = p.codings().list(true);
  REQUIRE(all.size() == 2);
  CHECK(all[0].start == 25);
  CHECK(all[0].end == 29);
  CHECK(all[0].text == "good");
  CHECK(all[1].start == 34);
  CHECK(all[1].text == "Choice");
  CHECK(all[0].review.empty());
}

TEST_CASE(
    "a changed passage is kept and flagged with accept_changes, and a dry run changes nothing") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: Café is good.\nR: Choice was poor.\n")});
  p.codings().add(
      {coding_of("1", 11, 15, "a.x", "good"), coding_of("1", 20, 36, "b.z", "Choice was poor.")});
  const auto changed_doc = interview("1", "R: Café is good.\nR: Choice was rather poor.\n");

  coding::import_options dry;
  dry.dry_run = true;
  const auto preview = p.documents().add({changed_doc}, dry);
  REQUIRE(preview.changed.size() == 1);
  CHECK(preview.changed[0].old_text == "Choice was poor.");
  CHECK(preview.changed[0].new_text == "Choice was rather poor.");
  CHECK(p.documents().find("1")->text == "R: Café is good.\nR: Choice was poor.\n");

  coding::import_options accept;
  accept.accept_changes = true;
  const auto r = p.documents().add({changed_doc}, accept);
  REQUIRE(r.changed.size() == 1);
  CHECK(r.changed[0].new_span == coding::span{20, 43});  // 23 code points
  const auto all = p.codings().list(true);
  REQUIRE(all.size() == 2);
  CHECK(all[0].text == "good");
  CHECK(all[0].review.empty());
  CHECK(all[1].text == "Choice was rather poor.");
  CHECK(all[1].review.find("passage changed on re-import") != std::string::npos);
}

TEST_CASE("a vanished passage is kept on one character and flagged, never dropped") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: keep this.\nR: drop this.\n")});
  p.codings().add({coding_of("1", 17, 27, "a.x", "drop this.")});
  coding::import_options accept;
  accept.accept_changes = true;
  const auto r = p.documents().add({interview("1", "R: keep this.\n")}, accept);
  REQUIRE(r.changed.size() == 1);
  CHECK(r.changed[0].vanished);
  REQUIRE(p.codings().list().size() == 1);
  CHECK(p.codings().list()[0].end - p.codings().list()[0].start == 1);
  CHECK_FALSE(p.codings().list()[0].review.empty());
}

TEST_CASE("keep_going imports the good documents and lists the bad ones") {
  test::temp_dir dir;
  const auto fw = mini_framework();  // groups staff, client
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  coding::import_options o;
  o.keep_going = true;
  const auto bad =
      coding::parse_transcript("---\ncase: K9\nattributes: {group: nobody}\n---\nR: b\n", "9.txt");
  const auto r = p.documents().add({interview("1", "R: a\n"), bad, interview("2", "R: c\n")}, o);
  CHECK(r.added == std::vector<std::string>{"1", "2"});
  REQUIRE(r.failed.size() == 1);
  CHECK(r.failed[0].first == "9.txt");
  CHECK(r.failed[0].second.find("unknown group 'nobody'") != std::string::npos);
  CHECK(p.documents().list().size() == 2);
  const auto cases = p.cases().list();
  CHECK(std::none_of(cases.begin(), cases.end(), [](const auto& c) { return c.id == "K9"; }));
}

TEST_CASE("inline codings become codings by the importing coder") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  // Stored text "R: Café is good.\n": "Café" 3..7, "good" 11..15.
  const auto doc = coding::parse_transcript(
      "---\ncase: K1\n---\nR: (QCODE)Café(/QCODE){#a.x, #z} is (QCODE)good(/QCODE){#y}.\n",
      "1.txt");
  coding::import_options o;
  o.coder = "inline";
  const auto r = p.documents().add({doc}, o);
  CHECK(r.inline_codings == 3);
  const auto all = p.codings().list(true);
  REQUIRE(all.size() == 3);
  CHECK(all[0].text == "Café");
  CHECK(all[0].coder == "inline");
  CHECK(((all[0].code == "a.x" && all[1].code == "b.z") ||
         (all[0].code == "b.z" && all[1].code == "a.x")));
  CHECK(all[2].code == "a.y");
  CHECK(all[2].text == "good");
  const auto unknown =
      coding::parse_transcript("---\ncase: K2\n---\nR: (QCODE)x(/QCODE){#q}\n", "2.txt");
  CHECK_THROWS_WITH_AS(p.documents().add({unknown}),
                       doctest::Contains("unknown code 'q' (in 2.txt:4:"), coding::input_error);
}

TEST_CASE("an older project is migrated after a backup copy is made beside it") {
  test::temp_dir dir;
  coding::project::create(dir.file("p.qcode"));
  // Make it look like version 1: drop the history triggers and tables (version 3), the
  // column version 2 added, the columns versions 5 and 6 added and version 7's table.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file("p.qcode").c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'", -1, &q,
                       nullptr);
    std::vector<std::string> triggers;
    while (sqlite3_step(q) == SQLITE_ROW)
      triggers.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
    sqlite3_finalize(q);
    REQUIRE(triggers.size() == 36);  // 12 tracked tables x insert, update, delete
    for (const auto& t : triggers)
      REQUIRE(sqlite3_exec(db, ("DROP TRIGGER " + t).c_str(), nullptr, nullptr, nullptr) ==
              SQLITE_OK);
    sqlite3_close(db);
  }
  tamper(dir.file("p.qcode"),
         "DROP TABLE history; DROP TABLE undolog; DROP TABLE history_state; DROP TABLE summaries; "
         "DROP TABLE queries; "
         "DROP TABLE guids; DELETE FROM meta WHERE key = 'uuid'; "
         "ALTER TABLE codings DROP COLUMN review; ALTER TABLE speakers DROP COLUMN interviewer; "
         "ALTER TABLE speakers DROP COLUMN declared; ALTER TABLE documents DROP COLUMN memo; "
         "ALTER TABLE cases DROP COLUMN memo; PRAGMA user_version = 1");
  const auto p = coding::project::open(dir.file("p.qcode"));
  CHECK(p.version() == coding::project::schema_version);
  CHECK(std::filesystem::exists(dir.file("p.qcode.v1.bak")));
  CHECK(p.codings().list().empty());
  CHECK(p.history().entries().empty());
}

TEST_CASE("the codings of one document, in text order, with their passages") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: Café is good\n"), interview("2", "R: Tea\n")});
  p.codings().add({coding_of("1", 8, 15, "b.z"), coding_of("2", 3, 6, "a.x"),
                   coding_of("1", 3, 7, "a.y"), coding_of("1", 3, 7, "a.x")});
  const auto one = p.codings().list_of("1");
  REQUIRE(one.size() == 3);
  // By start, then end, then code: a.x before a.y on 3..7, then b.z on 8..15.
  CHECK(one[0].code == "a.x");
  CHECK(one[0].text == "Café");
  CHECK(one[1].code == "a.y");
  CHECK(one[2].text == "is good");
  CHECK(one[2].doc == "1");
  CHECK(p.codings().list_of("2").size() == 1);
  CHECK(p.codings().list_of("3").empty());
}

TEST_CASE("codings are checked and added all or nothing") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: Café is good\n")});  // 16 code points
  SUBCASE("a good batch") {
    const auto r =
        p.codings().add({coding_of("1", 3, 7, "a.x", "Café"), coding_of("1", 3, 15, "b.z")});
    CHECK(r.added == 2);
    const auto all = p.codings().list(true);
    REQUIRE(all.size() == 2);
    CHECK(all[0].text == "Café");
    CHECK(all[1].text == "Café is good");
    CHECK(all[0].coder == "tester");
    CHECK(all[0].created.size() == 20);  // 2026-11-23T10:15:00Z
  }
  SUBCASE("identical codings are left alone") {
    p.codings().add({coding_of("1", 3, 7, "a.x")});
    const auto r = p.codings().add({coding_of("1", 3, 7, "a.x"), coding_of("1", 3, 7, "a.y")});
    CHECK(r.added == 1);
    CHECK(r.duplicates == 1);
  }
  SUBCASE("an unknown code") {
    CHECK_THROWS_WITH_AS(
        p.codings().add({coding_of("1", 3, 7, "a.x"), coding_of("1", 3, 7, "a.xx")}),
        doctest::Contains("unknown code 'a.xx'; did you mean 'a.x'?"), coding::input_error);
  }
  SUBCASE("an unknown document") {
    CHECK_THROWS_WITH_AS(p.codings().add({coding_of("l", 3, 7, "a.x")}),
                         doctest::Contains("unknown document 'l'; did you mean '1'?"),
                         coding::input_error);
  }
  SUBCASE("a range past the end") {
    CHECK_THROWS_WITH_AS(p.codings().add({coding_of("1", 3, 17, "a.x")}),
                         doctest::Contains("runs past the end of document '1', which has 16"),
                         coding::input_error);
  }
  SUBCASE("an empty range") {
    CHECK_THROWS_AS(p.codings().add({coding_of("1", 5, 5, "a.x")}), coding::input_error);
  }
  SUBCASE("text that does not match (shifted by one)") {
    coding::new_coding c = coding_of("1", 4, 8, "a.x", "Café");
    c.origin = {"codings.csv", 14, 1, 2, 3, 4, 7};
    CHECK_THROWS_WITH_AS(p.codings().add({coding_of("1", 3, 7, "a.y"), c}),
                         doctest::Contains("(in codings.csv:14, column 7)"), coding::input_error);
  }
}

TEST_CASE("a failed batch of codings leaves the project without any of them") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: Café is good\n")});
  CHECK_THROWS(p.codings().add({coding_of("1", 3, 7, "a.x"), coding_of("1", 3, 99, "a.x")}));
  CHECK(p.codings().list().empty());
}

TEST_CASE("case attributes are set for known cases only") {
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  p.documents().add({interview("01", "R: a\n")});
  p.cases().apply(coding::parse_cases_csv("case,group,district\nK01,client,North\n", "cases.csv"));
  CHECK(p.cases().list().at(0).attributes.at("group") == "client");
  CHECK(p.cases().attribute_names() == std::vector<std::string>{"district", "group"});
  CHECK_THROWS_WITH_AS(
      p.cases().apply(coding::parse_cases_csv("case,group\nK01,staff\nK1,staff\n", "cases.csv")),
      doctest::Contains("unknown case 'K1' (in cases.csv:3, column 1); did you mean 'K01'?"),
      coding::input_error);
  CHECK(p.cases().list().at(0).attributes.at("group") == "client");  // rolled back
}

TEST_CASE("a group value must be one of the framework's groups") {
  test::temp_dir dir;
  const auto fw = mini_framework();  // groups staff, client
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: a\n")});
  CHECK_THROWS_WITH_AS(
      p.cases().apply(
          coding::parse_cases_csv("case,district,group\nK1,North,clent\n", "cases.csv")),
      doctest::Contains("unknown group 'clent' (in cases.csv:2, column 3); did you mean 'client'?"),
      coding::input_error);
  CHECK(p.cases().list().at(0).attributes.empty());
  const auto doc =
      coding::parse_transcript("---\ncase: K2\nattributes: {group: Staff}\n---\nR: b\n", "2.txt");
  CHECK_THROWS_WITH_AS(p.documents().add({doc}),
                       doctest::Contains("unknown group 'Staff' (in 2.txt, case 'K2')"),
                       coding::input_error);
  p.cases().apply(coding::parse_cases_csv("case,group,district\nK1,client,\n", "cases.csv"));
  CHECK(p.cases().list().at(0).attributes ==
        std::map<std::string, std::string>{{"group", "client"}});
}

TEST_CASE("check finds nothing wrong in a sound project and reports tampering") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  {
    auto p = coding::project::create(dir.file("p.qcode"), &fw);
    p.documents().add({interview("1", "R: Café is good\n")});
    p.codings().add({coding_of("1", 3, 7, "a.x")});
    CHECK(p.check().empty());
  }
  tamper(dir.file("p.qcode"), "UPDATE documents SET text = 'R: Cafe is good' WHERE id = '1'");
  tamper(dir.file("p.qcode"), "UPDATE codings SET end = 40");
  const auto problems = coding::project::open(dir.file("p.qcode")).check();
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].find("lies outside document '1'") != std::string::npos);
  CHECK(problems[1].find("does not match its hash") != std::string::npos);
}

TEST_CASE("the project path comes from the option, else the environment") {
  CHECK(coding::find_project_path("given.qcode") == "given.qcode");
  setenv("QCODE_PROJECT", "env.qcode", 1);
  CHECK(coding::find_project_path("") == "env.qcode");
  unsetenv("QCODE_PROJECT");
}

namespace {

// Everything a user can see of a project, as one string, to compare states exactly.
std::string state_of(const coding::project& p) {
  std::string out;
  for (const auto& d : p.documents().load(true)) {
    out += "doc " + d.id + "|" + d.title + "|" + d.text + "|" + d.case_id.value_or("-") + "|" +
           d.memo + "\n";
    for (const auto& t : d.turns)
      out += "  turn " + t.speaker + "|" + t.case_id.value_or("-") + "|" + std::to_string(t.start) +
             "-" + std::to_string(t.end) + "\n";
  }
  for (const auto& c : p.cases().list()) {
    out += "case " + c.id + "|" + c.label + "|" + c.memo;
    for (const auto& [k, v] : c.attributes) out += "|" + k + "=" + v;
    out += "\n";
  }
  for (const auto& c : p.codings().list(true))
    out += "coding " + std::to_string(c.id) + "|" + c.doc + "|" + std::to_string(c.start) + "-" +
           std::to_string(c.end) + "|" + c.code + "|" + c.coder + "|" + c.memo + "|" + c.created +
           "|" + c.review + "|" + c.text + "\n";
  return out;
}

}  // namespace

TEST_CASE("undo restores the exact previous state of each kind of change, and redo re-applies it") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  const auto empty = state_of(p);
  p.set_context("qcode import 1.txt", "anna");
  p.documents().add({interview("1", "R: Café is good.\nR: Choice was poor.\n")});
  const auto imported = state_of(p);
  p.set_context("qcode cases import", "anna");
  p.cases().apply(coding::parse_cases_csv("case,group\nK1,client\n", "cases.csv"));
  const auto with_cases = state_of(p);
  p.set_context("qcode codings import", "anna");
  p.codings().add({coding_of("1", 11, 15, "a.x", "good"), coding_of("1", 20, 36, "b.z")});
  const auto coded = state_of(p);
  coding::import_options accept;
  accept.accept_changes = true;
  p.set_context("qcode import --accept-changes", "ben");
  p.documents().add({interview("1", "IV: Hi.\nR: Café is good.\nR: Choice was rather poor.\n")},
                    accept);
  const auto reimported = state_of(p);
  CHECK(reimported != coded);

  const auto h = p.history().entries();
  REQUIRE(h.size() == 4);
  CHECK(h[0].command == "qcode import 1.txt");
  CHECK(h[0].coder == "anna");
  CHECK(h[0].summary.find("1 document added") != std::string::npos);
  CHECK(h[3].coder == "ben");
  CHECK(p.codings().add({coding_of("1", 19, 23, "a.x")}).duplicates == 1);  // "good", moved by 8
  CHECK(p.history().entries().size() == 4);  // a call that changes nothing records nothing

  CHECK(p.history().undo().front().command == "qcode import --accept-changes");
  CHECK(state_of(p) == coded);
  CHECK(p.history().undo(2).size() == 2);
  CHECK(state_of(p) == imported);
  p.history().undo();
  CHECK(state_of(p) == empty);
  CHECK_THROWS_WITH_AS(p.history().undo(), doctest::Contains("there are 0 to undo"),
                       coding::input_error);

  p.history().redo(3);
  CHECK(state_of(p) == coded);
  p.history().redo();
  CHECK(state_of(p) == reimported);
  CHECK(p.check().empty());

  // A new change after an undo discards what could have been redone.
  p.history().undo();
  p.set_context("qcode code", "anna");
  p.codings().add({coding_of("1", 3, 7, "a.y")});
  CHECK_THROWS_AS(p.history().redo(), coding::input_error);
  CHECK(p.history().entries().size() == 4);
  CHECK_FALSE(p.history().entries().back().undone);
}

TEST_CASE("uncode removes, trims or splits codings of one code, and recode moves and merges") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  // "R: Café is good.\nR: Choice was poor.\n": "Café is good." 3..16, "is" 8..10,
  // "Choice was poor." 20..36.
  p.documents().add({interview("1", "R: Café is good.\nR: Choice was poor.\n")});
  p.codings().add({coding_of("1", 3, 16, "a.x"), coding_of("1", 20, 36, "a.x"),
                   coding_of("1", 3, 7, "b.z"), coding_of("1", 3, 7, "a.y")});
  const auto before = state_of(p);

  CHECK(p.codings().remove({{"1", {8, 10}}}, "a.x", std::nullopt) == 1);  // split around "is"
  CHECK(p.codings().remove({{"1", {17, 36}}}, "a.x", std::string("someone else")) == 0);
  CHECK(p.codings().remove({{"1", {17, 36}}}, "a.x", std::string("tester")) ==
        1);  // inside: removed
  std::vector<std::string> texts;
  for (const auto& c : p.codings().list(true)) texts.push_back(c.code + ":" + c.text);
  CHECK(texts == std::vector<std::string>{"a.y:Café", "b.z:Café", "a.x:Café ",
                                          "a.x: good."});  // by start, end

  // a.y [3,7) would duplicate b.z [3,7): merged; the two a.x pieces move.
  CHECK(p.codings().recode("a.y", "b.z", std::nullopt) == coding::recode_result{0, 1});
  CHECK(p.codings().recode("a.x", "b.z", std::nullopt) == coding::recode_result{2, 0});
  for (const auto& c : p.codings().list()) CHECK(c.code == "b.z");
  CHECK(p.codings().list().size() == 3);
  CHECK_THROWS_WITH_AS(p.codings().recode("a.x", "b.zz", std::nullopt),
                       doctest::Contains("did you mean 'b.z'?"), coding::input_error);

  p.history().undo(4);
  CHECK(state_of(p) == before);
}

// --- codings by id, for the workbench (docs/serve.md) --------------------------------

TEST_CASE(
    "add returns the ids of the codings in input order, a duplicate's being the existing one") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: Café is good.\nR: Choice was poor.\n")});
  const auto r = p.codings().add({coding_of("1", 3, 16, "a.x"), coding_of("1", 20, 36, "a.x")});
  CHECK(r.ids == std::vector<std::int64_t>{1, 2});
  const auto again = p.codings().add({coding_of("1", 8, 10, "b.z"), coding_of("1", 3, 16, "a.x")});
  CHECK(again.added == 1);
  CHECK(again.duplicates == 1);
  CHECK(again.ids == std::vector<std::int64_t>{3, 1});
}

TEST_CASE("a coding is found, removed and updated by its id, each one change that undo reverts") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  // "R: Café is good.\nR: Choice was poor.\n": "Café is good." 3..16, "Café" 3..7,
  // "Choice was poor." 20..36.
  p.documents().add({interview("1", "R: Café is good.\nR: Choice was poor.\n")});
  REQUIRE(p.codings()
              .add({coding_of("1", 3, 16, "a.x"), coding_of("1", 20, 36, "a.x"),
                    coding_of("1", 3, 7, "b.z"), coding_of("1", 3, 7, "a.y")})
              .ids == std::vector<std::int64_t>{1, 2, 3, 4});
  const auto before = state_of(p);
  const auto entries = p.history().entries().size();

  SUBCASE("find") {
    const auto c = p.codings().find(3);
    REQUIRE(c);
    CHECK(c->id == 3);
    CHECK(c->doc == "1");
    CHECK(c->start == 3);
    CHECK(c->end == 7);
    CHECK(c->code == "b.z");
    CHECK(c->coder == "tester");
    CHECK(c->text == "Café");
    CHECK(p.codings().find(2)->text == "Choice was poor.");
    CHECK_FALSE(p.codings().find(99));
  }
  SUBCASE("remove takes exactly that coding") {
    p.codings().remove(2);
    std::vector<std::int64_t> ids;
    for (const auto& c : p.codings().list()) ids.push_back(c.id);
    // By start, end, code: a.y 3..7, b.z 3..7, a.x 3..16.
    CHECK(ids == std::vector<std::int64_t>{4, 3, 1});
    const auto h = p.history().entries();
    REQUIRE(h.size() == entries + 1);
    CHECK(h.back().summary == "1 coding removed");
    p.history().undo();
    CHECK(state_of(p) == before);
    p.history().redo();
    CHECK_FALSE(p.codings().find(2));
  }
  SUBCASE("remove of an unknown id changes nothing") {
    CHECK_THROWS_WITH_AS(p.codings().remove(99), "no coding 99", coding::input_error);
    CHECK(state_of(p) == before);
    CHECK(p.history().entries().size() == entries);
  }
  SUBCASE("update sets the memo") {
    const auto c = p.codings().update(1, {std::nullopt, std::string("key passage")});
    CHECK(c.id == 1);
    CHECK(c.code == "a.x");
    CHECK(c.memo == "key passage");
    CHECK(c.text == "Café is good.");
    CHECK(p.history().entries().back().summary == "1 coding changed");
    // The same memo again changes nothing and records nothing.
    p.codings().update(1, {std::nullopt, std::string("key passage")});
    CHECK(p.history().entries().size() == entries + 1);
    p.history().undo();
    CHECK(state_of(p) == before);
  }
  SUBCASE("update recodes, keeping id, passage, coder and created") {
    const auto was = *p.codings().find(2);
    const auto c = p.codings().update(2, {std::string("b.z"), std::nullopt});
    CHECK(c.id == 2);
    CHECK(c.code == "b.z");
    CHECK(c.start == 20);
    CHECK(c.end == 36);
    CHECK(c.coder == "tester");
    CHECK(c.created == was.created);
    CHECK(p.codings().list().size() == 4);
    p.history().undo();
    CHECK(state_of(p) == before);
  }
  SUBCASE("update onto an identical coding merges into it") {
    // 4 is a.y on "Café"; 3 is b.z on "Café": recoding 4 to b.z makes it 3.
    const auto c = p.codings().update(4, {std::string("b.z"), std::string("merged")});
    CHECK(c.id == 3);
    CHECK(c.code == "b.z");
    CHECK(c.memo == "merged");
    CHECK_FALSE(p.codings().find(4));
    CHECK(p.codings().list().size() == 3);
    CHECK(p.history().entries().size() == entries + 1);
    p.history().undo();
    CHECK(state_of(p) == before);
  }
  SUBCASE("update with an unknown code or id changes nothing") {
    CHECK_THROWS_WITH_AS(p.codings().update(1, {std::string("b.zz"), std::string("memo")}),
                         doctest::Contains("unknown code 'b.zz'; did you mean 'b.z'?"),
                         coding::input_error);
    CHECK_THROWS_WITH_AS(p.codings().update(99, {std::nullopt, std::string("memo")}),
                         "no coding 99", coding::input_error);
    CHECK(state_of(p) == before);
    CHECK(p.history().entries().size() == entries);
  }
}

// --- memos on documents and cases ---------------------------------------------------

TEST_CASE("document and case memos are set, kept on re-import, removed, and undone") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.documents().add({interview("1", "R: Café is good.\n"), interview("2", "R: Fine.\n")});
  const auto before = state_of(p);
  const auto entries = p.history().entries().size();

  p.documents().set_memo("1", "Long pause after\nthe first question.");
  CHECK(p.documents().memo("1") == "Long pause after\nthe first question.");
  CHECK(p.documents().memo("2") == "");
  CHECK_FALSE(p.documents().memo("3"));
  CHECK(p.documents().find("1")->memo == "Long pause after\nthe first question.");
  CHECK(p.documents().list()[0].memo == "Long pause after\nthe first question.");
  CHECK(p.documents().list()[1].memo.empty());
  CHECK(p.documents().load(false)[0].memo == "Long pause after\nthe first question.");
  CHECK(p.history().entries().back().summary == "1 document changed");

  p.cases().set_memo("K2", "Recruited late.");
  CHECK(p.cases().find("K2")->memo == "Recruited late.");
  CHECK(p.cases().list()[0].memo.empty());  // K1
  CHECK(p.cases().list()[1].memo == "Recruited late.");
  CHECK_FALSE(p.cases().find("K9"));
  CHECK(p.history().entries().back().summary == "1 case changed");
  CHECK(p.history().entries().size() == entries + 2);
  const auto with_memos = state_of(p);

  // A re-import with new text keeps the memo; so does one with the same text.
  p.documents().add({interview("1", "R: Café is very good.\n")});
  CHECK(p.documents().memo("1") == "Long pause after\nthe first question.");
  p.history().undo();
  CHECK(state_of(p) == with_memos);

  // Setting the same text again records nothing; empty text removes.
  p.documents().set_memo("1", "Long pause after\nthe first question.");
  CHECK(p.history().entries().size() == entries + 2);
  p.documents().set_memo("1", "");
  CHECK(p.documents().memo("1") == "");

  p.history().undo(3);
  CHECK(state_of(p) == before);
  p.history().redo(2);
  CHECK(state_of(p) == with_memos);
}

TEST_CASE("a memo for an unknown document or case is refused with a did-you-mean") {
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  p.documents().add({interview("12", "R: Café is good.\n")});
  const auto before = state_of(p);
  const auto entries = p.history().entries().size();
  CHECK_THROWS_WITH_AS(p.documents().set_memo("13", "x"),
                       "unknown document '13'; did you mean '12'?", coding::input_error);
  CHECK_THROWS_WITH_AS(p.cases().set_memo("K13", "x"), "unknown case 'K13'; did you mean 'K12'?",
                       coding::input_error);
  CHECK(state_of(p) == before);
  CHECK(p.history().entries().size() == entries);
}

TEST_CASE("a version 5 project opens as version 7 and keeps everything, with empty memos") {
  test::temp_dir dir;
  std::string before;
  {
    const auto fw = mini_framework();
    auto p = coding::project::create(dir.file("p.qcode"), &fw);
    p.documents().add({interview("1", "R: Café is good.\n")});
    p.codings().add({coding_of("1", 3, 7, "a.x")});
    before = state_of(p);
  }
  tamper(dir.file("p.qcode"),
         "DROP TRIGGER history_queries_insert; DROP TRIGGER history_queries_update; "
         "DROP TRIGGER history_queries_delete; DROP TABLE queries; "
         "DROP TRIGGER history_documents_insert; DROP TRIGGER history_documents_update; "
         "DROP TRIGGER history_documents_delete; DROP TRIGGER history_cases_insert; "
         "DROP TRIGGER history_cases_update; DROP TRIGGER history_cases_delete; "
         "ALTER TABLE documents DROP COLUMN memo; ALTER TABLE cases DROP COLUMN memo; "
         "PRAGMA user_version = 5");
  auto p = coding::project::open(dir.file("p.qcode"));
  CHECK(p.version() == 7);
  CHECK(std::filesystem::exists(dir.file("p.qcode.v5.bak")));
  CHECK(state_of(p) == before);
  CHECK(p.history().entries().size() == 2);
  CHECK(p.check().empty());
  // History covers the new columns: undo restores the empty memo.
  p.documents().set_memo("1", "note");
  p.cases().set_memo("K1", "note");
  p.history().undo(2);
  CHECK(state_of(p) == before);
}

// --- speaker mappings belong to the project (issue 10) ------------------------------

namespace {

// A group discussion without front matter: "IV" asks, "Ann Lee" and "Bo, K." answer.
const char* const kGroupText =
    "IV: Views?\nAnn Lee: Good.\nBo, K.: Slow.\nIV: Thanks.\nAnn Lee: Bye.\n";

coding::document group_doc(const std::string& text,
                           const std::map<std::string, std::string>& speakers = {},
                           const std::vector<std::string>& known = {}) {
  coding::transcript_options o;
  o.speakers = speakers;
  o.known_labels = known;
  return coding::parse_transcript(text, "G.txt", o);
}

// As `qcode import` reads a file again: knowing the labels the project has for it.
coding::document reread(const coding::project& p, const std::string& text,
                        const std::map<std::string, std::string>& speakers = {}) {
  return group_doc(text, speakers, p.documents().speaker_labels("G"));
}

std::map<std::string, std::string> turn_cases(const coding::project& p) {
  std::map<std::string, std::string> out;  // "seq speaker" -> case ("" for none)
  const auto doc = p.documents().find("G");
  REQUIRE(doc);
  for (std::size_t i = 0; i < doc->turns.size(); ++i)
    out[std::to_string(i + 1) + " " + doc->turns[i].speaker] = doc->turns[i].case_id.value_or("");
  return out;
}

}  // namespace

TEST_CASE("a re-import keeps the speaker mappings declared before, for labels that still occur") {
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  // "Bo, K." speaks on line 3 only, "Ann Lee" on lines 2 and 5: both are labels (a label
  // used once counts when it is mapped).
  p.documents().add({group_doc(kGroupText, {{"Ann Lee", "A1"}, {"Bo, K.", "B1"}})});
  const std::map<std::string, std::string> mapped = {
      {"1 IV", ""}, {"2 Ann Lee", "A1"}, {"3 Bo, K.", "B1"}, {"4 IV", ""}, {"5 Ann Lee", "A1"}};
  REQUIRE(turn_cases(p) == mapped);

  SUBCASE("the same text") {
    // Without the project's labels "Bo, K." (used once) would not be a label at all.
    CHECK(group_doc(kGroupText).speakers.size() == 2);
    const auto r = p.documents().add({reread(p, kGroupText)});
    CHECK(r.unchanged == std::vector<std::string>{"G"});
    CHECK(turn_cases(p) == mapped);
    REQUIRE(r.speakers.size() == 2);
    CHECK(r.speakers[0].what == coding::speaker_change::kind::kept);
    CHECK(r.speakers[0].label == "Ann Lee");
    CHECK(r.speakers[0].now == "A1");
    CHECK(r.speakers[1].label == "Bo, K.");
    CHECK(r.unmapped.empty());
  }
  SUBCASE("a new text in which one label vanished and another appeared") {
    // "Bo, K." is gone; "Cy" is new (twice, so a label without a mapping).
    const auto r =
        p.documents().add({reread(p, "IV: Views?\nAnn Lee: Good.\nCy: Fine.\nCy: Yes.\n")});
    CHECK(r.replaced == std::vector<std::string>{"G"});
    CHECK(turn_cases(p) == std::map<std::string, std::string>{
                               {"1 IV", ""}, {"2 Ann Lee", "A1"}, {"3 Cy", ""}, {"4 Cy", ""}});
    using kind = coding::speaker_change::kind;
    std::vector<std::tuple<kind, std::string, std::string, std::string>> got;
    for (const auto& c : r.speakers) got.emplace_back(c.what, c.label, c.now, c.before);
    CHECK(got == std::vector<std::tuple<kind, std::string, std::string, std::string>>{
                     {kind::kept, "Ann Lee", "A1", "A1"},
                     {kind::appeared, "Cy", "", ""},
                     {kind::vanished, "Bo, K.", "", "B1"}});
    CHECK(r.unmapped.at("G") == std::vector<std::string>{"Cy"});
  }
  SUBCASE("a mapping given again wins and is reported") {
    const auto r = p.documents().add({reread(p, kGroupText, {{"Ann Lee", "B1"}})});
    CHECK(turn_cases(p).at("2 Ann Lee") == "B1");
    CHECK(turn_cases(p).at("3 Bo, K.") == "B1");  // kept
    REQUIRE(!r.speakers.empty());
    CHECK(r.speakers[0].what == coding::speaker_change::kind::remapped);
    CHECK(r.speakers[0].before == "A1");
  }
  SUBCASE("undo of the re-import restores the mappings exactly") {
    p.documents().map_speakers({{"G", "Ann Lee", "interviewer"}});
    CHECK(turn_cases(p).at("2 Ann Lee").empty());
    p.history().undo();
    CHECK(turn_cases(p) == mapped);
  }
}

TEST_CASE("map_speakers and set_document_case change attribution in one change that undo reverts") {
  test::temp_dir dir;
  auto p = coding::project::create(dir.file("p.qcode"));
  p.documents().add({group_doc(kGroupText, {{"Ann Lee", "A1"}})});
  // "Bo, K." is used once and not mapped: not a label, so its line is Ann Lee's.
  REQUIRE(turn_cases(p) ==
          std::map<std::string, std::string>{
              {"1 IV", ""}, {"2 Ann Lee", "A1"}, {"3 IV", ""}, {"4 Ann Lee", "A1"}});
  const auto before = turn_cases(p);

  const auto r = p.documents().set_case("G", "A1", {{"G", "IV", "A1"}});
  // One-to-one with A1: "Ann Lee" keeps its declared A1; "IV" is now declared A1 too.
  CHECK(r.changed == 1);
  CHECK(r.turns == 2);
  const auto doc = p.documents().find("G");
  CHECK(doc->case_id == "A1");
  CHECK(turn_cases(p).at("1 IV") == "A1");
  CHECK(p.history().entries().size() == 2);
  p.history().undo();
  CHECK(turn_cases(p) == before);
  CHECK_FALSE(p.documents().find("G")->case_id);

  CHECK_THROWS_WITH_AS(
      p.documents().map_speakers({{"G", "Anne Lee", "A2"}}),
      doctest::Contains("unknown speaker in document 'G': 'Anne Lee'; did you mean 'Ann Lee'?"),
      coding::input_error);
  CHECK_THROWS_WITH_AS(p.documents().map_speakers({{"H", "IV", "A2"}}),
                       doctest::Contains("unknown document 'H'"), coding::input_error);
  CHECK_THROWS_WITH_AS(p.documents().map_speakers({{"G", "IV", "A 2"}}),
                       doctest::Contains("bad case id 'A 2'"), coding::input_error);
  CHECK(turn_cases(p) == before);
  CHECK(p.cases().list().size() == 1);  // A1 only: a refused mapping creates no case
}

TEST_CASE("a version 4 project's mappings become declared when it is migrated") {
  test::temp_dir dir;
  {
    auto p = coding::project::create(dir.file("p.qcode"));
    p.documents().add(
        {group_doc(kGroupText, {{"Ann Lee", "A1"}}), interview("2", "IV: Hi.\nR: Hello.\n")});
  }
  tamper(dir.file("p.qcode"),
         "DROP TRIGGER history_queries_insert; DROP TRIGGER history_queries_update; "
         "DROP TRIGGER history_queries_delete; DROP TABLE queries; "
         "DROP TRIGGER history_speakers_insert; DROP TRIGGER history_speakers_update; "
         "DROP TRIGGER history_speakers_delete; ALTER TABLE speakers DROP COLUMN interviewer; "
         "ALTER TABLE speakers DROP COLUMN declared; DROP TRIGGER history_documents_insert; "
         "DROP TRIGGER history_documents_update; DROP TRIGGER history_documents_delete; "
         "DROP TRIGGER history_cases_insert; DROP TRIGGER history_cases_update; "
         "DROP TRIGGER history_cases_delete; ALTER TABLE documents DROP COLUMN memo; "
         "ALTER TABLE cases DROP COLUMN memo; PRAGMA user_version = 4");
  auto p = coding::project::open(dir.file("p.qcode"));
  const auto docs = p.documents().load(false);
  const auto role = [&](std::size_t d, const std::string& label) {
    for (const auto& r : docs[d].speakers)
      if (r.label == label) return r;
    FAIL("no label " << label);
    return coding::speaker_role{};
  };
  // Mapped to a case other than the document's own: declared. IV: an interviewer by its label.
  CHECK(role(0, "Ann Lee").declared);
  CHECK(role(0, "IV").interviewer);
  CHECK_FALSE(role(0, "IV").declared);
  // The interview's respondent speaks for the document's own case: inferred, not declared.
  CHECK(role(1, "R").case_id == "K2");
  CHECK_FALSE(role(1, "R").declared);
  // So a re-import without the mapping keeps Ann Lee's.
  p.documents().add({reread(p, kGroupText)});
  CHECK(turn_cases(p).at("2 Ann Lee") == "A1");
}

// --- saved queries (issue 15) ------------------------------------------------------------

TEST_CASE("saved queries are kept by name, replaced, removed, and undone as one change each") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.set_context("qcode query save", "anna");
  CHECK(p.queries().list().empty());
  CHECK_FALSE(p.queries().save("near", "a NEAR/1 b"));
  CHECK_FALSE(p.queries().save("alone", "=a.x ONLY"));
  // Listed by name, with who saved them.
  const auto saved = p.queries().list();
  REQUIRE(saved.size() == 2);
  CHECK(saved[0].name == "alone");
  CHECK(saved[1].name == "near");
  CHECK(saved[1].expression == "a NEAR/1 b");
  CHECK(saved[1].author == "anna");
  CHECK(saved[1].updated.size() == 20);  // 2026-12-08T02:50:00Z
  CHECK(p.queries().save("near", "a NEAR/2 b"));
  CHECK(p.queries().get("near").expression == "a NEAR/2 b");
  // Saving the same expression again changes nothing and records nothing.
  const auto entries = p.history().entries().size();
  CHECK(p.queries().save("near", "a NEAR/2 b"));
  CHECK(p.history().entries().size() == entries);
  p.queries().remove("alone");
  CHECK_FALSE(p.queries().find("alone"));
  CHECK(p.history().entries().back().summary == "1 saved query removed");
  p.history().undo(2);
  CHECK(p.queries().get("near").expression == "a NEAR/1 b");
  CHECK(p.queries().get("alone").expression == "=a.x ONLY");
}

TEST_CASE("a bad query name, an empty expression or an unknown name is refused, changing nothing") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  auto p = coding::project::create(dir.file("p.qcode"), &fw);
  p.queries().save("near", "a NEAR/1 b");
  const auto entries = p.history().entries().size();
  for (const auto* bad : {"", "1st", "two words", "a/b", "query:x"})
    CHECK_THROWS_WITH_AS(p.queries().save(bad, "a"),
                         doctest::Contains("use a letter followed by letters"),
                         coding::input_error);
  CHECK_THROWS_WITH_AS(p.queries().save("blank", "  "), doctest::Contains("needs an expression"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(p.queries().get("naer"), doctest::Contains("did you mean 'near'?"),
                       coding::input_error);
  CHECK_THROWS_WITH_AS(p.queries().remove("other"), doctest::Contains("saved: near"),
                       coding::input_error);
  CHECK(p.queries().list().size() == 1);
  CHECK(p.history().entries().size() == entries);
}

TEST_CASE("a version 6 project opens as version 7 with no saved queries, and can save one") {
  test::temp_dir dir;
  {
    const auto fw = mini_framework();
    coding::project::create(dir.file("p.qcode"), &fw);
  }
  tamper(dir.file("p.qcode"),
         "DROP TRIGGER history_queries_insert; DROP TRIGGER history_queries_update; "
         "DROP TRIGGER history_queries_delete; DROP TABLE queries; PRAGMA user_version = 6");
  auto p = coding::project::open(dir.file("p.qcode"));
  CHECK(p.version() == 7);
  CHECK(std::filesystem::exists(dir.file("p.qcode.v6.bak")));
  CHECK(p.queries().list().empty());
  p.queries().save("q", "a");
  p.history().undo();
  CHECK(p.queries().list().empty());
}

TEST_CASE(
    "compact drops the undo data of older changes, keeps their entries, and shrinks the file") {
  test::temp_dir dir;
  const auto fw = mini_framework();
  const auto path = dir.file("p.qcode");
  auto p = coding::project::create(path, &fw);
  // A long text, so that the copy undoing its re-import needs weighs in the file.
  std::string body;
  for (int i = 0; i < 4000; ++i) body += fmt::format("R: Line {} of what was said at length.\n", i);
  p.set_context("qcode import 1.txt", "anna");
  p.documents().add({interview("1", body)});
  p.set_context("qcode codings import a.csv", "anna");
  p.codings().add({coding_of("1", 3, 7, "a.x", "Line")});
  coding::import_options accept;
  accept.accept_changes = true;
  p.set_context("qcode import --accept-changes 1.txt", "anna");
  p.documents().add({interview("1", "IV: Hi.\n" + body)}, accept);
  const auto reimported = state_of(p);
  p.set_context("qcode codings import b.csv", "ben");
  p.codings().add({coding_of("1", 11, 15, "a.y", "Line")});
  const auto coded = state_of(p);
  p.history().undo();  // entry 4 is undone and keeps what redo needs
  REQUIRE(state_of(p) == reimported);

  const auto r = p.history().compact(1);  // entry 3 stays undoable; 1 and 2 are compacted
  CHECK(r.entries == 2);
  CHECK(r.kept == 1);
  CHECK(state_of(p) == reimported);  // no data changed
  const auto h = p.history().entries();
  REQUIRE(h.size() == 4);  // every entry is still in the log
  CHECK(h[0].compacted);
  CHECK(h[1].compacted);
  CHECK_FALSE(h[2].compacted);
  CHECK(h[3].undone);
  CHECK_FALSE(h[3].compacted);
  CHECK(p.check().empty());

  p.history().redo();  // redo data was kept
  CHECK(state_of(p) == coded);
  p.history().undo(2);  // entries 4 and 3 still undo
  const auto first_text = state_of(p);
  CHECK(first_text.find("IV: Hi.") == std::string::npos);
  CHECK_THROWS_WITH_AS(p.history().undo(), doctest::Contains("cannot undo change #2"),
                       coding::input_error);
  CHECK(state_of(p) == first_text);  // the refusal changed nothing
  CHECK_THROWS_WITH_AS(p.history().undo(), doctest::Contains("qcode log --compact"),
                       coding::input_error);

  // Compacting everything: the re-import's undo data holds the old text (some 160 kB, as
  // SQL) and its redo data the new one; both go, and VACUUM gives the pages back.
  p.history().redo(2);
  CHECK(state_of(p) == coded);
  const auto all = p.history().compact();
  CHECK(all.entries == 2);
  CHECK(all.kept == 0);
  CHECK(all.bytes_before >= all.bytes_after + body.size());
  CHECK(all.bytes_after == std::filesystem::file_size(path));
  CHECK(state_of(p) == coded);
  CHECK_THROWS_WITH_AS(p.history().undo(), doctest::Contains("cannot undo change #4"),
                       coding::input_error);
}
