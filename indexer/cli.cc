#include "indexer/cli.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "cli/program.h"

namespace xmodal::indexer {
namespace {

constexpr char kName[] = "xmodal-index";

cli::ProgramInfo Info() {
  return {
      .name = kName,
      .description =
          "Embeds images, audio and text files into a collection and publishes its search "
          "indexes.\nPATHs are directories (walked recursively) or files; the modality comes "
          "from the extension:\n.jpg .jpeg .png .webp (image), .wav .flac .ogg .mp3 (audio), "
          ".txt (text). Content already in\nthe collection is not embedded again. See "
          "docs/indexer.md.",
      .usage = "xmodal-index --collection DIR --model DIR [--manifest F.jsonl]... [PATH]...",
      .footer =
          "Exit status: 0 everything indexed; 1 some inputs failed (the rest was indexed "
          "and\npublished); 2 fatal error (bad flags, model or collection problems).",
  };
}

// Binds every flag of xmodal-index to `cl`, whose values are the defaults.
void Bind(cli::Program& program, CommandLine& cl) {
  IndexerOptions& o = cl.options;
  program
      .Flag("collection", &o.collection_dir, "collection directory (created when missing)",
            {.value_name = "DIR"})
      .Flag("model", &o.model_dir, "model package directory", {.value_name = "DIR"})
      .Flag("manifest", &o.manifests, "JSONL manifest of files and texts",
            {.value_name = "F.jsonl"})
      .Flag("batch_size", &o.batch_size, "inputs per encoder call", {.value_name = "N"})
      .Flag("threads", &o.threads, "thread budget; 0 = all cores", {.value_name = "N"})
      .Flag("index_factory", &o.index_factory,
            "\"auto\" or a FAISS factory string, e.g. \"HNSW32\"", {.value_name = "S"})
      .Flag("max_file_bytes", &o.max_file_bytes, "larger files are failures", {.value_name = "N"})
      .Flag("json", &cl.json, "print the summary as JSON on stdout")
      .Positionals("PATH", &o.paths, "directories or files to index");
}

void Print(std::FILE* file, const std::string& text) {
  std::fputs(text.c_str(), file);
  std::fflush(file);
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  cli::Program program(Info());
  Bind(program, cl);
  absl::StatusOr<cli::Program::Outcome> outcome = program.TryParse(args);
  if (!outcome.ok()) return outcome.status();
  cl.help = outcome->action == cli::Program::Action::kHelp;
  cl.version = outcome->action == cli::Program::Action::kVersion;
  return cl;
}

std::string UsageText() {
  CommandLine cl;
  cli::Program program(Info());
  Bind(program, cl);
  return program.Help();
}

int IndexerMain(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  CommandLine cl;
  cli::Program program(Info());
  Bind(program, cl);
  absl::StatusOr<cli::Program::Outcome> outcome = program.TryParse(args);
  if (!outcome.ok()) {
    Print(err, program.UsageError(outcome.status().message()));
    return kExitFatal;
  }
  if (outcome->action != cli::Program::Action::kRun) {
    Print(out, outcome->text);
    return kExitOk;
  }
  if (cl.options.paths.empty() && cl.options.manifests.empty()) {
    Print(err, program.Help());
    return kExitFatal;
  }
  std::unique_ptr<ProgressSink> progress;
  if (err == stderr) {
    progress = TerminalProgress::ForStderr();
  } else {
    progress = std::make_unique<TerminalProgress>(err, /*is_tty=*/false);
  }
  absl::StatusOr<IndexSummary> summary = RunIndexer(cl.options, progress.get());
  if (!summary.ok()) {
    Print(err, absl::StrCat(kName, ": ", summary.status().ToString(), "\n"));
    return kExitFatal;
  }
  Print(out, cl.json ? absl::StrCat(SummaryToJson(*summary), "\n") : SummaryToText(*summary));
  return ExitCodeFor(*summary);
}

}  // namespace xmodal::indexer
