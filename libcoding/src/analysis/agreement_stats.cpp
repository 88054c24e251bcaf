// The agreement statistics on reliability data (coding/agreement.hpp, compute_statistics).
//
// Weights: a unit of weight w counts exactly as w identical units, in every statistic and
// in the bootstrap, so that a run of characters coded alike is one unit, never one per
// character.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "coding/agreement.hpp"

namespace coding {
namespace {

constexpr double epsilon = 1e-12;

// The part of the coincidence matrix that nominal alpha needs, for one pairable unit:
// n_c (the unit's values per category) and sum_c n_c (n_c - 1) / (m - 1), its
// contribution to the diagonal sum_c o_cc (Krippendorff 2011, section B).
struct alpha_unit {
  std::vector<double> counts;  // n_uc
  double diagonal = 0;         // sum_c n_uc (n_uc - 1) / (m_u - 1)
};

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

agreement_stats compute_statistics(const reliability_data& d, std::uint64_t seed,
                                   std::size_t bootstrap) {
  agreement_stats out;
  const std::size_t q = d.categories;
  const auto weight = [&](std::size_t u) -> std::uint64_t {
    return d.weights.empty() ? 1 : d.weights[u];
  };
  const auto valid = [&](int v) { return v >= 0 && static_cast<std::size_t>(v) < q; };

  // One pass: per unit, its values per category.
  std::uint64_t agreeing = 0, not_by_all = 0;
  std::vector<alpha_unit> pairable;
  std::vector<std::uint64_t> pairable_weight;
  std::map<std::vector<double>, std::size_t> pattern;
  // Cohen: the two coders' joint table; Fleiss: over units coded by everyone.
  std::uint64_t cohen_n = 0, cohen_agree = 0;
  std::vector<double> cohen_a(q, 0), cohen_b(q, 0);
  std::uint64_t fleiss_n = 0;
  double fleiss_p = 0;
  std::vector<double> fleiss_counts(q, 0);
  // Brennan-Prediger: per pair of coders, units both coded and agreements.
  const std::size_t ncoders = d.coders;
  std::vector<std::uint64_t> pair_both(ncoders * ncoders, 0), pair_agree(ncoders * ncoders, 0);

  std::vector<double> counts(q);
  for (std::size_t u = 0; u < d.values.size(); ++u) {
    const auto& row = d.values[u];
    const std::uint64_t w = weight(u);
    if (w == 0) continue;
    std::fill(counts.begin(), counts.end(), 0.0);
    std::size_t m = 0;
    for (const int v : row)
      if (valid(v)) {
        counts[static_cast<std::size_t>(v)] += 1;
        ++m;
      }
    if (m < 2) continue;
    out.units += w;
    double diagonal = 0;
    bool all_same = false;
    for (const auto c : counts) {
      diagonal += c * (c - 1);
      if (c == static_cast<double>(m)) all_same = true;
    }
    if (all_same) agreeing += w;
    // Alpha and its bootstrap depend on a unit only through its counts per category, so
    // units with the same counts are kept as one, their weights added: drawing from the
    // merged unit with probability (w1 + w2) / W is drawing from either, and the bootstrap
    // costs O(distinct units) per sample (at most 4 for two coders and two categories).
    if (const auto [at, added] = pattern.try_emplace(counts, pairable.size()); added) {
      pairable.push_back({counts, diagonal / static_cast<double>(m - 1)});
      pairable_weight.push_back(w);
    } else {
      pairable_weight[at->second] += w;
    }

    if (ncoders == 2 && row.size() >= 2 && valid(row[0]) && valid(row[1])) {
      cohen_n += w;
      if (row[0] == row[1]) cohen_agree += w;
      cohen_a[static_cast<std::size_t>(row[0])] += static_cast<double>(w);
      cohen_b[static_cast<std::size_t>(row[1])] += static_cast<double>(w);
    }
    if (m == ncoders) {
      fleiss_n += w;
      const double nn = static_cast<double>(m);
      fleiss_p += static_cast<double>(w) * diagonal / (nn * (nn - 1));
      for (std::size_t c = 0; c < q; ++c) fleiss_counts[c] += static_cast<double>(w) * counts[c];
    } else {
      not_by_all += w;
    }
    for (std::size_t a = 0; a < ncoders && a < row.size(); ++a)
      for (std::size_t b = a + 1; b < ncoders && b < row.size(); ++b)
        if (valid(row[a]) && valid(row[b])) {
          pair_both[a * ncoders + b] += w;
          if (row[a] == row[b]) pair_agree[a * ncoders + b] += w;
        }
  }

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
  for (std::size_t u = 0; u < pairable.size(); ++u) {
    const double w = static_cast<double>(pairable_weight[u]);
    for (std::size_t c = 0; c < q; ++c) n_c[c] += w * pairable[u].counts[c];
    diagonal += w * pairable[u].diagonal;
  }
  if (pairable.empty()) {
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
  for (const auto w : pairable_weight) total += w;
  std::vector<double> alphas;
  alphas.reserve(bootstrap);
  std::vector<double> sample_n(q);
  for (std::size_t b = 0; b < bootstrap; ++b) {
    std::fill(sample_n.begin(), sample_n.end(), 0.0);
    double sample_diagonal = 0;
    std::uint64_t left = total, weight_left = total;
    for (std::size_t u = 0; u < pairable.size() && left > 0; ++u) {
      const auto w = pairable_weight[u];
      std::uint64_t k = left;
      if (w < weight_left) {
        std::binomial_distribution<std::uint64_t> draw(
            left, static_cast<double>(w) / static_cast<double>(weight_left));
        k = draw(gen);
      }
      weight_left -= w;
      left -= k;
      if (k == 0) continue;
      const double kk = static_cast<double>(k);
      for (std::size_t c = 0; c < q; ++c) sample_n[c] += kk * pairable[u].counts[c];
      sample_diagonal += kk * pairable[u].diagonal;
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

}  // namespace coding
