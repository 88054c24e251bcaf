#pragma once
// What the commands that code many passages at once share (code --speaker/--match/--regex,
// search --code-as): loading the texts to search, and coding or listing the passages.

#include <string>
#include <vector>

#include "command.hpp"

namespace qcode {

/// The project's framework (an empty one when it has none), documents with their texts,
/// cases and codings.
coding::study load_texts(const coding::project& p);

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

}  // namespace qcode
