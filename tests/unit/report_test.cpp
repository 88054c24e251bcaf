// Tests for libcoding/src/report*.cpp.
