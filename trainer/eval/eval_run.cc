#include "trainer/eval/eval_run.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "core/base/thread_pool.h"
#include "core/base/threads.h"
#include "core/media/audio.h"
#include "core/model/model.h"
#include "trainer/corpus/splits.h"
#include "trainer/corpus/svg_render.h"
#include "trainer/eval/embedder.h"
#include "trainer/eval/eval_inputs.h"
#include "trainer/eval/eval_tasks.h"
#include "trainer/eval/heldout_transforms.h"

namespace xmodal::eval {
namespace {

constexpr size_t kMaxListedFailuresPerStep = 10;  // so that every kind of input shows
constexpr double kProgressEverySeconds = 5.0;

// What every step needs.
struct Run {
  const model::Model& model;
  const corpus::StampCorpus& corpus;
  const EvalInputs& inputs;
  ThreadPool& pool;
  std::FILE* progress;
  int threads;
  EvalReport& report;
};

absl::Status ValidateOptions(const EvalOptions& o) {
  if (o.model_dir.empty()) return absl::InvalidArgumentError("--model is required");
  if (o.limit < 0) return absl::InvalidArgumentError(absl::StrCat("--limit ", o.limit, " < 0"));
  if (o.threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat("--threads ", o.threads, " < 0"));
  }
  if (o.svg_side < 1 || o.svg_side > corpus::kMaxSvgSide) {
    return absl::InvalidArgumentError(
        absl::StrCat("svg_side ", o.svg_side, " is outside [1, ", corpus::kMaxSvgSide, "]"));
  }
  return absl::OkStatus();
}

absl::StatusOr<media::Audio> LoadAudio(const std::string& path) {
  const media::AudioLimits limits;
  XM_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path, limits.max_bytes));
  return media::DecodeAudio(bytes, limits);
}

std::vector<model::ModelInput> One(model::ModelInput input) {
  std::vector<model::ModelInput> v;
  v.push_back(std::move(input));
  return v;
}

// Embeds `count` items, printing progress and recording failures as "<describe(i)>: <why>".
absl::StatusOr<SegmentedVectors> Embed(Run& run, const std::string& what, Modality modality,
                                       int64_t count, const PrepareFn& prepare,
                                       const std::function<std::string(int64_t)>& describe) {
  Stopwatch since_print;
  Stopwatch total;
  const ProgressFn progress = [&](int64_t done, int64_t n) {
    if (run.progress == nullptr) return;
    if (done < n && since_print.ElapsedSeconds() < kProgressEverySeconds) return;
    since_print.LapMillis();
    absl::FPrintF(run.progress, "xmodal-eval: %s %d/%d (%.1f s)\n", what, done, n,
                  total.ElapsedSeconds());
  };
  XM_ASSIGN_OR_RETURN(EmbedResult result,
                      EmbedItems(run.model, modality, count, prepare, run.pool, progress));
  size_t listed = 0;
  for (const auto& [item, status] : result.failures) {
    ++run.report.failure_count;
    if (listed++ < kMaxListedFailuresPerStep) {
      run.report.failures.push_back(absl::StrCat(describe(item), ": ", status.message()));
    }
  }
  return std::move(result.vectors);
}

absl::StatusOr<SegmentedVectors> EmbedCleanImages(Run& run, int svg_side) {
  return Embed(
      run, "clean images", Modality::kImage, static_cast<int64_t>(run.corpus.stamps.size()),
      [&](int64_t i) -> absl::StatusOr<std::vector<model::ModelInput>> {
        XM_ASSIGN_OR_RETURN(const media::Image image,
                            corpus::LoadStampImage(run.corpus.stamps[i], svg_side));
        XM_ASSIGN_OR_RETURN(model::ModelInput input, run.model.PrepareImage(image));
        return One(std::move(input));
      },
      [&](int64_t i) { return run.corpus.stamps[i].image_path; });
}

// Item t * stamps + s is stamp s under kImageTransforms[t].
absl::StatusOr<SegmentedVectors> EmbedHeldOutImages(Run& run, int svg_side) {
  const int64_t n = static_cast<int64_t>(run.corpus.stamps.size());
  return Embed(
      run, "held-out images", Modality::kImage, n * static_cast<int64_t>(kImageTransforms.size()),
      [&, n](int64_t i) -> absl::StatusOr<std::vector<model::ModelInput>> {
        const corpus::Stamp& stamp = run.corpus.stamps[i % n];
        XM_ASSIGN_OR_RETURN(const media::Image image, corpus::LoadStampImage(stamp, svg_side));
        XM_ASSIGN_OR_RETURN(const media::Image held,
                            HeldOutImage(image, kImageTransforms[i / n], stamp.name));
        XM_ASSIGN_OR_RETURN(model::ModelInput input, run.model.PrepareImage(held));
        return One(std::move(input));
      },
      [&, n](int64_t i) {
        return absl::StrCat(run.corpus.stamps[i % n].image_path, " (", kImageTransforms[i / n],
                            ")");
      });
}

absl::StatusOr<SegmentedVectors> EmbedTexts(Run& run) {
  return Embed(
      run, "descriptions", Modality::kText, static_cast<int64_t>(run.inputs.texts.size()),
      [&](int64_t i) -> absl::StatusOr<std::vector<model::ModelInput>> {
        XM_ASSIGN_OR_RETURN(model::ModelInput input,
                            run.model.PrepareText(run.inputs.texts[i].text));
        return One(std::move(input));
      },
      [&](int64_t i) {
        const EvalText& t = run.inputs.texts[i];
        return absl::StrCat(run.corpus.stamps[t.stamp].name, ".txt (", t.lang, ")");
      });
}

// kind: "clean sounds" (as is), "held-out sounds" (HeldOutSound) or "held-out speech".
absl::StatusOr<SegmentedVectors> EmbedClips(Run& run, const std::string& kind,
                                            const std::vector<EvalClip>& clips) {
  return Embed(
      run, kind, Modality::kAudio, static_cast<int64_t>(clips.size()),
      [&](int64_t i) -> absl::StatusOr<std::vector<model::ModelInput>> {
        const EvalClip& clip = clips[i];
        XM_ASSIGN_OR_RETURN(media::Audio audio, LoadAudio(clip.path));
        const std::string& stamp = run.corpus.stamps[clip.stamp].name;
        const int rate = run.model.manifest().audio->sample_rate;
        if (kind == "held-out sounds") {
          XM_ASSIGN_OR_RETURN(audio, HeldOutSound(audio, stamp, rate));
        } else if (kind == "held-out speech") {
          XM_ASSIGN_OR_RETURN(audio,
                              HeldOutSpeech(audio, absl::StrCat(stamp, "/", clip.lang), rate));
        }
        return run.model.PrepareAudio(audio);
      },
      [&](int64_t i) { return clips[i].path; });
}

}  // namespace

absl::StatusOr<EvalReport> RunEvaluation(const EvalOptions& options, std::FILE* progress) {
  XM_RETURN_IF_ERROR(ValidateOptions(options));
  Stopwatch clock;
  const int threads = ResolveThreadCount(options.threads);
  model::SetEncoderThreads(threads);
  XM_ASSIGN_OR_RETURN(const std::unique_ptr<model::Model> model,
                      model::Model::Load(options.model_dir));
  XM_ASSIGN_OR_RETURN(corpus::StampCorpus corpus, corpus::ReadStampCorpus(options.corpus_dir));
  if (options.limit > 0 && static_cast<size_t>(options.limit) < corpus.stamps.size()) {
    corpus.stamps.resize(options.limit);
  }
  const EvalInputs inputs = ListEvalInputs(corpus);

  EvalReport report;
  report.model_name = model->manifest().name;
  report.model_version = model->manifest().version;
  report.model_pin = model->pin().ToString();
  report.embedding_dim = model->manifest().embedding_dim;
  report.corpus_root = corpus.root;
  report.stamps = static_cast<int64_t>(corpus.stamps.size());
  std::set<int> groups;
  for (const corpus::Stamp& s : corpus.stamps) groups.insert(s.group);
  report.groups = static_cast<int64_t>(groups.size());
  report.limit = options.limit;
  report.held_out_languages = corpus::HeldOutLanguages();

  ThreadPool pool(threads);
  Run run{*model, corpus, inputs, pool, progress, threads, report};
  EmbeddedSets sets;
  sets.has_image = model->Supports(Modality::kImage);
  sets.has_text = model->Supports(Modality::kText);
  sets.has_audio = model->Supports(Modality::kAudio);
  if (sets.has_image) {
    XM_ASSIGN_OR_RETURN(sets.clean_images, EmbedCleanImages(run, options.svg_side));
  }
  if (sets.has_image && sets.has_text) {
    XM_ASSIGN_OR_RETURN(sets.held_images, EmbedHeldOutImages(run, options.svg_side));
  }
  if (sets.has_text) {
    XM_ASSIGN_OR_RETURN(sets.texts, EmbedTexts(run));
  }
  if (sets.has_audio) {
    XM_ASSIGN_OR_RETURN(sets.held_sounds, EmbedClips(run, "held-out sounds", inputs.sounds));
    XM_ASSIGN_OR_RETURN(sets.speech, EmbedClips(run, "held-out speech", inputs.speech));
    XM_ASSIGN_OR_RETURN(sets.sounds, EmbedClips(run, "clean sounds", inputs.sounds));
  }
  report.tasks = ScoreAllTasks(corpus, inputs, sets, threads);
  report.seconds = clock.ElapsedSeconds();
  return report;
}

absl::Status WriteEvalOutputs(const EvalReport& report, const std::string& json_path,
                              const std::string& md_path) {
  if (!json_path.empty()) {
    XM_RETURN_IF_ERROR(WriteFileAtomically(json_path, DumpJson(ReportToJson(report), 2) + "\n"));
  }
  if (!md_path.empty()) XM_RETURN_IF_ERROR(WriteFileAtomically(md_path, ReportToMarkdown(report)));
  return absl::OkStatus();
}

}  // namespace xmodal::eval
