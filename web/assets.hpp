#pragma once
// The page's files, built into the binary from web/assets/ (embed_assets.cmake).

#include <string_view>
#include <vector>

namespace coding::web {

struct asset {
  std::string_view name;  ///< the file name, served at "/NAME" ("index.html" at "/")
  std::string_view data;
};

/// Every embedded file, in name order.
const std::vector<asset>& assets();

/// The Content-Type of a file by its extension (text types in UTF-8).
std::string_view content_type(std::string_view name);

}  // namespace coding::web
