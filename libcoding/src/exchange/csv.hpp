#pragma once
// RFC 4180 CSV reading, private to the library.

#include <string>
#include <string_view>
#include <vector>

namespace coding::detail {

struct csv_record {
  std::size_t line = 0;  // the line the record starts on
  std::vector<std::string> fields;
};

// Parses CSV text (LF or CRLF records, "" escapes, quoted fields across lines). A UTF-8
// BOM is skipped and blank lines are ignored. Throws parse_error naming `file`, the line
// and column of a stray or unterminated quote.
std::vector<csv_record> parse_csv(std::string_view text, std::string_view file);

// Maps the header's column names to their 0-based positions, checking that every name
// in `required` is present and every name is in `required` or `optional` (with a
// did-you-mean). Throws parse_error at the header row.
std::vector<int> map_columns(const csv_record& header, std::string_view file,
                             const std::vector<std::string>& required,
                             const std::vector<std::string>& optional);

}  // namespace coding::detail
