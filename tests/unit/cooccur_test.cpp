// Co-occurrence against the hand-worked fixture in tests/fixtures/mini (WORKING.md,
// "Co-occurrence").

#include <doctest/doctest.h>

#include <coding/cooccur.hpp>
#include <coding/error.hpp>

#include "mini_study.hpp"

namespace {

struct mini {
  test::temp_dir dir;
  coding::project p = test::make_mini_project(dir.file("mini.qcode"));
  coding::study s = coding::load_study(p, true);
};

using counts = std::vector<std::vector<std::size_t>>;

}  // namespace

TEST_CASE("theme co-occurrence counts the passages where both themes apply") {
  mini m;
  coding::cooccur_options o;
  o.level = coding::matrix_level::theme;
  const auto c = coding::compute_cooccurrence(m.s, o);
  REQUIRE(c.codes.size() == 2);
  CHECK(c.codes[0].code == "a");
  REQUIRE(c.tables.size() == 1);
  CHECK(c.tables[0].n == 5);
  // a x b: I1 [20,30) and [44,48). Diagonal a: I1 [12,30), [44,48); G1 [17,45), [50,57).
  // Diagonal b: I1 [20,50), I2 [4,18); G1 [5,11) is the moderator's and counts nowhere.
  CHECK(c.tables[0].counts == counts{{4, 2}, {2, 2}});
}

TEST_CASE("code co-occurrence") {
  mini m;
  const auto c = coding::compute_cooccurrence(m.s, {});
  REQUIRE(c.codes.size() == 3);  // a.x, a.y, b.z
  // a.x x a.y: none; a.x x b.z: I1 [20,30); a.y x b.z: I1 [44,48).
  // Diagonal: a.x I1 [12,30), G1 [17,45); a.y I1 [44,48), G1 [50,57); b.z I1, I2.
  CHECK(c.tables[0].counts == counts{{2, 0, 1}, {0, 2, 1}, {1, 1, 2}});
}

TEST_CASE("co-occurrence by group counts a passage for each group it speaks for") {
  mini m;
  coding::cooccur_options o;
  o.level = coding::matrix_level::theme;
  o.by = "group";
  const auto c = coding::compute_cooccurrence(m.s, o);
  REQUIRE(c.tables.size() == 2);
  CHECK(c.tables[0].id == "staff");
  CHECK(c.tables[0].n == 3);
  // staff: a = G1 [17,45) (Ann) and [50,57) (Cy); b = I2 [4,18) (K5); no a x b.
  CHECK(c.tables[0].counts == counts{{2, 0}, {0, 1}});
  // client: a = I1 two, G1 [17,45) (Bob); b = I1 [20,50); a x b = I1 two.
  CHECK(c.tables[1].counts == counts{{3, 2}, {2, 1}});
}

TEST_CASE("co-occurrence filters and quotes") {
  mini m;
  coding::cooccur_options o;
  o.where = {{"district", "South"}};  // K3, K4: only G1's passages of Bob and Cy
  auto c = coding::compute_cooccurrence(m.s, o);
  CHECK(c.tables[0].n == 2);
  CHECK(c.tables[0].counts == counts{{1, 0, 0}, {0, 1, 0}, {0, 0, 0}});
  o = {};
  o.coder = "nobody";
  CHECK_THROWS_WITH_AS(coding::compute_cooccurrence(m.s, o), doctest::Contains("unknown coder"),
                       coding::input_error);
  o = {};
  const auto q = coding::cooccurrence_quotes(m.s, o);
  REQUIRE(q.size() == 2);
  CHECK(q[0].row == "a.x");
  CHECK(q[0].column == "b.z");
  CHECK(q[0].text == "it helped.");
  CHECK(q[0].reference == "I1 l.2");
  CHECK(q[0].code_path == "Code A.x × Code B.z");
  CHECK(q[1].text == "Café");
}
