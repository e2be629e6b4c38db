#include "benchmarks/lib/ann_bench.h"

#include <glog/logging.h>
#include <malloc.h>

#include <cmath>
#include <filesystem>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmarks/lib/ann_measure.h"
#include "benchmarks/lib/scoped_dir.h"
#include "benchmarks/lib/stats.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/base/threads.h"
#include "core/index/vector_index.h"

namespace xmodal::bench {
namespace {

std::string Label(const AnnConfig& config, int value, int refine) {
  std::string label = config.factory;
  if (config.knob != AnnKnob::kNone)
    absl::StrAppend(&label, " ", KnobName(config.knob), "=", value);
  if (refine > 0) absl::StrAppend(&label, " refine=", refine);
  return label;
}

std::string Mb(double bytes) { return absl::StrFormat("%.1f MB", bytes / 1e6); }

// The point with the highest median QPS (on the speed-up's basis) among those meeting the
// target within the budget.
std::optional<size_t> Choose(const Json& points, const char* basis) {
  std::optional<size_t> best;
  for (size_t i = 0; i < points.size(); ++i) {
    const Json& p = points[i];
    if (!p["meets_recall_target"].get<bool>() || !p["fits_memory_budget"].get<bool>()) continue;
    if (!best || p[basis]["median"].get<double>() > points[*best][basis]["median"].get<double>()) {
      best = i;
    }
  }
  return best;
}

std::string Verdict(const Json& points, std::optional<size_t> choice, const AnnOptions& o,
                    int64_t n, const char* basis) {
  const std::string budget = Mb(static_cast<double>(o.memory_budget_bytes));
  if (choice) {
    const Json& p = points[*choice];
    return absl::StrFormat(
        "%s meets recall@10 >= %g (%.3f) within the %s budget (%s) at %.0f queries/s (%s), "
        "%.1fx exact search",
        p["label"].get<std::string>(), o.recall_target, p["recall_at_10"].get<double>(), budget,
        Mb(p["memory_bytes_per_vector"].get<double>() * static_cast<double>(n)),
        p[basis]["median"].get<double>(),
        std::string(basis) == "cpu_qps" ? "per CPU-second of one thread" : "wall clock",
        p["speedup_vs_exact"].get<double>());
  }
  std::optional<size_t> best_recall;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!points[i]["fits_memory_budget"].get<bool>()) continue;
    if (!best_recall || points[i]["recall_at_10"].get<double>() >
                            points[*best_recall]["recall_at_10"].get<double>()) {
      best_recall = i;
    }
  }
  if (!best_recall) return absl::StrCat("no configuration fits the ", budget, " memory budget");
  return absl::StrFormat(
      "no configuration reaches recall@10 >= %g within the %s budget; the best within it is %s "
      "with %.3f",
      o.recall_target, budget, points[*best_recall]["label"].get<std::string>(),
      points[*best_recall]["recall_at_10"].get<double>());
}

}  // namespace

absl::Status ValidateAnnOptions(const AnnOptions& o) {
  if (!(o.recall_target > 0 && o.recall_target <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("recall target ", o.recall_target, " is outside (0, 1]"));
  }
  if (o.memory_budget_bytes <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("memory budget ", o.memory_budget_bytes, " bytes is not positive"));
  }
  if (o.build_threads < 0 || o.search_threads < 1) {
    return absl::InvalidArgumentError(absl::StrCat("thread counts (build ", o.build_threads,
                                                   ", search ", o.search_threads,
                                                   ") must be >= 0 and >= 1"));
  }
  if (o.repetitions < 1 || o.repetitions > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("repetitions ", o.repetitions, " is outside 1..100"));
  }
  if (!std::isfinite(o.seconds_per_point) || o.seconds_per_point <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("seconds per point ", o.seconds_per_point, " is not positive"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Json> RunAnnBench(const AnnData& data, const AnnOptions& options) {
  XM_RETURN_IF_ERROR(ValidateAnnOptions(options));
  if (data.base.rows < 1 || data.queries.rows < 1 || data.base.cols != data.queries.cols) {
    return absl::InvalidArgumentError(
        absl::StrCat("ANN data needs base and query vectors of one width; got ", data.base.rows,
                     "x", data.base.cols, " and ", data.queries.rows, "x", data.queries.cols));
  }
  // One malloc arena, so that mallinfo2 sees what FAISS's OpenMP threads allocate too.
  mallopt(M_ARENA_MAX, 1);
  const int build_threads = ResolveThreadCount(options.build_threads);
  std::string work_dir = options.work_dir;
  if (work_dir.empty()) {
    XM_ASSIGN_OR_RETURN(work_dir, MakeTempDirectory("xmodal-ann-"));
  }
  // A temporary directory of our own goes when this returns, on every path.
  const ScopedDirRemover remove_work(options.work_dir.empty() ? work_dir : std::string());
  const int64_t n = data.base.rows;
  const int dim = static_cast<int>(data.base.cols);
  const std::vector<AnnConfig> configs =
      options.configs.empty() ? DefaultAnnConfigs(n, dim) : options.configs;

  index::SetIndexThreads(build_threads);
  LOG(INFO) << "ann: " << n << " x " << dim << ", " << data.queries.rows << " queries, "
            << configs.size() << " configurations; exact neighbours first";
  XM_ASSIGN_OR_RETURN(auto truth, ExactNeighbors(data.base, data.queries,
                                                 static_cast<int>(std::min<int64_t>(100, n))));

  // Exact search is measured like any other point: a Flat index searched one query at a time.
  const PointPlan base_plan{.build_threads = build_threads,
                            .search_threads = options.search_threads,
                            .repetitions = options.repetitions,
                            .seconds_per_pass = options.seconds_per_point};
  XM_ASSIGN_OR_RETURN(BuiltIndex exact, BuildIndex("Flat", data.base, build_threads, work_dir));
  XM_ASSIGN_OR_RETURN(PointMeasurement exact_m, MeasurePoint(*exact.index, data, truth, base_plan));
  exact.index.reset();
  const Spread exact_qps = Summarize(exact_m.qps);
  // With one search thread, the calling thread's CPU time is the cost of a query and is not
  // inflated by other processes on a busy machine, so speed-ups and the choice use it.
  const bool cpu_basis = options.search_threads == 1;
  const char* basis = cpu_basis ? "cpu_qps" : "qps";
  const Spread exact_basis = Summarize(cpu_basis ? exact_m.cpu_qps : exact_m.qps);

  Json points = Json::array();
  Json skipped = Json::array();
  for (const AnnConfig& config : configs) {
    LOG(INFO) << "ann: building " << config.factory;
    absl::StatusOr<BuiltIndex> built =
        BuildIndex(config.factory, data.base, build_threads, work_dir);
    if (!built.ok()) {
      LOG(WARNING) << "ann: skipping " << config.factory << ": " << built.status();
      skipped.push_back({{"factory", config.factory}, {"reason", built.status().ToString()}});
      continue;
    }
    LOG(INFO) << "ann: built " << config.factory << " in "
              << absl::StrFormat("%.1f s", built->build_seconds) << "; measuring "
              << config.values.size() * config.refines.size() << " points";
    for (const int value : config.values) {
      for (const int refine : config.refines) {
        PointPlan plan = base_plan;
        plan.knob = config.knob;
        plan.value = value;
        plan.refine = refine;
        absl::StatusOr<PointMeasurement> measured = MeasurePoint(*built->index, data, truth, plan);
        if (!measured.ok()) {
          skipped.push_back({{"factory", Label(config, value, refine)},
                             {"reason", measured.status().ToString()}});
          continue;
        }
        const PointMeasurement& m = *measured;
        const Spread qps = Summarize(m.qps);
        LOG(INFO) << "ann: " << Label(config, value, refine)
                  << absl::StrFormat(": recall@10 %.3f, %.0f queries/s", m.recall_at_10,
                                     qps.median);
        const double memory = built->memory_bytes_per_vector > 0 ? built->memory_bytes_per_vector
                                                                 : built->file_bytes_per_vector;
        points.push_back(
            {{"label", Label(config, value, refine)},
             {"factory", config.factory},
             {"knob", KnobName(config.knob)},
             {"knob_value", config.knob == AnnKnob::kNone ? Json(nullptr) : Json(value)},
             {"refine", refine},
             {"build_seconds", built->build_seconds},
             {"file_bytes_per_vector", built->file_bytes_per_vector},
             {"memory_bytes_per_vector", memory},
             {"recall_at_1", m.recall_at_1},
             {"recall_at_10", m.recall_at_10},
             {"recall_at_100", m.recall_at_100},
             {"qps", SpreadToJson(qps)},
             {"cpu_qps", SpreadToJson(Summarize(m.cpu_qps))},
             {"speedup_vs_exact",
              exact_basis.median > 0
                  ? Summarize(cpu_basis ? m.cpu_qps : m.qps).median / exact_basis.median
                  : 0.0},
             {"meets_recall_target", m.recall_at_10 >= options.recall_target},
             {"fits_memory_budget", memory * static_cast<double>(n) <=
                                        static_cast<double>(options.memory_budget_bytes)}});
      }
    }
  }

  const std::optional<size_t> choice = Choose(points, basis);
  Json out{
      {"source", data.source},
      {"modality", data.modality ? Json(std::string(ModalityName(*data.modality))) : Json(nullptr)},
      {"vectors", n},
      {"dim", dim},
      {"queries", data.queries.rows},
      {"build_threads", build_threads},
      {"search_threads", options.search_threads},
      {"speedup_basis", basis},
      {"repetitions", options.repetitions},
      {"seconds_per_point", options.seconds_per_point},
      {"recall_target", options.recall_target},
      {"memory_budget_bytes", options.memory_budget_bytes},
      {"exact",
       {{"factory", "Flat"},
        {"qps", SpreadToJson(exact_qps)},
        {"cpu_qps", SpreadToJson(Summarize(exact_m.cpu_qps))},
        {"build_seconds", exact.build_seconds},
        {"memory_bytes_per_vector", exact.memory_bytes_per_vector}}},
      {"points", points},
      {"skipped", skipped},
      {"choice", choice ? points[*choice] : Json(nullptr)},
      {"verdict", Verdict(points, choice, options, n, basis)}};
  return out;
}

}  // namespace xmodal::bench
