// Zip archives in memory with libzip: see zip.hpp.

#include "zip.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cctype>

#include "coding/error.hpp"
#include "strings.hpp"

namespace coding::detail {
namespace {

struct zip_discarder {
  void operator()(zip_t* zip) const { zip_discard(zip); }
};
struct zip_file_closer {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using zip_ptr = std::unique_ptr<zip_t, zip_discarder>;
using zip_file_ptr = std::unique_ptr<zip_file_t, zip_file_closer>;

}  // namespace

struct zip_archive::state {
  std::string file;
  zip_messages messages;
  zip_limits limits;
  zip_ptr zip;

  [[noreturn]] void fail(const std::string& message) const {
    throw parse_error(location{file, 0, 0}, message);
  }

  zip_stat_t stat(std::size_t index) const {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip.get(), index, 0, &st) != 0 || (st.valid & ZIP_STAT_SIZE) == 0)
      fail(messages.damaged(
          zip_get_name(zip.get(), index, 0) ? zip_get_name(zip.get(), index, 0) : "?",
          zip_strerror(zip.get())));
    return st;
  }
};

zip_archive::zip_archive(std::string_view bytes, std::string_view file, zip_messages messages,
                         zip_limits limits)
    : state_(std::make_unique<state>()) {
  auto& st = *state_;
  st.file = std::string(file);
  st.messages = std::move(messages);
  st.limits = limits;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip = source != nullptr ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  if (zip == nullptr) {
    if (source != nullptr) zip_source_free(source);  // zip_open_from_source did not take it
    const bool not_zip = zip_error_code_zip(&error) == ZIP_ER_NOZIP;
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    // A zip that libzip cannot find the end of is usually a download or copy cut short.
    if (not_zip && !bytes.starts_with("PK")) st.fail(st.messages.not_zip(bytes));
    st.fail(st.messages.corrupt(reason));
  }
  zip_error_fini(&error);
  st.zip.reset(zip);
  if (st.limits.max_total_bytes > 0) {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < size(); ++i) {
      total += st.stat(i).size;
      if (total > st.limits.max_total_bytes) st.fail(st.messages.too_large_total(total));
    }
  }
}

zip_archive::~zip_archive() = default;

std::size_t zip_archive::size() const {
  const auto n = zip_get_num_entries(state_->zip.get(), 0);
  return n < 0 ? 0 : static_cast<std::size_t>(n);
}

std::string zip_archive::name(std::size_t index) const {
  const char* n = zip_get_name(state_->zip.get(), index, ZIP_FL_ENC_GUESS);
  return n ? n : "";
}

std::optional<std::size_t> zip_archive::locate(std::string_view name, bool nocase) const {
  // zip_name_locate folds case only for ASCII; entries are few, so a scan is fine and also
  // finds names that differ from `name` only in case.
  for (std::size_t i = 0; i < size(); ++i) {
    const auto n = this->name(i);
    if (nocase ? iequals(n, name) : n == name) return i;
  }
  return std::nullopt;
}

std::string zip_archive::read(std::size_t index) const {
  const auto& st = *state_;
  const auto entry = name(index);
  const auto stat = st.stat(index);
  if (stat.size > st.limits.max_entry_bytes) st.fail(st.messages.too_large(entry, stat.size));
  if (stat.size >= st.limits.ratio_checked_from && (stat.valid & ZIP_STAT_COMP_SIZE) != 0 &&
      stat.size / std::max<std::uint64_t>(stat.comp_size, 1) > st.limits.max_ratio)
    st.fail(st.messages.too_compressed(entry, stat.size, stat.comp_size));

  const zip_file_ptr in(zip_fopen_index(st.zip.get(), index, 0));
  if (!in) st.fail(st.messages.damaged(entry, zip_strerror(st.zip.get())));
  std::string data(static_cast<std::size_t>(stat.size), '\0');
  std::size_t got = 0;
  while (got < data.size()) {
    const zip_int64_t n = zip_fread(in.get(), data.data() + got, data.size() - got);
    if (n < 0) st.fail(st.messages.damaged(entry, zip_file_strerror(in.get())));
    if (n == 0) st.fail(st.messages.damaged(entry, "it is shorter than the archive says"));
    got += static_cast<std::size_t>(n);
  }
  // Reading on to the end makes libzip check the CRC, and catches an entry that is longer
  // than its stated size without ever holding more than that.
  char extra = 0;
  const zip_int64_t n = zip_fread(in.get(), &extra, 1);
  if (n < 0) st.fail(st.messages.damaged(entry, zip_file_strerror(in.get())));
  if (n > 0) st.fail(st.messages.damaged(entry, "it is longer than the archive says"));
  return data;
}

std::optional<std::string> zip_archive::read(std::string_view name, bool nocase) const {
  const auto index = locate(name, nocase);
  if (!index) return std::nullopt;
  return read(*index);
}

std::string unsafe_entry_reason(std::string_view name) {
  if (name.starts_with('/') || name.starts_with('\\')) return "it is an absolute path";
  if (name.size() >= 2 && name[1] == ':' && std::isalpha(static_cast<unsigned char>(name[0])))
    return "it is an absolute path with a drive letter";
  std::size_t begin = 0;
  while (begin <= name.size()) {
    auto end = name.find_first_of("/\\", begin);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(begin, end - begin) == "..")
      return "it climbs out of the archive's folder with '..'";
    begin = end + 1;
  }
  return "";
}

std::string write_zip(const std::vector<std::pair<std::string, std::string>>& entries,
                      std::time_t mtime) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr)
    throw coding::error(fmt::format("cannot create a zip archive: {}", zip_error_strerror(&error)));
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (zip == nullptr) {
    zip_source_free(buffer);
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw coding::error(fmt::format("cannot create a zip archive: {}", reason));
  }
  zip_error_fini(&error);
  // The buffer must outlive zip_close, which writes the archive into it.
  zip_source_keep(buffer);
  const auto fail = [&](const std::string& what) {
    const std::string reason = zip_strerror(zip);
    zip_discard(zip);
    zip_source_free(buffer);
    throw coding::error(fmt::format("cannot write {} into the zip archive: {}", what, reason));
  };
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer(zip, data.data(), data.size(), 0);
    if (s == nullptr) fail(name);
    const zip_int64_t index =
        zip_file_add(zip, name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(s);
      fail(name);
    }
    const auto at = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(zip, at, ZIP_CM_DEFLATE, 0) != 0 ||
        zip_file_set_mtime(zip, at, mtime, 0) != 0)
      fail(name);
  }
  if (zip_close(zip) != 0) fail("the archive");

  std::string out;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(buffer, &st) != 0 || zip_source_open(buffer) != 0) {
    zip_source_free(buffer);
    throw coding::error("cannot read back the zip archive written in memory");
  }
  out.resize(static_cast<std::size_t>(st.size));
  std::size_t got = 0;
  while (got < out.size()) {
    const zip_int64_t n = zip_source_read(buffer, out.data() + got, out.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (got != out.size()) throw coding::error("cannot read back the zip archive written in memory");
  return out;
}

}  // namespace coding::detail
