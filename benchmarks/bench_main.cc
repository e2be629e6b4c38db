// xmodal-bench: the macro benchmark (docs/benchmarks.md, benchmarks/README.md).
//   xmodal-bench index    --corpus DIR[,DIR] [--manifest F] --model DIR [--keep_collection DIR]
//   xmodal-bench load     --server 127.0.0.1:PORT --queries DIR [--concurrency 1,16]
//                         [--seconds 10] [--rate QPS] [--mix text=8,image=1,audio=1]
//                         [--transport grpc|http]
//   xmodal-bench ann      (--collection DIR | --synthetic N --dim D) [--recall_target 0.95]
//                         [--memory_budget 8G]
//   xmodal-bench report   --inputs a.json,b.json [--micro gbench.json] [--notes_file F]
//   xmodal-bench validate --schema benchmarks/results.schema.json FILE...
//   xmodal-bench make-corpus --corpus_out DIR --queries_out DIR [--images N ...]
//   xmodal-bench make-toy-model --model_out DIR
//   xmodal-bench make-clip-model --model_out DIR --vocab bpe_simple_vocab_16e6.txt.gz [--seed 1]
//                                [--compute float32|bfloat16]
//   xmodal-bench clip-report --inputs load.json --micro gbench.json [--notes_file F] --out PREFIX
// Measuring commands print a Markdown summary and, with --out PREFIX, write PREFIX.json,
// PREFIX.md and PREFIX-*.svg. Flags: cli/program.h (also --help, --version, --flagfile);
// each command takes its own. Exit status: 0 success, 1 failure, 2 bad usage.
#include <glog/logging.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "benchmarks/lib/cli_util.h"
#include "benchmarks/lib/commands.h"
#include "benchmarks/lib/json_schema.h"
#include "benchmarks/lib/json_util.h"
#include "benchmarks/lib/report.h"
#include "benchmarks/lib/stats.h"
#include "benchmarks/lib/synthetic_corpus.h"
#include "cli/program.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "testing/random_clip.h"
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
  std::string transport = "grpc";
  double seconds = 10, warmup_seconds = 2, rate = 0;
  int64_t max_requests = 0;
  std::string mix = "text=8,image=1,audio=1";
  std::string label;  // load: recorded with each run
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
  // make-corpus / make-toy-model / make-clip-model
  std::string corpus_out, queries_out;
  int images = 64, audio = 32, texts = 64;
  std::string model_out, vocab, compute = "float32";
  int seed = 1;
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
      p.Subcommand("load", "query latency under load over real gRPC or HTTP",
                   "xmodal-bench load --server 127.0.0.1:PORT --queries DIR [--concurrency 1,16]\n"
                   "       [--seconds 10] [--rate QPS] [--mix text=8,image=1,audio=1]\n"
                   "       [--transport grpc|http]");
  BindMeasuring(load, f);
  load.Flag("server", &f.server, "HOST:PORT of the server (loopback only; the HTTP one for http)")
      .Flag("transport", &f.transport, "grpc, or http (POST /v1/search with JSON bodies)")
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
      .Flag("server_pid", &f.server_pid, "server process to sample CPU and RSS of")
      .Flag("label", &f.label, "what the runs measure, e.g. the model; shown beside the mix");
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
  p.Subcommand("make-clip-model",
               "writes a full-size CLIP ViT-B/32 package of random weights (issue 12)",
               "xmodal-bench make-clip-model --model_out DIR --vocab bpe_simple_vocab_16e6.txt.gz "
               "[--compute float32|bfloat16]")
      .Flag("model_out", &f.model_out, "package directory to write (new or empty)",
            {.value_name = "DIR"})
      .Flag("vocab", &f.vocab, "CLIP's BPE vocabulary (bpe_simple_vocab_16e6.txt.gz)",
            {.value_name = "FILE"})
      .Flag("seed", &f.seed, "seed of the random weights")
      .Flag("compute", &f.compute, "the towers' arithmetic: float32 or bfloat16");
  p.Subcommand("clip-report", "the CLIP benchmark's report: load runs, clip/ micro-benchmarks",
               "xmodal-bench clip-report --inputs load.json --micro gbench.json --out PREFIX")
      .Flag("out", &f.out, "write PREFIX.json and PREFIX.md", {.value_name = "PREFIX"})
      .Flag("inputs", &f.inputs, "results documents to merge (the load runs), comma-separated")
      .Flag("micro", &f.micro, "Google Benchmark JSON output of the clip/ benchmarks")
      .Flag("notes_file", &f.notes_file, "setup notes, one per line")
      .Flag("schema", &f.schema, "JSON schema to check against");
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
  o.run.transport = f.transport;
  o.run.seconds = f.seconds;
  o.run.warmup_seconds = f.warmup_seconds;
  o.run.repetitions = f.repetitions;
  o.run.max_requests = f.max_requests;
  o.run.rate_qps = f.rate;
  o.run.k = f.k;
  o.run.server_pid = f.server_pid;
  o.run.label = f.label;
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

absl::Status MakeClipModel(const Flags& f) {
  if (f.model_out.empty() || f.vocab.empty()) {
    return absl::InvalidArgumentError("--model_out and --vocab are required");
  }
  if (f.seed < 0) return absl::InvalidArgumentError("--seed must be >= 0");
  model::clip::ClipShape shape = testing::VitB32Shape();
  shape.architecture.compute = f.compute;
  return testing::WriteRandomClipPackage(
      f.model_out, shape, f.vocab,
      {.seed = static_cast<uint32_t>(f.seed),
       .name = absl::StrCat("random-vit-b-32-", f.compute == "bfloat16" ? "bf16" : "f32"),
       .f16 = true});
}

// --- clip-report (issue 12) ----------------------------------------------------------------
// The CLIP benchmark's targets: image encoding at batch 32 at >= 60% of the matrix multiply's
// GFLOP/s (same run, same threads, same arithmetic), text at batch 1 p50 <= 20 ms for a
// 16-token query, and a text Search through xmodal-server p50 <= 30 ms at concurrency 1; each
// for the float32 and the bfloat16 towers.

constexpr char kImageBenchmark[] = "clip/image/batch:32";
constexpr char kTextBenchmark[] = "clip/text/batch:1";
constexpr char kMatmulBenchmark[] = "clip/matmul/m:1600/k:768/n:3072";
constexpr double kImageShareTarget = 60;  // % of the matmul's GFLOP/s
constexpr double kTextP50Target = 20;     // ms
constexpr double kSearchP50Target = 30;   // ms

// `spread` (a results spread, or null) with its values multiplied by `scale`.
Json Scaled(const Json* spread, double scale) {
  if (spread == nullptr || !spread->is_object()) return nullptr;
  Json out = *spread;
  for (const char* key : {"median", "min", "max"}) {
    if (out.contains(key) && out[key].is_number()) out[key] = out[key].get<double>() * scale;
  }
  return out;
}

// The clip/ micro-benchmarks of the merged document (name without "/real_time"): wall ms,
// items/s, and the GFLOPS and p50_ms counters, as spreads over the repetitions.
Json ClipSection(const Json& doc) {
  Json list = Json::array();
  const Json* rows = JsonAt(doc, "micro/benchmarks");
  for (const Json& b : rows != nullptr && rows->is_array() ? *rows : Json::array()) {
    std::string name = b.value("name", "");
    if (name.rfind("clip/", 0) != 0) continue;
    if (absl::EndsWith(name, "/real_time")) name.resize(name.size() - strlen("/real_time"));
    const Json* items = JsonAt(b, "items_per_second");
    list.push_back({{"name", name},
                    {"label", b.value("label", "")},
                    {"error", b.contains("error") ? b["error"] : Json(nullptr)},
                    {"repetitions", b.value("repetitions", 0)},
                    {"real_time_ms", Scaled(JsonAt(b, "real_time_ns"), 1e-6)},
                    {"items_per_second", items != nullptr ? *items : Json(nullptr)},
                    {"gflops", Scaled(JsonAt(b, "counters/GFLOPS"), 1)},
                    {"p50_ms", Scaled(JsonAt(b, "counters/p50_ms"), 1)}});
  }
  return Json{{"benchmarks", list}};
}

const Json* ClipBenchmark(const Json& doc, const std::string& name) {
  const Json* list = JsonAt(doc, "clip/benchmarks");
  if (list == nullptr || !list->is_array()) return nullptr;
  for (const Json& b : *list) {
    if (b.value("name", "") == name) return &b;
  }
  return nullptr;
}

std::optional<double> ClipMedian(const Json& doc, const std::string& name, const char* what) {
  const Json* b = ClipBenchmark(doc, name);
  return b == nullptr ? std::nullopt : NumberAt(*b, absl::StrCat(what, "/median"));
}

// 100 * GFLOP/s of the benchmark `name` over the reference matmul's in the same arithmetic
// ("/bf16") and at the same intra-op threads ("/intra_op:1").
std::optional<double> MatmulShare(const Json& doc, const std::string& name) {
  const std::string ref_name = absl::StrCat(
      kMatmulBenchmark,
      absl::StrContains(name, "/bf16/") || absl::EndsWith(name, "/bf16") ? "/bf16" : "",
      absl::EndsWith(name, "/intra_op:1") ? "/intra_op:1" : "");
  const std::optional<double> g = ClipMedian(doc, name, "gflops");
  const std::optional<double> ref = ClipMedian(doc, ref_name, "gflops");
  if (!g || !ref || *ref <= 0) return std::nullopt;
  return 100 * *g / *ref;
}

Json Target(const std::string& name, bool at_most, double limit, const std::string& unit,
            std::optional<double> value, const std::string& source, const std::string& note) {
  Json met = nullptr;
  if (value) met = at_most ? *value <= limit : *value >= limit;
  return Json{{"name", name},
              {"target", absl::StrFormat("%s %g %s", at_most ? "<=" : ">=", limit, unit)},
              {"value", value ? Json(*value) : Json(nullptr)},
              {"unit", unit},
              {"met", met},
              {"source", source},
              {"note", note}};
}

std::string Num(std::optional<double> v) {
  return v ? absl::StrFormat("%.3g", *v) : std::string("-");
}

// The closed-loop text-only run at concurrency 1 labelled `label` (xmodal-bench load --label):
// its p50, which run it was, and a note when requests failed.
Json SearchTarget(const Json& doc, const std::string& label) {
  std::optional<double> p50;
  std::string source, note;
  const Json* runs = JsonAt(doc, "load/runs");
  for (size_t i = 0; runs != nullptr && runs->is_array() && i < runs->size(); ++i) {
    const Json& run = (*runs)[i];
    if (StringAt(run, "mode") != std::string("closed") || NumberAt(run, "concurrency") != 1.0 ||
        StringAt(run, "mix") != std::string("text=1") ||
        StringAt(run, "label").value_or("") != label) {
      continue;
    }
    p50 = NumberAt(run, "latency_ms/p50/median");
    source = absl::StrFormat("load run %d (concurrency 1, mix text=1, %s)", i, label);
    const double sent = NumberAt(run, "requests").value_or(0);
    const double ok = NumberAt(run, "ok").value_or(0);
    if (sent > ok) note = absl::StrFormat("%.0f of %.0f requests failed", sent - ok, sent);
    break;
  }
  Json search =
      Target(absl::StrCat("text Search through xmodal-server, p50, concurrency 1 (", label, ")"),
             true, kSearchP50Target, "ms", p50, source, note);
  if (!note.empty() && p50) search["met"] = false;
  return search;
}

// Each target once per arithmetic of the towers (architecture.compute).
Json ClipTargets(const Json& doc) {
  Json t = Json::array();
  for (const auto& [compute, suffix] :
       {std::pair<std::string, std::string>{"float32", ""}, {"bfloat16", "/bf16"}}) {
    const std::string image = kImageBenchmark + suffix;
    const std::string text = kTextBenchmark + suffix;
    t.push_back(Target(
        absl::StrCat("image encoding at batch 32, share of LibTorch's matmul GFLOP/s (", compute,
                     ")"),
        false, kImageShareTarget, "%", MatmulShare(doc, image),
        absl::StrCat(image, " against ", kMatmulBenchmark, suffix,
                     ", one intra-op thread per core"),
        absl::StrCat(
            "single-threaded (/intra_op:1): ", Num(MatmulShare(doc, image + "/intra_op:1")), "%")));
    t.push_back(Target(absl::StrCat("text encoding at batch 1, 16 tokens, p50 (", compute, ")"),
                       true, kTextP50Target, "ms", ClipMedian(doc, text, "p50_ms"),
                       absl::StrCat(text, ", one intra-op thread per core"),
                       absl::StrCat("single-threaded, as the server runs it: ",
                                    Num(ClipMedian(doc, text + "/intra_op:1", "p50_ms")), " ms")));
    t.push_back(SearchTarget(doc, compute));
  }
  return t;
}

std::string Cell(const Json& b, const char* what) {
  const Json* s = JsonAt(b, what);
  if (s == nullptr || !s->is_object()) return "-";
  const double median = s->value("median", 0.0), lo = s->value("min", 0.0),
               hi = s->value("max", 0.0);
  if (lo == hi) return absl::StrFormat("%.3g", median);
  return absl::StrFormat("%.3g [%.3g–%.3g]", median, lo, hi);
}

// The targets and the GFLOP/s table, in Markdown.
std::string ClipMarkdown(const Json& doc) {
  std::string out = "## Targets (issue 12, CLIP ViT-B/32 on LibTorch)\n\n";
  out += "| Target | Goal | Measured | Verdict | Source |\n|---|---|---|---|---|\n";
  const Json* targets = JsonAt(doc, "targets");
  for (const Json& t : targets != nullptr && targets->is_array() ? *targets : Json::array()) {
    const Json* met = JsonAt(t, "met");
    const std::string verdict = met == nullptr || !met->is_boolean() ? "not measured"
                                : met->get<bool>()                   ? "**met**"
                                                                     : "missed";
    std::string source = t.value("source", "");
    if (const std::string note = t.value("note", ""); !note.empty()) {
      absl::StrAppend(&source, source.empty() ? "" : "; ", note);
    }
    absl::StrAppend(&out, "| ", t.value("name", ""), " | ", t.value("target", ""), " | ",
                    Num(NumberAt(t, "value")), " ", t.value("unit", ""), " | ", verdict, " | ",
                    source, " |\n");
  }
  out +=
      "\n## CLIP towers and LibTorch's matrix multiply\n\n"
      "GFLOP/s are the towers' analytic matrix-product FLOPs (benchmarks/micro/"
      "clip_benchmarks.cc: 8.82 GFLOP per 224 px image, 1.215 GFLOP per 16-token query) over "
      "wall time; \"% of matmul\" divides by `at::mm` of [1600, 768] x [768, 3072] (the image "
      "MLP at batch 32) in the same arithmetic (\"/bf16\": bfloat16) at the same intra-op "
      "threads, measured in the same run.\n\n"
      "| Benchmark | Wall ms | p50 ms | Items/s | GFLOP/s | % of matmul | Reps | Label |\n"
      "|---|---|---|---|---|---|---|---|\n";
  const Json* list = JsonAt(doc, "clip/benchmarks");
  for (const Json& b : list != nullptr && list->is_array() ? *list : Json::array()) {
    const std::string name = b.value("name", "");
    const std::string error = StringAt(b, "error").value_or("");
    absl::StrAppend(
        &out, "| ", name, " | ", error.empty() ? Cell(b, "real_time_ms") : "failed: " + error,
        " | ", name.rfind("clip/matmul/", 0) == 0 ? "-" : Cell(b, "p50_ms"), " | ",
        Cell(b, "items_per_second"), " | ", Cell(b, "gflops"), " | ", Num(MatmulShare(doc, name)),
        " | ", b.value("repetitions", 0), " | ", b.value("label", ""), " |\n");
  }
  return out + "\n";
}

absl::StatusOr<Json> ClipReport(const Flags& f) {
  if (f.micro.empty()) return absl::InvalidArgumentError("--micro is required");
  XM_ASSIGN_OR_RETURN(
      Json doc,
      ReportCommand({.inputs = SplitList(f.inputs), .micro = f.micro, .notes_file = f.notes_file},
                    ""));
  doc["clip"] = ClipSection(doc);
  doc["targets"] = ClipTargets(doc);
  if (!f.schema.empty()) {
    XM_ASSIGN_OR_RETURN(Json schema, ReadJsonFile(f.schema));
    XM_RETURN_IF_ERROR(ValidateJson(doc, schema));
  }
  // The suite's Markdown (machine, notes, load, micro) without its issue-4 targets, with the
  // CLIP targets and table in their place.
  Json rest = doc;
  rest.erase("targets");
  std::string md = RenderMarkdown(rest);
  md = absl::StrCat("# CLIP ViT-B/32 benchmark (issue 12)", md.substr(md.find(',')));
  const size_t section = md.find("\n## ");
  md.insert(section == std::string::npos ? md.size() : section + 1, ClipMarkdown(doc));
  std::cout << md;
  if (!f.out.empty()) {
    XM_RETURN_IF_ERROR(WriteJsonFile(f.out + ".json", doc));
    XM_RETURN_IF_ERROR(WriteFileAtomically(f.out + ".md", md));
  }
  return doc;
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
  if (command == "make-clip-model") return MakeClipModel(f);
  if (command == "clip-report") return ClipReport(f).status();  // prints its own Markdown
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
      .usage = "xmodal-bench index|load|ann|report|validate|make-corpus|make-toy-model|\n"
               "       make-clip-model|clip-report [flags]",
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
