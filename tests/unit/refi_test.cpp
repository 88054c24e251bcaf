// Tests for libcoding/src/refi*.cpp.
