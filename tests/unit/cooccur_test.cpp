// Tests for libcoding/src/cooccur*.cpp.
