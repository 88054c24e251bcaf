// The agreement statistics on reliability data (coding/agreement.hpp, compute_statistics).
//
// Weights: a unit of weight w counts exactly as w identical units, in every statistic and
// in the bootstrap, so that a run of characters coded alike is one unit, never one per
// character.

#include "agreement_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace coding {
namespace {

constexpr double epsilon = 1e-12;

// Nominal alpha from the weighted sums: n_c = sum_u w n_uc, and D = sum_u w diagonal_u.
//   alpha = 1 - (n - 1) (n - D) / (n^2 - sum_c n_c^2)
// which is Krippendorff's 1 - (n - 1) sum_{c != k} o_ck / sum_{c != k} n_c n_k, because
// sum_{c != k} o_ck = n - sum_c o_cc and sum_{c != k} n_c n_k = n^2 - sum_c n_c^2.
// Empty when there are no pairable values or no variation (the expected disagreement is 0).
std::optional<double> alpha_from(const std::vector<double>& n_c, double diagonal) {
  double n = 0, squares = 0;
  for (const auto x : n_c) {
    n += x;
    squares += x * x;
  }
  const double expected = n * n - squares;
  if (n < 2 || expected <= epsilon * n * n) return std::nullopt;
  return 1.0 - (n - 1) * (n - diagonal) / expected;
}

std::string left_out(std::uint64_t n, std::string_view why) {
  return n == 0 ? std::string() : fmt::format("{} unit{} {} left out", n, n == 1 ? "" : "s", why);
}

}  // namespace

namespace detail {

statistics_builder::statistics_builder(std::size_t coders, std::size_t categories)
    : coders_(coders),
      categories_(categories),
      cohen_a_(categories, 0),
      cohen_b_(categories, 0),
      fleiss_counts_(categories, 0),
      pair_both_(coders * coders, 0),
      pair_agree_(coders * coders, 0) {}

void statistics_builder::add(const int* values, std::size_t n, std::uint64_t w, int offset) {
  if (w == 0) return;
  const auto q = categories_;
  const auto valid = [&](int v) { return v >= 0 && static_cast<std::size_t>(v) < q; };
  shifted_.assign(values, values + n);
  if (offset != 0)
    for (auto& v : shifted_)
      if (v >= 0) v += offset;
  const auto& row = shifted_;
  sorted_.clear();
  for (const int v : row)
    if (valid(v)) sorted_.push_back(v);
  const std::size_t m = sorted_.size();
  if (m < 2) return;
  std::sort(sorted_.begin(), sorted_.end());
  units_ += w;
  // sum_c n_uc (n_uc - 1) over the runs of equal values.
  double diagonal = 0;
  for (std::size_t i = 0; i < m;) {
    std::size_t j = i;
    while (j < m && sorted_[j] == sorted_[i]) ++j;
    const auto c = static_cast<double>(j - i);
    diagonal += c * (c - 1);
    i = j;
  }
  if (sorted_.front() == sorted_.back()) agreeing_ += w;
  // Alpha and its bootstrap depend on a unit only through its counts per category, so
  // units with the same counts are kept as one, their weights added: drawing from the
  // merged unit with probability (w1 + w2) / W is drawing from either, and the bootstrap
  // costs O(distinct units) per sample (at most 3 for two coders and two categories).
  if (const auto [at, added] = pattern_index_.try_emplace(sorted_, patterns_.size()); added) {
    patterns_.push_back({sorted_, diagonal / static_cast<double>(m - 1), w});
  } else {
    patterns_[at->second].weight += w;
  }

  if (coders_ == 2 && n >= 2 && valid(row[0]) && valid(row[1])) {
    cohen_n_ += w;
    if (row[0] == row[1]) cohen_agree_ += w;
    cohen_a_[static_cast<std::size_t>(row[0])] += static_cast<double>(w);
    cohen_b_[static_cast<std::size_t>(row[1])] += static_cast<double>(w);
  }
  if (m == coders_) {
    fleiss_n_ += w;
    const double nn = static_cast<double>(m);
    fleiss_p_ += static_cast<double>(w) * diagonal / (nn * (nn - 1));
    for (const int v : sorted_)
      fleiss_counts_[static_cast<std::size_t>(v)] += static_cast<double>(w);
  } else {
    not_by_all_ += w;
  }
  for (std::size_t a = 0; a < coders_ && a < n; ++a)
    for (std::size_t b = a + 1; b < coders_ && b < n; ++b)
      if (valid(row[a]) && valid(row[b])) {
        pair_both_[a * coders_ + b] += w;
        if (row[a] == row[b]) pair_agree_[a * coders_ + b] += w;
      }
}

agreement_stats statistics_builder::finish(std::uint64_t seed, std::size_t bootstrap) const {
  agreement_stats out;
  out.units = units_;
  const std::size_t q = categories_, ncoders = coders_;
  const auto agreeing = agreeing_, not_by_all = not_by_all_;
  const auto cohen_n = cohen_n_, cohen_agree = cohen_agree_, fleiss_n = fleiss_n_;
  const auto fleiss_p = fleiss_p_;
  const auto& cohen_a = cohen_a_;
  const auto& cohen_b = cohen_b_;
  const auto& fleiss_counts = fleiss_counts_;
  const auto& pair_both = pair_both_;
  const auto& pair_agree = pair_agree_;

  const std::string none = "no unit was coded by two coders";
  if (ncoders < 2) {
    const std::string note = "needs at least two coders";
    out.percent.note = out.cohen_kappa.note = out.fleiss_kappa.note = note;
    out.brennan_prediger.note = out.krippendorff_alpha.note = note;
    out.cohen_kappa.note = "needs exactly two coders";
    return out;
  }

  // Percent agreement.
  if (out.units == 0) {
    out.percent.note = none;
  } else {
    out.percent.value = static_cast<double>(agreeing) / static_cast<double>(out.units);
  }

  // Cohen's kappa: po over the units both coded, pe from each coder's own marginals.
  if (ncoders != 2) {
    out.cohen_kappa.note = fmt::format("needs exactly two coders ({} compared)", ncoders);
  } else if (cohen_n == 0) {
    out.cohen_kappa.note = none;
  } else {
    const double n = static_cast<double>(cohen_n);
    const double po = static_cast<double>(cohen_agree) / n;
    double pe = 0;
    for (std::size_t c = 0; c < q; ++c) pe += (cohen_a[c] / n) * (cohen_b[c] / n);
    if (pe >= 1 - epsilon) {
      out.cohen_kappa.note = "no variation: both coders gave every unit the same value";
    } else {
      out.cohen_kappa.value = (po - pe) / (1 - pe);
    }
  }

  // Fleiss' kappa: the units every coder coded.
  {
    const auto missing = left_out(not_by_all, "not coded by every coder");
    if (fleiss_n == 0) {
      out.fleiss_kappa.note = "no unit was coded by every coder";
    } else {
      const double n = static_cast<double>(fleiss_n);
      const double total = n * static_cast<double>(ncoders);
      double pe = 0;
      for (const auto c : fleiss_counts) pe += (c / total) * (c / total);
      if (pe >= 1 - epsilon) {
        out.fleiss_kappa.note = "no variation: every unit has the same value";
      } else {
        out.fleiss_kappa.value = (fleiss_p / n - pe) / (1 - pe);
        out.fleiss_kappa.note = missing;
      }
    }
  }

  // Brennan and Prediger's kappa: (po - 1/q) / (1 - 1/q), q the number of categories. po is
  // the mean, over the pairs of coders who coded some unit in common, of the share of
  // those units on which the pair agrees; for two coders it is percent agreement (and
  // Cohen's po).
  if (q < 2) {
    out.brennan_prediger.note = "needs at least two categories";
  } else {
    double sum = 0;
    std::size_t pairs = 0;
    for (std::size_t a = 0; a < ncoders; ++a)
      for (std::size_t b = a + 1; b < ncoders; ++b)
        if (const auto both = pair_both[a * ncoders + b]; both > 0) {
          sum += static_cast<double>(pair_agree[a * ncoders + b]) / static_cast<double>(both);
          ++pairs;
        }
    if (pairs == 0) {
      out.brennan_prediger.note = none;
    } else {
      const double chance = 1.0 / static_cast<double>(q);
      out.brennan_prediger.value = (sum / static_cast<double>(pairs) - chance) / (1 - chance);
    }
  }

  // Krippendorff's alpha, nominal.
  std::vector<double> n_c(q, 0.0);
  double diagonal = 0;
  for (const auto& u : patterns_) {
    const double w = static_cast<double>(u.weight);
    for (const int v : u.values) n_c[static_cast<std::size_t>(v)] += w;
    diagonal += w * u.diagonal;
  }
  if (patterns_.empty()) {
    out.krippendorff_alpha.note = none;
    return out;
  }
  out.krippendorff_alpha.value = alpha_from(n_c, diagonal);
  if (!out.krippendorff_alpha.value) {
    out.krippendorff_alpha.note = "no variation: every value is the same";
    return out;
  }

  // The bootstrap: the data are the multiset of weighted pairable units (W = sum of the
  // weights); each sample draws W units with replacement, each unit with probability
  // w_u / W, as multinomial counts (one binomial per unit, conditional on the draws left),
  // so a sample costs O(units), never O(W). Alpha is recomputed on each sample; samples
  // with no variation have no alpha and are skipped. The interval is the 2.5th and 97.5th
  // percentiles (linear interpolation between order statistics) of the samples' alphas.
  // Units of agreement are resampled, not values, so this is a cluster bootstrap over units;
  // for characters (runs weighted by length) it treats characters as independent, which
  // makes the interval narrow.
  if (bootstrap == 0) return out;
  std::mt19937_64 gen(seed);
  std::uint64_t total = 0;
  for (const auto& u : patterns_) total += u.weight;
  std::vector<double> alphas;
  alphas.reserve(bootstrap);
  std::vector<double> sample_n(q);
  // The first unit's draw has the same parameters in every sample: set up once (a fresh
  // distribution per draw, as below, so the numbers drawn are the same either way).
  using binomial = std::binomial_distribution<std::uint64_t>;
  const binomial::param_type first(
      total, static_cast<double>(patterns_[0].weight) / static_cast<double>(total));
  for (std::size_t b = 0; b < bootstrap; ++b) {
    std::fill(sample_n.begin(), sample_n.end(), 0.0);
    double sample_diagonal = 0;
    std::uint64_t left = total, weight_left = total;
    for (std::size_t u = 0; u < patterns_.size() && left > 0; ++u) {
      const auto w = patterns_[u].weight;
      std::uint64_t k = left;
      if (w < weight_left)
        k = u == 0 ? binomial()(gen, first)
                   : binomial(left, static_cast<double>(w) / static_cast<double>(weight_left))(gen);
      weight_left -= w;
      left -= k;
      if (k == 0) continue;
      const double kk = static_cast<double>(k);
      for (const int v : patterns_[u].values) sample_n[static_cast<std::size_t>(v)] += kk;
      sample_diagonal += kk * patterns_[u].diagonal;
    }
    if (const auto a = alpha_from(sample_n, sample_diagonal)) alphas.push_back(*a);
  }
  if (alphas.empty()) return out;
  std::sort(alphas.begin(), alphas.end());
  const auto percentile = [&](double p) {
    const double at = p * static_cast<double>(alphas.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(at));
    const auto hi = std::min(lo + 1, alphas.size() - 1);
    return alphas[lo] + (at - static_cast<double>(lo)) * (alphas[hi] - alphas[lo]);
  };
  out.alpha_interval = std::pair{percentile(0.025), percentile(0.975)};
  return out;
}

}  // namespace detail

agreement_stats compute_statistics(const reliability_data& d, std::uint64_t seed,
                                   std::size_t bootstrap) {
  detail::statistics_builder b(d.coders, d.categories);
  for (std::size_t u = 0; u < d.values.size(); ++u)
    b.add(d.values[u].data(), d.values[u].size(), d.weights.empty() ? 1 : d.weights[u]);
  return b.finish(seed, bootstrap);
}

}  // namespace coding
