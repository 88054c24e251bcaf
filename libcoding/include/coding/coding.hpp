#pragma once
/// \file
/// Everything in libcoding, for users who want one include.

#include "coding/agreement.hpp"
#include "coding/analysis.hpp"
#include "coding/chart.hpp"
#include "coding/codings.hpp"
#include "coding/cooccur.hpp"
#include "coding/document.hpp"
#include "coding/error.hpp"
#include "coding/exchange.hpp"
#include "coding/framework.hpp"
#include "coding/project.hpp"
#include "coding/query.hpp"
#include "coding/quotes.hpp"
#include "coding/refi.hpp"
#include "coding/render.hpp"
#include "coding/report.hpp"
#include "coding/search.hpp"
#include "coding/speakers.hpp"
#include "coding/text.hpp"
#include "coding/version.hpp"
