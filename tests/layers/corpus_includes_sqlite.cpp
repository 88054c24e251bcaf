// A private header of the store (SQLite) is above the corpus layer.
#include "sqlite.hpp"
