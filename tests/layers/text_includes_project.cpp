// The text layer is the lowest: the store is above it.
#include "coding/project.hpp"
