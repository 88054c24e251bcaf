// Writers (exchange) are above the analysis layer.
#include "coding/exchange.hpp"
