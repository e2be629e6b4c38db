#include "benchmarks/lib/commands.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "benchmarks/lib/json_schema.h"
#include "benchmarks/lib/json_util.h"
#include "benchmarks/lib/query_set.h"
#include "benchmarks/lib/report.h"
#include "benchmarks/lib/results_doc.h"
#include "benchmarks/lib/targets.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"

namespace xmodal::bench {
namespace {

absl::StatusOr<Json> Finish(Json doc, const std::string& out) {
  if (!out.empty()) {
    XM_RETURN_IF_ERROR(WriteReport(doc, out));
  }
  return doc;
}

}  // namespace

absl::StatusOr<Json> IndexCommand(const IndexBenchOptions& options, const std::string& out) {
  XM_ASSIGN_OR_RETURN(Json section, RunIndexBench(options));
  Json doc = NewResultsDocument();
  SetSection(doc, "index", std::move(section));
  return Finish(std::move(doc), out);
}

absl::StatusOr<Json> LoadCommand(const LoadCommandOptions& options, const std::string& out) {
  if (options.concurrency.empty()) {
    return absl::InvalidArgumentError("no concurrency given (e.g. --concurrency 1,16)");
  }
  for (const int c : options.concurrency) {  // before reading the queries
    LoadRunOptions run = options.run;
    run.concurrency = c;
    XM_RETURN_IF_ERROR(ValidateLoadOptions(run));
  }
  XM_ASSIGN_OR_RETURN(QuerySet queries, LoadQuerySet(options.queries_dir));
  Json doc = NewResultsDocument();
  const Json header{{"server", options.run.server},
                    {"server_pid", options.run.server_pid},
                    {"queries_dir", options.queries_dir},
                    {"queries",
                     {{"text", queries.texts.size()},
                      {"image", queries.images.size()},
                      {"audio", queries.audio.size()}}}};
  for (const int c : options.concurrency) {
    LoadRunOptions run = options.run;
    run.concurrency = c;
    XM_ASSIGN_OR_RETURN(Json result, RunLoad(run, queries));
    AddLoadRun(doc, header, std::move(result));
  }
  return Finish(std::move(doc), out);
}

absl::StatusOr<Json> AnnCommand(const AnnCommandOptions& options, const std::string& out) {
  AnnData data;
  Json generator = nullptr;
  if (!options.collection.empty()) {
    XM_ASSIGN_OR_RETURN(data,
                        LoadCollectionData(options.collection, options.modality, options.queries));
  } else {
    SyntheticSpec spec = options.synthetic;
    spec.queries = options.queries;
    XM_ASSIGN_OR_RETURN(data, MakeSyntheticData(spec));
    generator =
        Json{{"clusters", ResolvedClusters(spec)}, {"noise", spec.noise}, {"seed", spec.seed}};
  }
  XM_ASSIGN_OR_RETURN(Json section, RunAnnBench(data, options.ann));
  section["generator"] = generator;
  Json doc = NewResultsDocument();
  SetSection(doc, "ann", std::move(section));
  return Finish(std::move(doc), out);
}

absl::StatusOr<Json> ReportCommand(const ReportCommandOptions& options, const std::string& out) {
  Json doc = NewResultsDocument();
  if (!options.notes_file.empty()) {
    XM_ASSIGN_OR_RETURN(std::string notes, ReadFile(options.notes_file));
    for (absl::string_view line : absl::StrSplit(notes, '\n')) {
      line = absl::StripAsciiWhitespace(line);
      if (!line.empty()) AddNote(doc, std::string(line));
    }
  }
  for (const std::string& input : options.inputs) {
    XM_ASSIGN_OR_RETURN(Json part, ReadJsonFile(input));
    XM_RETURN_IF_ERROR(MergeResults(doc, part, input));
  }
  if (!options.micro.empty()) {
    XM_ASSIGN_OR_RETURN(Json gbench, ReadJsonFile(options.micro));
    XM_ASSIGN_OR_RETURN(Json micro, MicroSectionFromGoogleBenchmark(gbench));
    SetSection(doc, "micro", std::move(micro));
  }
  if (!options.schema.empty()) {
    XM_ASSIGN_OR_RETURN(Json schema, ReadJsonFile(options.schema));
    doc["targets"] = EvaluateTargets(doc);  // as WriteReport will write it
    XM_RETURN_IF_ERROR(ValidateJson(doc, schema));
  }
  return Finish(std::move(doc), out);
}

absl::Status ValidateCommand(const std::string& schema_path,
                             const std::vector<std::string>& files) {
  XM_ASSIGN_OR_RETURN(Json schema, ReadJsonFile(schema_path));
  if (files.empty()) return absl::InvalidArgumentError("no results files to validate");
  for (const std::string& file : files) {
    XM_ASSIGN_OR_RETURN(Json doc, ReadJsonFile(file));
    const absl::Status status = ValidateJson(doc, schema);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(file, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace xmodal::bench
