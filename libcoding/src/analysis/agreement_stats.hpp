#pragma once
// The statistics of coding/agreement.hpp fed one unit at a time, so that a study's units
// are counted into every row they belong to (per code, per document, pooled) in one pass,
// without copying them into reliability_data first.

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "coding/agreement.hpp"

namespace coding::detail {

class statistics_builder {
 public:
  statistics_builder(std::size_t coders, std::size_t categories);

  /// One unit: `n` values (one per coder; -1 or out of range: missing), each valid value
  /// shifted by `offset`, standing for `weight` identical units.
  void add(const int* values, std::size_t n, std::uint64_t weight, int offset = 0);

  /// Every statistic on the units added; see compute_statistics.
  agreement_stats finish(std::uint64_t seed, std::size_t bootstrap) const;

 private:
  // A distinct pairable unit for alpha: its values sorted (counts per category follow).
  struct pattern {
    std::vector<int> values;
    double diagonal = 0;  // sum_c n_uc (n_uc - 1) / (m_u - 1)
    std::uint64_t weight = 0;
  };

  std::size_t coders_, categories_;
  std::uint64_t units_ = 0, agreeing_ = 0, not_by_all_ = 0;
  std::vector<pattern> patterns_;
  std::map<std::vector<int>, std::size_t> pattern_index_;
  std::uint64_t cohen_n_ = 0, cohen_agree_ = 0;
  std::vector<double> cohen_a_, cohen_b_;
  std::uint64_t fleiss_n_ = 0;
  double fleiss_p_ = 0;
  std::vector<double> fleiss_counts_;
  std::vector<std::uint64_t> pair_both_, pair_agree_;
  std::vector<int> shifted_, sorted_;  // scratch
};

}  // namespace coding::detail
