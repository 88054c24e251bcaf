// Tests for libcoding/src/xlsx*.cpp.
