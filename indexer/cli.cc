#include "indexer/cli.h"

#include <memory>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/base/status_macros.h"

namespace xmodal::indexer {
namespace {

absl::Status BadValue(absl::string_view flag, absl::string_view value, absl::string_view want) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": '", value, "' is not ", want));
}

template <typename Int>
absl::Status ParseInt(absl::string_view flag, absl::string_view value, Int& out) {
  if (!absl::SimpleAtoi(value, &out)) return BadValue(flag, value, "an integer");
  return absl::OkStatus();
}

constexpr absl::string_view kValueFlags[] = {
    "collection", "model", "manifest", "index_factory", "batch_size", "threads", "max_file_bytes"};

bool IsValueFlag(absl::string_view name) {
  for (absl::string_view flag : kValueFlags) {
    if (flag == name) return true;
  }
  return false;
}

// Sets the option of a flag IsValueFlag accepts.
absl::Status SetValueFlag(absl::string_view name, absl::string_view value, CommandLine& cl) {
  IndexerOptions& o = cl.options;
  if (name == "collection") {
    o.collection_dir = std::string(value);
  } else if (name == "model") {
    o.model_dir = std::string(value);
  } else if (name == "manifest") {
    o.manifests.emplace_back(value);
  } else if (name == "index_factory") {
    o.index_factory = std::string(value);
  } else if (name == "batch_size") {
    return ParseInt(name, value, o.batch_size);
  } else if (name == "threads") {
    return ParseInt(name, value, o.threads);
  } else if (name == "max_file_bytes") {
    return ParseInt(name, value, o.max_file_bytes);
  }
  return absl::OkStatus();
}

absl::Status ParseJsonFlag(std::optional<absl::string_view> value, CommandLine& cl) {
  if (!value.has_value() || *value == "true" || *value == "1") {
    cl.json = true;
  } else if (*value == "false" || *value == "0") {
    cl.json = false;
  } else {
    return BadValue("json", *value, "true or false");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (flags_done || arg.size() < 2 || arg[0] != '-') {
      cl.options.paths.push_back(args[i]);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    absl::string_view body = absl::StripPrefix(absl::StripPrefix(arg, "-"), "-");
    std::optional<absl::string_view> value;
    if (size_t eq = body.find('='); eq != absl::string_view::npos) {
      value = body.substr(eq + 1);
      body = body.substr(0, eq);
    }
    if (body == "help" || body == "h") {
      cl.help = true;
    } else if (body == "json") {
      XM_RETURN_IF_ERROR(ParseJsonFlag(value, cl));
    } else if (body == "nojson" && !value.has_value()) {
      cl.json = false;
    } else if (IsValueFlag(body)) {
      if (!value.has_value()) {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError(absl::StrCat("--", body, " needs a value"));
        }
        value = args[++i];
      }
      XM_RETURN_IF_ERROR(SetValueFlag(body, *value, cl));
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag '", arg, "'"));
    }
  }
  return cl;
}

std::string UsageText() {
  return R"(Usage: xmodal-index --collection DIR --model DIR [--manifest F.jsonl]... [PATH]...

Embeds images, audio and text files into a collection and publishes its search indexes.
PATHs are directories (walked recursively) or files; the modality comes from the extension:
.jpg .jpeg .png .webp (image), .wav .flac .ogg .mp3 (audio), .txt (text). Content already in
the collection is not embedded again. See docs/indexer.md.

Flags:
  --collection DIR       collection directory (created when missing)
  --model DIR            model package directory
  --manifest F.jsonl     JSONL manifest of files and texts; repeatable
  --batch_size N         inputs per encoder call (default 32)
  --threads N            thread budget; 0 = all cores (default 0)
  --index_factory S      "auto" or a FAISS factory string, e.g. "HNSW32" (default auto)
  --max_file_bytes N     larger files are failures (default 268435456)
  --json                 print the summary as JSON on stdout
  --help                 this text

Exit status: 0 everything indexed; 1 some inputs failed (the rest was indexed and
published); 2 fatal error (bad flags, model or collection problems).
)";
}

int IndexerMain(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  absl::StatusOr<CommandLine> cl = ParseCommandLine(args);
  if (!cl.ok()) {
    std::fputs(absl::StrCat("xmodal-index: ", cl.status().message(),
                            "\nRun 'xmodal-index --help' for usage.\n")
                   .c_str(),
               err);
    return kExitFatal;
  }
  if (cl->help) {
    std::fputs(UsageText().c_str(), out);
    return kExitOk;
  }
  if (cl->options.paths.empty() && cl->options.manifests.empty()) {
    std::fputs(UsageText().c_str(), err);
    return kExitFatal;
  }
  std::unique_ptr<ProgressSink> progress;
  if (err == stderr) {
    progress = TerminalProgress::ForStderr();
  } else {
    progress = std::make_unique<TerminalProgress>(err, /*is_tty=*/false);
  }
  absl::StatusOr<IndexSummary> summary = RunIndexer(cl->options, progress.get());
  if (!summary.ok()) {
    std::fputs(absl::StrCat("xmodal-index: ", summary.status().ToString(), "\n").c_str(), err);
    return kExitFatal;
  }
  const std::string report =
      cl->json ? absl::StrCat(SummaryToJson(*summary), "\n") : SummaryToText(*summary);
  std::fputs(report.c_str(), out);
  std::fflush(out);
  return ExitCodeFor(*summary);
}

}  // namespace xmodal::indexer
