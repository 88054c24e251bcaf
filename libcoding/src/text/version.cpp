#include "coding/version.hpp"

namespace coding {

std::string_view version() noexcept {
  return QCODE_VERSION;
}

}  // namespace coding
