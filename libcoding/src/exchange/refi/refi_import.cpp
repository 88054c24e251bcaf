// REFI-QDA import: a .qdpx project or a .qdc codebook read into a project, leniently (other
// programs write the standard in many ways) but never trusting the archive. The mapping is
// described in docs/refi.md. The public entry points of coding/refi.hpp wire the stages
// together: read the file into a plain model (refi_read.cpp), index the project and plan the
// import against it (refi_plan.cpp), then apply the plan in one change (refi_apply.cpp).

#include <fmt/format.h>

#include <filesystem>

#include "coding/refi.hpp"
#include "refi_model.hpp"
#include "refi_plan.hpp"

namespace coding {

namespace {

refi_import_result import_file(project& p, detail::refi::refi_file& f, const std::string& file,
                               const refi_import_options& options) {
  using namespace detail::refi;
  const auto now = index_project(p);
  auto plan = plan_import({p, f.model, f.note, now, file, options, f.archive.get(), f.losses});
  auto result = apply_plan(p, std::move(plan), now, f.model, f.note, file, options);
  // What planning left out, then what applying did (a memo whose case was not created).
  auto lost = f.losses.lines();
  lost.insert(lost.end(), result.not_imported.begin(), result.not_imported.end());
  result.not_imported = std::move(lost);
  if (f.bad_guids)
    result.notes.push_back(fmt::format("{} not in the standard's form (8-4-4-4-12 hex digits)",
                                       plural(f.bad_guids, "GUID is", "GUIDs are")));
  return result;
}

}  // namespace

refi_import_result import_qdpx(project& p, std::string_view bytes, std::string_view file,
                               const refi_import_options& options) {
  auto f = detail::refi::read_qdpx(bytes, file, options);
  return import_file(p, f, std::string(file), options);
}

refi_import_result import_qdc(project& p, std::string_view bytes, std::string_view file,
                              const refi_import_options& options) {
  auto f = detail::refi::read_qdc(bytes, file, options);
  return import_file(p, f, std::string(file), options);
}

refi_import_result import_refi(project& p, const std::string& path,
                               const refi_import_options& options) {
  const auto ext = detail::ascii_lower(std::filesystem::path(path).extension().string());
  if (ext != ".qdpx" && ext != ".qdc")
    throw input_error(fmt::format(
        "cannot import '{}' as REFI-QDA: expected a .qdpx project or a .qdc codebook", path));
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > options.max_total_bytes)
    throw parse_error(
        location{path, 0, 0},
        fmt::format("the file is {}, more than the {} qcode reads", detail::refi::size_text(size),
                    detail::refi::size_text(options.max_total_bytes)));
  const auto bytes = read_file(path);
  return ext == ".qdpx" ? import_qdpx(p, bytes, path, options)
                        : import_qdc(p, bytes, path, options);
}

}  // namespace coding