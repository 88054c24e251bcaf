// Selectors (the coding layer) are above the store.
#include "coding/codings.hpp"
