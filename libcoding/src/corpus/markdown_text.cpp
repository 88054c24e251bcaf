// Markdown transcripts read through cmark: the text a reader sees, not the markup, so
// that `**José Valim:**` is found as a speaker label and quotes carry no `\[` or `**`.
// See markdown_text in markdown_text.hpp and docs/transcript-format.md.

#include "markdown_text.hpp"

#include <cmark.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

namespace coding::detail {
namespace {

struct node_deleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct iter_deleter {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

bool is_comment(const char* html) {
  return html != nullptr && std::string_view(html).starts_with("<!--");
}

std::string_view literal(cmark_node* node) {
  const char* s = cmark_node_get_literal(node);
  return s == nullptr ? std::string_view{} : std::string_view(s);
}

// Leaf blocks of one tight list are separated by a line break, as the list is shown;
// any others by a blank line. "One tight list": the closest block holding both is a
// list or a list item whose list is tight.
bool in_one_tight_list(cmark_node* previous, cmark_node* next) {
  std::unordered_set<cmark_node*> above_previous;
  for (auto* n = cmark_node_parent(previous); n != nullptr; n = cmark_node_parent(n))
    above_previous.insert(n);
  for (auto* n = cmark_node_parent(next); n != nullptr; n = cmark_node_parent(n)) {
    if (above_previous.count(n) == 0) continue;
    if (cmark_node_get_type(n) == CMARK_NODE_ITEM) n = cmark_node_parent(n);
    return cmark_node_get_type(n) == CMARK_NODE_LIST && cmark_node_get_list_tight(n) != 0;
  }
  return false;
}

}  // namespace

std::string markdown_text(std::string_view source) {
  const std::unique_ptr<cmark_node, node_deleter> root(
      cmark_parse_document(source.data(), source.size(), CMARK_OPT_DEFAULT));
  if (!root) return {};
  const std::unique_ptr<cmark_iter, iter_deleter> iter(cmark_iter_new(root.get()));
  std::string out;
  cmark_node* previous_block = nullptr;
  auto start_block = [&](cmark_node* block) {
    if (previous_block != nullptr) out += in_one_tight_list(previous_block, block) ? "\n" : "\n\n";
    previous_block = block;
  };
  for (auto ev = cmark_iter_next(iter.get()); ev != CMARK_EVENT_DONE;
       ev = cmark_iter_next(iter.get())) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING:
        start_block(node);
        break;
      case CMARK_NODE_CODE_BLOCK: {
        auto code = literal(node);
        if (code.ends_with('\n')) code.remove_suffix(1);
        start_block(node);
        out += code;
        break;
      }
      case CMARK_NODE_HTML_BLOCK: {
        // A comment is not shown; other HTML is kept as written, since qcode does not
        // render it and the words in it may be what was said.
        if (is_comment(cmark_node_get_literal(node))) break;
        auto html = literal(node);
        while (html.ends_with('\n')) html.remove_suffix(1);
        start_block(node);
        out += html;
        break;
      }
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        out += literal(node);
        break;
      case CMARK_NODE_HTML_INLINE:
        if (!is_comment(cmark_node_get_literal(node))) out += literal(node);
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out += '\n';
        break;
      default:  // containers, emphasis, strong, links and images: only their content shows
        break;
    }
  }
  if (!out.empty()) out += '\n';
  return out;
}

}  // namespace coding::detail
