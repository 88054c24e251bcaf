// Intercoder agreement on a study (coding/agreement.hpp): turning the coders' codings into
// reliability data at the unit chosen, and the passages where they differ. The statistics
// themselves are in agreement_stats.cpp.
//
// Choices made here (docs/agreement.md describes them for users):
// - Rows. Level code: one row per code below the themes, as the matrix has them; a row
//   counts the codings of its code and of every code below it (so a code with sub-codes
//   is their union), with two categories, 0 not coded and 1 coded. Level theme: one row
//   per theme, whose categories are its direct sub-codes; a coding of a deeper code counts
//   as its direct sub-code ancestor, a coding of the theme itself counts for no category.
//   options.codes keeps a row when a code named is the row's code, above it or (level
//   theme) below it.
// - A coder's passages of a row are their codings of it merged (overlapping or touching
//   codings are one passage), per category.
// - character: per document and row, the sorted boundaries of every coder's passages (and
//   0 and the document's length) cut the text into runs in which every coder is in one
//   state; each run is one unit weighted by its length. Level code: 1 when inside the
//   coder's passages, else 0; level theme: the one sub-code covering it, missing when none
//   does or when two do (an exclusivity break). `coded_only` keeps the runs that at least
//   one coder coded.
// - segment: every passage of every coder is a unit. Its owner's value is its category
//   (1 at level code); another coder's value is 1 (level theme: the sub-code) when their
//   passages of the row (of that sub-code) cover at least `overlap` percent of the unit's
//   characters, together, else 0 (level theme: missing; when two sub-codes each cover
//   enough, the one covering more). Two coders who coded the same passage give two units
//   that agree, as in MAXQDA.
// - turn: every turn with text of each document is a unit; a coder's value is 1 (the
//   sub-code) when one of their passages shares a character with the turn.
// - document: one unit per document, the row's code present or not.
// - case: one unit per case that passes the filters and speaks in a document chosen (its
//   interview, or a turn); a coder's value is 1 when a coding of theirs is attributed to
//   the case (docs/measures.md, "Attribution"). Case units have no by_doc rows, and
//   find_disagreements lists none for them (a case is no passage).
// - options.where filters cases; for the other units it keeps the documents in which a
//   passing case speaks (a one-to-one interview's case, or a case's turn).
// - Pooling (by_doc and pooled) concatenates the units of the rows; at level theme each
//   theme's categories are numbered apart, so that sub-codes of two themes never agree.

#include "coding/agreement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "agreement_stats.hpp"
#include "attribution.hpp"
#include "coding/codings.hpp"
#include "coding/error.hpp"
#include "strings.hpp"

namespace coding {
namespace {

struct row_def {
  std::size_t code;                     // index into framework::codes
  std::vector<std::size_t> categories;  // level theme: the direct sub-codes; level code: empty
  std::size_t count() const { return categories.empty() ? 1 : categories.size(); }
};

// A coder's passage of one row, in one category (0 at level code).
struct passage {
  std::size_t start, end, category;
};

// The units of one row in one document (or, for case units, of one row).
struct block {
  std::size_t coders = 0;
  std::vector<int> values;  // values[unit * coders + coder]
  std::vector<std::uint64_t> weights;
  std::vector<span> where;
  std::vector<char> coded;  // some coder coded the unit
};

struct plan {
  std::vector<std::string> coders;
  std::vector<std::size_t> docs;  // indices into study::documents, in study order
  std::vector<row_def> rows;
  std::vector<char> case_passing;
  // For each framework code, the rows it counts for with its category there.
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> rows_of_code;
  // codings[doc slot][coder]: the coding and its code's index (npos: not in the framework).
  std::vector<std::vector<std::vector<std::pair<const coding_record*, std::size_t>>>> codings;
  // passages[doc slot][row][coder][category], merged.
  std::vector<std::vector<std::vector<std::vector<std::vector<detail::interval>>>>> passages;
};

[[noreturn]] void throw_unknown(std::string_view kind, std::string_view value,
                                const std::vector<std::string>& known) {
  throw input_error(unknown_message(kind, value, "", known) +
                    fmt::format(" ({}s: {})", kind, fmt::join(known, ", ")));
}

plan make_plan(const study& s, const agreement_options& o, const detail::attribution& speakers) {
  plan p;
  const auto& fw = s.fw;
  p.case_passing = detail::cases_passing(s, o.where);

  // Documents: those named, then those where a passing case speaks.
  std::vector<std::string> doc_ids;
  for (const auto& d : s.documents) doc_ids.push_back(d.id);
  std::vector<char> chosen(s.documents.size(), o.docs.empty() ? 1 : 0);
  for (const auto& id : o.docs) {
    const auto d = speakers.doc_index(id);
    if (!d) throw_unknown("document", id, doc_ids);
    chosen[*d] = 1;
  }
  for (std::size_t d = 0; d < s.documents.size(); ++d) {
    if (!chosen[d]) continue;
    if (!o.where.empty()) {
      bool any = false;
      if (const auto& c = s.documents[d].case_id)
        if (const auto k = speakers.case_index(*c)) any = p.case_passing[*k] != 0;
      for (const auto& t : speakers.turns(d)) any = any || p.case_passing[t.case_k];
      if (!any) continue;
    }
    p.docs.push_back(d);
  }

  // Coders.
  std::set<std::string> all_coders;
  for (const auto& c : s.codings) all_coders.insert(c.coder);
  if (o.coders.empty()) {
    std::set<std::string> here;
    for (const auto& c : s.codings)
      if (const auto d = speakers.doc_index(c.doc); d && chosen[*d]) here.insert(c.coder);
    p.coders.assign(here.begin(), here.end());
  } else {
    const std::vector<std::string> known(all_coders.begin(), all_coders.end());
    for (const auto& c : o.coders) {
      if (!all_coders.count(c)) throw_unknown("coder", c, known);
      if (std::find(p.coders.begin(), p.coders.end(), c) == p.coders.end()) p.coders.push_back(c);
    }
  }
  if (p.coders.size() < 2)
    throw input_error(
        fmt::format("agreement needs at least two coders; {} (coders in the project: {})",
                    p.coders.empty() ? std::string("none coded these documents")
                                     : fmt::format("only '{}'", p.coders[0]),
                    fmt::join(all_coders, ", ")));

  // Rows.
  std::vector<std::size_t> named;
  for (const auto& c : o.codes) {
    const auto i = fw.find(c);
    if (!i) throw_unknown("code", c, fw.ids());
    named.push_back(*i);
  }
  const bool theme = o.level == matrix_level::theme;
  for (std::size_t i = 0; i < fw.codes.size(); ++i) {
    if ((fw.codes[i].depth == 0) != theme) continue;
    const bool keep = named.empty() || std::any_of(named.begin(), named.end(), [&](auto n) {
                        return fw.contains(n, i) || (theme && fw.contains(i, n));
                      });
    if (!keep) continue;
    row_def r{i, {}};
    if (theme)
      for (std::size_t j = 0; j < fw.codes.size(); ++j)
        if (fw.codes[j].parent == static_cast<int>(i)) r.categories.push_back(j);
    p.rows.push_back(std::move(r));
  }
  p.rows_of_code.resize(fw.codes.size());
  for (std::size_t r = 0; r < p.rows.size(); ++r) {
    const auto& row = p.rows[r];
    for (std::size_t j = 0; j < fw.codes.size(); ++j) {
      if (!theme) {
        if (fw.contains(row.code, j)) p.rows_of_code[j].push_back({r, 0});
        continue;
      }
      for (std::size_t k = 0; k < row.categories.size(); ++k)
        if (fw.contains(row.categories[k], j)) p.rows_of_code[j].push_back({r, k});
    }
  }

  // Codings by document and coder.
  std::vector<int> slot(s.documents.size(), -1);
  for (std::size_t k = 0; k < p.docs.size(); ++k) slot[p.docs[k]] = static_cast<int>(k);
  std::unordered_map<std::string, std::size_t> code_index;
  for (std::size_t i = 0; i < fw.codes.size(); ++i) code_index[fw.codes[i].id] = i;
  p.codings.resize(p.docs.size());
  for (auto& v : p.codings) v.resize(p.coders.size());
  p.passages.resize(p.docs.size());
  for (auto& rows : p.passages) {
    rows.resize(p.rows.size());
    for (std::size_t r = 0; r < p.rows.size(); ++r)
      rows[r].assign(p.coders.size(),
                     std::vector<std::vector<detail::interval>>(p.rows[r].count()));
  }
  for (const auto& c : s.codings) {
    const auto d = speakers.doc_index(c.doc);
    if (!d || slot[*d] < 0) continue;
    const auto who = std::find(p.coders.begin(), p.coders.end(), c.coder);
    if (who == p.coders.end()) continue;
    const auto k = static_cast<std::size_t>(slot[*d]);
    const auto coder = static_cast<std::size_t>(who - p.coders.begin());
    const auto i = code_index.find(c.code);
    const auto index = i == code_index.end() ? std::string::npos : i->second;
    p.codings[k][coder].push_back({&c, index});
    if (index == std::string::npos) continue;
    for (const auto& [r, category] : p.rows_of_code[index])
      p.passages[k][r][coder][category].push_back({c.start, c.end});
  }
  for (auto& rows : p.passages)
    for (auto& coders : rows)
      for (auto& categories : coders)
        for (auto& v : categories) detail::merge(v);
  return p;
}

// A coder's value from the categories that hold for them; -1 when none or several do.
struct valuer {
  const plan& p;
  std::size_t row;
  int value(const std::vector<char>& holds, bool& broke) const {
    if (p.rows[row].categories.empty()) return holds[0] ? 1 : 0;
    int found = -1;
    for (std::size_t k = 0; k < holds.size(); ++k) {
      if (!holds[k]) continue;
      if (found >= 0) {
        broke = true;
        return -1;
      }
      found = static_cast<int>(k);
    }
    return found;
  }
};

struct break_sink {
  const study& s;
  const plan& p;
  std::vector<exclusivity_break>* out;
  void add(std::size_t doc, span where, std::size_t coder, std::size_t row,
           const std::vector<char>& holds) const {
    if (!out) return;
    std::vector<std::string> codes;
    for (std::size_t k = 0; k < holds.size(); ++k)
      if (holds[k]) codes.push_back(s.fw.codes[p.rows[row].categories[k]].id);
    const auto& doc_id = s.documents[doc].id;
    const auto& theme = s.fw.codes[p.rows[row].code].id;
    // A break continuing one of the last (the next run of the same passage; the other
    // coders' breaks of the run come between) extends it.
    for (std::size_t back = 0; back < p.coders.size() && back < out->size(); ++back) {
      auto& last = (*out)[out->size() - 1 - back];
      if (last.doc == doc_id && last.coder == p.coders[coder] && last.theme == theme &&
          last.codes == codes && last.where.end == where.start) {
        last.where.end = where.end;
        return;
      }
    }
    out->push_back({doc_id, where, p.coders[coder], theme, std::move(codes)});
  }
};

bool covers(const std::vector<detail::interval>& v, std::size_t start, std::size_t end) {
  const auto it = std::partition_point(v.begin(), v.end(),
                                       [&](const detail::interval& x) { return x.end <= start; });
  return it != v.end() && it->start < end;
}

std::size_t overlap_with(const std::vector<detail::interval>& v, std::size_t start,
                         std::size_t end) {
  return detail::overlap(v, {{start, end}});
}

block units_in_document(const study& s, const plan& p, const agreement_options& o, std::size_t slot,
                        std::size_t row, const break_sink& breaks) {
  block b;
  b.coders = p.coders.size();
  const auto d = p.docs[slot];
  const auto& doc = s.documents[d];
  const auto& passages = p.passages[slot][row];
  const std::size_t ncoders = p.coders.size(), ncat = p.rows[row].count();
  const valuer val{p, row};
  std::vector<char> holds(ncat);
  std::vector<int> values(ncoders);
  std::size_t length = doc.length;
  for (const auto& coder : passages)
    for (const auto& v : coder)
      if (!v.empty()) length = std::max(length, v.back().end);

  // The unit [start, end) by whether each coder's passages reach into it.
  const auto add_overlapping = [&](std::size_t start, std::size_t end, std::uint64_t weight) {
    bool any = false;
    for (std::size_t c = 0; c < ncoders; ++c) {
      for (std::size_t k = 0; k < ncat; ++k) holds[k] = covers(passages[c][k], start, end);
      bool broke = false;
      values[c] = val.value(holds, broke);
      if (broke) breaks.add(d, {start, end}, c, row, holds);
      any = any || std::find(holds.begin(), holds.end(), 1) != holds.end();
    }
    b.values.insert(b.values.end(), values.begin(), values.end());
    b.weights.push_back(weight);
    b.where.push_back({start, end});
    b.coded.push_back(any ? 1 : 0);
  };

  switch (o.unit) {
    case agreement_unit::character: {
      std::vector<std::size_t> cuts{0, length};
      for (const auto& coder : passages)
        for (const auto& v : coder)
          for (const auto& x : v) {
            cuts.push_back(x.start);
            cuts.push_back(x.end);
          }
      std::sort(cuts.begin(), cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
      for (std::size_t i = 0; i + 1 < cuts.size(); ++i)
        add_overlapping(cuts[i], cuts[i + 1], cuts[i + 1] - cuts[i]);
      break;
    }
    case agreement_unit::turn:
      for (const auto& t : doc.turns)
        if (t.start < t.end) add_overlapping(t.start, t.end, 1);
      break;
    case agreement_unit::document: {
      bool any = false;
      for (std::size_t c = 0; c < ncoders; ++c) {
        for (std::size_t k = 0; k < ncat; ++k) holds[k] = !passages[c][k].empty();
        bool broke = false;
        values[c] = val.value(holds, broke);
        if (broke) breaks.add(d, {0, length}, c, row, holds);
        any = any || std::find(holds.begin(), holds.end(), 1) != holds.end();
      }
      b.values.insert(b.values.end(), values.begin(), values.end());
      b.weights.push_back(1);
      b.where.push_back({0, length});
      b.coded.push_back(any ? 1 : 0);
      break;
    }
    case agreement_unit::segment: {
      // In text order of the passages, whoever's they are.
      std::vector<std::tuple<std::size_t, std::size_t, std::size_t, std::size_t>> units;
      for (std::size_t c = 0; c < ncoders; ++c)
        for (std::size_t k = 0; k < ncat; ++k)
          for (const auto& x : passages[c][k]) units.emplace_back(x.start, x.end, c, k);
      std::sort(units.begin(), units.end());
      for (const auto& [start, end, owner, category] : units) {
        // ov / length >= overlap / 100, compared without dividing.
        const double need = o.overlap * static_cast<double>(end - start);
        for (std::size_t c = 0; c < ncoders; ++c) {
          if (c == owner) {
            values[c] =
                ncat == 1 && p.rows[row].categories.empty() ? 1 : static_cast<int>(category);
            continue;
          }
          int best = -1;
          std::size_t best_overlap = 0;
          for (std::size_t k = 0; k < ncat; ++k) {
            const auto ov = overlap_with(passages[c][k], start, end);
            if (100.0 * static_cast<double>(ov) >= need && ov > 0 &&
                (best < 0 || ov > best_overlap)) {
              best = static_cast<int>(k);
              best_overlap = ov;
            }
          }
          values[c] = p.rows[row].categories.empty() ? (best >= 0 ? 1 : 0) : best;
        }
        b.values.insert(b.values.end(), values.begin(), values.end());
        b.weights.push_back(1);
        b.where.push_back({start, end});
        b.coded.push_back(1);
      }
      break;
    }
    case agreement_unit::case_:
      break;
  }
  return b;
}

// Case units of one row: the cases passing the filters that speak in a document chosen.
block units_of_cases(const study& s, const plan& p, std::size_t row,
                     const detail::attribution& speakers, const break_sink& breaks) {
  const std::size_t ncoders = p.coders.size(), ncat = p.rows[row].count();
  std::vector<char> speaks(s.cases.size(), 0);
  std::vector<std::vector<char>> has(s.cases.size(), std::vector<char>(ncoders * ncat, 0));
  std::vector<std::size_t> cases_here;
  for (std::size_t slot = 0; slot < p.docs.size(); ++slot) {
    const auto d = p.docs[slot];
    if (const auto& c = s.documents[d].case_id)
      if (const auto k = speakers.case_index(*c)) speaks[*k] = 1;
    for (const auto& t : speakers.turns(d)) speaks[t.case_k] = 1;
    const auto& passages = p.passages[slot][row];
    for (std::size_t c = 0; c < ncoders; ++c)
      for (std::size_t k = 0; k < ncat; ++k)
        for (const auto& x : passages[c][k]) {
          speakers.cases_of(d, x.start, x.end, cases_here);
          for (const auto kase : cases_here) has[kase][c * ncat + k] = 1;
        }
  }
  block b;
  b.coders = ncoders;
  const valuer val{p, row};
  std::vector<char> holds(ncat);
  std::vector<int> values(ncoders);
  for (std::size_t kase = 0; kase < s.cases.size(); ++kase) {
    if (!speaks[kase] || !p.case_passing[kase]) continue;
    bool any = false;
    for (std::size_t c = 0; c < ncoders; ++c) {
      for (std::size_t k = 0; k < ncat; ++k) holds[k] = has[kase][c * ncat + k];
      bool broke = false;
      values[c] = val.value(holds, broke);
      if (broke && breaks.out) {
        std::vector<std::string> codes;
        for (std::size_t k = 0; k < ncat; ++k)
          if (holds[k]) codes.push_back(s.fw.codes[p.rows[row].categories[k]].id);
        breaks.out->push_back(
            {"", {}, p.coders[c], s.fw.codes[p.rows[row].code].id, std::move(codes)});
      }
      any = any || std::find(holds.begin(), holds.end(), 1) != holds.end();
    }
    b.values.insert(b.values.end(), values.begin(), values.end());
    b.weights.push_back(1);
    b.where.push_back({});
    b.coded.push_back(any ? 1 : 0);
  }
  return b;
}

// Calls fn(0) ... fn(n - 1), spread over the machine's cores; each call must write only
// its own results. An exception from a call is rethrown here once all have stopped.
template <class F>
void parallel_for(std::size_t n, const F& fn) {
  const std::size_t threads =
      std::min<std::size_t>(n, std::max(1U, std::thread::hardware_concurrency()));
  std::atomic<std::size_t> next{0};
  std::exception_ptr failed;
  std::mutex failed_mutex;
  const auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        fn(i);
      } catch (...) {
        const std::lock_guard lock(failed_mutex);
        if (!failed) failed = std::current_exception();
        next = n;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failed) std::rethrow_exception(failed);
}

// Every block: blocks[row][slot] (case units: one block per row, in slot 0).
struct all_units {
  plan p;
  std::vector<std::vector<block>> blocks;
};

all_units gather(const study& s, const agreement_options& o,
                 std::vector<exclusivity_break>* breaks) {
  const detail::attribution speakers(s);
  all_units a{make_plan(s, o, speakers), {}};
  const break_sink sink{s, a.p, breaks};
  a.blocks.resize(a.p.rows.size());
  for (std::size_t r = 0; r < a.p.rows.size(); ++r) {
    if (o.unit == agreement_unit::case_) {
      a.blocks[r].push_back(units_of_cases(s, a.p, r, speakers, sink));
      continue;
    }
    for (std::size_t slot = 0; slot < a.p.docs.size(); ++slot)
      a.blocks[r].push_back(units_in_document(s, a.p, o, slot, r, sink));
  }
  return a;
}

}  // namespace

agreement_unit parse_agreement_unit(std::string_view name) {
  static const std::vector<std::pair<std::string, agreement_unit>> units{
      {"char", agreement_unit::character},
      {"segment", agreement_unit::segment},
      {"turn", agreement_unit::turn},
      {"doc", agreement_unit::document},
      {"case", agreement_unit::case_}};
  return detail::parse_choice(name, "unit", units);
}

std::string_view to_string(agreement_unit unit) {
  switch (unit) {
    case agreement_unit::character:
      return "char";
    case agreement_unit::segment:
      return "segment";
    case agreement_unit::turn:
      return "turn";
    case agreement_unit::document:
      return "doc";
    case agreement_unit::case_:
      return "case";
  }
  return "";
}

agreement_result compute_agreement(const study& s, const agreement_options& options) {
  agreement_result out;
  out.unit = options.unit;
  out.level = options.level;
  out.overlap = options.overlap;
  const auto a = gather(s, options, &out.breaks);
  const auto& p = a.p;
  out.coders = p.coders;
  const bool theme = options.level == matrix_level::theme;
  const bool chars = options.unit == agreement_unit::character;
  const std::size_t ncoders = p.coders.size();

  std::vector<int> offset(p.rows.size(), 0);
  std::size_t total_categories = theme ? 0 : 2;
  if (theme)
    for (std::size_t r = 0; r < p.rows.size(); ++r) {
      offset[r] = static_cast<int>(total_categories);
      total_categories += p.rows[r].count();
    }
  const auto row_categories = [&](std::size_t r) {
    return theme ? p.rows[r].categories.size() : 2;
  };

  // One pass over the units: each counts for its row, its document and the pool (and, at
  // the character unit, the same three over the coded text only).
  const bool docs = options.unit != agreement_unit::case_;
  const std::size_t sets = chars ? 2 : 1;
  std::vector<detail::statistics_builder> by_code, by_doc, pooled;
  for (std::size_t set = 0; set < sets; ++set) {
    for (std::size_t r = 0; r < p.rows.size(); ++r)
      by_code.emplace_back(ncoders, row_categories(r));
    if (docs)
      for (std::size_t slot = 0; slot < p.docs.size(); ++slot)
        by_doc.emplace_back(ncoders, total_categories);
    pooled.emplace_back(ncoders, total_categories);
  }
  for (std::size_t r = 0; r < p.rows.size(); ++r)
    for (std::size_t slot = 0; slot < a.blocks[r].size(); ++slot) {
      const auto& b = a.blocks[r][slot];
      for (std::size_t u = 0; u < b.weights.size(); ++u) {
        const int* values = b.values.data() + u * ncoders;
        for (std::size_t set = 0; set < sets; ++set) {
          if (set == 1 && !b.coded[u]) continue;
          by_code[set * p.rows.size() + r].add(values, ncoders, b.weights[u]);
          if (docs)
            by_doc[set * p.docs.size() + slot].add(values, ncoders, b.weights[u], offset[r]);
          pooled[set].add(values, ncoders, b.weights[u], offset[r]);
        }
      }
    }
  // The statistics of every builder (their bootstraps are most of the work), on every core.
  std::vector<agreement_stats> code_stats(by_code.size()), doc_stats(by_doc.size()),
      pooled_stats(pooled.size());
  std::vector<std::pair<const detail::statistics_builder*, agreement_stats*>> tasks;
  for (std::size_t i = 0; i < by_code.size(); ++i) tasks.emplace_back(&by_code[i], &code_stats[i]);
  for (std::size_t i = 0; i < by_doc.size(); ++i) tasks.emplace_back(&by_doc[i], &doc_stats[i]);
  for (std::size_t i = 0; i < pooled.size(); ++i) tasks.emplace_back(&pooled[i], &pooled_stats[i]);
  parallel_for(tasks.size(), [&](std::size_t i) {
    *tasks[i].second = tasks[i].first->finish(options.seed, options.bootstrap);
  });
  const auto make_row = [&](std::string code, std::string label, std::string doc,
                            std::vector<agreement_stats>& stats, std::size_t i,
                            std::size_t per_set) {
    agreement_row row{std::move(code), std::move(label), std::move(doc), {}, std::nullopt};
    row.stats = std::move(stats[i]);
    if (chars) row.coded_only = std::move(stats[per_set + i]);
    return row;
  };
  for (std::size_t r = 0; r < p.rows.size(); ++r) {
    const auto& c = s.fw.codes[p.rows[r].code];
    out.by_code.push_back(make_row(c.id, c.label, "", code_stats, r, p.rows.size()));
  }
  if (docs)
    for (std::size_t slot = 0; slot < p.docs.size(); ++slot) {
      const auto& doc = s.documents[p.docs[slot]];
      out.by_doc.push_back(make_row("", doc.title, doc.id, doc_stats, slot, p.docs.size()));
    }
  out.pooled = make_row("", "", "", pooled_stats, 0, 1);
  return out;
}

std::vector<disagreement> find_disagreements(const study& s, const agreement_options& options) {
  const auto a = gather(s, options, nullptr);
  const auto& p = a.p;
  std::vector<std::tuple<std::size_t, std::size_t, std::size_t, std::size_t, disagreement>> found;
  if (options.unit == agreement_unit::case_) return {};
  for (std::size_t slot = 0; slot < p.docs.size(); ++slot) {
    const auto d = p.docs[slot];
    const auto& doc = s.documents[d];
    const text_index index(doc.text);
    for (std::size_t r = 0; r < p.rows.size(); ++r) {
      const auto& b = a.blocks[r][slot];
      // Disagreeing units; at the character unit, adjacent ones make one stretch.
      std::vector<span> stretches;
      for (std::size_t u = 0; u < b.weights.size(); ++u) {
        const int* v = b.values.data() + u * b.coders;
        if (std::all_of(v, v + b.coders, [&](int x) { return x == v[0]; })) continue;
        if (options.unit == agreement_unit::character && !stretches.empty() &&
            stretches.back().end == b.where[u].start) {
          stretches.back().end = b.where[u].end;
        } else {
          stretches.push_back(b.where[u]);
        }
      }
      for (const auto& where : stretches) {
        disagreement x;
        x.doc = doc.id;
        x.where = where;
        x.code = s.fw.codes[p.rows[r].code].id;
        if (index.size() >= where.end && !doc.text.empty()) {
          x.reference = reference(doc, where, index);
          x.text = std::string(index.slice(where.start, where.end));
        } else {
          x.reference = fmt::format("{} {}:{}", doc.id, where.start, where.end);
        }
        for (std::size_t c = 0; c < p.coders.size(); ++c) {
          std::vector<std::string> codes;
          for (const auto& [coding, i] : p.codings[slot][c]) {
            if (coding->end <= where.start || coding->start >= where.end) continue;
            if (i == std::string::npos || !s.fw.contains(p.rows[r].code, i)) continue;
            if (std::find(codes.begin(), codes.end(), coding->code) == codes.end())
              codes.push_back(coding->code);
          }
          std::sort(codes.begin(), codes.end());
          x.applied.emplace_back(p.coders[c], std::move(codes));
        }
        found.emplace_back(slot, where.start, where.end, r, std::move(x));
      }
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    return std::tie(std::get<0>(x), std::get<1>(x), std::get<2>(x), std::get<3>(x)) <
           std::tie(std::get<0>(y), std::get<1>(y), std::get<2>(y), std::get<3>(y));
  });
  std::vector<disagreement> out;
  out.reserve(found.size());
  for (auto& f : found) out.push_back(std::move(std::get<4>(f)));
  return out;
}

}  // namespace coding
