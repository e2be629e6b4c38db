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
// PREFIX.md and PREFIX-*.svg. Flags: cli/program.h (also --help, --version, --flagfile);
// each command takes its own. Exit status: 0 success, 1 failure, 2 bad usage.
#include <glog/logging.h>
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "benchmarks/lib/cli_util.h"
#include "benchmarks/lib/commands.h"
#include "benchmarks/lib/report.h"
#include "benchmarks/lib/synthetic_corpus.h"
#include "cli/program.h"
#include "core/base/status_macros.h"
#include "testing/toy_model.h"

namespace xmodal::bench {
namespace {

constexpr int kUsage = 2;

// Every flag, with its default; each subcommand binds the ones it takes.
struct Flags {
  std::string out;
  int repetitions = 3;
  // index
  std::string corpus, manifest, model;  // corpus and manifest: comma-separated lists
  int warmup_runs = 1;
  int64_t max_per_modality = 0;
  int batch_size = 32;
  int threads = 0;
  std::string keep_collection;
  // load
  std::string server, queries, concurrency = "1";
  double seconds = 10, warmup_seconds = 2, rate = 0;
  int64_t max_requests = 0;
  std::string mix = "text=8,image=1,audio=1";
  int k = 10;
  std::string targets;
  int64_t server_pid = 0;
  // ann
  std::string collection, modality;
  int64_t synthetic = 100000;
  int dim = 256;
  int64_t ann_queries = 200;
  double recall_target = 0.95;
  std::string memory_budget = "8G", configs;
  int build_threads = 0, search_threads = 1;
  double seconds_per_point = 1.0;
  // report / validate
  std::string inputs, micro, notes_file, schema;  // inputs: comma-separated
  std::vector<std::string> files;                 // validate: the documents
  // make-corpus / make-toy-model
  std::string corpus_out, queries_out;
  int images = 64, audio = 32, texts = 64;
  std::string model_out;
};

// absl's list flag format: "a,b" -> {"a", "b"}, "" -> {}.
std::vector<std::string> SplitList(const std::string& text) {
  if (text.empty()) return {};
  return absl::StrSplit(text, ',');
}

void BindMeasuring(cli::Command& c, Flags& f) {
  c.Flag("out", &f.out, "write PREFIX.json, PREFIX.md and PREFIX-*.svg", {.value_name = "PREFIX"})
      .Flag("repetitions", &f.repetitions, "measured repetitions", {.value_name = "N"});
}

void BindFlags(cli::Program& p, Flags& f) {
  cli::Command& index = p.Subcommand(
      "index", "indexing throughput per modality",
      "xmodal-bench index --corpus DIR[,DIR] [--manifest F] --model DIR [--keep_collection DIR]");
  BindMeasuring(index, f);
  index.Flag("corpus", &f.corpus, "corpus directories or files, comma-separated")
      .Flag("manifest", &f.manifest, "JSONL manifests, comma-separated")
      .Flag("model", &f.model, "model package directory", {.value_name = "DIR"})
      .Flag("warmup_runs", &f.warmup_runs, "unmeasured runs per modality (16 items each)")
      .Flag("max_per_modality", &f.max_per_modality, "items per modality per run; 0: all")
      .Flag("batch_size", &f.batch_size, "encoder batch size")
      .Flag("threads", &f.threads, "thread budget; 0: all cores")
      .Flag("keep_collection", &f.keep_collection,
            "afterwards index the whole corpus once into this collection (for load)",
            {.value_name = "DIR"});
  cli::Command& load =
      p.Subcommand("load", "query latency under load over real gRPC",
                   "xmodal-bench load --server 127.0.0.1:PORT --queries DIR [--concurrency 1,16]\n"
                   "       [--seconds 10] [--rate QPS] [--mix text=8,image=1,audio=1]");
  BindMeasuring(load, f);
  load.Flag("server", &f.server, "HOST:PORT of the server (loopback only)")
      .Flag("queries", &f.queries, "query directory (.txt lines, images, audio)",
            {.value_name = "DIR"})
      .Flag("concurrency", &f.concurrency, "comma-separated client counts, one run each")
      .Flag("seconds", &f.seconds, "measured seconds per repetition")
      .Flag("warmup_seconds", &f.warmup_seconds, "warm-up seconds before each run")
      .Flag("max_requests", &f.max_requests, "request cap per repetition; 0: time only")
      .Flag("rate", &f.rate, "open-loop requests per second; 0: closed loop")
      .Flag("mix", &f.mix, "query kind weights")
      .Flag("k", &f.k, "hits per query")
      .Flag("targets", &f.targets, "target modalities (e.g. image,audio); empty: all")
      .Flag("server_pid", &f.server_pid, "server process to sample CPU and RSS of");
  cli::Command& ann = p.Subcommand(
      "ann", "ANN recall against speed and memory",
      "xmodal-bench ann (--collection DIR | --synthetic N --dim D) [--recall_target 0.95]\n"
      "       [--memory_budget 8G]");
  BindMeasuring(ann, f);
  ann.Flag("collection", &f.collection, "use this collection's vectors", {.value_name = "DIR"})
      .Flag("modality", &f.modality, "the collection modality; empty: the largest")
      .Flag("synthetic", &f.synthetic, "synthetic vector count (without --collection)")
      .Flag("dim", &f.dim, "synthetic dimension")
      .Flag("ann_queries", &f.ann_queries, "query vectors")
      .Flag("recall_target", &f.recall_target, "recall@10 the chosen configuration must reach")
      .Flag("memory_budget", &f.memory_budget, "memory the index may use (e.g. 512M, 8G)")
      .Flag("configs", &f.configs, "';'-separated factory strings; empty: defaults")
      .Flag("build_threads", &f.build_threads, "FAISS threads for builds; 0: all cores")
      .Flag("search_threads", &f.search_threads, "FAISS threads for timed single queries")
      .Flag("seconds_per_point", &f.seconds_per_point, "time budget of one timed pass");
  cli::Command& report = p.Subcommand(
      "report", "merges results documents into one report",
      "xmodal-bench report --inputs a.json,b.json [--micro gbench.json] [--notes_file F]");
  report
      .Flag("out", &f.out, "write PREFIX.json, PREFIX.md and PREFIX-*.svg",
            {.value_name = "PREFIX"})
      .Flag("inputs", &f.inputs, "results documents to merge, comma-separated")
      .Flag("micro", &f.micro, "Google Benchmark JSON output to include")
      .Flag("notes_file", &f.notes_file, "setup notes, one per line")
      .Flag("schema", &f.schema, "JSON schema to check against");
  p.Subcommand("validate", "checks results documents against the schema",
               "xmodal-bench validate --schema benchmarks/results.schema.json FILE...")
      .Flag("schema", &f.schema, "JSON schema to check against")
      .Positionals("FILE", &f.files, "results documents");
  p.Subcommand("make-corpus", "writes a generated corpus and query set",
               "xmodal-bench make-corpus --corpus_out DIR --queries_out DIR [--images N ...]")
      .Flag("corpus_out", &f.corpus_out, "corpus directory to write", {.value_name = "DIR"})
      .Flag("queries_out", &f.queries_out, "query directory to write", {.value_name = "DIR"})
      .Flag("images", &f.images, "images")
      .Flag("audio", &f.audio, "3 s Ogg clips")
      .Flag("texts", &f.texts, "captions");
  p.Subcommand("make-toy-model", "writes the toy model package",
               "xmodal-bench make-toy-model --model_out DIR")
      .Flag("model_out", &f.model_out, "package directory to write", {.value_name = "DIR"});
  p.RequireSubcommand();
}

absl::StatusOr<Json> Index(const Flags& f) {
  IndexBenchOptions o{.corpus = SplitList(f.corpus),
                      .manifests = SplitList(f.manifest),
                      .model_dir = f.model,
                      .repetitions = f.repetitions,
                      .warmup_runs = f.warmup_runs,
                      .max_per_modality = f.max_per_modality,
                      .batch_size = f.batch_size,
                      .threads = f.threads,
                      .keep_collection = f.keep_collection};
  return IndexCommand(o, f.out);
}

absl::StatusOr<Json> Load(const Flags& f) {
  LoadCommandOptions o;
  XM_ASSIGN_OR_RETURN(o.concurrency, ParseIntList(f.concurrency, 1, 1024));
  XM_ASSIGN_OR_RETURN(o.run.mix, ParseQueryMix(f.mix));
  if (!f.targets.empty()) {
    XM_ASSIGN_OR_RETURN(o.run.targets, ParseModalityList(f.targets));
  }
  o.queries_dir = f.queries;
  if (o.queries_dir.empty()) return absl::InvalidArgumentError("--queries DIR is required");
  o.run.server = f.server;
  o.run.seconds = f.seconds;
  o.run.warmup_seconds = f.warmup_seconds;
  o.run.repetitions = f.repetitions;
  o.run.max_requests = f.max_requests;
  o.run.rate_qps = f.rate;
  o.run.k = f.k;
  o.run.server_pid = f.server_pid;
  return LoadCommand(o, f.out);
}

absl::StatusOr<Json> Ann(const Flags& f) {
  AnnCommandOptions o;
  o.collection = f.collection;
  if (!f.modality.empty()) {
    XM_ASSIGN_OR_RETURN(o.modality, ParseModality(f.modality));
  }
  o.queries = f.ann_queries;
  o.synthetic.vectors = f.synthetic;
  o.synthetic.dim = f.dim;
  o.ann.recall_target = f.recall_target;
  XM_ASSIGN_OR_RETURN(o.ann.memory_budget_bytes, ParseByteSize(f.memory_budget));
  if (!f.configs.empty()) {
    XM_ASSIGN_OR_RETURN(o.ann.configs, ParseAnnConfigs(f.configs));
  }
  o.ann.build_threads = f.build_threads;
  o.ann.search_threads = f.search_threads;
  o.ann.repetitions = f.repetitions;
  o.ann.seconds_per_point = f.seconds_per_point;
  return AnnCommand(o, f.out);
}

absl::StatusOr<Json> Report(const Flags& f) {
  return ReportCommand({.inputs = SplitList(f.inputs),
                        .micro = f.micro,
                        .notes_file = f.notes_file,
                        .schema = f.schema},
                       f.out);
}

absl::Status MakeCorpus(const Flags& f) {
  const std::string corpus = f.corpus_out;
  const std::string queries = f.queries_out;
  if (corpus.empty() || queries.empty()) {
    return absl::InvalidArgumentError("--corpus_out and --queries_out are required");
  }
  return WriteSyntheticCorpus(corpus, queries,
                              {.images = f.images, .audio_clips = f.audio, .texts = f.texts});
}

absl::Status MakeToyModel(const Flags& f) {
  const std::string dir = f.model_out;
  if (dir.empty()) return absl::InvalidArgumentError("--model_out is required");
  return testing::WriteToyModelPackage(dir);
}

// Runs `command`; measuring commands print their Markdown summary.
absl::Status Dispatch(const std::string& command, const Flags& f) {
  auto print = [](absl::StatusOr<Json> doc) -> absl::Status {
    if (!doc.ok()) return doc.status();
    std::cout << RenderMarkdown(*doc);
    return absl::OkStatus();
  };
  if (command == "index") return print(Index(f));
  if (command == "load") return print(Load(f));
  if (command == "ann") return print(Ann(f));
  if (command == "report") return print(Report(f));
  if (command == "validate") return ValidateCommand(f.schema, f.files);
  if (command == "make-corpus") return MakeCorpus(f);
  if (command == "make-toy-model") return MakeToyModel(f);
  return absl::InvalidArgumentError(absl::StrCat("unknown command '", command, "'"));
}

}  // namespace
}  // namespace xmodal::bench

int main(int argc, char** argv) {
  xmodal::bench::Flags flags;
  xmodal::cli::Program program({
      .name = "xmodal-bench",
      .description = "Benchmarks xmodal (docs/benchmarks.md). Measuring commands print a "
                     "Markdown summary and, with\n--out PREFIX, write PREFIX.json, PREFIX.md "
                     "and PREFIX-*.svg.",
      .usage = "xmodal-bench index|load|ann|report|validate|make-corpus|make-toy-model [flags]",
      .footer = "Exit status: 0 success, 1 failure, 2 bad usage.",
  });
  xmodal::bench::BindFlags(program, flags);
  if (std::optional<int> exit_code =
          program.Parse(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr)) {
    return *exit_code;
  }
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  const std::string command = program.outcome().command->name();
  const absl::Status status = xmodal::bench::Dispatch(command, flags);
  if (!status.ok()) {
    std::cerr << "xmodal-bench " << command << ": " << status << "\n";
    return status.code() == absl::StatusCode::kInvalidArgument ? xmodal::bench::kUsage : 1;
  }
  return 0;
}
