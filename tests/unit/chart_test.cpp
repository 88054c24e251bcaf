// Tests for libcoding/src/chart*.cpp.
