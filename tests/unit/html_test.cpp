// Tests for libcoding/src/html*.cpp.
