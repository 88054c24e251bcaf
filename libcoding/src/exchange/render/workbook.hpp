#pragma once
// The XLSX workbook and sheet helpers every workbook output uses (xlsx.cpp, agreement.cpp),
// private to the library: libxlsxwriter's errors as exceptions, cell text within Excel's
// limits, valid unique sheet names, the shared cell formats, and sheets whose rows are
// written in order with heights fitted to wrapped text.
// The installed libxlsxwriter (1.1.4) can only write to a named file, so the workbook goes
// to a temporary file that is then streamed into the caller's std::ostream and removed.

#include <fmt/format.h>
#include <unicode/unistr.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "coding/error.hpp"
#include "coding/text.hpp"
#include "utf8.hpp"

namespace coding::detail {

// Excel's limits: characters in a cell (UTF-16 units) and in a sheet name.
inline constexpr std::size_t kMaxCellUnits = 32767;
inline constexpr std::size_t kMaxSheetUnits = 31;

inline constexpr lxw_color_t kHeaderFill = 0xE7E6E6;
inline constexpr lxw_color_t kGroupFill = 0xDDEBF7;
inline constexpr lxw_color_t kDiagonalFill = 0xEDEDED;
inline constexpr lxw_color_t kHeatLow = 0xFFFFFF;
// The blue of the HTML outputs, light enough for black text.
inline constexpr lxw_color_t kHeatHigh = 0x6FA8DC;

inline constexpr std::string_view kQuotesSheet = "Quotes";

[[noreturn]] inline void fail(lxw_error e, std::string_view what) {
  throw error(fmt::format("cannot write the XLSX workbook: {} ({})", lxw_strerror(e), what));
}

inline void check(lxw_error e, std::string_view what) {
  if (e != LXW_NO_ERROR) fail(e, what);
}

inline std::size_t utf16_units(UChar32 c) {
  return c > 0xFFFF ? 2 : 1;
}

// `text` as a cell can hold it: invalid UTF-8 replaced by U+FFFD and, beyond Excel's
// 32767 characters, cut with "…" (libxlsxwriter refuses longer strings).
inline std::string cell_text(std::string_view text) {
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

inline std::string fold_case(const std::string& s) {
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

inline lxw_row_t row_index(std::size_t r) {
  return static_cast<lxw_row_t>(std::min<std::size_t>(r, LXW_ROW_MAX));
}
inline lxw_col_t col_index(std::size_t c) {
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
    figure = number_format("0.000", false, false);
    total_figure = number_format("0.000", true, true);
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
  lxw_format* figure = nullptr;  // a statistic to three decimals (agreement)
  lxw_format* total_figure = nullptr;
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

inline std::string cell_name(std::size_t r, std::size_t c) {
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

}  // namespace coding::detail
