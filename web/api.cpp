// The HTTP JSON API of `qcode serve` (docs/serve.md). Each handler reads its request,
// calls the library as the equivalent command does, and answers JSON; bad input is a
// 4xx with {"error"} and changes nothing (the library's changes are transactions).

#include "api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <coding/coding.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "security.hpp"

namespace coding::web {

using json = nlohmann::ordered_json;

namespace {

constexpr int max_json_depth = 32;

/// A request refused with a status and a message (and, for a conflict, what is there).
struct http_error : std::runtime_error {
  http_error(int s, const std::string& message, json more = nullptr)
      : std::runtime_error(message), status(s), extra(std::move(more)) {}
  int status;
  json extra;
};

[[noreturn]] void fail(int status, const std::string& message, json extra = nullptr) {
  throw http_error(status, message, std::move(extra));
}

/// One request as a handler sees it: the project (locked), the coder and the parameters.
class call {
 public:
  call(const httplib::Request& req, workbench& w, std::string coder)
      : req_(req), bench_(w), coder_(std::move(coder)) {}

  project& p() { return bench_.get(); }
  const std::string& coder() const { return coder_; }
  const httplib::Request& req() const { return req_; }

  /// The match of the route's n-th group (an id in the path).
  std::string path_part(std::size_t n) const { return req_.matches[static_cast<int>(n)].str(); }

  /// A query parameter, or `fallback` when it is not given.
  std::string param(const std::string& name, const std::string& fallback = {}) const {
    return req_.has_param(name) ? req_.get_param_value(name) : fallback;
  }
  std::optional<std::string> optional_param(const std::string& name) const {
    if (!req_.has_param(name) || req_.get_param_value(name).empty()) return std::nullopt;
    return req_.get_param_value(name);
  }
  std::string required_param(const std::string& name) const {
    if (!req_.has_param(name) || req_.get_param_value(name).empty())
      fail(400, fmt::format("'{}' is missing: add ?{}=... to the request", name, name));
    return req_.get_param_value(name);
  }
  std::size_t offset_param(const std::string& name) const {
    const auto v = required_param(name);
    if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), ::isdigit))
      fail(400, fmt::format("'{}' must be a whole number of characters, not '{}'", name, v));
    return std::stoull(v);
  }
  /// Every `where=ATTR=VALUE` parameter, as matrix_options::where.
  std::vector<std::pair<std::string, std::string>> where() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < req_.get_param_value_count("where"); ++i) {
      const auto w = req_.get_param_value("where", i);
      const auto eq = w.find('=');
      if (eq == std::string::npos || eq == 0)
        fail(400, fmt::format("where='{}' must be ATTRIBUTE=VALUE", w));
      out.emplace_back(w.substr(0, eq), w.substr(eq + 1));
    }
    return out;
  }

  /// The request's JSON object body.
  const json& body() {
    if (parsed_) return body_;
    try {
      body_ = parse_json_body(req_.body);
    } catch (const input_error& e) {
      fail(400, e.what());
    }
    parsed_ = true;
    return body_;
  }
  /// Refuses a body with a field that is not one of `known` (a misspelt field would
  /// otherwise be ignored without a word).
  void only(std::initializer_list<std::string_view> known) {
    for (const auto& [k, v] : body().items())
      if (std::find(known.begin(), known.end(), k) == known.end())
        fail(400, fmt::format("unknown field \"{}\" in the body; expected {}", k,
                              fmt::join(known, ", ")));
  }
  bool has(const char* key) { return body().contains(key) && !body()[key].is_null(); }
  std::string string(const char* key) {
    if (!has(key)) fail(400, fmt::format("the body needs \"{}\"", key));
    const auto& v = body()[key];
    if (!v.is_string()) fail(400, fmt::format("\"{}\" must be a string", key));
    return v.get<std::string>();
  }
  std::optional<std::string> optional_string(const char* key) {
    if (!has(key)) return std::nullopt;
    return string(key);
  }
  std::size_t offset(const char* key) {
    if (!has(key)) fail(400, fmt::format("the body needs \"{}\"", key));
    const auto& v = body()[key];
    if (!v.is_number_unsigned())
      fail(400, fmt::format("\"{}\" must be a whole number of characters (code points), not {}",
                            key, v.dump()));
    return v.get<std::size_t>();
  }

  /// Names the change in the history: "serve: WHAT", by the request's coder.
  void changing(const std::string& what) { p().set_context("serve: " + what, coder_); }

 private:
  const httplib::Request& req_;
  workbench& bench_;
  std::string coder_;
  json body_;
  bool parsed_ = false;
};

/// What a handler answers: JSON text (most build a json value; matrix and chart pass
/// the CLI's JSON through unchanged).
struct reply {
  std::string body;
  int status = 200;
};
/// JSON text; a byte that is not UTF-8 (only ever in a message quoting bad input) is
/// replaced rather than failing the answer.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

reply answer(const json& j) {
  return {dump(j)};
}

// A counter of the server's own changes, part of the revision, so that an undo followed
// by a new change (which can reuse the undone entry's id) still changes it.
std::atomic<std::uint64_t> changes_made{0};

std::string revision(const project& p) {
  const auto entries = p.history().entries();
  std::size_t undone = 0;
  for (const auto& e : entries) undone += e.undone ? 1 : 0;
  const auto last = entries.empty() ? std::string()
                                    : fmt::format("{}|{}|{}", entries.back().id,
                                                  entries.back().time, entries.back().summary);
  return content_hash(fmt::format("{}|{}|{}", changes_made.load(), undone, last)).substr(0, 16);
}

json changed(const project& p, json more = json::object()) {
  ++changes_made;
  json out = {{"ok", true}, {"revision", revision(p)}};
  for (auto& [k, v] : more.items()) out[k] = v;
  return out;
}

std::string group_of(const std::map<std::string, const case_record*>& cases,
                     const std::optional<std::string>& case_id, const std::string& attribute) {
  if (!case_id) return {};
  const auto c = cases.find(*case_id);
  if (c == cases.end()) return {};
  const auto v = c->second->attributes.find(attribute);
  return v == c->second->attributes.end() ? std::string() : v->second;
}

std::string group_attribute(const project& p) {
  const auto fw = p.get_framework();
  return fw ? fw->group_attribute : std::string("group");
}

json coding_json(const coding_record& c) {
  return {{"id", c.id},     {"doc", c.doc},         {"start", c.start},
          {"end", c.end},   {"code", c.code},       {"coder", c.coder},
          {"memo", c.memo}, {"created", c.created}, {"review", c.review}};
}

json optional_json(const std::optional<std::string>& v) {
  return v ? json(*v) : json(nullptr);
}

// ---- reading ----------------------------------------------------------------------

reply get_state(call& c) {
  const auto fw = c.p().get_framework();
  return answer({{"project", c.p().path()},
                 {"title", fw ? fw->title : std::string()},
                 {"revision", revision(c.p())},
                 {"coder", c.coder()},
                 {"version", version()}});
}

reply get_documents(call& c) {
  const auto attribute = group_attribute(c.p());
  const auto case_list = c.p().cases().list();
  std::map<std::string, const case_record*> cases;
  for (const auto& r : case_list) cases[r.id] = &r;
  // The share of each text inside any coding: the union of its codings' spans.
  std::map<std::string, std::vector<span>> spans;
  for (const auto& k : c.p().codings().list()) spans[k.doc].push_back({k.start, k.end});
  std::map<std::string, std::set<std::string>> speaking;  // group documents: who speaks
  for (const auto& d : c.p().documents().load(false))
    for (const auto& t : d.turns)
      if (t.case_id) speaking[d.id].insert(*t.case_id);

  json out = json::array();
  for (const auto& d : c.p().documents().list()) {
    auto& s = spans[d.id];
    std::sort(s.begin(), s.end(), [](span a, span b) { return a.start < b.start; });
    std::size_t covered = 0, reach = 0;
    for (const auto& x : s) {
      const auto from = std::max(x.start, reach);
      if (x.end > from) covered += x.end - from;
      reach = std::max(reach, x.end);
    }
    std::set<std::string> who = speaking[d.id];
    if (d.case_id) who.insert(*d.case_id);
    std::set<std::string> groups;
    for (const auto& w : who)
      if (auto g = group_of(cases, w, attribute); !g.empty()) groups.insert(g);
    json attributes = json::object();
    if (d.case_id && cases.count(*d.case_id))
      for (const auto& [k, v] : cases.at(*d.case_id)->attributes) attributes[k] = v;
    out.push_back(
        {{"id", d.id},
         {"title", d.title},
         {"case", optional_json(d.case_id)},
         {"cases", who},
         {"group", d.case_id ? group_of(cases, d.case_id, attribute)
                             : fmt::format("{}", fmt::join(groups, ", "))},
         {"groups", groups},
         {"length", d.length},
         {"lines", d.lines},
         {"turns", d.turns},
         {"codings", d.codings},
         {"coded",
          d.length == 0 ? 0.0 : static_cast<double>(covered) / static_cast<double>(d.length)},
         {"memo", d.memo},
         {"attributes", attributes}});
  }
  return answer(out);
}

document find_document(call& c, const std::string& id) {
  auto d = c.p().documents().find(id);
  if (!d)
    fail(404, unknown_message("document", id, "", c.p().documents().ids()) +
                  ": 'qcode docs list' lists the documents");
  return std::move(*d);
}

reply get_document(call& c) {
  const auto d = find_document(c, c.path_part(1));
  const auto attribute = group_attribute(c.p());
  const auto case_list = c.p().cases().list();
  std::map<std::string, const case_record*> cases;
  for (const auto& r : case_list) cases[r.id] = &r;
  const text_index index(d.text);
  json lines = json::array();
  for (std::size_t l = 1; l <= index.line_count(); ++l) lines.push_back(index.line_start(l));
  json turns = json::array();
  for (const auto& t : d.turns)
    turns.push_back({{"speaker", t.speaker},
                     {"case", optional_json(t.case_id)},
                     {"group", group_of(cases, t.case_id, attribute)},
                     {"start", t.start},
                     {"end", t.end},
                     {"time", t.time ? json(*t.time) : json(nullptr)},
                     {"line", index.line_of(t.start)}});
  json codings = json::array();
  for (const auto& k : c.p().codings().list_of(d.id)) codings.push_back(coding_json(k));
  return answer({{"id", d.id},
                 {"title", d.title},
                 {"case", optional_json(d.case_id)},
                 {"group", group_of(cases, d.case_id, attribute)},
                 {"memo", d.memo},
                 {"length", d.length},
                 {"text", d.text},
                 {"lines", lines},
                 {"turns", turns},
                 {"codings", codings}});
}

reply get_cases(call& c) {
  json cases = json::array();
  for (const auto& r : c.p().cases().list())
    cases.push_back(
        {{"id", r.id}, {"label", r.label}, {"attributes", r.attributes}, {"memo", r.memo}});
  return answer({{"attributes", c.p().cases().attribute_names()},
                 {"group", group_attribute(c.p())},
                 {"cases", cases}});
}

framework require_framework(call& c) {
  auto fw = c.p().get_framework();
  if (!fw)
    fail(400, "the project has no framework yet: add one with 'qcode framework update FILE.yaml'");
  return std::move(*fw);
}

reply get_framework(call& c) {
  const auto fw = require_framework(c);
  // Codings per code (its own), and cases with a coding of the code or below it (the
  // Total column of `matrix --level code --measure cases`).
  const auto s = load_study(c.p(), false);
  std::map<std::string, std::size_t> codings;
  for (const auto& k : s.codings) ++codings[k.code];
  std::map<std::string, double> cases;
  for (const auto level : {matrix_level::theme, matrix_level::code}) {
    matrix_options o;
    o.level = level;
    for (const auto& row : compute_matrix(s, o).rows) cases[row.code] = row.total;
  }
  json groups = json::array();
  for (const auto& g : fw.groups) groups.push_back({{"id", g.id}, {"label", g.label}});
  json codes = json::array();
  for (const auto& k : fw.codes)
    codes.push_back(
        {{"id", k.id},
         {"label", k.label},
         {"parent",
          k.parent < 0 ? json(nullptr) : json(fw.codes[static_cast<std::size_t>(k.parent)].id)},
         {"depth", k.depth},
         {"color", k.color},
         {"description", k.description},
         {"include", k.include},
         {"exclude", k.exclude},
         {"example", k.example},
         {"codings", codings[k.id]},
         {"cases", static_cast<std::size_t>(cases[k.id])}});
  return answer({{"id", fw.id},
                 {"title", fw.title},
                 {"group_attribute", fw.group_attribute},
                 {"groups", groups},
                 {"codes", codes}});
}

matrix_options matrix_query(call& c) {
  matrix_options o;
  o.by = c.param("by");
  o.what = parse_measure(c.param("measure", "cases"));
  o.level = parse_level(c.param("level", "theme"));
  o.where = c.where();
  o.coder = c.optional_param("coder");
  return o;
}

reply get_matrix(call& c) {
  const auto o = matrix_query(c);
  const auto s = load_study(c.p(), false);
  std::ostringstream out;
  write(out, build_matrix_output(s, o, format::json), format::json, {s.fw.title});
  return {out.str()};
}

reply get_chart(call& c) {
  chart_options o;
  o.theme = c.required_param("theme");
  o.quotes = 3;
  o.where = c.where();
  o.coder = c.optional_param("coder");
  const auto s = load_study(c.p(), true);
  std::ostringstream out;
  write(out, build_chart_output(s, o, {o.theme}, format::json), format::json, {s.fw.title});
  return {out.str()};
}

// The passages behind a matrix cell (code and group) or a chart cell (code and case).
reply get_passages(call& c) {
  const auto code = c.required_param("code");
  const auto s = load_study(c.p(), true);
  const auto k = s.fw.find(code);
  if (!k) fail(400, unknown_message("code", code, "", s.fw.ids()));
  auto o = matrix_query(c);
  o.level = s.fw.codes[*k].depth == 0 ? matrix_level::theme : matrix_level::code;
  const auto case_id = c.optional_param("case");
  const auto group = c.optional_param("group");
  json out = json::array();
  std::set<std::pair<std::int64_t, std::string>> seen;
  for (const auto& q : matrix_quotes(s, o)) {
    if (q.row != code) continue;
    if (case_id && q.case_id != *case_id) continue;
    if (group && q.column != *group) continue;
    out.push_back({{"doc", q.doc},
                   {"start", q.where.start},
                   {"end", q.where.end},
                   {"code", q.code},
                   {"coder", q.coder},
                   {"case", q.case_id},
                   {"group", q.group},
                   {"reference", q.reference},
                   {"text", q.text}});
  }
  return answer(out);
}

json summary_json(const summary& s) {
  return {{"case", s.case_id},
          {"code", s.code},
          {"text", s.text},
          {"draft", s.draft},
          {"author", s.author},
          {"updated", s.updated},
          {"base", content_hash(s.text)}};
}

reply get_summaries(call& c) {
  const auto theme = c.optional_param("theme");
  const auto fw = require_framework(c);
  std::optional<std::size_t> root;
  if (theme) {
    root = fw.find(*theme);
    if (!root) fail(400, unknown_message("theme", *theme, "", fw.ids()));
  }
  json out = json::array();
  for (const auto& s : c.p().summaries().list()) {
    const auto k = fw.find(s.code);
    if (root && (!k || !fw.contains(*root, *k))) continue;
    out.push_back(summary_json(s));
  }
  return answer(out);
}

std::vector<hit> run_search(call& c, const study& s) {
  search_options o;
  o.match.regex = c.param("regex") == "1" || c.param("regex") == "true";
  o.code = c.param("code");
  if (const auto d = c.optional_param("doc")) o.docs = {*d};
  o.where = c.where();
  const auto q = c.required_param("q");
  if (std::all_of(q.begin(), q.end(), [](unsigned char ch) { return std::isspace(ch); }))
    fail(400, "the search text is only spaces: search for a word or a phrase");
  return search_study(s, q, o);
}

reply get_search(call& c) {
  const auto s = load_corpus(c.p(), true);
  json out = json::array();
  constexpr std::size_t max_hits = 2000;
  const auto hits = run_search(c, s);
  for (std::size_t i = 0; i < hits.size() && i < max_hits; ++i) {
    const auto& h = hits[i];
    out.push_back({{"doc", h.doc},
                   {"start", h.where.start},
                   {"end", h.where.end},
                   {"line", h.line},
                   {"speaker", h.speaker},
                   {"case", optional_json(h.case_id)},
                   {"group", h.group},
                   {"before", h.before},
                   {"match", h.match},
                   {"after", h.after}});
  }
  return answer({{"hits", out}, {"total", hits.size()}, {"shown", out.size()}});
}

reply get_expand(call& c) {
  const auto d = find_document(c, c.required_param("doc"));
  const auto start = c.offset_param("start"), end = c.offset_param("end");
  if (start > end || end > d.length)
    fail(400, fmt::format("{}:{} is not a passage of '{}', which has {} characters", start, end,
                          d.id, d.length));
  const auto wide = expand(d, {start, end}, parse_expand_unit(c.required_param("unit")));
  return answer({{"start", wide.start}, {"end", wide.end}});
}

json entry_json(const history_entry& e) {
  return {{"id", e.id},           {"time", e.time},       {"coder", e.coder},
          {"command", e.command}, {"summary", e.summary}, {"undone", e.undone}};
}

agreement_options agreement_query(call& c) {
  agreement_options o;
  if (const auto coders = c.optional_param("coders")) o.coders = split_list(*coders);
  o.unit = parse_agreement_unit(c.param("unit", "char"));
  o.level = parse_level(c.param("level", "code"));
  if (const auto d = c.optional_param("doc")) o.docs = {*d};
  if (const auto k = c.optional_param("code")) o.codes = {*k};
  o.where = c.where();
  return o;
}

// Agreement as `qcode agreement --format json`, and the passages where the coders differ
// (the workbench's comparison view).
reply get_agreement(call& c) {
  const auto o = agreement_query(c);
  const auto s = load_study(c.p(), false);
  std::ostringstream out;
  write(out, compute_agreement(s, o), format::json);
  return {out.str()};
}

reply get_disagreements(call& c) {
  const auto o = agreement_query(c);
  const auto s = load_study(c.p(), true);
  std::ostringstream out;
  write(out, find_disagreements(s, o), format::json);
  return {out.str()};
}

// ---- queries (docs/queries.md) ----------------------------------------------------

/// Runs `f` (a parse, check or run of `expression`); a bad expression (syntax, or a name
/// the study does not know) is a 400 with the message alone, its 1-based column and the
/// expression, so that the page can put a caret under the column.
template <class F>
auto checked_query(const std::string& expression, F f) {
  try {
    return f();
  } catch (const query_error& e) {
    fail(400, e.detail(), {{"column", e.column()}, {"expression", expression}});
  }
}

// The passages a query finds: the JSON of `qcode query EXPR --format json`.
reply get_query(call& c) {
  const auto expression = c.required_param("expr");
  const auto s = load_study(c.p(), true);
  std::ostringstream out;
  write(out, checked_query(expression, [&] { return run_query(s, parse_query(expression)); }),
        format::json, {s.fw.title});
  return {out.str()};
}

json saved_query_json(const saved_query& q) {
  return {
      {"name", q.name}, {"expression", q.expression}, {"author", q.author}, {"updated", q.updated}};
}

reply get_queries(call& c) {
  json out = json::array();
  for (const auto& q : c.p().queries().list()) out.push_back(saved_query_json(q));
  return answer(out);
}

reply get_coders(call& c) {
  std::map<std::string, std::size_t> coders;
  for (const auto& k : c.p().codings().list()) ++coders[k.coder];
  json out = json::array();
  for (const auto& [name, n] : coders) out.push_back({{"coder", name}, {"codings", n}});
  return answer(out);
}

reply get_log(call& c) {
  json out = json::array();
  for (const auto& e : c.p().history().entries()) out.push_back(entry_json(e));
  return answer(out);
}

// ---- changing ---------------------------------------------------------------------

reply post_coding(call& c) {
  c.only({"doc", "start", "end", "code", "text", "memo"});
  new_coding k;
  k.doc = c.string("doc");
  k.start = c.offset("start");
  k.end = c.offset("end");
  k.code = c.string("code");
  k.text = c.string("text");
  k.memo = c.optional_string("memo").value_or("");
  k.coder = c.coder();
  if (k.start >= k.end) fail(400, "an empty passage cannot be coded: select some text");
  c.changing(fmt::format("code {} {}:{} {}", k.doc, k.start, k.end, k.code));
  const auto result = c.p().codings().add({k});
  json added = json::array();
  for (const auto id : result.ids)
    if (const auto r = c.p().codings().find(id)) added.push_back(coding_json(*r));
  return answer(changed(
      c.p(), {{"added", result.added}, {"duplicates", result.duplicates}, {"codings", added}}));
}

std::int64_t coding_id(call& c) {
  const auto id = std::stoll(c.path_part(1));
  if (!c.p().codings().find(id))
    fail(404, fmt::format("there is no coding {}: it may have been removed by someone else", id));
  return id;
}

reply delete_coding(call& c) {
  const auto id = coding_id(c);
  c.changing(fmt::format("uncode coding {}", id));
  c.p().codings().remove(id);
  return answer(changed(c.p()));
}

reply patch_coding(call& c) {
  const auto id = coding_id(c);
  c.only({"code", "memo"});
  coding_update u;
  u.code = c.optional_string("code");
  u.memo = c.optional_string("memo");
  if (!u.code && !u.memo) fail(400, "give \"code\" (to recode) or \"memo\"");
  c.changing(u.code ? fmt::format("recode coding {} to {}", id, *u.code)
                    : fmt::format("memo on coding {}", id));
  const auto after = c.p().codings().update(id, u);
  return answer(changed(c.p(), {{"coding", coding_json(after)}}));
}

// Adds or edits a code through the same checked framework update as the CLI.
void update_framework(call& c, framework next, const std::string& what) {
  const auto checked = check_framework(framework_to_yaml(next), "the framework");
  if (!checked.result) {
    std::string message = "the framework would not be valid:";
    for (const auto& p : checked.problems) message += " " + p.message + ";";
    message.pop_back();
    fail(400, message);
  }
  c.changing(what);
  c.p().update_framework(*checked.result);
}

void set_code_fields(call& c, code& k) {
  if (const auto v = c.optional_string("label")) k.label = *v;
  if (const auto v = c.optional_string("description")) k.description = *v;
  if (const auto v = c.optional_string("include")) k.include = *v;
  if (const auto v = c.optional_string("exclude")) k.exclude = *v;
  if (const auto v = c.optional_string("example")) k.example = *v;
  if (const auto v = c.optional_string("color")) k.color = *v;
}

reply post_code(call& c) {
  c.only({"parent", "id", "label", "description", "include", "exclude", "example", "color"});
  auto fw = require_framework(c);
  const auto parent = c.optional_string("parent").value_or("");
  code k;
  k.local_id = c.string("id");
  k.label = c.string("label");
  set_code_fields(c, k);
  const auto id = fw.codes[add_code(fw, k, parent)].id;
  update_framework(c, fw, fmt::format("add code {}", id));
  return answer(changed(c.p(), {{"code", id}}));
}

reply patch_code(call& c) {
  c.only({"id", "label", "description", "include", "exclude", "example", "color"});
  if (c.body().empty()) fail(400, "nothing to change: give \"label\", \"id\" or another field");
  auto fw = require_framework(c);
  const auto id = c.path_part(1);
  const auto index = fw.find(id);
  if (!index) fail(404, unknown_message("code", id, "", fw.ids()));
  auto& k = fw.codes[*index];
  set_code_fields(c, k);
  std::string what = fmt::format("edit code {}", id);
  if (const auto new_id = c.optional_string("id")) {
    // A new local id: the code (and the codes below it, by their local ids) continue
    // under the new full id, taking their codings along, as renamed_from does in a file.
    const auto dot = new_id->rfind('.');
    const auto local = dot == std::string::npos ? *new_id : new_id->substr(dot + 1);
    const auto prefix = id.substr(0, id.size() - k.local_id.size());
    if (dot != std::string::npos && new_id->substr(0, dot + 1) != prefix)
      fail(400, fmt::format("'{}' would move the code under another parent: give a new id "
                            "under '{}'",
                            *new_id, prefix.empty() ? std::string("the themes") : prefix));
    if (local != k.local_id) {
      k.renamed_from = id;
      k.local_id = local;
      k.id = prefix + local;
      what = fmt::format("rename code {} to {}", id, k.id);
    }
  }
  update_framework(c, fw, what);
  return answer(changed(c.p(), {{"code", fw.codes[*index].id}}));
}

reply patch_case(call& c) {
  const auto id = c.path_part(1);
  c.only({"attributes"});
  if (!c.has("attributes") || !c.body()["attributes"].is_object())
    fail(400, "the body needs \"attributes\": {\"name\": \"value\", ...}");
  case_row row;
  row.id = id;
  for (const auto& [name, value] : c.body()["attributes"].items()) {
    if (!value.is_string())
      fail(400, fmt::format("the value of attribute '{}' must be a string", name));
    row.attributes.emplace_back(name, value.get<std::string>());
  }
  c.changing(fmt::format("set attributes of case {}", id));
  c.p().cases().apply({row});
  return answer(changed(c.p()));
}

reply put_document_memo(call& c) {
  const auto id = c.path_part(1);
  c.only({"text"});
  const auto text = c.string("text");
  c.changing(fmt::format("memo on document {}", id));
  c.p().documents().set_memo(id, text);
  return answer(changed(c.p()));
}

reply put_case_memo(call& c) {
  const auto id = c.path_part(1);
  c.only({"text"});
  const auto text = c.string("text");
  c.changing(fmt::format("memo on case {}", id));
  c.p().cases().set_memo(id, text);
  return answer(changed(c.p()));
}

reply put_summary(call& c) {
  c.only({"case", "code", "text", "base"});
  summary_edit e;
  e.case_id = c.string("case");
  e.code = c.string("code");
  e.text = c.string("text");
  e.base = c.string("base");
  c.changing(fmt::format("summary {} {}", e.case_id, e.code));
  const auto result = c.p().summaries().apply({e});
  if (!result.conflicts.empty()) {
    json current = nullptr;
    for (const auto& s : c.p().summaries().list())
      if (s.case_id == e.case_id && s.code == e.code) current = summary_json(s);
    fail(409,
         fmt::format("the summary of {} for {} was changed by someone else since you opened it: "
                     "compare, then save again with the new base",
                     e.case_id, e.code),
         {{"current", current}});
  }
  json saved = nullptr;
  for (const auto& s : c.p().summaries().list())
    if (s.case_id == e.case_id && s.code == e.code) saved = summary_json(s);
  return answer(changed(c.p(), {{"summary", saved}}));
}

reply post_draft(call& c) {
  c.only({"theme"});
  const auto theme = c.string("theme");
  const auto s = load_study(c.p(), true);
  c.changing(fmt::format("summary draft {}", theme));
  const auto filled = c.p().summaries().fill_drafts(draft_summaries(s, theme));
  return answer(changed(c.p(), {{"filled", filled}}));
}

reply post_search_code(call& c) {
  c.only({"code", "hits"});
  const auto code = c.string("code");
  if (!c.has("hits") || !c.body()["hits"].is_array() || c.body()["hits"].empty())
    fail(400,
         "the body needs \"hits\": [{\"doc\", \"start\", \"end\", \"text\"}, ...], the "
         "ticked hits to code");
  std::vector<new_coding> codings;
  for (const auto& h : c.body()["hits"]) {
    if (!h.is_object() || !h.contains("doc") || !h["doc"].is_string() || !h.contains("text") ||
        !h["text"].is_string() || !h.contains("start") || !h["start"].is_number_unsigned() ||
        !h.contains("end") || !h["end"].is_number_unsigned())
      fail(400, fmt::format("hit {} needs \"doc\", \"start\", \"end\" (code points) and "
                            "\"text\"",
                            codings.size() + 1));
    new_coding k;
    k.doc = h["doc"].get<std::string>();
    k.start = h["start"].get<std::size_t>();
    k.end = h["end"].get<std::size_t>();
    k.text = h["text"].get<std::string>();
    k.code = code;
    k.coder = c.coder();
    codings.push_back(std::move(k));
  }
  c.changing(fmt::format("code {} search hits as {}", codings.size(), code));
  const auto result = c.p().codings().add(codings);
  return answer(changed(c.p(), {{"added", result.added}, {"duplicates", result.duplicates}}));
}

// Saves a query under the path's name, once it runs on the study (so that a misspelt
// code or case is refused now, not when the query is next used).
reply put_query(call& c) {
  const auto name = c.path_part(1);
  c.only({"expression"});
  const auto expression = c.string("expression");
  // Its names are checked against the study (without its texts) as running it would.
  const auto s = load_study(c.p(), false);
  checked_query(expression, [&] { check_query(s, parse_query(expression)); });
  c.changing(fmt::format("save query {}", name));
  const auto replaced = c.p().queries().save(name, expression);
  return answer(changed(
      c.p(), {{"replaced", replaced}, {"query", saved_query_json(c.p().queries().get(name))}}));
}

reply delete_query(call& c) {
  const auto name = c.path_part(1);
  if (!c.p().queries().find(name)) {
    try {
      c.p().queries().get(name);  // its message names the saved queries
    } catch (const input_error& e) {
      fail(404, e.what());
    }
    fail(404, fmt::format("there is no saved query '{}'", name));
  }
  c.changing(fmt::format("delete query {}", name));
  c.p().queries().remove(name);
  return answer(changed(c.p()));
}

std::size_t steps(call& c) {
  if (c.req().body.empty()) return 1;
  c.only({"n"});
  if (!c.has("n")) return 1;
  const auto& n = c.body()["n"];
  if (!n.is_number_unsigned() || n.get<std::size_t>() == 0)
    fail(400, "\"n\" must be a whole number of changes, at least 1");
  return n.get<std::size_t>();
}

reply post_undo(call& c) {
  const auto n = steps(c);
  c.changing("undo");
  json out = json::array();
  for (const auto& e : c.p().history().undo(n)) out.push_back(entry_json(e));
  return answer(changed(c.p(), {{"undone", out}}));
}

reply post_redo(call& c) {
  const auto n = steps(c);
  c.changing("redo");
  json out = json::array();
  for (const auto& e : c.p().history().redo(n)) out.push_back(entry_json(e));
  return answer(changed(c.p(), {{"redone", out}}));
}

// ---- routing ----------------------------------------------------------------------

using api_fn = reply (*)(call&);

httplib::Server::Handler handle(workbench& bench, api_fn fn) {
  return [&bench, fn](const httplib::Request& req, httplib::Response& res) {
    auto coder = req.get_header_value("X-Qcode-Coder");
    if (!coder.empty() && !valid_coder_name(coder)) {
      send_error(res, 400,
                 "the coder name (X-Qcode-Coder) must be 1 to 100 characters without "
                 "control characters");
      return;
    }
    const auto& name = coder.empty() ? default_coder() : coder;
    try {
      std::lock_guard lock(bench.lock());
      call c(req, bench, name);
      const auto r = fn(c);
      res.status = r.status;
      res.set_content(r.body, "application/json");
      if (req.method != "GET")
        bench.log() << fmt::format("qcode serve: {} {} by {}\n", req.method, req.path, name);
    } catch (const http_error& e) {
      json body = {{"error", e.what()}};
      if (e.extra.is_object())
        for (auto& [k, v] : e.extra.items()) body[k] = v;
      res.status = e.status;
      res.set_content(dump(body), "application/json");
    } catch (const problems_error& e) {
      json problems = json::array();
      for (const auto& p : e.problems()) problems.push_back(p.str());
      res.status = 400;
      res.set_content(dump({{"error", e.what()}, {"problems", problems}}), "application/json");
    } catch (const input_error& e) {
      send_error(res, 400, e.what());
    }
  };
}

}  // namespace

json parse_json_body(std::string_view body) {
  if (body.empty()) throw input_error("the request needs a JSON object as its body");
  const json::parser_callback_t depth_guard = [](int depth, json::parse_event_t, json&) {
    if (depth > max_json_depth)
      throw input_error(
          fmt::format("the JSON body is nested deeper than {} levels", max_json_depth));
    return true;
  };
  json value;
  try {
    value = json::parse(body, depth_guard);
  } catch (const json::parse_error& e) {
    const std::string what = e.what();
    throw input_error(fmt::format("the body is not valid JSON (at byte {}): {}", e.byte,
                                  what.substr(what.find(':') + 2)));
  }
  if (!value.is_object()) throw input_error("the body must be a JSON object");
  return value;
}

workbench::workbench(const std::string& path, std::ostream& log)
    : p_(project::open(path)), log_(log) {}

std::string error_body(std::string_view message) {
  return dump({{"error", message}});
}

void add_api_routes(httplib::Server& server, workbench& bench) {
  server.Get("/api/state", handle(bench, get_state));
  server.Get("/api/documents", handle(bench, get_documents));
  server.Get(R"(/api/documents/([^/]+))", handle(bench, get_document));
  server.Get("/api/cases", handle(bench, get_cases));
  server.Patch(R"(/api/cases/([^/]+))", handle(bench, patch_case));
  server.Get("/api/framework", handle(bench, get_framework));
  server.Post("/api/codes", handle(bench, post_code));
  server.Patch(R"(/api/codes/([^/]+))", handle(bench, patch_code));
  server.Get("/api/matrix", handle(bench, get_matrix));
  server.Get("/api/chart", handle(bench, get_chart));
  server.Get("/api/passages", handle(bench, get_passages));
  server.Get("/api/summaries", handle(bench, get_summaries));
  server.Put("/api/summaries", handle(bench, put_summary));
  server.Post("/api/summaries/draft", handle(bench, post_draft));
  server.Get("/api/search", handle(bench, get_search));
  server.Post("/api/search/code", handle(bench, post_search_code));
  server.Get("/api/expand", handle(bench, get_expand));
  server.Post("/api/codings", handle(bench, post_coding));
  server.Delete(R"(/api/codings/(\d{1,18}))", handle(bench, delete_coding));
  server.Patch(R"(/api/codings/(\d{1,18}))", handle(bench, patch_coding));
  server.Put(R"(/api/memos/document/([^/]+))", handle(bench, put_document_memo));
  server.Put(R"(/api/memos/case/([^/]+))", handle(bench, put_case_memo));
  server.Get("/api/coders", handle(bench, get_coders));
  server.Get("/api/agreement", handle(bench, get_agreement));
  server.Get("/api/disagreements", handle(bench, get_disagreements));
  server.Get("/api/query", handle(bench, get_query));
  server.Get("/api/queries", handle(bench, get_queries));
  server.Put(R"(/api/queries/([^/]+))", handle(bench, put_query));
  server.Delete(R"(/api/queries/([^/]+))", handle(bench, delete_query));
  server.Get("/api/log", handle(bench, get_log));
  server.Post("/api/undo", handle(bench, post_undo));
  server.Post("/api/redo", handle(bench, post_redo));
}

}  // namespace coding::web
