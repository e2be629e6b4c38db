// RenderPlots and WriteReport (report.h).
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/lib/json_util.h"
#include "benchmarks/lib/report.h"
#include "benchmarks/lib/svg_plot.h"
#include "benchmarks/lib/targets.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"

namespace xmodal::bench {
namespace {

std::optional<NamedSvg> AnnPlot(const Json& doc) {
  const Json* points = JsonAt(doc, "ann/points");
  if (points == nullptr || !points->is_array() || points->empty()) return std::nullopt;
  LineChart chart{.title = absl::StrCat("Recall@10 against single-query QPS (",
                                        NumberAt(doc, "ann/vectors").value_or(0), " x ",
                                        NumberAt(doc, "ann/dim").value_or(0), " vectors)"),
                  .x_label = "queries per second (1 thread, log scale)",
                  .y_label = "recall@10",
                  .log_x = true};
  // Queries/s on the basis the comparison used (per CPU-second with one search thread).
  const std::string basis = StringAt(doc, "ann/speedup_basis").value_or("qps");
  if (basis == "cpu_qps") chart.x_label = "queries per CPU-second, one thread (log scale)";
  std::map<std::string, size_t> series;  // factory + refine -> index in chart.series
  for (const Json& p : *points) {
    const std::optional<double> qps = NumberAt(p, basis + "/median");
    const std::optional<double> recall = NumberAt(p, "recall_at_10");
    if (!qps || !recall) continue;
    std::string name = StringAt(p, "factory").value_or("?");
    if (NumberAt(p, "refine").value_or(0) > 0) {
      absl::StrAppend(&name, " +refine", NumberAt(p, "refine").value_or(0));
    }
    auto [it, added] = series.emplace(name, chart.series.size());
    if (added) {
      const bool refined = NumberAt(p, "refine").value_or(0) > 0;
      chart.series.push_back({.name = name, .dash = refined ? "7,4" : ""});
    }
    chart.series[it->second].points.emplace_back(*qps, *recall);
  }
  const std::optional<double> exact = NumberAt(doc, "ann/exact/" + basis + "/median");
  if (exact) chart.series.push_back({.name = "exact (Flat)", .points = {{*exact, 1.0}}});
  return NamedSvg{"ann-recall-qps", RenderSvg(chart)};
}

std::optional<NamedSvg> LoadPlot(const Json& doc) {
  const Json* runs = JsonAt(doc, "load/runs");
  if (runs == nullptr || !runs->is_array() || runs->empty()) return std::nullopt;
  LineChart chart{.title = "Query latency against concurrency (closed loop, loopback gRPC)",
                  .x_label = "concurrent clients",
                  .y_label = "latency (ms, log scale)",
                  .log_x = true,
                  .log_y = true};
  // One colour per mix; p50 solid, p95 dashed, p99 dotted.
  std::map<std::string, size_t> series;
  std::map<std::string, int> colours;
  for (const Json& r : *runs) {
    if (StringAt(r, "mode") != std::string("closed")) continue;
    const std::optional<double> c = NumberAt(r, "concurrency");
    if (!c) continue;
    const std::string mix = LoadRunLabel(r);
    const int colour = colours.emplace(mix, static_cast<int>(colours.size())).first->second;
    for (const auto& [p, dash] :
         {std::pair<const char*, const char*>{"p50", ""}, {"p95", "7,4"}, {"p99", "2,3"}}) {
      const std::optional<double> v = NumberAt(r, absl::StrCat("latency_ms/", p, "/median"));
      if (!v) continue;
      const std::string name = absl::StrCat(mix, " ", p);
      auto [it, added] = series.emplace(name, chart.series.size());
      if (added) chart.series.push_back({.name = name, .colour = colour, .dash = dash});
      chart.series[it->second].points.emplace_back(*c, *v);
    }
  }
  if (chart.series.empty()) return std::nullopt;
  for (PlotSeries& s : chart.series) std::sort(s.points.begin(), s.points.end());
  return NamedSvg{"load-latency", RenderSvg(chart)};
}

}  // namespace

std::vector<NamedSvg> RenderPlots(const Json& doc) {
  std::vector<NamedSvg> plots;
  if (auto p = AnnPlot(doc)) plots.push_back(*std::move(p));
  if (auto p = LoadPlot(doc)) plots.push_back(*std::move(p));
  return plots;
}

absl::Status WriteReport(Json& doc, const std::string& prefix) {
  doc["targets"] = EvaluateTargets(doc);
  XM_RETURN_IF_ERROR(WriteJsonFile(prefix + ".json", doc));
  std::vector<std::string> plot_files;
  const std::string base = prefix.substr(prefix.rfind('/') + 1);
  for (const NamedSvg& plot : RenderPlots(doc)) {
    XM_RETURN_IF_ERROR(
        WriteFileAtomically(absl::StrCat(prefix, "-", plot.suffix, ".svg"), plot.svg));
    plot_files.push_back(absl::StrCat(base, "-", plot.suffix, ".svg"));
  }
  return WriteFileAtomically(prefix + ".md", RenderMarkdown(doc, plot_files));
}

}  // namespace xmodal::bench
