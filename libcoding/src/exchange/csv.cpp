#include "csv.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "coding/error.hpp"

namespace coding::detail {

std::vector<csv_record> parse_csv(std::string_view text, std::string_view file) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<csv_record> records;
  std::size_t i = 0;
  std::size_t line = 1;
  const std::size_t n = text.size();
  auto column_of = [&](std::size_t pos) {
    const auto lf = text.rfind('\n', pos == 0 ? 0 : pos - 1);
    return pos - (lf == std::string_view::npos || pos == 0 ? 0 : lf + 1) + 1;
  };
  while (i < n) {
    csv_record record;
    record.line = line;
    // Blank line: skip.
    if (text[i] == '\n' || (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')) {
      i += text[i] == '\r' ? 2 : 1;
      ++line;
      continue;
    }
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      if (i < n && text[i] == '"') {
        const std::size_t open = i;
        const std::size_t open_line = line;
        ++i;
        for (;;) {
          if (i >= n)
            throw parse_error(location{std::string(file), open_line, column_of(open)},
                              "quoted field is never closed; add the closing '\"'");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') {
            ++i;
            continue;
          }
          field += text[i++];
        }
        if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
          throw parse_error(location{std::string(file), line, column_of(i)},
                            "unexpected text after a closing quote; double a quote inside a "
                            "quoted field (\"\")");
      } else {
        while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          if (text[i] == '"')
            throw parse_error(location{std::string(file), line, column_of(i)},
                              "stray quote in an unquoted field; quote the whole field and "
                              "double the quote (\"\")");
          field += text[i++];
        }
      }
      record.fields.push_back(std::move(field));
      if (i >= n) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        i += (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
        ++line;
        end_of_record = true;
      }
    }
    records.push_back(std::move(record));
  }
  return records;
}

std::vector<int> map_columns(const csv_record& header, std::string_view file,
                             const std::vector<std::string>& required,
                             const std::vector<std::string>& optional) {
  std::vector<std::string> known = required;
  known.insert(known.end(), optional.begin(), optional.end());
  std::vector<int> at(known.size(), -1);
  for (std::size_t c = 0; c < header.fields.size(); ++c) {
    const auto& name = header.fields[c];
    const auto it = std::find(known.begin(), known.end(), name);
    location where{std::string(file), header.line, c + 1};
    if (it == known.end())
      throw parse_error(where, unknown_message("column", name, "", known) +
                                   fmt::format(" (expected columns: {})", fmt::join(known, ", ")));
    auto& slot = at[static_cast<std::size_t>(it - known.begin())];
    if (slot >= 0) throw parse_error(where, fmt::format("column '{}' appears twice", name));
    slot = static_cast<int>(c);
  }
  for (std::size_t k = 0; k < required.size(); ++k)
    if (at[k] < 0)
      throw parse_error(location{std::string(file), header.line, 0},
                        fmt::format("missing column '{}' in the header (required: {})", required[k],
                                    fmt::join(required, ", ")));
  return at;
}

}  // namespace coding::detail
