#include "yaml_guard.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace coding::detail {
namespace {

// Reads the parser's events without building nodes, keeping for each anchor how many
// nodes and how many levels it stands for, so that an alias costs what walking it would
// cost, and stopping at the first alias or node past a limit.
class shape_check : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& name) override { pending_name_ = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto& a = anchor_of(anchor);
    if (a.open)
      throw yaml_limit_error(
          mark, fmt::format("alias '*{}' refers to a node that contains it (an anchor cycle); "
                            "write the repeated part out instead of the alias",
                            a.name));
    const auto depth = path_.size() + a.height;
    if (depth > kYamlMaxDepth)
      throw yaml_limit_error(
          mark, fmt::format("alias '*{}' nests the document {} levels deep (limit {}); write "
                            "it with less nesting",
                            a.name, depth, kYamlMaxDepth));
    repeated_ += a.nodes;
    if (repeated_ > kYamlMaxAliasNodes)
      throw yaml_limit_error(
          mark, fmt::format("alias '*{}' makes aliases repeat more than {} nodes in all (limit "
                            "{}); write the repeated parts out or use fewer aliases",
                            a.name, kYamlMaxAliasNodes, kYamlMaxAliasNodes));
    nodes_ += a.nodes;
    reach(depth);
  }

 private:
  struct anchored {
    std::string name;
    std::size_t nodes = 1;   // nodes the anchored node stands for, its aliases expanded
    std::size_t height = 1;  // levels, the node itself included
    bool open = false;       // still being read: an alias to it now is a cycle
  };
  struct open_node {
    YAML::anchor_t anchor;
    std::size_t first;    // nodes_ before it
    std::size_t deepest;  // the deepest level reached inside it
  };

  anchored& anchor_of(YAML::anchor_t anchor) {
    // yaml-cpp numbers anchors 1, 2, ... in the order they are defined.
    if (anchors_.size() < anchor) anchors_.resize(anchor);
    return anchors_[anchor - 1];
  }

  // A new node at the next level; returns its level.
  std::size_t enter(const YAML::Mark& mark, YAML::anchor_t anchor) {
    const auto depth = path_.size() + 1;
    if (depth > kYamlMaxDepth)
      throw yaml_limit_error(mark, fmt::format("nesting deeper than {} levels (the limit); write "
                                               "it with less nesting",
                                               kYamlMaxDepth));
    ++nodes_;
    reach(depth);
    if (anchor != YAML::NullAnchor) anchor_of(anchor) = {std::move(pending_name_), 1, 1, false};
    pending_name_.clear();
    return depth;
  }

  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) { enter(mark, anchor); }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    const auto depth = enter(mark, anchor);
    if (anchor != YAML::NullAnchor) anchor_of(anchor).open = true;
    path_.push_back({anchor, nodes_ - 1, depth});
  }

  void close() {
    const auto node = path_.back();
    const auto depth = path_.size();
    path_.pop_back();
    if (node.anchor != YAML::NullAnchor) {
      auto& a = anchor_of(node.anchor);
      a.nodes = nodes_ - node.first;
      a.height = node.deepest - depth + 1;
      a.open = false;
    }
    reach(node.deepest);
  }

  void reach(std::size_t depth) {
    if (!path_.empty()) path_.back().deepest = std::max(path_.back().deepest, depth);
  }

  std::vector<anchored> anchors_;  // by anchor number - 1
  std::vector<open_node> path_;    // the collections being read, outermost first
  std::string pending_name_;       // OnAnchor comes just before its node's event
  std::size_t nodes_ = 0;          // nodes so far, aliases expanded
  std::size_t repeated_ = 0;       // of which aliases added
};

}  // namespace

YAML::Node load_yaml(std::string_view text) {
  const std::string copy(text);
  {
    std::istringstream in(copy);
    YAML::Parser parser(in);
    shape_check check;
    parser.HandleNextDocument(check);
  }
  return YAML::Load(copy);
}

}  // namespace coding::detail
