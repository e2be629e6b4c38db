#include "benchmarks/lib/ann_configs.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace xmodal::bench {
namespace {

int FloorPow2(int64_t v) {
  int p = 1;
  while (int64_t{p} * 2 <= v && p < 65536) p *= 2;
  return p;
}

// The largest divisor of dim that is at most `cap` (at least 1).
int DivisorAtMost(int dim, int cap) {
  for (int m = std::max(1, cap); m > 1; --m) {
    if (dim % m == 0) return m;
  }
  return 1;
}

// The list count in "IVF<nlist>,..." or 0.
int ListsOf(const std::string& factory) {
  const std::string upper = absl::AsciiStrToUpper(factory);
  const size_t at = upper.find("IVF");
  if (at == std::string::npos) return 0;
  size_t end = at + 3;
  while (end < upper.size() && absl::ascii_isdigit(upper[end])) ++end;
  int lists = 0;
  return absl::SimpleAtoi(upper.substr(at + 3, end - at - 3), &lists) ? lists : 0;
}

}  // namespace

int IvfListsFor(int64_t n) {
  const double ideal = 4 * std::sqrt(static_cast<double>(std::max<int64_t>(n, 1)));
  int nearest = 1;
  while (nearest * 2 <= 65536 && std::fabs(nearest * 2 - ideal) < std::fabs(nearest - ideal)) {
    nearest *= 2;
  }
  return std::min(nearest, FloorPow2(std::max<int64_t>(1, n / 39)));
}

std::string KnobName(AnnKnob knob) {
  switch (knob) {
    case AnnKnob::kNprobe:
      return "nprobe";
    case AnnKnob::kEfSearch:
      return "ef_search";
    case AnnKnob::kNone:
      break;
  }
  return "";
}

AnnConfig ConfigFor(const std::string& factory) {
  AnnConfig config{.factory = factory};
  const std::string upper = absl::AsciiStrToUpper(factory);
  if (absl::StrContains(upper, "HNSW")) {
    config.knob = AnnKnob::kEfSearch;
    config.values = {16, 32, 64, 128};
  } else if (const int lists = ListsOf(factory); lists > 0) {
    config.knob = AnnKnob::kNprobe;
    for (int p = 1; p <= std::min(lists, 128); p *= 2) config.values.push_back(p);
  } else {
    config.values = {0};
  }
  return config;
}

std::vector<AnnConfig> DefaultAnnConfigs(int64_t n, int dim) {
  const std::string ivf = absl::StrCat("IVF", IvfListsFor(n), ",");
  std::vector<AnnConfig> configs = {ConfigFor("Flat"), ConfigFor(ivf + "Flat"), ConfigFor("HNSW32"),
                                    ConfigFor(ivf + "SQ8")};
  if (n >= 1000) {
    AnnConfig pq = ConfigFor(absl::StrCat(ivf, "PQ", DivisorAtMost(dim, dim / 8)));
    pq.refines = {0, 10};
    configs.push_back(pq);
  }
  return configs;
}

absl::StatusOr<std::vector<AnnConfig>> ParseAnnConfigs(absl::string_view text) {
  std::vector<AnnConfig> configs;
  for (absl::string_view entry : absl::StrSplit(text, ';')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("index configuration list '", text, "' has an empty entry"));
    }
    int refine = 0;
    const size_t plus = entry.find("+refine");
    if (plus != absl::string_view::npos) {
      if (!absl::SimpleAtoi(entry.substr(plus + 7), &refine) || refine < 1 || refine > 100) {
        return absl::InvalidArgumentError(absl::StrCat(
            "'", entry, "': the refine factor must be an integer in 1..100 (e.g. +refine10)"));
      }
      entry = entry.substr(0, plus);
    }
    AnnConfig config = ConfigFor(std::string(entry));
    if (refine > 0) config.refines = {refine};
    configs.push_back(std::move(config));
  }
  return configs;
}

}  // namespace xmodal::bench
