// xmodal-bench: the macro benchmark (docs/benchmarks.md, benchmarks/README.md).
//   xmodal-bench index    --corpus DIR[,DIR] [--manifest F] --model DIR [--keep_collection DIR]
//   xmodal-bench load     --server 127.0.0.1:PORT --queries DIR [--concurrency 1,16]
//                         [--seconds 10] [--rate QPS] [--mix text=8,image=1,audio=1]
//   xmodal-bench ann      (--collection DIR | --synthetic N --dim D) [--recall_target 0.95]
//                         [--memory_budget 8G]
//   xmodal-bench report   --inputs a.json,b.json [--micro gbench.json] [--notes_file F]
//   xmodal-bench validate --schema benchmarks/results.schema.json FILE...
//   xmodal-bench make-corpus --corpus_out DIR --queries_out DIR [--images N ...]
//   xmodal-bench make-toy-model --model_out DIR
// Measuring commands print a Markdown summary and, with --out PREFIX, write PREFIX.json,
// PREFIX.md and PREFIX-*.svg. Exit status: 0 success, 1 failure, 2 bad usage.
#include <glog/logging.h>
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/lib/cli_util.h"
#include "benchmarks/lib/commands.h"
#include "benchmarks/lib/report.h"
#include "benchmarks/lib/synthetic_corpus.h"
#include "core/base/status_macros.h"
#ifdef XMODAL_BENCH_HAVE_TOY_MODEL
#include "tests/testing/toy_model.h"
#endif

ABSL_FLAG(std::string, out, "", "Write PREFIX.json, PREFIX.md and PREFIX-*.svg.");
ABSL_FLAG(int32_t, repetitions, 3, "Measured repetitions (index, load, ann).");
// index
ABSL_FLAG(std::vector<std::string>, corpus, {}, "index: corpus directories or files.");
ABSL_FLAG(std::vector<std::string>, manifest, {}, "index: JSONL manifests.");
ABSL_FLAG(std::string, model, "", "index: model package directory.");
ABSL_FLAG(int32_t, warmup_runs, 1, "index: unmeasured runs per modality (16 items each).");
ABSL_FLAG(int64_t, max_per_modality, 0, "index: items per modality per run; 0: all.");
ABSL_FLAG(int32_t, batch_size, 32, "index: encoder batch size.");
ABSL_FLAG(int32_t, threads, 0, "index: thread budget; 0: all cores.");
ABSL_FLAG(std::string, keep_collection, "",
          "index: afterwards index the whole corpus once into this collection (for load).");
// load
ABSL_FLAG(std::string, server, "", "load: HOST:PORT of the server (loopback only).");
ABSL_FLAG(std::string, queries, "", "load: query directory (.txt lines, images, audio).");
ABSL_FLAG(std::string, concurrency, "1", "load: comma-separated client counts, one run each.");
ABSL_FLAG(double, seconds, 10, "load: measured seconds per repetition.");
ABSL_FLAG(double, warmup_seconds, 2, "load: warm-up seconds before each run.");
ABSL_FLAG(int64_t, max_requests, 0, "load: request cap per repetition; 0: time only.");
ABSL_FLAG(double, rate, 0, "load: open-loop requests per second; 0: closed loop.");
ABSL_FLAG(std::string, mix, "text=8,image=1,audio=1", "load: query kind weights.");
ABSL_FLAG(int32_t, k, 10, "load: hits per query.");
ABSL_FLAG(std::string, targets, "", "load: target modalities (e.g. image,audio); empty: all.");
ABSL_FLAG(int64_t, server_pid, 0, "load: server process to sample CPU and RSS of.");
// ann
ABSL_FLAG(std::string, collection, "", "ann: use this collection's vectors.");
ABSL_FLAG(std::string, modality, "", "ann: the collection modality; empty: the largest.");
ABSL_FLAG(int64_t, synthetic, 100000, "ann: synthetic vector count (without --collection).");
ABSL_FLAG(int32_t, dim, 256, "ann: synthetic dimension.");
ABSL_FLAG(int64_t, ann_queries, 200, "ann: query vectors.");
ABSL_FLAG(double, recall_target, 0.95, "ann: recall@10 the chosen configuration must reach.");
ABSL_FLAG(std::string, memory_budget, "8G", "ann: memory the index may use (e.g. 512M, 8G).");
ABSL_FLAG(std::string, configs, "", "ann: ';'-separated factory strings; empty: defaults.");
ABSL_FLAG(int32_t, build_threads, 0, "ann: FAISS threads for builds; 0: all cores.");
ABSL_FLAG(int32_t, search_threads, 1, "ann: FAISS threads for timed single queries.");
ABSL_FLAG(double, seconds_per_point, 1.0, "ann: time budget of one timed pass.");
// report / validate
ABSL_FLAG(std::vector<std::string>, inputs, {}, "report: results documents to merge.");
ABSL_FLAG(std::string, micro, "", "report: Google Benchmark JSON output to include.");
ABSL_FLAG(std::string, notes_file, "", "report: setup notes, one per line.");
ABSL_FLAG(std::string, schema, "", "report / validate: JSON schema to check against.");
// make-corpus / make-toy-model
ABSL_FLAG(std::string, corpus_out, "", "make-corpus: corpus directory to write.");
ABSL_FLAG(std::string, queries_out, "", "make-corpus: query directory to write.");
ABSL_FLAG(int32_t, images, 64, "make-corpus: images.");
ABSL_FLAG(int32_t, audio, 32, "make-corpus: 3 s Ogg clips.");
ABSL_FLAG(int32_t, texts, 64, "make-corpus: captions.");
ABSL_FLAG(std::string, model_out, "", "make-toy-model: package directory to write.");

namespace xmodal::bench {
namespace {

constexpr int kUsage = 2;

absl::StatusOr<Json> Index() {
  IndexBenchOptions o{.corpus = absl::GetFlag(FLAGS_corpus),
                      .manifests = absl::GetFlag(FLAGS_manifest),
                      .model_dir = absl::GetFlag(FLAGS_model),
                      .repetitions = absl::GetFlag(FLAGS_repetitions),
                      .warmup_runs = absl::GetFlag(FLAGS_warmup_runs),
                      .max_per_modality = absl::GetFlag(FLAGS_max_per_modality),
                      .batch_size = absl::GetFlag(FLAGS_batch_size),
                      .threads = absl::GetFlag(FLAGS_threads),
                      .keep_collection = absl::GetFlag(FLAGS_keep_collection)};
  return IndexCommand(o, absl::GetFlag(FLAGS_out));
}

absl::StatusOr<Json> Load() {
  LoadCommandOptions o;
  XM_ASSIGN_OR_RETURN(o.concurrency, ParseIntList(absl::GetFlag(FLAGS_concurrency), 1, 1024));
  XM_ASSIGN_OR_RETURN(o.run.mix, ParseQueryMix(absl::GetFlag(FLAGS_mix)));
  if (!absl::GetFlag(FLAGS_targets).empty()) {
    XM_ASSIGN_OR_RETURN(o.run.targets, ParseModalityList(absl::GetFlag(FLAGS_targets)));
  }
  o.queries_dir = absl::GetFlag(FLAGS_queries);
  if (o.queries_dir.empty()) return absl::InvalidArgumentError("--queries DIR is required");
  o.run.server = absl::GetFlag(FLAGS_server);
  o.run.seconds = absl::GetFlag(FLAGS_seconds);
  o.run.warmup_seconds = absl::GetFlag(FLAGS_warmup_seconds);
  o.run.repetitions = absl::GetFlag(FLAGS_repetitions);
  o.run.max_requests = absl::GetFlag(FLAGS_max_requests);
  o.run.rate_qps = absl::GetFlag(FLAGS_rate);
  o.run.k = absl::GetFlag(FLAGS_k);
  o.run.server_pid = absl::GetFlag(FLAGS_server_pid);
  return LoadCommand(o, absl::GetFlag(FLAGS_out));
}

absl::StatusOr<Json> Ann() {
  AnnCommandOptions o;
  o.collection = absl::GetFlag(FLAGS_collection);
  if (!absl::GetFlag(FLAGS_modality).empty()) {
    XM_ASSIGN_OR_RETURN(o.modality, ParseModality(absl::GetFlag(FLAGS_modality)));
  }
  o.queries = absl::GetFlag(FLAGS_ann_queries);
  o.synthetic.vectors = absl::GetFlag(FLAGS_synthetic);
  o.synthetic.dim = absl::GetFlag(FLAGS_dim);
  o.ann.recall_target = absl::GetFlag(FLAGS_recall_target);
  XM_ASSIGN_OR_RETURN(o.ann.memory_budget_bytes, ParseByteSize(absl::GetFlag(FLAGS_memory_budget)));
  if (!absl::GetFlag(FLAGS_configs).empty()) {
    XM_ASSIGN_OR_RETURN(o.ann.configs, ParseAnnConfigs(absl::GetFlag(FLAGS_configs)));
  }
  o.ann.build_threads = absl::GetFlag(FLAGS_build_threads);
  o.ann.search_threads = absl::GetFlag(FLAGS_search_threads);
  o.ann.repetitions = absl::GetFlag(FLAGS_repetitions);
  o.ann.seconds_per_point = absl::GetFlag(FLAGS_seconds_per_point);
  return AnnCommand(o, absl::GetFlag(FLAGS_out));
}

absl::StatusOr<Json> Report() {
  return ReportCommand({.inputs = absl::GetFlag(FLAGS_inputs),
                        .micro = absl::GetFlag(FLAGS_micro),
                        .notes_file = absl::GetFlag(FLAGS_notes_file),
                        .schema = absl::GetFlag(FLAGS_schema)},
                       absl::GetFlag(FLAGS_out));
}

absl::Status MakeCorpus() {
  const std::string corpus = absl::GetFlag(FLAGS_corpus_out);
  const std::string queries = absl::GetFlag(FLAGS_queries_out);
  if (corpus.empty() || queries.empty()) {
    return absl::InvalidArgumentError("--corpus_out and --queries_out are required");
  }
  return WriteSyntheticCorpus(corpus, queries,
                              {.images = absl::GetFlag(FLAGS_images),
                               .audio_clips = absl::GetFlag(FLAGS_audio),
                               .texts = absl::GetFlag(FLAGS_texts)});
}

absl::Status MakeToyModel() {
  const std::string dir = absl::GetFlag(FLAGS_model_out);
  if (dir.empty()) return absl::InvalidArgumentError("--model_out is required");
#ifdef XMODAL_BENCH_HAVE_TOY_MODEL
  return testing::WriteToyModelPackage(dir);
#else
  return absl::UnimplementedError(
      "this xmodal-bench was built without the toy model (configure with XMODAL_BUILD_TESTS=ON)");
#endif
}

// Runs `command`; measuring commands print their Markdown summary.
absl::Status Dispatch(const std::string& command, const std::vector<std::string>& args) {
  auto print = [](absl::StatusOr<Json> doc) -> absl::Status {
    if (!doc.ok()) return doc.status();
    std::cout << RenderMarkdown(*doc);
    return absl::OkStatus();
  };
  if (command == "index") return print(Index());
  if (command == "load") return print(Load());
  if (command == "ann") return print(Ann());
  if (command == "report") return print(Report());
  if (command == "validate") return ValidateCommand(absl::GetFlag(FLAGS_schema), args);
  if (command == "make-corpus") return MakeCorpus();
  if (command == "make-toy-model") return MakeToyModel();
  return absl::InvalidArgumentError(absl::StrCat("unknown command '", command, "'"));
}

}  // namespace
}  // namespace xmodal::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "benchmarks xmodal.\nusage: xmodal-bench "
      "index|load|ann|report|validate|make-corpus|make-toy-model [flags] (see --help)");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  if (positional.size() < 2) {
    std::cerr << "xmodal-bench: give a command: index, load, ann, report, validate, "
                 "make-corpus or make-toy-model (see --help)\n";
    return xmodal::bench::kUsage;
  }
  const std::string command = positional[1];
  const std::vector<std::string> args(positional.begin() + 2, positional.end());
  if (command != "validate" && !args.empty()) {
    std::cerr << "xmodal-bench: unexpected argument '" << args[0] << "'\n";
    return xmodal::bench::kUsage;
  }
  const absl::Status status = xmodal::bench::Dispatch(command, args);
  if (!status.ok()) {
    std::cerr << "xmodal-bench " << command << ": " << status << "\n";
    return status.code() == absl::StatusCode::kInvalidArgument ? xmodal::bench::kUsage : 1;
  }
  return 0;
}
