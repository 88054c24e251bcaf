#include "coding/speakers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "attribution.hpp"

namespace coding {
namespace {

template <class T>
void add_once(std::vector<T>& v, const T& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

std::string group_of(const study& s, const std::string& case_id) {
  for (const auto& c : s.cases)
    if (c.id == case_id) {
      const auto it = c.attributes.find(s.fw.group_attribute);
      return it == c.attributes.end() ? std::string() : it->second;
    }
  return {};
}

}  // namespace

std::vector<speaker_listing> list_speakers(const study& s) {
  std::unordered_map<std::string, std::vector<span>> codings_of_doc;
  for (const auto& c : s.codings) codings_of_doc[c.doc].push_back({c.start, c.end});
  std::vector<speaker_listing> out;
  for (const auto& doc : s.documents) {
    const auto& codings = codings_of_doc[doc.id];
    for (const auto& role : doc.speakers) {
      speaker_listing l;
      l.doc = doc.id;
      l.role = role;
      if (role.case_id) l.group = group_of(s, *role.case_id);
      std::vector<detail::interval> spoken;
      for (const auto& t : doc.turns)
        if (t.speaker == role.label) {
          ++l.turns;
          l.characters += t.end - t.start;
          spoken.push_back({t.start, t.end});
        }
      for (const auto& c : codings)
        if (std::any_of(spoken.begin(), spoken.end(), [&](const detail::interval& t) {
              return c.start < t.end && t.start < c.end;
            }))
          ++l.codings;
      out.push_back(std::move(l));
    }
  }
  return out;
}

std::vector<case_listing> list_cases(const study& s) {
  std::vector<case_listing> out;
  std::map<std::string, std::size_t> at;
  for (const auto& c : s.cases) {
    at[c.id] = out.size();
    out.push_back({c, {}});
  }
  for (const auto& doc : s.documents) {
    std::map<std::string, std::size_t> turns;
    for (const auto& t : doc.turns)
      if (t.case_id) ++turns[*t.case_id];
    if (doc.case_id)
      if (const auto it = at.find(*doc.case_id); it != at.end())
        out[it->second].places.push_back({doc.id, true, doc.turns.size()});
    for (const auto& [id, n] : turns) {
      if (doc.case_id && id == *doc.case_id) continue;
      if (const auto it = at.find(id); it != at.end())
        out[it->second].places.push_back({doc.id, false, n});
    }
  }
  return out;
}

struct speaker_index::impl {
  const study& s;
  detail::attribution who;
  std::vector<std::string> groups;  // per case index
  explicit impl(const study& st) : s(st), who(st) {
    for (const auto& c : s.cases) {
      const auto it = c.attributes.find(s.fw.group_attribute);
      groups.push_back(it == c.attributes.end() ? std::string() : it->second);
    }
  }
};

speaker_index::speaker_index(const study& s) : impl_(std::make_unique<impl>(s)) {}
speaker_index::~speaker_index() = default;

passage_speakers speaker_index::of(std::string_view doc, std::size_t start, std::size_t end) const {
  passage_speakers out;
  const auto d = impl_->who.doc_index(std::string(doc));
  if (!d) return out;
  std::vector<std::size_t> cases;
  impl_->who.cases_of(*d, start, end, cases);
  for (const auto k : cases) {
    out.cases.push_back(impl_->s.cases[k].id);
    if (!impl_->groups[k].empty()) add_once(out.groups, impl_->groups[k]);
  }
  // Turns are in text order and do not overlap: the first that ends after `start` on.
  const auto& turns = impl_->s.documents[*d].turns;
  auto it = std::partition_point(turns.begin(), turns.end(),
                                 [&](const turn& t) { return t.end <= start; });
  for (; it != turns.end() && it->start < end; ++it)
    if (!it->speaker.empty()) add_once(out.speakers, it->speaker);
  return out;
}

}  // namespace coding
