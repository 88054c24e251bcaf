#pragma once
/// \file
/// Intercoder agreement (docs/agreement.md): how far two or more coders who coded the
/// same documents agree, on a unit the researcher chooses, with the statistics a methods
/// reviewer expects (percent agreement, Cohen's, Fleiss' and Brennan-Prediger's kappa,
/// Krippendorff's alpha with a bootstrap interval), and the passages where they differ.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "coding/analysis.hpp"

namespace coding {

// ---- the statistics, on any reliability data ------------------------------------------

/// Reliability data: one row per unit, one value per coder: a category 0..categories-1,
/// or missing (-1: the coder gave the unit no value). Each unit has a weight, the number
/// of identical units it stands for (a run of characters coded alike); empty: all 1.
struct reliability_data {
  std::size_t coders = 0;
  std::size_t categories = 0;
  std::vector<std::vector<int>> values;  ///< values[unit][coder]
  std::vector<std::uint64_t> weights;    ///< one per unit, or empty
};

/// A figure, or why there is none (e.g. "no variation: every unit has the same value";
/// "needs exactly two coders"; "no unit was coded by two coders"). Never NaN.
struct statistic {
  std::optional<double> value;
  std::string note;
};

struct agreement_stats {
  std::uint64_t units = 0;     ///< pairable units (with values from at least two coders), weighted
  statistic percent;           ///< share (0..1) of pairable units on which every coder agrees
  statistic cohen_kappa;       ///< Cohen (1960), exactly two coders, units both coded
  statistic fleiss_kappa;      ///< Fleiss (1971), units coded by every coder
  statistic brennan_prediger;  ///< Brennan and Prediger (1981): chance = 1 / categories
  statistic krippendorff_alpha;  ///< nominal alpha (Krippendorff 2011), missing values allowed
  std::optional<std::pair<double, double>> alpha_interval;  ///< 95% bootstrap, when alpha is
};

/// Computes every statistic on `d`. The bootstrap of alpha draws `bootstrap` samples with
/// a generator seeded by `seed`, so a result is reproducible. Throws nothing for degenerate
/// data: a statistic that cannot be computed is empty, with its note.
agreement_stats compute_statistics(const reliability_data& d, std::uint64_t seed = 1,
                                   std::size_t bootstrap = 1000);

// ---- agreement on a study --------------------------------------------------------------

/// What a unit of agreement is.
enum class agreement_unit {
  character,  ///< each character of a document, coded or not by each coder (as NVivo)
  segment,    ///< a coder's passage, agreeing when the other has the code on a passage
              ///< overlapping it by at least `overlap` percent (as MAXQDA)
  turn,       ///< a turn, carrying a code for a coder when a coding of theirs overlaps it
  document,   ///< a document: the code is present or not
  case_       ///< a case: the code is present or not in what is attributed to it
};

/// Parses "char", "segment", "turn", "doc" or "case"; throws input_error with a did-you-mean.
agreement_unit parse_agreement_unit(std::string_view name);
/// "char", "segment", "turn", "doc" or "case".
std::string_view to_string(agreement_unit unit);

struct agreement_options {
  /// The coders compared (at least two); empty: every coder with codings in the documents.
  std::vector<std::string> coders;
  agreement_unit unit = agreement_unit::character;
  /// code: each code is a two-category variable (coded or not); theme: each theme is one
  /// nominal variable whose categories are its sub-codes (a unit a coder gave none of them
  /// is missing for that coder; one given two breaks mutual exclusivity and is left out
  /// for that coder, and listed).
  matrix_level level = matrix_level::code;
  std::vector<std::string> codes;  ///< only these codes (and their sub-codes); empty: all
  std::vector<std::string> docs;   ///< only these documents; empty: all
  std::vector<std::pair<std::string, std::string>> where;  ///< case filters, as in matrix
  double overlap = 90;     ///< segment unit: percent of a passage another must cover
  std::uint64_t seed = 1;  ///< the bootstrap's seed
  std::size_t bootstrap = 1000;
};

/// Agreement for one code (or theme) in one document, or pooled.
struct agreement_row {
  std::string code;  ///< full id; empty: pooled over the codes
  std::string label;
  std::string doc;  ///< empty: pooled over the documents
  agreement_stats stats;
  /// character unit only: the same over the characters that at least one coder coded
  /// with the row's code(s) (the whole-text figure is `stats`).
  std::optional<agreement_stats> coded_only;
};

/// A unit a coder gave two sub-codes of one theme (level theme), left out for that coder.
struct exclusivity_break {
  std::string doc;
  span where;
  std::string coder;
  std::string theme;
  std::vector<std::string> codes;
};

struct agreement_result {
  std::vector<std::string> coders;
  agreement_unit unit = agreement_unit::character;
  matrix_level level = matrix_level::code;
  double overlap = 90;
  std::vector<agreement_row> by_code;  ///< one per code (or theme), pooled over documents
  std::vector<agreement_row> by_doc;   ///< one per document, pooled over codes
  agreement_row pooled;                ///< every code in every document
  std::vector<exclusivity_break> breaks;
};

/// Computes agreement. Throws input_error for fewer than two coders, an unknown coder,
/// code, document or attribute (with a did-you-mean). Works from the codings' boundaries:
/// never a per-character array.
agreement_result compute_agreement(const study& s, const agreement_options& options);

/// A passage where the coders differ: who applied which code there.
struct disagreement {
  std::string doc;
  span where;
  std::string reference;  ///< "T07 l.12-18"
  std::string text;       ///< the passage (the study must hold texts)
  std::string code;       ///< the code (or theme) disagreed on
  /// For each coder compared, the codes they applied there (empty: none).
  std::vector<std::pair<std::string, std::vector<std::string>>> applied;
};

/// The passages where the coders of `options` differ on a code, in document order, at
/// the options' unit (for char: maximal stretches coded by some but not all coders).
std::vector<disagreement> find_disagreements(const study& s, const agreement_options& options);

/// How `qcode agreement settle` makes a consensus coder's codings from two coders' work.
enum class settle_rule {
  union_,        ///< every passage either coder coded with a code (overlaps joined)
  intersection,  ///< only what both coded with the same code
  first          ///< the first coder's codings as they are
};

struct settle_options {
  std::vector<std::string> from;  ///< the two coders settled (first, second)
  settle_rule rule = settle_rule::union_;
  std::string consensus = "consensus";  ///< the coder the new codings are by
};

/// The consensus codings, a starting point the team then edits: per document and code,
/// the union or the intersection of the two coders' passages (each coder's own codings
/// of a code merged first), or the first coder's codings. Throws input_error for other
/// than two coders, an unknown coder (with a did-you-mean), or a consensus coder who
/// already has codings.
std::vector<new_coding> settle_codings(const study& s, const settle_options& options);

}  // namespace coding
