// Tests for libcoding/src/markdown*.cpp.
