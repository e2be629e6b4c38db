#include "benchmarks/lib/results_doc.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "benchmarks/lib/json_util.h"
#include "benchmarks/lib/machine_info.h"
#include "benchmarks/lib/stats.h"

#ifndef XMODAL_VERSION
#define XMODAL_VERSION "unknown"
#endif

namespace xmodal::bench {
namespace {

double ToNanoseconds(double value, const std::string& unit) {
  if (unit == "us") return value * 1e3;
  if (unit == "ms") return value * 1e6;
  if (unit == "s") return value * 1e9;
  return value;  // "ns"
}

}  // namespace

Json NewResultsDocument() {
  return Json{{"schema", kResultsSchemaName},
              {"schema_version", kResultsSchemaVersion},
              {"created_utc", UtcTimestamp()},
              {"tool", {{"name", "xmodal-bench"}, {"version", XMODAL_VERSION}}},
              {"machine", MachineInfoToJson(DescribeMachine())},
              {"setup", {{"notes", Json::array()}}}};
}

void SetSection(Json& doc, const std::string& name, Json section) {
  doc[name] = std::move(section);
}

void AddLoadRun(Json& doc, const Json& load_header, Json run) {
  if (!doc.contains("load") || !doc["load"].is_object()) {
    doc["load"] = load_header;
    doc["load"]["runs"] = Json::array();
  }
  doc["load"]["runs"].push_back(std::move(run));
}

void AddNote(Json& doc, const std::string& note) {
  if (!doc["setup"].is_object()) doc["setup"] = Json::object();
  if (!doc["setup"]["notes"].is_array()) doc["setup"]["notes"] = Json::array();
  doc["setup"]["notes"].push_back(note);
}

absl::Status MergeResults(Json& doc, const Json& part, const std::string& what) {
  if (!part.is_object() || StringAt(part, "schema") != std::string(kResultsSchemaName) ||
      NumberAt(part, "schema_version") != double{kResultsSchemaVersion}) {
    return absl::InvalidArgumentError(absl::StrCat(what, " is not an ", kResultsSchemaName,
                                                   " document of schema version ",
                                                   kResultsSchemaVersion));
  }
  for (const char* name : {"micro", "index", "ann"}) {
    if (part.contains(name)) doc[name] = part[name];
  }
  if (const Json* load = JsonAt(part, "load"); load != nullptr && load->is_object()) {
    const Json* runs = JsonAt(*load, "runs");
    Json header = *load;
    header.erase("runs");
    for (const Json& run : runs != nullptr && runs->is_array() ? *runs : Json::array()) {
      AddLoadRun(doc, header, run);
    }
  }
  if (const Json* notes = JsonAt(part, "setup/notes"); notes != nullptr && notes->is_array()) {
    for (const Json& note : *notes) {
      if (note.is_string()) AddNote(doc, note.get<std::string>());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Json> MicroSectionFromGoogleBenchmark(const Json& gbench) {
  const Json* rows = JsonAt(gbench, "benchmarks");
  if (rows == nullptr || !rows->is_array()) {
    return absl::InvalidArgumentError(
        "Google Benchmark output has no \"benchmarks\" array (was it written with "
        "--benchmark_out_format=json?)");
  }
  struct Acc {
    std::vector<double> real, cpu, items, iterations;
    std::map<std::string, std::vector<double>> counters;  // user counters, by name
    std::string label;
    std::string error;
  };
  // What Google Benchmark itself writes in a row; every other number is a user counter.
  static const std::set<std::string> kBuiltIn = {"family_index",     "per_family_instance_index",
                                                 "repetitions",      "repetition_index",
                                                 "threads",          "iterations",
                                                 "real_time",        "cpu_time",
                                                 "items_per_second", "bytes_per_second"};
  std::vector<std::string> order;
  std::map<std::string, Acc> by_name;
  for (const Json& row : *rows) {
    if (StringAt(row, "run_type").value_or("iteration") != "iteration") continue;
    const std::string name = StringAt(row, "run_name").value_or(StringAt(row, "name").value_or(""));
    if (name.empty()) continue;
    if (!by_name.count(name)) order.push_back(name);
    Acc& acc = by_name[name];
    const std::string unit = StringAt(row, "time_unit").value_or("ns");
    if (auto v = NumberAt(row, "real_time")) acc.real.push_back(ToNanoseconds(*v, unit));
    if (auto v = NumberAt(row, "cpu_time")) acc.cpu.push_back(ToNanoseconds(*v, unit));
    if (auto v = NumberAt(row, "items_per_second")) acc.items.push_back(*v);
    if (auto v = NumberAt(row, "iterations")) acc.iterations.push_back(*v);
    for (const auto& [key, value] : row.items()) {
      if (value.is_number() && !kBuiltIn.count(key))
        acc.counters[key].push_back(value.get<double>());
    }
    acc.label = StringAt(row, "label").value_or("");
    if (const Json* failed = JsonAt(row, "error_occurred");
        failed != nullptr && failed->is_boolean() && failed->get<bool>()) {
      acc.error = StringAt(row, "error_message").value_or("failed");
    }
  }
  Json list = Json::array();
  for (const std::string& name : order) {
    const Acc& acc = by_name[name];
    Json counters = Json::object();
    for (const auto& [key, values] : acc.counters) counters[key] = SpreadToJson(Summarize(values));
    list.push_back({{"name", name},
                    {"label", acc.label},
                    {"error", acc.error.empty() ? Json(nullptr) : Json(acc.error)},
                    {"repetitions", static_cast<int64_t>(acc.real.size())},
                    {"iterations", Summarize(acc.iterations).median},
                    {"real_time_ns", SpreadToJson(Summarize(acc.real))},
                    {"cpu_time_ns", SpreadToJson(Summarize(acc.cpu))},
                    {"items_per_second",
                     acc.items.empty() ? Json(nullptr) : SpreadToJson(Summarize(acc.items))}});
    if (!counters.empty()) list.back()["counters"] = std::move(counters);
  }
  Json context = Json::object();
  if (const Json* c = JsonAt(gbench, "context"); c != nullptr && c->is_object()) {
    for (const char* key : {"date", "num_cpus", "mhz_per_cpu", "cpu_scaling_enabled",
                            "library_build_type", "xmodal_notes"}) {
      if (c->contains(key)) context[key] = (*c)[key];
    }
  }
  return Json{{"context", context}, {"benchmarks", list}};
}

}  // namespace xmodal::bench
