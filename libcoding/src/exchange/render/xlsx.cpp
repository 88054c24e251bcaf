// XLSX outputs of matrices, charts and co-occurrence tables, written with libxlsxwriter.
// The installed libxlsxwriter (1.1.4) can only write to a named file, so the workbook goes
// to a temporary file that is then streamed into the caller's std::ostream and removed.

#include <fmt/format.h>
#include <unicode/unistr.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "coding/error.hpp"
#include "coding/render.hpp"
#include "coding/text.hpp"
#include "numbers.hpp"
#include "utf8.hpp"

namespace coding {
namespace {

// Excel's limits: characters in a cell (UTF-16 units) and in a sheet name.
constexpr std::size_t kMaxCellUnits = 32767;
constexpr std::size_t kMaxSheetUnits = 31;

constexpr lxw_color_t kHeaderFill = 0xE7E6E6;
constexpr lxw_color_t kGroupFill = 0xDDEBF7;
constexpr lxw_color_t kDiagonalFill = 0xEDEDED;
constexpr lxw_color_t kHeatLow = 0xFFFFFF;
// The blue of the HTML outputs, light enough for black text.
constexpr lxw_color_t kHeatHigh = 0x6FA8DC;

constexpr std::string_view kQuotesSheet = "Quotes";

[[noreturn]] void fail(lxw_error e, std::string_view what) {
  throw error(fmt::format("cannot write the XLSX workbook: {} ({})", lxw_strerror(e), what));
}

void check(lxw_error e, std::string_view what) {
  if (e != LXW_NO_ERROR) fail(e, what);
}

std::size_t utf16_units(UChar32 c) {
  return c > 0xFFFF ? 2 : 1;
}

// `text` as a cell can hold it: invalid UTF-8 replaced by U+FFFD and, beyond Excel's
// 32767 characters, cut with "…" (libxlsxwriter refuses longer strings).
std::string cell_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t units = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    UChar32 c = detail::next_code_point(text, i);
    if (c < 0) c = 0xFFFD;
    if (units + utf16_units(c) > kMaxCellUnits - 1) {
      out += "…";
      return out;
    }
    units += utf16_units(c);
    if (c == 0xFFFD && text.substr(start, i - start) != "\xEF\xBF\xBD")
      detail::append_utf8(out, 0xFFFD);
    else
      out.append(text.substr(start, i - start));
  }
  return out;
}

std::string fold_case(const std::string& s) {
  std::string out;
  icu::UnicodeString::fromUTF8(s).foldCase().toUTF8String(out);
  return out;
}

// Sheet names as Excel accepts them: without []:*?/\ and control characters (each becomes
// a space, runs of spaces one), no apostrophe at either end, at most 31 characters, and
// unique regardless of case ("Name (2)", "Name (3)", ...).
class sheet_namer {
 public:
  sheet_namer() { reserve("History"); }  // Excel keeps "History" for itself

  void reserve(const std::string& name) { used_.insert(fold_case(name)); }

  std::string name(std::string_view wanted) {
    std::string clean;
    bool space = false;
    for (std::size_t i = 0; i < wanted.size();) {
      const std::size_t start = i;
      const UChar32 c = detail::next_code_point(wanted, i);
      if (c < 0x21 || c == 0x7F ||
          std::u32string_view(U"[]:*?/\\").find(static_cast<char32_t>(c)) !=
              std::u32string_view::npos) {
        space = !clean.empty();
        continue;
      }
      if (space) clean += ' ';
      space = false;
      clean.append(wanted.substr(start, i - start));
    }
    while (!clean.empty() && clean.front() == '\'') clean.erase(0, 1);
    if (clean.empty()) clean = "Sheet";
    for (std::size_t k = 1;; ++k) {
      const std::string suffix = k == 1 ? "" : fmt::format(" ({})", k);
      std::string candidate = cut(clean, kMaxSheetUnits - suffix.size()) + suffix;
      const auto key = fold_case(candidate);
      if (!used_.contains(key)) {
        used_.insert(key);
        return candidate;
      }
    }
  }

 private:
  // At most `limit` UTF-16 units, whole code points, no space or apostrophe at the end.
  static std::string cut(const std::string& s, std::size_t limit) {
    std::size_t units = 0;
    std::size_t end = 0;
    for (std::size_t i = 0; i < s.size();) {
      const UChar32 c = detail::next_code_point(s, i);
      if (units + utf16_units(c) > limit) break;
      units += utf16_units(c);
      end = i;
    }
    std::string out = s.substr(0, end);
    while (!out.empty() && (out.back() == ' ' || out.back() == '\'')) out.pop_back();
    return out.empty() ? std::string("Sheet") : out;
  }

  std::set<std::string> used_;
};

lxw_row_t row_index(std::size_t r) {
  return static_cast<lxw_row_t>(std::min<std::size_t>(r, LXW_ROW_MAX));
}
lxw_col_t col_index(std::size_t c) {
  return static_cast<lxw_col_t>(std::min<std::size_t>(c, LXW_COL_MAX));
}

// A temporary file for libxlsxwriter to write into, removed with the object.
class temp_file {
 public:
  temp_file() {
    dir_ = std::filesystem::temp_directory_path().string();
    std::string pattern = (std::filesystem::path(dir_) / "qcode-xlsx-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
      throw std::system_error(errno, std::generic_category(),
                              fmt::format("cannot create a temporary file in '{}'", dir_));
    ::close(fd);
    path_ = pattern;
  }
  ~temp_file() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::string path_;
};

// The workbook and the cell formats every output uses. A workbook not finished is freed
// without being written; the temporary file goes in every case.
class workbook {
 public:
  workbook() {
    lxw_workbook_options options{};
    tmpdir_ = file_.dir();
    options.tmpdir = tmpdir_.data();
    // Rows go to a temporary file as they are written and strings are stored in their
    // cells, so a Quotes sheet of 200,000 rows is not held in memory (sheet::finish writes
    // each sheet's rows in order, as this mode needs).
    options.constant_memory = LXW_TRUE;
    wb_ = workbook_new_opt(file_.path().c_str(), &options);
    if (wb_ == nullptr)
      throw error("cannot write the XLSX workbook: libxlsxwriter could not create it");
    title = add(false, [](lxw_format* f) {
      format_set_bold(f);
      format_set_font_size(f, 13);
    });
    header = add(true, [](lxw_format* f) {
      format_set_bold(f);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      format_set_bg_color(f, kHeaderFill);
      format_set_bottom(f, LXW_BORDER_THIN);
    });
    header_number = add(true, [](lxw_format* f) {
      format_set_bold(f);
      format_set_align(f, LXW_ALIGN_CENTER);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      format_set_bg_color(f, kHeaderFill);
      format_set_bottom(f, LXW_BORDER_THIN);
    });
    text = add(true, [](lxw_format* f) { format_set_align(f, LXW_ALIGN_VERTICAL_TOP); });
    count = number_format("0", false, false);
    percent = number_format("0.0%", false, false);
    strong_count = number_format("0", true, false);
    strong_percent = number_format("0.0%", true, false);
    total_count = number_format("0", true, true);
    total_percent = number_format("0.0%", true, true);
    total_text = add(true, [](lxw_format* f) {
      format_set_bold(f);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      format_set_top(f, LXW_BORDER_THIN);
    });
    // Not wrapped: the label runs on over the filled empty cells of its row.
    group = add(false, [](lxw_format* f) {
      format_set_bold(f);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      format_set_bg_color(f, kGroupFill);
    });
    group_wrapped = add(true, [](lxw_format* f) {
      format_set_bold(f);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      format_set_bg_color(f, kGroupFill);
    });
    diagonal = add(false, [](lxw_format* f) {
      format_set_italic(f);
      format_set_num_format(f, "0");
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      format_set_bg_color(f, kDiagonalFill);
    });
  }
  ~workbook() {
    if (wb_ != nullptr) lxw_workbook_free(wb_);
  }
  workbook(const workbook&) = delete;
  workbook& operator=(const workbook&) = delete;

  // A sheet named after `wanted`, made valid and unique.
  using added = std::pair<lxw_worksheet*, std::string>;  // a sheet and its name
  added add_sheet(std::string_view wanted) { return add_named(names_.name(wanted)); }

  // Keeps the Quotes sheet's name free for the sheet added last.
  void reserve_quotes() { names_.reserve(std::string(kQuotesSheet)); }
  added add_quotes_sheet() { return add_named(std::string(kQuotesSheet)); }

  // Wrapped text indented by `level` steps.
  lxw_format* indented(int level) {
    if (level <= 0) return text;
    auto& f = indents_[level];
    if (f == nullptr)
      f = add(true, [&](lxw_format* x) {
        format_set_align(x, LXW_ALIGN_VERTICAL_TOP);
        format_set_indent(x, static_cast<uint8_t>(std::min(level, 15)));
      });
    return f;
  }

  bool wraps(lxw_format* f) const { return wrapping_.contains(f); }

  // Writes the workbook and streams it into `out`.
  void finish(std::ostream& out) {
    lxw_workbook* wb = wb_;
    wb_ = nullptr;  // workbook_close frees it, whatever happens
    check(workbook_close(wb), "saving");
    std::ifstream in(file_.path(), std::ios::binary);
    if (!in) throw error(fmt::format("cannot read the XLSX workbook back from '{}'", file_.path()));
    out << in.rdbuf();
    if (!out) throw error("cannot write the XLSX workbook to the output");
  }

  lxw_format* title = nullptr;
  lxw_format* header = nullptr;
  lxw_format* header_number = nullptr;
  lxw_format* text = nullptr;
  lxw_format* count = nullptr;
  lxw_format* percent = nullptr;
  lxw_format* strong_count = nullptr;  // the Total column
  lxw_format* strong_percent = nullptr;
  lxw_format* total_count = nullptr;  // the Total row
  lxw_format* total_percent = nullptr;
  lxw_format* total_text = nullptr;
  lxw_format* group = nullptr;
  lxw_format* group_wrapped = nullptr;
  lxw_format* diagonal = nullptr;

 private:
  template <class F>
  lxw_format* add(bool wrap, F set) {
    lxw_format* f = workbook_add_format(wb_);
    if (f == nullptr) fail(LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a cell format");
    set(f);
    if (wrap) {
      format_set_text_wrap(f);
      wrapping_.insert(f);
    }
    return f;
  }

  lxw_format* number_format(const char* code, bool bold, bool rule) {
    return add(false, [&](lxw_format* f) {
      format_set_num_format(f, code);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      if (bold) format_set_bold(f);
      if (rule) format_set_top(f, LXW_BORDER_THIN);
    });
  }

  added add_named(const std::string& name) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    if (ws == nullptr)
      throw error(fmt::format("cannot write the XLSX workbook: cannot add the sheet '{}'", name));
    return {ws, name};
  }

  temp_file file_;
  std::string tmpdir_;
  lxw_workbook* wb_ = nullptr;
  sheet_namer names_;
  std::map<int, lxw_format*> indents_;
  std::set<lxw_format*> wrapping_;
};

std::string cell_name(std::size_t r, std::size_t c) {
  char name[LXW_MAX_CELL_NAME_LENGTH];
  lxw_rowcol_to_cell(name, row_index(r), col_index(c));
  return name;
}

// Cell writing with libxlsxwriter's errors turned into exceptions (the message naming the
// cell is built only on an error: sheets can be large). Cells are kept until finish(),
// which writes them row by row (the workbook's constant-memory mode needs rows in order)
// after setting each row's height: wrapped text's lines are estimated from the column
// widths known by then, since spreadsheets do not all fit rows on opening.
class sheet {
 public:
  sheet(const workbook& book, workbook::added ws)
      : book_(book), ws_(ws.first), name_(std::move(ws.second)) {}

  // Writes `s`; returns its width in columns (its widest line).
  std::size_t string(std::size_t r, std::size_t c, std::string_view s, lxw_format* f) {
    const auto value = cell_text(s);
    if (value.empty()) {
      blank(r, c, f);
      return 0;
    }
    std::vector<std::size_t> lines;
    std::string_view rest = value;
    while (true) {
      const auto nl = rest.find('\n');
      lines.push_back(display_width(rest.substr(0, nl)));
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
    const auto widest = *std::max_element(lines.begin(), lines.end());
    if (book_.wraps(f) && (lines.size() > 1 || widest > 8))
      wrapped_.push_back({r, c, std::move(lines)});
    cells_.push_back({r, c, kind::text, value, 0, f});
    return widest;
  }
  void number(std::size_t r, std::size_t c, double v, lxw_format* f) {
    cells_.push_back({r, c, kind::number, {}, v, f});
  }
  void blank(std::size_t r, std::size_t c, lxw_format* f) {
    if (f == nullptr) return;
    cells_.push_back({r, c, kind::blank, {}, 0, f});
  }
  // Sets a column's width from its widest content, between `low` and `high` characters.
  void width(std::size_t c, std::size_t widest, std::size_t low, std::size_t high) {
    const auto w = static_cast<double>(std::clamp(widest + 2, low, high));
    check(worksheet_set_column(ws_, col_index(c), col_index(c), w, nullptr),
          at(fmt::format("width of column {}", c + 1)));
    if (widths_.size() <= c) widths_.resize(c + 1, kDefaultWidth);
    widths_[c] = w;
  }
  void freeze(std::size_t r, std::size_t c) {
    worksheet_freeze_panes(ws_, row_index(r), col_index(c));
  }
  void autofilter(std::size_t r1, std::size_t c1, std::size_t r2, std::size_t c2) {
    check(worksheet_autofilter(ws_, row_index(r1), col_index(c1), row_index(r2), col_index(c2)),
          at("autofilter"));
  }
  // A white-to-blue colour scale over the range: from 0 to `high`, or to the range's
  // largest value when `high` is not given; `ranges` ("C3:D3 F3") instead of the range.
  void heat(std::size_t r1, std::size_t c1, std::size_t r2, std::size_t c2,
            std::optional<double> high, const std::string& ranges = "") {
    lxw_conditional_format cf{};
    cf.type = LXW_CONDITIONAL_2_COLOR_SCALE;
    cf.min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
    cf.min_value = 0;
    cf.min_color = kHeatLow;
    if (high) {
      cf.max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
      cf.max_value = *high;
    } else {
      cf.max_rule_type = LXW_CONDITIONAL_RULE_TYPE_MAXIMUM;
    }
    cf.max_color = kHeatHigh;
    std::string multi = ranges;
    if (!multi.empty()) cf.multi_range = multi.data();
    check(worksheet_conditional_format_range(ws_, row_index(r1), col_index(c1), row_index(r2),
                                             col_index(c2), &cf),
          at("heat colours"));
  }
  // Row heights for wrapped text, then printing: landscape, as wide as a page, the rows
  // up to `header` repeated on every page.
  void finish(std::size_t header) {
    std::map<std::size_t, std::size_t> lines;  // by row
    for (const auto& w : wrapped_) {
      const double usable =
          std::max(1.0, (w.col < widths_.size() ? widths_[w.col] : kDefaultWidth) - 2);
      std::size_t n = 0;
      for (const auto l : w.lines)
        n += std::max<std::size_t>(
            1, static_cast<std::size_t>(std::ceil(static_cast<double>(l) / usable)));
      auto& most = lines[w.row];
      most = std::max(most, n);
    }
    std::stable_sort(cells_.begin(), cells_.end(), [](const pending& a, const pending& b) {
      return a.row != b.row ? a.row < b.row : a.col < b.col;
    });
    auto height = lines.begin();
    for (const auto& x : cells_) {
      for (; height != lines.end() && height->first <= x.row; ++height)
        if (height->second > 1)
          check(worksheet_set_row(
                    ws_, row_index(height->first),
                    std::min(kMaxRowHeight, kLineHeight * static_cast<double>(height->second)),
                    nullptr),
                at(fmt::format("height of row {}", height->first + 1)));
      const auto r = row_index(x.row);
      const auto c = col_index(x.col);
      lxw_error e = LXW_NO_ERROR;
      switch (x.what) {
        case kind::text:
          e = worksheet_write_string(ws_, r, c, x.text.c_str(), x.format);
          break;
        case kind::number:
          e = worksheet_write_number(ws_, r, c, x.number, x.format);
          break;
        case kind::blank:
          e = worksheet_write_blank(ws_, r, c, x.format);
          break;
      }
      if (e != LXW_NO_ERROR) fail(e, cell(x.row, x.col));
    }
    cells_.clear();
    worksheet_set_landscape(ws_);
    worksheet_fit_to_pages(ws_, 1, 0);
    check(worksheet_repeat_rows(ws_, 0, row_index(header)), at("print titles"));
  }

 private:
  static constexpr double kDefaultWidth = 8.43;
  static constexpr double kLineHeight = 15;  // points, a line of Calibri 11
  static constexpr double kMaxRowHeight = 409;

  enum class kind { text, number, blank };
  struct pending {
    std::size_t row = 0;
    std::size_t col = 0;
    kind what = kind::text;
    std::string text;
    double number = 0;
    lxw_format* format = nullptr;
  };

  struct wrapped_text {
    std::size_t row = 0;
    std::size_t col = 0;
    std::vector<std::size_t> lines;  // the width of each line
  };

  std::string cell(std::size_t r, std::size_t c) const { return at("cell " + cell_name(r, c)); }
  std::string at(std::string_view what) const { return fmt::format("sheet '{}', {}", name_, what); }

  const workbook& book_;
  lxw_worksheet* ws_;
  std::string name_;
  std::vector<double> widths_;
  std::vector<wrapped_text> wrapped_;
  std::vector<pending> cells_;
};

// The Quotes sheet: one quote per row, a frozen header and an autofilter.
void write_quotes(workbook& book, const std::vector<quote>& quotes) {
  sheet ws(book, book.add_quotes_sheet());
  std::set<std::string> names;
  for (const auto& q : quotes)
    for (const auto& [k, v] : q.attributes) names.insert(k);
  // An attribute "group" holding the group of every quote would only repeat that column.
  if (names.contains("group") && std::all_of(quotes.begin(), quotes.end(), [](const quote& q) {
        const auto it = q.attributes.find("group");
        return it == q.attributes.end() || it->second == q.group;
      }))
    names.erase("group");
  const std::vector<std::string> attrs(names.begin(), names.end());

  std::vector<std::string> header = {"document", "case", "group"};
  header.insert(header.end(), attrs.begin(), attrs.end());
  for (const char* h : {"code path", "coder", "location", "text"}) header.emplace_back(h);
  std::vector<std::size_t> widest(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c)
    widest[c] = ws.string(0, c, header[c], book.header) + 2;  // room for the filter button
  for (std::size_t i = 0; i < quotes.size(); ++i) {
    const auto& q = quotes[i];
    std::vector<std::string_view> fields = {q.doc, q.case_id, q.group};
    for (const auto& a : attrs) {
      const auto it = q.attributes.find(a);
      fields.push_back(it == q.attributes.end() ? std::string_view()
                                                : std::string_view(it->second));
    }
    for (const std::string_view f : {std::string_view(q.code_path), std::string_view(q.coder),
                                     std::string_view(q.reference), std::string_view(q.text)})
      fields.push_back(f);
    for (std::size_t c = 0; c < fields.size(); ++c)
      widest[c] = std::max(widest[c], ws.string(i + 1, c, fields[c], book.text));
  }
  const std::size_t last = header.size() - 1;
  for (std::size_t c = 0; c < last; ++c) ws.width(c, widest[c], 8, c == last - 3 ? 50 : 30);
  ws.width(last, widest[last], 20, 90);
  ws.freeze(1, 0);
  ws.autofilter(0, 0, quotes.size(), last);
  ws.finish(0);
}

// The shallowest depth of the rows, from which labels are indented.
int top_depth(const std::vector<matrix_row>& rows) {
  int top = rows.empty() ? 0 : rows.front().depth;
  for (const auto& r : rows) top = std::min(top, r.depth);
  return top;
}

void write_matrix_sheet(workbook& book, const matrix& m, bool active) {
  auto added = book.add_sheet(to_string(m.what));
  // The first sheet is active unless another is asked for; activating it anyway would
  // change nothing a spreadsheet shows, but would change the bytes of the file.
  if (active) worksheet_activate(added.first);
  sheet ws(book, std::move(added));
  const bool percent = m.what == measure::coverage;
  const auto value = [&](double v) { return percent ? v / 100.0 : v; };
  const auto cell = [&](const std::vector<double>& cells, std::size_t c) {
    return value(c < cells.size() ? cells[c] : 0.0);
  };
  const std::size_t first = 2;  // data columns start after code and label
  const std::size_t total_col = first + m.columns.size();

  ws.string(0, 0, detail::matrix_heading(m), book.title);
  std::vector<std::size_t> widest(total_col + 1, 0);
  widest[0] = ws.string(1, 0, "code", book.header);
  widest[1] = ws.string(1, 1, m.level == matrix_level::theme ? "theme" : "label", book.header);
  for (std::size_t c = 0; c <= m.columns.size(); ++c) {
    const auto h = c < m.columns.size()
                       ? fmt::format("{} (n={})", m.columns[c].label, m.columns[c].n)
                       : fmt::format("Total (n={})", m.n);
    widest[first + c] = ws.string(1, first + c, h, book.header_number);
  }

  const int top = top_depth(m.rows);
  std::size_t r = first;
  for (const auto& row : m.rows) {
    const auto indent = static_cast<std::size_t>(row.depth - top);
    widest[0] = std::max(widest[0], ws.string(r, 0, row.code, book.text));
    widest[1] = std::max(widest[1],
                         ws.string(r, 1, row.label, book.indented(row.depth - top)) + 2 * indent);
    for (std::size_t c = 0; c < m.columns.size(); ++c)
      ws.number(r, first + c, cell(row.cells, c), percent ? book.percent : book.count);
    ws.number(r, total_col, value(row.total), percent ? book.strong_percent : book.strong_count);
    ++r;
  }
  ws.blank(r, 0, book.total_text);
  ws.string(r, 1, "Total", book.total_text);
  for (std::size_t c = 0; c < m.columns.size(); ++c)
    ws.number(r, first + c, cell(m.total.cells, c),
              percent ? book.total_percent : book.total_count);
  ws.number(r, total_col, value(m.total.total), percent ? book.total_percent : book.total_count);

  if (!m.rows.empty() && !m.columns.empty()) {
    const std::size_t last_row = first + m.rows.size() - 1;
    if (m.what == measure::cases) {
      // Each column from none to all of its n cases, so that groups of different sizes compare.
      for (std::size_t c = 0; c < m.columns.size(); ++c)
        ws.heat(first, first + c, last_row, first + c,
                static_cast<double>(std::max<std::size_t>(m.columns[c].n, 1)));
    } else {
      ws.heat(first, first, last_row, total_col - 1, std::nullopt);
    }
  }

  ws.width(0, widest[0], 6, 24);
  ws.width(1, widest[1], 12, 50);
  for (std::size_t c = first; c <= total_col; ++c) ws.width(c, widest[c], 9, 18);
  ws.freeze(2, 2);
  ws.finish(1);
}

// One entry of a chart cell: the summary, a blank line, the references and the quotes.
std::string entry_text(const chart_entry& e, bool with_case) {
  std::string out = with_case ? e.case_id + ": " : std::string();
  if (!e.summary.empty()) out += (e.draft ? "[draft] " : "") + e.summary;
  if (!e.passages.empty()) {
    if (!e.summary.empty()) out += "\n\n";
    for (std::size_t i = 0; i < e.passages.size(); ++i)
      out += (i == 0 ? "" : "; ") + e.passages[i].reference;
    for (const auto& p : e.passages)
      if (!p.quote.empty()) out += fmt::format("\n“{}” ({})", p.quote, p.reference);
  }
  return out;
}

std::string cell_of(const chart_cell& cell, bool group_rows) {
  std::string out;
  for (const auto& e : cell.entries) {
    if (!out.empty()) out += "\n\n";
    out += entry_text(e, group_rows);
  }
  return out;
}

void write_chart_sheet(workbook& book, const chart& ch) {
  sheet ws(book, book.add_sheet(ch.theme_label.empty() ? ch.theme : ch.theme_label));
  const std::size_t first = 1 + ch.attributes.size();  // the sub-theme columns
  const std::size_t width = first + ch.columns.size();

  ws.string(0, 0,
            (ch.theme_label.empty() || ch.theme_label == ch.theme
                 ? ch.theme
                 : fmt::format("{} ({})", ch.theme_label, ch.theme)) +
                (ch.coders.size() > 1 ? " - " + detail::chart_pooled_note(ch.coders) : ""),
            book.title);
  std::vector<std::size_t> widest(width, 0);
  widest[0] = ws.string(1, 0, ch.group_rows ? "group" : "case", book.header);
  for (std::size_t a = 0; a < ch.attributes.size(); ++a)
    widest[1 + a] = ws.string(1, 1 + a, ch.attributes[a], book.header);
  for (std::size_t c = 0; c < ch.columns.size(); ++c)
    widest[first + c] = ws.string(1, first + c, ch.columns[c].label, book.header);

  std::size_t r = 2;
  for (const auto& g : ch.groups) {
    const auto label = fmt::format("{} (n={})", g.label, g.n);
    if (!ch.group_rows) {
      ws.string(r, 0, label, book.group);
      for (std::size_t c = 1; c < width; ++c) ws.blank(r, c, book.group);
      ++r;
    }
    for (const auto& row : g.rows) {
      const auto name = ch.group_rows ? label
                        : row.label.empty() || row.label == row.id
                            ? row.id
                            : fmt::format("{} ({})", row.id, row.label);
      widest[0] = std::max(widest[0],
                           ws.string(r, 0, name, ch.group_rows ? book.group_wrapped : book.text));
      for (std::size_t a = 0; a < ch.attributes.size(); ++a) {
        const std::string_view v =
            a < row.attributes.size() ? std::string_view(row.attributes[a]) : std::string_view();
        widest[1 + a] = std::max(widest[1 + a], ws.string(r, 1 + a, v, book.text));
      }
      for (std::size_t c = 0; c < ch.columns.size(); ++c) {
        const auto text =
            c < row.cells.size() ? cell_of(row.cells[c], ch.group_rows) : std::string();
        widest[first + c] = std::max(widest[first + c], ws.string(r, first + c, text, book.text));
      }
      ++r;
    }
  }

  ws.width(0, widest[0], 8, 30);
  for (std::size_t a = 0; a < ch.attributes.size(); ++a) ws.width(1 + a, widest[1 + a], 8, 20);
  for (std::size_t c = first; c < width; ++c) ws.width(c, widest[c], 16, 60);
  ws.freeze(2, first);
  ws.finish(1);
}

// `high`: the largest count off the diagonal in any table, so that tables compare.
void write_cooccurrence_sheet(workbook& book, const cooccurrence& co, const cooccur_table& t,
                              double high) {
  const auto& name = t.label.empty() ? (t.id.empty() ? std::string("All cases") : t.id) : t.label;
  sheet ws(book, book.add_sheet(name));
  const std::size_t first = 2;
  const std::size_t n = co.codes.size();
  ws.string(0, 0, fmt::format("Passages where two codes apply: {} (n={})", name, t.n), book.title);
  std::vector<std::size_t> widest(first + n, 0);
  widest[0] = ws.string(1, 0, "code", book.header);
  widest[1] = ws.string(1, 1, co.level == matrix_level::theme ? "theme" : "label", book.header);
  for (std::size_t j = 0; j < n; ++j)  // long labels wrap in the header: a count needs little room
    widest[first + j] =
        std::min<std::size_t>(ws.string(1, first + j, co.codes[j].label, book.header_number), 14);
  const int top = top_depth(co.codes);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& code = co.codes[i];
    const auto indent = static_cast<std::size_t>(code.depth - top);
    widest[0] = std::max(widest[0], ws.string(first + i, 0, code.code, book.text));
    widest[1] =
        std::max(widest[1],
                 ws.string(first + i, 1, code.label, book.indented(code.depth - top)) + 2 * indent);
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t v = i < t.counts.size() && j < t.counts[i].size() ? t.counts[i][j] : 0;
      ws.number(first + i, first + j, static_cast<double>(v), i == j ? book.diagonal : book.count);
    }
  }
  if (n > 1) {
    // Heat over the pairs only: the diagonal (passages of one code) would swamp them.
    std::string ranges;
    const auto add = [&](std::size_t row, std::size_t c1, std::size_t c2) {
      if (!ranges.empty()) ranges += ' ';
      ranges += c1 == c2 ? cell_name(row, c1) : cell_name(row, c1) + ":" + cell_name(row, c2);
    };
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) add(first + i, first, first + i - 1);
      if (i + 1 < n) add(first + i, first + i + 1, first + n - 1);
    }
    ws.heat(first, first, first + n - 1, first + n - 1, high, ranges);
  }
  ws.width(0, widest[0], 6, 24);
  ws.width(1, widest[1], 12, 50);
  for (std::size_t j = 0; j < n; ++j) ws.width(first + j, widest[first + j], 8, 16);
  ws.freeze(2, 2);
  ws.finish(1);
}

}  // namespace

void write_matrix_xlsx(std::ostream& out, const std::vector<matrix>& measures,
                       const std::vector<quote>& quotes, std::size_t active) {
  workbook book;
  book.reserve_quotes();
  for (std::size_t i = 0; i < measures.size(); ++i)
    write_matrix_sheet(book, measures[i], i == active && i != 0);
  write_quotes(book, quotes);
  book.finish(out);
}

void write_chart_xlsx(std::ostream& out, const std::vector<chart>& charts,
                      const std::vector<quote>& quotes) {
  workbook book;
  book.reserve_quotes();
  for (const auto& ch : charts) write_chart_sheet(book, ch);
  write_quotes(book, quotes);
  book.finish(out);
}

void write_cooccurrence_xlsx(std::ostream& out, const cooccurrence& c,
                             const std::vector<quote>& quotes) {
  workbook book;
  book.reserve_quotes();
  std::size_t high = 1;
  for (const auto& t : c.tables)
    for (std::size_t i = 0; i < t.counts.size(); ++i)
      for (std::size_t j = 0; j < t.counts[i].size(); ++j)
        if (i != j) high = std::max(high, t.counts[i][j]);
  for (const auto& t : c.tables) write_cooccurrence_sheet(book, c, t, static_cast<double>(high));
  write_quotes(book, quotes);
  book.finish(out);
}

}  // namespace coding
