#pragma once
// What the commands that code many passages at once share (code --speaker/--match/--regex,
// search --code-as): loading the texts to search, and coding or listing the passages.

#include <string>
#include <vector>

#include "command.hpp"

namespace qcode {

/// Parses ATTRIBUTE=VALUE options; throws input_error for one without '='.
std::vector<std::pair<std::string, std::string>> parse_where(
    const std::vector<std::string>& values);

/// Codes `passages` (spans of `docs`, which hold the texts) with `code` by `coder` in ONE
/// project::add_codings call, or with `dry_run` only lists them. Identical passages are
/// coded once. Lists the passages as a table on io.out and says what was done on io.err.
void code_passages(coding::project& p, const std::vector<coding::document>& docs,
                   const std::vector<std::pair<std::string, coding::span>>& passages,
                   const std::string& code, const std::string& coder, const std::string& memo,
                   bool dry_run, io io);

/// The passage selectors that code and uncode share.
struct selector_options {
  std::optional<std::string> doc;
  std::optional<std::string> chars, lines, turns, speaker, match, regex;
  std::string expand;
  bool case_sensitive = false;
  bool partial_words = false;
  bool all_docs = false;
};

/// Adds --chars, --lines, --turns, --speaker, --match, --regex, --expand,
/// --case-sensitive, --partial-words, --all-docs and the positional DOC, bound to `o`.
void add_selector_options(po::options_description& options,
                          po::positional_options_description& positional, selector_options& o);

/// The documents (with texts) a selection reads and the passages it selects.
struct selection {
  std::vector<coding::document> docs;
  std::vector<std::pair<std::string, coding::span>> passages;
  bool ranged = false;   ///< only one of --chars, --lines or --turns: exactly one passage
  std::string query;     ///< --match or --regex: what was searched for
  std::string combined;  ///< several selectors: "--speaker R, --match x"; else empty
};

/// Checks the selector options (one or more selectors; DOC or --all-docs), loads the
/// documents and selects with coding::select_passages. Throws input_error for bad usage,
/// an unknown document or speaker.
selection select_passages(const selector_options& o, const coding::project& p);

}  // namespace qcode
