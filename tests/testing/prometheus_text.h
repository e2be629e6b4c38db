// A strict parser of the Prometheus text exposition format 0.0.4, for tests that check what a
// `/metrics` endpoint serves:
//
//   ASSERT_OK_AND_ASSIGN(PrometheusScrape scrape, ParsePrometheusText(body));
//   EXPECT_EQ(scrape.Type("xmodal_requests_total"), PrometheusType::kCounter);
//   EXPECT_EQ(scrape.Value("xmodal_requests_total",
//                          {{"method", "Search"}, {"transport", "http"}, {"code", "OK"}}), 3);
//
// Stricter than Prometheus itself, so that a test catches output that a scraper would accept
// only by luck. Rejected, as INVALID_ARGUMENT whose message starts "line N: ":
//   - text that does not end with a line feed;
//   - metric or label names outside [a-zA-Z_:][a-zA-Z0-9_:]* / [a-zA-Z_][a-zA-Z0-9_]*, the
//     label name __name__, a label given twice in one sample;
//   - malformed label sets (missing '=', quote, ',' or '}') and escapes other than \\, \" and
//     \n in label values (\\ and \n in HELP text);
//   - values other than decimal floats, +Inf, -Inf and NaN; timestamps other than integers;
//   - a TYPE other than counter, gauge, histogram, summary or untyped; a second TYPE or HELP
//     for a family; a TYPE after samples of its family (a sample before its family's TYPE:
//     such a sample was taken as untyped, which the later TYPE contradicts);
//   - the lines of a family not grouped together; the same series (name and labels) twice;
//   - a negative counter; a histogram sample not named _bucket, _sum or _count, a _bucket
//     without an le label (or with an le that is not a float), le on _sum or _count;
//   - per histogram series: buckets not in increasing le order or not cumulative
//     (non-decreasing), negative, no le="+Inf" bucket, a _count missing or different from the
//     +Inf bucket, a _sum missing;
//   - a summary sample without a float quantile label.
// A sample with no TYPE line for its family is accepted as untyped (the format allows it);
// tests that want every family typed check Family(...)->type.
//
// Thread-safety: ParsePrometheusText is; a PrometheusScrape is immutable once returned.
#ifndef XMODAL_TESTS_TESTING_PROMETHEUS_TEXT_H_
#define XMODAL_TESTS_TESTING_PROMETHEUS_TEXT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::testing {

enum class PrometheusType { kCounter, kGauge, kHistogram, kSummary, kUntyped };

// "counter", "gauge", "histogram", "summary" or "untyped".
absl::string_view PrometheusTypeName(PrometheusType type);

using PrometheusLabels = std::map<std::string, std::string>;

struct PrometheusSample {
  std::string name;         // e.g. "x_bucket" for a sample of histogram x
  PrometheusLabels labels;  // unescaped values
  double value = 0;
  std::optional<int64_t> timestamp_ms;
  int line = 0;  // 1-based
};

struct PrometheusFamily {
  std::string name;
  PrometheusType type = PrometheusType::kUntyped;
  bool typed = false;               // declared by a TYPE line (else an implicit untyped family)
  std::optional<std::string> help;  // unescaped
  std::vector<PrometheusSample> samples;  // in the order of the text
};

class PrometheusScrape {
 public:
  // The value of the series named `name` (a sample name: "x_count", "x_bucket", ...) whose
  // labels are exactly `labels`; nullopt when there is none.
  std::optional<double> Value(absl::string_view name, const PrometheusLabels& labels = {}) const;

  // The type of family `family`; nullopt when the text has no such family.
  std::optional<PrometheusType> Type(absl::string_view family) const;

  // Family `family`, or nullptr.
  const PrometheusFamily* Family(absl::string_view family) const;

  // The samples named `name` whose labels include every pair of `labels` (a subset match), in
  // text order, and the sum of their values (0 when there is none).
  std::vector<const PrometheusSample*> Samples(absl::string_view name,
                                               const PrometheusLabels& labels = {}) const;
  double Sum(absl::string_view name, const PrometheusLabels& labels = {}) const;

  // By family name.
  const std::map<std::string, PrometheusFamily, std::less<>>& families() const { return families_; }

 private:
  friend absl::StatusOr<PrometheusScrape> ParsePrometheusText(absl::string_view text);

  std::map<std::string, PrometheusFamily, std::less<>> families_;
  // (sample name, labels) -> (family name, index in its samples).
  std::map<std::pair<std::string, PrometheusLabels>, std::pair<std::string, size_t>> series_;
  std::map<std::string, std::string, std::less<>> family_of_sample_;  // sample name -> family
};

// Parses a whole scrape; errors as listed above.
absl::StatusOr<PrometheusScrape> ParsePrometheusText(absl::string_view text);

}  // namespace xmodal::testing

#endif  // XMODAL_TESTS_TESTING_PROMETHEUS_TEXT_H_
