// RenderMarkdown (report.h).
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "benchmarks/lib/json_util.h"
#include "benchmarks/lib/report.h"

namespace xmodal::bench {
namespace {

// Three significant figures, without exponents for large values.
std::string Fmt(double v) {
  if (std::fabs(v) >= 1e6) return absl::StrFormat("%.3gM", v / 1e6);
  if (v == std::floor(v)) return absl::StrFormat("%.0f", v);
  if (v >= 100) return absl::StrFormat("%.0f", v);
  if (v >= 10) return absl::StrFormat("%.1f", v);
  return absl::StrFormat("%.3g", v);
}

std::string Opt(std::optional<double> v) { return v ? Fmt(*v) : "-"; }

// "median [min-max]" of a spread object at `path`.
std::string Spread(const Json& j, const std::string& path, double scale = 1.0) {
  const std::optional<double> med = NumberAt(j, path + "/median");
  if (!med || NumberAt(j, path + "/n").value_or(0) == 0) return "-";
  const double lo = NumberAt(j, path + "/min").value_or(*med),
               hi = NumberAt(j, path + "/max").value_or(*med);
  if (lo == hi) return Fmt(*med * scale);
  return absl::StrCat(Fmt(*med * scale), " [", Fmt(lo * scale), "–", Fmt(hi * scale), "]");
}

std::string Str(const Json& j, const std::string& path) { return StringAt(j, path).value_or("-"); }

std::string Cell(std::string s) {
  for (char& c : s) {
    if (c == '|' || c == '\n') c = ' ';
  }
  return s;
}

void Table(std::string& out, const std::vector<std::string>& header,
           const std::vector<std::vector<std::string>>& rows) {
  absl::StrAppend(&out, "| ", absl::StrJoin(header, " | "), " |\n|");
  for (size_t i = 0; i < header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    for (const std::string& c : row) cells.push_back(Cell(c));
    absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
  }
  out += "\n";
}

const Json& ArrayAt(const Json& doc, const std::string& path) {
  static const Json empty = Json::array();
  const Json* j = JsonAt(doc, path);
  return j != nullptr && j->is_array() ? *j : empty;
}

std::string SourceAndNote(const Json& t) {
  std::vector<std::string> parts;
  for (const char* key : {"source", "note"}) {
    const std::string v = StringAt(t, key).value_or("");
    if (!v.empty()) parts.push_back(v);
  }
  return absl::StrJoin(parts, "; ");
}

void Targets(std::string& out, const Json& doc) {
  std::vector<std::vector<std::string>> rows;
  for (const Json& t : ArrayAt(doc, "targets")) {
    const Json* met = JsonAt(t, "met");
    const std::string verdict = met == nullptr || met->is_null()        ? "not measured"
                                : met->is_boolean() && met->get<bool>() ? "**met**"
                                                                        : "missed";
    rows.push_back({Str(t, "name"), Str(t, "target"),
                    absl::StrCat(Opt(NumberAt(t, "value")), " ", Str(t, "unit")), verdict,
                    SourceAndNote(t)});
  }
  if (rows.empty()) return;
  out += "## Targets (issue 4)\n\n";
  Table(out, {"Target", "Goal", "Measured", "Verdict", "Source"}, rows);
}

void Index(std::string& out, const Json& doc) {
  const Json* index = JsonAt(doc, "index");
  if (index == nullptr || !index->is_object()) return;
  absl::StrAppendFormat(
      &out,
      "## Indexing\n\nModel %s %s (dim %s), batch %s, threads %s (0 = all "
      "cores), %s measured runs per modality after %s warm-up; peak RSS %s MB.\n\n",
      Str(*index, "model/name"), Str(*index, "model/version"), Opt(NumberAt(*index, "model/dim")),
      Opt(NumberAt(*index, "batch_size")), Opt(NumberAt(*index, "threads")),
      Opt(NumberAt(*index, "repetitions")), Opt(NumberAt(*index, "warmup_runs")),
      Opt(NumberAt(*index, "peak_rss_bytes").value_or(0) / 1e6));
  std::vector<std::vector<std::string>> rows;
  const Json* per = JsonAt(*index, "per_modality");
  for (const char* m : {"text", "image", "audio"}) {
    const Json* s = per != nullptr ? JsonAt(*per, m) : nullptr;
    if (s == nullptr) continue;
    rows.push_back({m, Opt(NumberAt(*s, "indexed")), Opt(NumberAt(*s, "failed")),
                    Spread(*s, "items_per_second"), Spread(*s, "wall_items_per_second"),
                    Spread(*s, "stage_seconds/prepare"), Spread(*s, "stage_seconds/encode"),
                    Spread(*s, "stage_seconds/commit"), Spread(*s, "stage_seconds/index_build")});
  }
  Table(out,
        {"Modality", "Items", "Failed", "Items/s (pipeline)", "Items/s (whole run)",
         "Prepare s (thread sum)", "Encode s", "Commit s", "Index build s"},
        rows);
  if (const Json* full = JsonAt(*index, "full_run"); full != nullptr && full->is_object()) {
    absl::StrAppendFormat(&out,
                          "Whole corpus into the served collection: %s items/s through the "
                          "pipeline, %s s wall, %s failed.\n\n",
                          Opt(NumberAt(*full, "items_per_second")),
                          Opt(NumberAt(*full, "wall_seconds")), Opt(NumberAt(*full, "failed")));
  }
}

void Load(std::string& out, const Json& doc) {
  const Json& runs = ArrayAt(doc, "load/runs");
  if (runs.empty()) return;
  out += "## Query load over loopback (gRPC unless the mix says HTTP)\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const Json& r : runs) {
    std::string errors;
    if (const Json* e = JsonAt(r, "errors"); e != nullptr && e->is_object()) {
      for (const auto& [code, n] : e->items()) {
        absl::StrAppend(&errors, errors.empty() ? "" : ", ", code, " ", DumpJson(n));
      }
    }
    rows.push_back({Str(r, "mode"), Opt(NumberAt(r, "concurrency")), LoadRunLabel(r),
                    Spread(r, "qps"), Spread(r, "latency_ms/p50"), Spread(r, "latency_ms/p95"),
                    Spread(r, "latency_ms/p99"), Spread(r, "latency_ms/max"),
                    errors.empty() ? "0" : errors, Spread(r, "server/cpu_cores"),
                    Spread(r, "server/rss_bytes", 1e-6)});
  }
  Table(out,
        {"Mode", "Conc.", "Mix", "QPS", "p50 ms", "p95 ms", "p99 ms", "max ms", "Errors",
         "Server CPU cores", "Server RSS MB"},
        rows);
  rows.clear();
  for (const Json& r : runs) {
    const Json* kinds = JsonAt(r, "by_kind");
    if (kinds == nullptr || !kinds->is_object() || kinds->size() < 2) continue;
    for (const auto& [kind, k] : kinds->items()) {
      rows.push_back({Opt(NumberAt(r, "concurrency")), LoadRunLabel(r), kind, Spread(k, "qps"),
                      Spread(k, "latency_ms/p50"), Spread(k, "latency_ms/p99")});
    }
  }
  if (rows.empty()) return;
  out += "Per query kind in mixed runs:\n\n";
  Table(out, {"Conc.", "Mix", "Kind", "QPS", "p50 ms", "p99 ms"}, rows);
}

void Ann(std::string& out, const Json& doc) {
  const Json* ann = JsonAt(doc, "ann");
  if (ann == nullptr || !ann->is_object()) return;
  absl::StrAppendFormat(
      &out,
      "## ANN configurations\n\n%s vectors x %s dims (%s), %s queries, one query at a time on "
      "one thread; exact search %s queries/s (wall), %s per CPU-second. **%s.**\n\n",
      Opt(NumberAt(*ann, "vectors")), Opt(NumberAt(*ann, "dim")), Str(*ann, "source"),
      Opt(NumberAt(*ann, "queries")), Spread(*ann, "exact/qps"), Spread(*ann, "exact/cpu_qps"),
      Str(*ann, "verdict"));
  std::vector<std::vector<std::string>> rows;
  for (const Json& p : ArrayAt(*ann, "points")) {
    rows.push_back({Str(p, "label"), Opt(NumberAt(p, "recall_at_1")),
                    Opt(NumberAt(p, "recall_at_10")), Opt(NumberAt(p, "recall_at_100")),
                    Spread(p, "qps"), Spread(p, "cpu_qps"), Opt(NumberAt(p, "speedup_vs_exact")),
                    Opt(NumberAt(p, "memory_bytes_per_vector")),
                    Opt(NumberAt(p, "file_bytes_per_vector")), Opt(NumberAt(p, "build_seconds"))});
  }
  Table(out,
        {"Configuration", "R@1", "R@10", "R@100", "QPS (wall)", "QPS (thread CPU)", "x exact",
         "Heap B/vector", "File B/vector", "Build s"},
        rows);
  for (const Json& s : ArrayAt(*ann, "skipped")) {
    absl::StrAppend(&out, "- skipped ", Str(s, "factory"), ": ", Str(s, "reason"), "\n");
  }
}

void Micro(std::string& out, const Json& doc) {
  const Json& list = ArrayAt(doc, "micro/benchmarks");
  if (list.empty()) return;
  out += "## Micro-benchmarks\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const Json& b : list) {
    const std::optional<std::string> error = StringAt(b, "error");
    rows.push_back({Str(b, "name"), error ? "failed: " + *error : Spread(b, "real_time_ns", 1e-3),
                    Spread(b, "cpu_time_ns", 1e-3), Spread(b, "items_per_second"),
                    Opt(NumberAt(b, "repetitions"))});
  }
  Table(out, {"Benchmark", "Wall µs", "CPU µs", "Items/s", "Reps"}, rows);
}

}  // namespace

std::string LoadRunLabel(const Json& run) {
  const std::string mix = StringAt(run, "mix").value_or("?");
  const std::string to = StringAt(run, "target_modalities").value_or("all");
  const std::string label = StringAt(run, "label").value_or("");
  const std::string transport = StringAt(run, "transport").value_or("grpc");
  return absl::StrCat(
      mix, to == "all" ? "" : absl::StrCat(" to ", to),
      label.empty() ? "" : absl::StrCat(" (", label, ")"),
      transport == "grpc" ? "" : absl::StrCat(" over ", absl::AsciiStrToUpper(transport)));
}

std::string RenderMarkdown(const Json& doc, const std::vector<std::string>& plot_files) {
  std::string out = absl::StrFormat("# xmodal benchmark results, %s on %s\n\n",
                                    Str(doc, "created_utc"), Str(doc, "machine/hostname"));
  absl::StrAppendFormat(&out,
                        "Machine: %s, %s logical cores (load average %s when the run began), "
                        "%s GB RAM, %s (%s), BLAS %s; %s, %s build.\n\n",
                        Str(doc, "machine/cpu_model"), Opt(NumberAt(doc, "machine/cores")),
                        Opt(NumberAt(doc, "machine/load_average_1m")),
                        Opt(NumberAt(doc, "machine/memory_bytes").value_or(0) / 1e9),
                        Str(doc, "machine/os"), Str(doc, "machine/kernel"),
                        Str(doc, "machine/blas"), Str(doc, "machine/compiler"),
                        Str(doc, "machine/build_type"));
  for (const Json& note : ArrayAt(doc, "setup/notes")) {
    if (note.is_string()) absl::StrAppend(&out, "- ", note.get<std::string>(), "\n");
  }
  out += "\nFigures are medians over repetitions, with [min–max] when they differ.\n\n";
  Targets(out, doc);
  Index(out, doc);
  Load(out, doc);
  Ann(out, doc);
  Micro(out, doc);
  if (!plot_files.empty()) {
    out += "## Plots\n\n";
    for (const std::string& f : plot_files) absl::StrAppend(&out, "![", f, "](", f, ")\n\n");
  }
  return out;
}

}  // namespace xmodal::bench
