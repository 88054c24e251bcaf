// The top layer sees every public header and the private headers below it.
#include "attribution.hpp"
#include "coding/coding.hpp"
#include "csv.hpp"
#include "sqlite.hpp"
#include "utf8.hpp"
