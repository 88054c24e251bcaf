#pragma once
// Zip archives read from and written to memory with libzip, private to the library. Word
// .docx transcripts (docx.cpp) and REFI-QDA .qdpx projects (refi_import.cpp,
// refi_export.cpp) share it. Reading guards against hostile archives: every entry is
// checked against a size cap and a compression-ratio cap before any of it is read, the
// archive's total against a total cap, and an entry is never read past its stated size.

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coding::detail {

/// How much an archive may unpack to.
struct zip_limits {
  std::uint64_t max_entry_bytes = std::uint64_t{256} << 20;  ///< one entry, uncompressed
  std::uint64_t max_total_bytes = 0;                         ///< all entries together; 0: no cap
  std::uint64_t max_ratio = 200;                             ///< uncompressed : compressed
  std::uint64_t ratio_checked_from = std::uint64_t{1}
                                     << 20;  ///< entries smaller may compress better
};

/// The messages a kind of archive gives for each failure (without the file name, which
/// the parse_error carries).
struct zip_messages {
  std::function<std::string(std::string_view bytes)> not_zip;   ///< not a zip archive at all
  std::function<std::string(std::string_view reason)> corrupt;  ///< a zip that cannot be opened
  std::function<std::string(std::string_view entry, std::string_view reason)> damaged;
  std::function<std::string(std::string_view entry, std::uint64_t size)> too_large;
  std::function<std::string(std::string_view entry, std::uint64_t size, std::uint64_t packed)>
      too_compressed;
  std::function<std::string(std::uint64_t total)> too_large_total;  ///< over max_total_bytes
};

/// A zip archive opened from bytes in memory; the bytes must outlive it. Every failure
/// is a parse_error naming `file`, with the message `messages` gives.
class zip_archive {
 public:
  zip_archive(std::string_view bytes, std::string_view file, zip_messages messages,
              zip_limits limits = {});
  zip_archive(const zip_archive&) = delete;
  zip_archive& operator=(const zip_archive&) = delete;
  ~zip_archive();

  /// Number of entries.
  std::size_t size() const;
  /// The name of entry `index` as the archive stores it.
  std::string name(std::size_t index) const;
  /// The index of the entry named `name` (ASCII case-insensitively when `nocase`).
  std::optional<std::size_t> locate(std::string_view name, bool nocase) const;
  /// The bytes of entry `index`, after the size and ratio checks.
  std::string read(std::size_t index) const;
  /// The bytes of the entry named `name`, or nothing when there is none.
  std::optional<std::string> read(std::string_view name, bool nocase) const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

/// Why an entry name must not be used as a path, or "" when it stays inside the
/// archive's folder: absolute paths ("/x", "C:\x", "\\server\x") and ".." components.
std::string unsafe_entry_reason(std::string_view name);

/// A zip archive of `entries` (name, bytes), compressed with deflate, every entry dated
/// `mtime`, so that the same entries always give the same bytes. Throws error when
/// libzip fails.
std::string write_zip(const std::vector<std::pair<std::string, std::string>>& entries,
                      std::time_t mtime);

}  // namespace coding::detail
