// Human-readable forms of a results document: the Markdown summary and the SVG plots
// (recall@10 against queries/s per index family; latency percentiles against concurrency).
#ifndef XMODAL_BENCHMARKS_LIB_REPORT_H_
#define XMODAL_BENCHMARKS_LIB_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/base/json.h"

namespace xmodal::bench {

// A load run's name in tables and plots: its mix, " to <modalities>" when its queries searched
// only some modalities, its label in parentheses and " over HTTP" when it did not use gRPC
// ("text=1 to image (bfloat16)", "text=1 over HTTP").
std::string LoadRunLabel(const Json& run);

// The Markdown summary: machine and setup, targets, then one section per present part
// (indexing, query load, ANN, micro-benchmarks). Figures are medians with [min-max].
// `plot_files` are linked under "Plots" (file names relative to the Markdown file).
// Never fails: absent or malformed fields print as "-".
std::string RenderMarkdown(const Json& doc, const std::vector<std::string>& plot_files = {});

struct NamedSvg {
  std::string suffix;  // "ann-recall-qps", "load-latency"
  std::string svg;
};

// The plots the document has data for: "ann-recall-qps" (recall@10 against single-query
// QPS, log x, one series per factory and refine) and "load-latency" (p50 / p95 / p99 against
// concurrency for each closed-loop mix).
std::vector<NamedSvg> RenderPlots(const Json& doc);

// Writes <prefix>.json (after `doc["targets"] = EvaluateTargets(doc)`), <prefix>.md and
// <prefix>-<suffix>.svg for each plot. Errors of the file writes.
absl::Status WriteReport(Json& doc, const std::string& prefix);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_REPORT_H_
