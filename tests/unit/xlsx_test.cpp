// Tests of libcoding/src/xlsx.cpp: the XLSX workbooks of matrices, charts and co-occurrence
// tables, and of agreement and disagreements (render/agreement.cpp). Each test builds small structs
// by hand, writes the workbook to a string and reads it back (libzip for the container, pugixml for
// the sheets), checking cells against values worked out by hand.

#include <doctest/doctest.h>
#include <zip.h>

#include <coding/error.hpp>
#include <coding/render.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "render_fixtures.hpp"
#include "test_support.hpp"

namespace {

// A workbook read back: its parts, sheets by name, shared strings and cell values.
class xlsx_book {
 public:
  explicit xlsx_book(const std::string& bytes) {
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src == nullptr) throw std::runtime_error("zip_source_buffer_create failed");
    zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (z == nullptr) {
      zip_source_free(src);
      throw std::runtime_error(std::string("not a zip file: ") + zip_error_strerror(&err));
    }
    const auto count = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
      zip_stat_t st;
      zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
      zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
      std::string data(static_cast<std::size_t>(st.size), '\0');
      zip_fread(f, data.data(), st.size);
      zip_fclose(f);
      parts_[st.name] = std::move(data);
    }
    zip_discard(z);

    const auto workbook = parse("xl/workbook.xml");
    const auto rels = parse("xl/_rels/workbook.xml.rels");
    std::map<std::string, std::string> targets;
    for (const auto& r : rels.child("Relationships").children("Relationship"))
      targets[r.attribute("Id").value()] = r.attribute("Target").value();
    for (const auto& s : workbook.child("workbook").child("sheets").children("sheet")) {
      names_.push_back(s.attribute("name").value());
      files_[names_.back()] = "xl/" + targets.at(s.attribute("r:id").value());
    }
    if (parts_.contains("xl/sharedStrings.xml")) {
      const auto sst = parse("xl/sharedStrings.xml");
      for (const auto& si : sst.child("sst").children("si")) {
        std::string text;
        for (const auto& t : si.select_nodes(".//t")) text += t.node().text().get();
        strings_.push_back(text);
      }
    }
  }

  const std::vector<std::string>& sheet_names() const { return names_; }
  bool has(const std::string& part) const { return parts_.contains(part); }

  pugi::xml_document parse(const std::string& part) const {
    pugi::xml_document doc;
    const auto& data = parts_.at(part);
    const auto ok = doc.load_buffer(data.data(), data.size());
    if (!ok) throw std::runtime_error(part + ": " + ok.description());
    return doc;
  }

  // The <worksheet> element of a sheet.
  pugi::xml_document sheet(const std::string& name) const { return parse(files_.at(name)); }

  // The <c> element of a cell ("B3"), empty when the sheet has none there.
  static pugi::xml_node cell(const pugi::xml_document& ws, const std::string& ref) {
    return ws.select_node(("/worksheet/sheetData/row/c[@r='" + ref + "']").c_str()).node();
  }

  // A cell's text: shared, inline or a formula's string; nullopt for a missing or numeric cell.
  std::optional<std::string> text(const pugi::xml_document& ws, const std::string& ref) const {
    const auto c = cell(ws, ref);
    if (!c) return std::nullopt;
    const std::string type = c.attribute("t").value();
    if (type == "s") return strings_.at(c.child("v").text().as_ullong());
    if (type == "inlineStr") return std::string(c.child("is").child("t").text().get());
    if (type == "str") return std::string(c.child("v").text().get());
    return std::nullopt;
  }

  // A numeric cell's value; nullopt when the cell is missing or is not a number.
  static std::optional<double> number(const pugi::xml_document& ws, const std::string& ref) {
    const auto c = cell(ws, ref);
    if (!c || !c.child("v")) return std::nullopt;
    const std::string type = c.attribute("t").value();
    if (!type.empty() && type != "n") return std::nullopt;
    return c.child("v").text().as_double();
  }

  // Is the cell's style bold, and its fill colour ("FFDDEBF7"; "" for none)?
  std::pair<bool, std::string> style(const pugi::xml_document& ws, const std::string& ref) const {
    const auto styles = parse("xl/styles.xml");
    const auto index = cell(ws, ref).attribute("s").as_uint();
    const auto xf =
        styles.select_node(("/styleSheet/cellXfs/xf[" + std::to_string(index + 1) + "]").c_str())
            .node();
    const auto font = styles.select_node(
        ("/styleSheet/fonts/font[" + std::to_string(xf.attribute("fontId").as_uint() + 1) + "]")
            .c_str());
    const auto fill = styles.select_node(
        ("/styleSheet/fills/fill[" + std::to_string(xf.attribute("fillId").as_uint() + 1) + "]")
            .c_str());
    return {static_cast<bool>(font.node().child("b")),
            fill.node().child("patternFill").child("fgColor").attribute("rgb").value()};
  }

 private:
  std::map<std::string, std::string> parts_;
  std::vector<std::string> names_;
  std::map<std::string, std::string> files_;
  std::vector<std::string> strings_;
};

// The frozen pane of a sheet: "xSplit,ySplit,topLeftCell,state".
std::string pane(const pugi::xml_document& ws) {
  const auto p = ws.child("worksheet").child("sheetViews").child("sheetView").child("pane");
  if (!p) return "";
  return std::string(p.attribute("xSplit").value()) + "," + p.attribute("ySplit").value() + "," +
         p.attribute("topLeftCell").value() + "," + p.attribute("state").value();
}

// The height set for a row (1-based) in points; 0 when none is set.
double row_height(const pugi::xml_document& ws, unsigned row) {
  const auto r =
      ws.select_node(("/worksheet/sheetData/row[@r='" + std::to_string(row) + "']").c_str()).node();
  return r.attribute("customHeight").as_bool() ? r.attribute("ht").as_double() : 0;
}

// The width set for a column (1-based); 0 when none is set.
double column_width(const pugi::xml_document& ws, unsigned column) {
  for (const auto& c : ws.child("worksheet").child("cols").children("col"))
    if (c.attribute("min").as_uint() <= column && column <= c.attribute("max").as_uint())
      return c.attribute("width").as_double();
  return 0;
}

// The conditional formats of a sheet: "sqref: cfvo cfvo ..." with each cfvo as type or type=val.
std::vector<std::string> heat(const pugi::xml_document& ws) {
  std::vector<std::string> out;
  for (const auto& cf : ws.child("worksheet").children("conditionalFormatting")) {
    std::string s = std::string(cf.attribute("sqref").value()) + ":";
    for (const auto& rule : cf.children("cfRule")) {
      s += std::string(" ") + rule.attribute("type").value();
      for (const auto& v : rule.child("colorScale").children("cfvo")) {
        s += std::string(" ") + v.attribute("type").value();
        if (v.attribute("val")) s += std::string("=") + v.attribute("val").value();
      }
    }
    out.push_back(s);
  }
  return out;
}

// libxlsxwriter's stored width for a width of `w` characters (Calibri 11: 7 pixels per
// character plus 5 of padding, in 1/256ths).
double stored_width(double w) {
  const double pixels = static_cast<int>(w * 7 + 0.5) + 5;
  return static_cast<int>(pixels / 7 * 256) / 256.0;
}

// TMPDIR pointed at a fresh folder for the life of the object.
class temp_env {
 public:
  temp_env() {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", dir_.file("").c_str(), 1);
  }
  ~temp_env() {
    if (old_)
      ::setenv("TMPDIR", old_->c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }
  temp_env(const temp_env&) = delete;
  temp_env& operator=(const temp_env&) = delete;
  std::size_t files() const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_.file(""))) ++n;
    return n;
  }

 private:
  test::temp_dir dir_;
  std::optional<std::string> old_;
};

coding::matrix make_matrix(coding::measure what, std::vector<double> roles,
                           std::vector<double> choice, std::vector<double> total) {
  coding::matrix m;
  m.by = "group";
  m.what = what;
  m.columns = {
      {"jcp", "JCP staff", 4}, {"provider", "Provider staff", 8}, {"customer", "Customers", 5}};
  m.n = 17;
  m.rows = {{"roles",
             "The division of roles and responsibilities between JCP and providers",
             0,
             {roles[0], roles[1], roles[2]},
             roles[3]},
            {"choice", "Choice", 0, {choice[0], choice[1], choice[2]}, choice[3]}};
  m.total = {"", "Total", 0, {total[0], total[1], total[2]}, total[3]};
  return m;
}

const std::string kOddText = "She said \"it's <fine> & done\"\nthen: café, naïve, 😀 — ok";

std::vector<coding::quote> two_quotes() {
  coding::quote a;
  a.doc = "J01";
  a.case_id = "J01";
  a.group = "jcp";
  a.attributes = {{"group", "jcp"}, {"district", "Northmoor"}, {"role", "IBPA"}};
  a.code = "roles.handover";
  a.code_path = "Roles > Hand-over";
  a.coder = "anna";
  a.where = {206, 522};
  a.reference = "J01 l.12-18";
  a.text = kOddText;
  coding::quote b;
  b.doc = "G01";
  b.case_id = "P03";
  b.group = "provider";
  b.attributes = {{"group", "provider"}, {"district", "Eastbrook"}, {"method", "group"}};
  b.code = "choice";
  b.code_path = "Choice";
  b.coder = "ben";
  b.where = {12, 31};
  b.reference = "G01 12:31";
  b.text = "Short.";
  return {a, b};
}

std::string matrix_workbook(std::size_t active = 0) {
  const std::vector<coding::matrix> ms = {
      make_matrix(coding::measure::cases, {4, 3, 5, 12}, {2, 0, 5, 7}, {4, 6, 5, 15}),
      make_matrix(coding::measure::segments, {7, 3, 12, 21}, {2, 0, 9, 11}, {9, 3, 21, 32}),
      make_matrix(coding::measure::coverage, {15.8591, 3.9453, 6.5711, 7.25},
                  {2.5, 0, 12.125, 4.75}, {18, 3.9453, 18, 10.5}),
  };
  std::ostringstream out;
  coding::write_matrix_xlsx(out, ms, two_quotes(), active);
  return out.str();
}

coding::chart_entry entry(std::string case_id, std::string summary, bool draft,
                          std::vector<std::pair<std::string, std::string>> passages) {
  coding::chart_entry e;
  e.case_id = std::move(case_id);
  e.summary = std::move(summary);
  e.draft = draft;
  for (auto& [ref, quote] : passages) e.passages.push_back({"", {}, ref, "anna", quote});
  return e;
}

coding::chart tiny_chart(std::string label) {
  coding::chart ch;
  ch.theme = "roles";
  ch.theme_label = std::move(label);
  ch.attributes = {"district"};
  ch.columns = {{"roles.handover", "Hand-over", ""}, {"roles.clarity", "Clarity", ""}};
  coding::chart_group jcp{"jcp", "JCP staff", 2, {}};
  jcp.rows.push_back({"J01",
                      "J01",
                      {"Northmoor"},
                      {{{entry("J01", "Referral is quick.", false,
                               {{"J01 l.12-18", "We just book them in."}, {"J01 l.30", ""}})}},
                       {}}});
  jcp.rows.push_back({"J02",
                      "",
                      {"Northmoor"},
                      {{{entry("J02", "Unsure who does what.", true, {})}},
                       {{entry("J02", "", false, {{"J02 l.4-5", ""}})}}}});
  coding::chart_group customers{"customer", "Customers", 1, {}};
  customers.rows.push_back({"C01", "Ann", {""}, {{}, {}}});
  ch.groups = {jcp, customers};
  return ch;
}

}  // namespace

TEST_CASE("matrix workbook has a sheet per measure, then Quotes") {
  const auto bytes = matrix_workbook();
  CHECK(bytes.starts_with("PK"));
  const xlsx_book book(bytes);
  CHECK(book.sheet_names() == std::vector<std::string>{"cases", "segments", "coverage", "Quotes"});
}

TEST_CASE("matrix workbook opens on the sheet of the measure asked for") {
  const auto active_tab = [](const xlsx_book& book) {
    return book.parse("xl/workbook.xml")
        .select_node("/workbook/bookViews/workbookView")
        .node()
        .attribute("activeTab")
        .as_uint(0);
  };
  const auto selected = [](const xlsx_book& book, const std::string& name) {
    return book.sheet(name)
        .select_node("/worksheet/sheetViews/sheetView")
        .node()
        .attribute("tabSelected")
        .as_bool();
  };
  const xlsx_book first(matrix_workbook());
  CHECK(active_tab(first) == 0);
  CHECK(selected(first, "cases"));
  const xlsx_book segments(matrix_workbook(1));
  CHECK(active_tab(segments) == 1);
  CHECK(selected(segments, "segments"));
  CHECK_FALSE(selected(segments, "cases"));
}

TEST_CASE("matrix sheet stores counts as numbers with a Total column and row") {
  const xlsx_book book(matrix_workbook());
  const auto ws = book.sheet("cases");
  CHECK(book.text(ws, "A1") == "Themes by group (cases with at least one coding)");
  CHECK(book.text(ws, "A2") == "code");
  CHECK(book.text(ws, "B2") == "theme");
  CHECK(book.text(ws, "C2") == "JCP staff (n=4)");
  CHECK(book.text(ws, "D2") == "Provider staff (n=8)");
  CHECK(book.text(ws, "E2") == "Customers (n=5)");
  CHECK(book.text(ws, "F2") == "Total (n=17)");
  CHECK(book.text(ws, "A3") == "roles");
  CHECK(book.text(ws, "B3") ==
        "The division of roles and responsibilities between JCP and providers");
  CHECK(xlsx_book::number(ws, "C3") == 4);
  CHECK(xlsx_book::number(ws, "D3") == 3);
  CHECK(xlsx_book::number(ws, "E3") == 5);
  CHECK(xlsx_book::number(ws, "F3") == 12);
  CHECK(book.text(ws, "A4") == "choice");
  CHECK(xlsx_book::number(ws, "D4") == 0);
  CHECK(xlsx_book::number(ws, "F4") == 7);
  CHECK(book.text(ws, "B5") == "Total");
  CHECK(xlsx_book::number(ws, "C5") == 4);
  CHECK(xlsx_book::number(ws, "D5") == 6);
  CHECK(xlsx_book::number(ws, "F5") == 15);
  CHECK_FALSE(xlsx_book::cell(ws, "A6"));

  const auto seg = book.sheet("segments");
  CHECK(book.text(seg, "A1") == "Themes by group (coded segments)");
  CHECK(xlsx_book::number(seg, "E3") == 12);
  CHECK(xlsx_book::number(seg, "F5") == 32);
}

TEST_CASE("coverage is stored as a fraction shown as a percentage") {
  const xlsx_book book(matrix_workbook());
  const auto ws = book.sheet("coverage");
  CHECK(book.text(ws, "A1") == "Themes by group (% of spoken text coded)");
  CHECK(xlsx_book::number(ws, "C3") == doctest::Approx(0.158591));
  CHECK(xlsx_book::number(ws, "E4") == doctest::Approx(0.12125));
  CHECK(xlsx_book::number(ws, "F5") == doctest::Approx(0.105));
  // The cell's number format is 0.0%.
  const auto styles = book.parse("xl/styles.xml");
  const auto index = xlsx_book::cell(ws, "C3").attribute("s").as_uint();
  const auto xf =
      styles.select_node(("/styleSheet/cellXfs/xf[" + std::to_string(index + 1) + "]").c_str())
          .node();
  const auto id = xf.attribute("numFmtId").value();
  CHECK(std::string(
            styles
                .select_node(
                    (std::string("/styleSheet/numFmts/numFmt[@numFmtId='") + id + "']").c_str())
                .node()
                .attribute("formatCode")
                .value()) == "0.0%");
}

TEST_CASE("matrix sheet freezes the header rows and the row labels, and sets column widths") {
  const xlsx_book book(matrix_workbook());
  const auto ws = book.sheet("cases");
  CHECK(pane(ws) == "2,2,C3,frozen");
  // code: "choice" is the widest (6) + 2; label: capped at 50; counts: "Provider staff (n=8)" (20)
  // + 2, capped at 18.
  CHECK(column_width(ws, 1) == doctest::Approx(stored_width(8)));
  CHECK(column_width(ws, 2) == doctest::Approx(stored_width(50)));
  CHECK(column_width(ws, 3) == doctest::Approx(stored_width(17)));  // "JCP staff (n=4)" 15 + 2
  CHECK(column_width(ws, 4) == doctest::Approx(stored_width(18)));
  CHECK(column_width(ws, 6) == doctest::Approx(stored_width(14)));  // "Total (n=17)" 12 + 2
}

TEST_CASE("matrix sheets colour counts and coverage as heat maps") {
  const xlsx_book book(matrix_workbook());
  // cases: each column from 0 to its n.
  CHECK(heat(book.sheet("cases")) == std::vector<std::string>{"C3:C4: colorScale num=0 num=4",
                                                              "D3:D4: colorScale num=0 num=8",
                                                              "E3:E4: colorScale num=0 num=5"});
  CHECK(heat(book.sheet("segments")) == std::vector<std::string>{"C3:E4: colorScale num=0 max=0"});
  CHECK(heat(book.sheet("coverage")) == std::vector<std::string>{"C3:E4: colorScale num=0 max=0"});
}

TEST_CASE(
    "quotes sheet has one quote per row with the attribute columns, a filter and a frozen header") {
  const xlsx_book book(matrix_workbook());
  const auto ws = book.sheet("Quotes");
  // The attributes of both quotes, sorted; "group" only repeats the group column.
  const std::vector<std::string> header = {"document", "case",      "group", "district", "method",
                                           "role",     "code path", "coder", "location", "text"};
  for (std::size_t c = 0; c < header.size(); ++c)
    CHECK(book.text(ws, std::string(1, static_cast<char>('A' + c)) + "1") == header[c]);
  CHECK_FALSE(xlsx_book::cell(ws, "K1"));
  CHECK(book.text(ws, "A2") == "J01");
  CHECK(book.text(ws, "B2") == "J01");
  CHECK(book.text(ws, "C2") == "jcp");
  CHECK(book.text(ws, "D2") == "Northmoor");
  CHECK_FALSE(book.text(ws, "E2"));  // J01 has no method
  CHECK(book.text(ws, "F2") == "IBPA");
  CHECK(book.text(ws, "G2") == "Roles > Hand-over");
  CHECK(book.text(ws, "H2") == "anna");
  CHECK(book.text(ws, "I2") == "J01 l.12-18");
  CHECK(book.text(ws, "A3") == "G01");
  CHECK(book.text(ws, "B3") == "P03");
  CHECK(book.text(ws, "E3") == "group");
  CHECK(book.text(ws, "I3") == "G01 12:31");
  CHECK(book.text(ws, "J3") == "Short.");
  CHECK(std::string(ws.child("worksheet").child("autoFilter").attribute("ref").value()) == "A1:J3");
  CHECK(pane(ws) == ",1,A2,frozen");
  for (unsigned c = 1; c <= 10; ++c) CHECK(column_width(ws, c) > 0);
}

TEST_CASE("odd text survives the round trip: quotes, markup characters, accents and emoji") {
  const xlsx_book book(matrix_workbook());
  const auto ws = book.sheet("Quotes");
  CHECK(book.text(ws, "J2") == kOddText);
}

TEST_CASE("wrapped labels get taller rows") {
  const xlsx_book book(matrix_workbook());
  const auto ws = book.sheet("cases");
  // The label of 68 columns in a column of 50 (48 usable) takes 2 lines.
  CHECK(row_height(ws, 3) == 30);
  CHECK(row_height(ws, 4) == 0);
}

TEST_CASE("text longer than a cell holds is cut, and invalid UTF-8 replaced") {
  auto quotes = two_quotes();
  quotes[0].text = std::string(40000, 'a');
  quotes[1].text = "bad \xff byte";
  std::ostringstream out;
  coding::write_matrix_xlsx(out, {}, quotes);
  const xlsx_book book(out.str());
  const auto ws = book.sheet("Quotes");
  CHECK(book.text(ws, "J2") == std::string(32766, 'a') + "…");
  CHECK(book.text(ws, "J3") == "bad \uFFFD byte");
}

TEST_CASE("an empty matrix list gives only the Quotes sheet") {
  std::ostringstream out;
  coding::write_matrix_xlsx(out, {}, {});
  const xlsx_book book(out.str());
  CHECK(book.sheet_names() == std::vector<std::string>{"Quotes"});
  const auto ws = book.sheet("Quotes");
  // No quotes, so no attribute columns.
  CHECK(book.text(ws, "G1") == "text");
  CHECK(std::string(ws.child("worksheet").child("autoFilter").attribute("ref").value()) == "A1:G1");
}

TEST_CASE("chart sheets are named after their themes, cut to 31 characters and unique") {
  const std::string long_label = "Roles: who does what? [JCP/provider] and a long tail";
  const std::string emoji_label = std::string(30, 'x') + "😀";  // 32 UTF-16 units
  std::ostringstream out;
  coding::write_chart_xlsx(out,
                           {tiny_chart(long_label), tiny_chart(long_label), tiny_chart("quotes"),
                            tiny_chart(emoji_label), tiny_chart("R&D <new> café"), tiny_chart("'")},
                           {});
  const xlsx_book book(out.str());
  CHECK(book.sheet_names() == std::vector<std::string>{"Roles who does what JCP provide",
                                                       "Roles who does what JCP pro (2)",
                                                       "quotes (2)", std::string(30, 'x'),
                                                       "R&D <new> café", "Sheet", "Quotes"});
}

TEST_CASE("chart sheet has a title, a header, group label rows and case rows with summaries") {
  std::ostringstream out;
  coding::write_chart_xlsx(out, {tiny_chart("Roles")}, two_quotes());
  const xlsx_book book(out.str());
  CHECK(book.sheet_names() == std::vector<std::string>{"Roles", "Quotes"});
  const auto ws = book.sheet("Roles");
  CHECK(book.text(ws, "A1") == "Roles (roles)");
  CHECK(book.text(ws, "A2") == "case");
  CHECK(book.text(ws, "B2") == "district");
  CHECK(book.text(ws, "C2") == "Hand-over");
  CHECK(book.text(ws, "D2") == "Clarity");
  CHECK(book.text(ws, "A3") == "JCP staff (n=2)");
  CHECK(book.style(ws, "A3") == std::pair<bool, std::string>{true, "FFDDEBF7"});
  CHECK(book.style(ws, "D3") ==
        std::pair<bool, std::string>{true, "FFDDEBF7"});  // the fill runs across
  CHECK(book.text(ws, "A4") == "J01");
  CHECK(book.text(ws, "B4") == "Northmoor");
  CHECK(book.text(ws, "C4") ==
        "Referral is quick.\n\nJ01 l.12-18; J01 l.30\n“We just book them in.” (J01 l.12-18)");
  CHECK_FALSE(book.text(ws, "D4"));
  CHECK(book.text(ws, "A5") == "J02");
  CHECK(book.text(ws, "C5") == "[draft] Unsure who does what.");
  CHECK(book.text(ws, "D5") == "J02 l.4-5");
  CHECK(book.text(ws, "A6") == "Customers (n=1)");
  CHECK(book.text(ws, "A7") == "C01 (Ann)");
  CHECK_FALSE(xlsx_book::cell(ws, "A8"));
  CHECK(pane(ws) == "2,2,C3,frozen");
  // Sub-theme columns: the widest line + 2, at least 16: "“We just book them in.” (J01 l.12-18)"
  // is 37.
  CHECK(column_width(ws, 3) == doctest::Approx(stored_width(39)));
  CHECK(column_width(ws, 4) == doctest::Approx(stored_width(16)));
  // Rows as high as their wrapped lines (15 points each): C4 has 4 lines of at most 37
  // columns in a column of 39, C5 one line.
  CHECK(row_height(ws, 4) == 60);
  CHECK(row_height(ws, 5) == 0);
}

TEST_CASE("group-row chart prefixes each member's summary with its case id") {
  coding::chart ch;
  ch.theme = "roles";
  ch.theme_label = "Roles";
  ch.group_rows = true;
  ch.columns = {{"roles.handover", "Hand-over", ""}};
  coding::chart_group jcp{"jcp", "JCP staff", 2, {}};
  jcp.rows.push_back(
      {"jcp",
       "JCP staff",
       {},
       {{{entry("J01", "Quick.", false, {{"J01 l.2", ""}}), entry("J02", "Slow.", true, {})}}}});
  ch.groups = {jcp};
  std::ostringstream out;
  coding::write_chart_xlsx(out, {ch}, {});
  const xlsx_book book(out.str());
  const auto ws = book.sheet("Roles");
  CHECK(book.text(ws, "A2") == "group");
  CHECK(book.text(ws, "B2") == "Hand-over");
  CHECK(book.text(ws, "A3") == "JCP staff (n=2)");
  CHECK(book.style(ws, "A3").first);
  CHECK(book.text(ws, "B3") == "J01: Quick.\n\nJ01 l.2\n\nJ02: [draft] Slow.");
  CHECK_FALSE(xlsx_book::cell(ws, "A4"));
  CHECK(pane(ws) == "1,2,B3,frozen");
}

TEST_CASE("co-occurrence workbook has a sheet per table with the counts as numbers") {
  coding::cooccurrence co;
  co.by = "group";
  co.codes = {
      {"a.x", "Code A.x", 1, {}, 0}, {"a.y", "Code A.y", 1, {}, 0}, {"b.z", "Code B.z", 1, {}, 0}};
  co.tables = {{"", "All cases", 5, {{3, 1, 0}, {1, 2, 1}, {0, 1, 4}}},
               {"staff", "Staff", 3, {{2, 1, 0}, {1, 1, 0}, {0, 0, 1}}}};
  std::ostringstream out;
  coding::write_cooccurrence_xlsx(out, co, {});
  const xlsx_book book(out.str());
  CHECK(book.sheet_names() == std::vector<std::string>{"All cases", "Staff", "Quotes"});
  const auto ws = book.sheet("All cases");
  CHECK(book.text(ws, "A2") == "code");
  CHECK(book.text(ws, "C2") == "Code A.x");
  CHECK(book.text(ws, "E2") == "Code B.z");
  CHECK(book.text(ws, "A3") == "a.x");
  CHECK(book.text(ws, "B5") == "Code B.z");
  CHECK(xlsx_book::number(ws, "C3") == 3);
  CHECK(xlsx_book::number(ws, "D3") == 1);
  CHECK(xlsx_book::number(ws, "E3") == 0);
  CHECK(xlsx_book::number(ws, "D4") == 2);
  CHECK(xlsx_book::number(ws, "E5") == 4);
  CHECK(pane(ws) == "2,2,C3,frozen");
  // Heat over the pairs, not the diagonal, up to the largest pair count of any table (1).
  CHECK(heat(ws) == std::vector<std::string>{"D3:E3 C4 E4 C5:D5: colorScale num=0 num=1"});
  const auto staff = book.sheet("Staff");
  CHECK(xlsx_book::number(staff, "C3") == 2);
  CHECK(xlsx_book::number(staff, "E5") == 1);
  CHECK(heat(staff) == std::vector<std::string>{"D3:E3 C4 E4 C5:D5: colorScale num=0 num=1"});
}

TEST_CASE("reports libxlsxwriter's errors and leaves no temporary file") {
  const temp_env env;
  {
    std::ostringstream out;
    coding::write_matrix_xlsx(out, {}, two_quotes());
    CHECK(out.str().starts_with("PK"));
  }
  CHECK(env.files() == 0);
  // More sub-theme columns than a sheet has.
  coding::chart ch = tiny_chart("Roles");
  ch.columns.resize(16400, {"c", "C", ""});
  std::ostringstream out;
  try {
    coding::write_chart_xlsx(out, {ch}, {});
    FAIL_CHECK("no exception thrown");
  } catch (const coding::error& e) {
    const std::string what = e.what();
    CHECK(what.find("cannot write the XLSX workbook") != std::string::npos);
    CHECK(what.find("out of range") != std::string::npos);
    // Column 16385, one too many: its width is set before any cell is written.
    CHECK(what.find("sheet 'Roles', width of column 16385") != std::string::npos);
  }
  CHECK(env.files() == 0);
}

// ---- agreement and disagreements (render/agreement.cpp) ---------------------------------

namespace {

std::string agreement_workbook(const coding::agreement_result& r,
                               const coding::render_options& o = {}) {
  std::ostringstream out;
  coding::write(out, r, coding::format::xlsx, o);
  return out.str();
}

// A cell with nothing in it: neither text nor a number (a blank cell, or none).
bool empty_cell(const xlsx_book& book, const pugi::xml_document& ws, const std::string& ref) {
  return !book.text(ws, ref) && !xlsx_book::number(ws, ref);
}

}  // namespace

TEST_CASE("agreement workbook: a sheet of figures as numbers, whole text then coded text only") {
  coding::agreement_options ao;
  ao.codes = {"a.x", "b.z"};
  ao.bootstrap = 500;
  ao.seed = 7;
  const xlsx_book book(agreement_workbook(test::case1_agreement(), {"", ao}));
  CHECK(book.sheet_names() == std::vector<std::string>{"Agreement"});
  const auto ws = book.sheet("Agreement");
  CHECK(book.text(ws, "A1") ==
        "Agreement of A<b>, B&C on characters (each coded or not by each coder), by code (coded "
        "or not)");
  const std::vector<std::string> header = {"scope",
                                           "code",
                                           "label",
                                           "doc",
                                           "text",
                                           "units",
                                           "percent agreement",
                                           "Cohen's kappa",
                                           "Fleiss' kappa",
                                           "Brennan-Prediger kappa",
                                           "Krippendorff's alpha",
                                           "alpha 95% low",
                                           "alpha 95% high",
                                           "notes"};
  for (std::size_t c = 0; c < header.size(); ++c)
    CHECK(book.text(ws, std::string(1, static_cast<char>('A' + c)) + "2") == header[c]);
  CHECK(pane(ws) == ",2,A3,frozen");
  // Row 3: a.x over the whole text (tests/fixtures/agreement/WORKING.md, case 1).
  CHECK(book.text(ws, "A3") == "code");
  CHECK(book.text(ws, "B3") == "a.x");
  CHECK(book.text(ws, "C3") == "<script>alert(1)</script> & co");
  CHECK(book.text(ws, "E3") == "whole text");
  CHECK(xlsx_book::number(ws, "F3") == 20);
  CHECK(xlsx_book::number(ws, "G3") == doctest::Approx(0.5));
  CHECK(xlsx_book::number(ws, "H3") == doctest::Approx(0.0));
  CHECK(xlsx_book::number(ws, "I3") == doctest::Approx(0.0));
  CHECK(xlsx_book::number(ws, "J3") == doctest::Approx(0.0));
  CHECK(xlsx_book::number(ws, "K3") == doctest::Approx(0.025));
  CHECK(xlsx_book::number(ws, "L3") == doctest::Approx(-0.2));
  CHECK(xlsx_book::number(ws, "M3") == doctest::Approx(0.3));
  CHECK(empty_cell(book, ws, "N3"));
  // Row 4: b.z, nobody coded it: blank figures, the reasons in the notes.
  CHECK(xlsx_book::number(ws, "G4") == doctest::Approx(1.0));
  CHECK(empty_cell(book, ws, "H4"));
  CHECK(empty_cell(book, ws, "I4"));
  CHECK(xlsx_book::number(ws, "J4") == doctest::Approx(1.0));
  CHECK(empty_cell(book, ws, "K4"));
  CHECK(empty_cell(book, ws, "L4"));
  CHECK(book.text(ws, "N4") ==
        "Cohen's kappa: no variation: every unit has the same value; Fleiss' kappa: no "
        "variation: every unit has the same value; Krippendorff's alpha: no variation: every "
        "unit has the same value");
  // Row 5: document D; row 6: everything (a.x and b.z, 40 characters).
  CHECK(book.text(ws, "A5") == "doc");
  CHECK(book.text(ws, "D5") == "D");
  CHECK(book.text(ws, "A6") == "all");
  CHECK(book.text(ws, "C6") == "every code, every document");
  CHECK(xlsx_book::number(ws, "F6") == 40);
  CHECK(xlsx_book::number(ws, "G6") == doctest::Approx(0.75));
  CHECK(xlsx_book::number(ws, "H6") == doctest::Approx(1.0 / 3));
  CHECK(xlsx_book::number(ws, "J6") == doctest::Approx(0.5));
  CHECK(xlsx_book::number(ws, "K6") == doctest::Approx(0.341667).epsilon(1e-5));
  CHECK(book.style(ws, "F6").first);  // the pooled row is bold
  // Rows 7 to 10: the same over the coded text only.
  CHECK(book.text(ws, "B7") == "a.x");
  CHECK(book.text(ws, "E7") == "coded text only");
  CHECK(xlsx_book::number(ws, "F7") == 15);
  CHECK(xlsx_book::number(ws, "G7") == doctest::Approx(1.0 / 3));
  CHECK(xlsx_book::number(ws, "H7") == doctest::Approx(-0.5));
  CHECK(xlsx_book::number(ws, "J7") == doctest::Approx(-1.0 / 3));
  CHECK(xlsx_book::number(ws, "K7") == doctest::Approx(-0.45));
  CHECK(empty_cell(book, ws, "L7"));
  CHECK(xlsx_book::number(ws, "F8") == 0);
  CHECK(empty_cell(book, ws, "G8"));
  CHECK(book.text(ws, "N8")->starts_with("percent agreement: no unit was coded by two coders"));
  CHECK(book.text(ws, "A10") == "all");
  CHECK(xlsx_book::number(ws, "F10") == 15);
  // Below the table, after a blank row: the selection and how to read the figures.
  CHECK(empty_cell(book, ws, "A11"));
  CHECK(book.text(ws, "A12") == "Codes: a.x, b.z and the codes below them");
  CHECK(book.text(ws, "A13") == "Documents: all");
  CHECK(book.text(ws, "A14") == "Cases: all");
  CHECK(book.text(ws, "A15")->starts_with("whole text: every character"));
  CHECK(book.text(ws, "A16")->starts_with("coded text only: the characters"));
  CHECK(book.text(ws, "A18")->find("500 samples") != std::string::npos);
}

TEST_CASE("agreement workbook has no text column for units other than characters") {
  auto r = test::case1_agreement();
  r.unit = coding::agreement_unit::turn;
  const xlsx_book book(agreement_workbook(r));
  const auto ws = book.sheet("Agreement");
  CHECK(book.text(ws, "D2") == "doc");
  CHECK(book.text(ws, "E2") == "units");
  CHECK(book.text(ws, "M2") == "notes");
  CHECK(empty_cell(book, ws, "N2"));
  CHECK(xlsx_book::number(ws, "E3") == 20);
  CHECK(book.text(ws, "A6") == "all");
  CHECK(empty_cell(book, ws, "A7"));  // no coded-text-only rows
}

TEST_CASE("disagreements workbook: a row per passage, a column per coder, numbers as numbers") {
  const auto list = test::case2_disagreements();
  std::ostringstream out;
  coding::write(out, list, coding::format::xlsx);
  const xlsx_book book(out.str());
  CHECK(book.sheet_names() == std::vector<std::string>{"Disagreements"});
  const auto ws = book.sheet("Disagreements");
  const std::vector<std::string> header = {"document", "start", "end", "reference",
                                           "code",     "A<b>",  "B&C", "text"};
  for (std::size_t c = 0; c < header.size(); ++c)
    CHECK(book.text(ws, std::string(1, static_cast<char>('A' + c)) + "1") == header[c]);
  CHECK(book.text(ws, "A2") == "D");
  CHECK(xlsx_book::number(ws, "B2") == 10);
  CHECK(xlsx_book::number(ws, "C2") == 12);
  CHECK(book.text(ws, "D2") == "D l.1");
  CHECK(book.text(ws, "E2") == "a.x");
  CHECK(empty_cell(book, ws, "F2"));
  CHECK(book.text(ws, "G2") == "a.x");
  CHECK(book.text(ws, "H2") == "<script>x</script> & y");
  CHECK(xlsx_book::number(ws, "B3") == 28);
  CHECK(book.text(ws, "F3") == "a.x");
  CHECK(empty_cell(book, ws, "G3"));
  CHECK(book.text(ws, "H3") == "two\nlines");
  CHECK(pane(ws) == ",1,A2,frozen");
  CHECK(std::string(ws.child("worksheet").child("autoFilter").attribute("ref").value()) == "A1:H3");
}
