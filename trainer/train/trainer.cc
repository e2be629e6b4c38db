#include "trainer/train/trainer.h"

#include <glog/logging.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <future>
#include <map>
#include <numbers>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "trainer/corpus/splits.h"
#include "trainer/train/batch_builder.h"
#include "trainer/train/model_card.h"
#include "trainer/train/speech_memory.h"
#include "trainer/train/step_loss.h"
#include "trainer/train/torchscript_export.h"
#include "trainer/train/towers.h"
#include "trainer/train/training_data.h"

namespace xmodal::train {
namespace {

// The step index of the fixed batch used to measure the loss before and after training: far
// beyond any real step, so never trained on.
constexpr int64_t kFixedBatchStep = int64_t{1} << 40;
constexpr double kWarmupFraction = 0.05;
constexpr double kFinalLrFraction = 0.05;
constexpr double kMaxGradNorm = 5.0;

// Learning-rate multiplier at `progress` in [0, 1]: linear warm-up, then cosine decay.
double LrFactor(double progress) {
  if (progress < kWarmupFraction) return std::max(0.01, progress / kWarmupFraction);
  const double t = std::min(1.0, (progress - kWarmupFraction) / (1 - kWarmupFraction));
  return kFinalLrFraction + (1 - kFinalLrFraction) * 0.5 * (1 + std::cos(std::numbers::pi * t));
}

std::string Clock(double seconds) {
  const auto s = static_cast<int64_t>(std::max(0.0, seconds));
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

void Log(std::FILE* log, const std::string& line) {
  if (log == nullptr) return;
  std::fputs(line.c_str(), log);
  std::fputc('\n', log);
  std::fflush(log);
}

std::vector<torch::optim::OptimizerParamGroup> ParamGroups(const TowersImpl& towers,
                                                           const TrainOptions& o) {
  // (learning-rate factor, weight decay) -> parameters. Weight decay applies to the weights of
  // convolutions and linear layers only; the n-gram table and the audio tower learn faster.
  std::map<std::pair<double, double>, std::vector<torch::Tensor>> by_options;
  for (const auto& item : towers.named_parameters()) {
    const std::string& name = item.key();
    const bool is_table = name == "text_table";
    const double factor = is_table                           ? o.table_lr_factor
                          : absl::StartsWith(name, "audio_") ? o.audio_lr_factor
                                                             : 1.0;
    const bool decay = item.value().dim() >= 2 && !is_table && name != "prototypes";
    by_options[{factor, decay ? o.weight_decay : 0.0}].push_back(item.value());
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (auto& [key, params] : by_options) {
    auto opt = std::make_unique<torch::optim::AdamWOptions>(o.lr * key.first);
    opt->weight_decay(key.second);
    groups.emplace_back(std::move(params), std::move(opt));
  }
  return groups;
}

double FixedBatchLoss(const TowersImpl& towers, const StepBatch& batch) {
  torch::NoGradGuard no_grad;
  return ComputeStepLoss(towers, batch).total.item<double>();
}

double MeanOf(const std::vector<double>& v, size_t from, size_t to) {
  if (to <= from) return 0;
  double sum = 0;
  for (size_t i = from; i < to; ++i) sum += v[i];
  return sum / static_cast<double>(to - from);
}

struct Run {
  const TrainOptions& o;
  std::FILE* log;
  TrainResult result;
  TrainingRecord record;
};

absl::StatusOr<TrainingData> LoadData(Run& run) {
  const TrainOptions& o = run.o;
  Stopwatch load_clock;
  XM_ASSIGN_OR_RETURN(corpus::StampCorpus corpus, corpus::ReadStampCorpus(o.corpus_dir));
  if (o.limit > 0 && static_cast<size_t>(o.limit) < corpus.stamps.size()) {
    corpus.stamps.resize(o.limit);
  }
  Log(run.log, absl::StrCat("loading ", corpus.stamps.size(), " stamps from ", corpus.root));
  LoadOptions load;
  load.image_side = o.config.image_size * 3 / 2;
  load.sample_rate = o.config.sample_rate;
  load.threads = o.threads;
  XM_ASSIGN_OR_RETURN(TrainingData data, LoadTrainingData(corpus, load));
  std::set<int> groups;
  std::set<std::string> langs;
  for (const TrainingStamp& s : data.stamps) {
    groups.insert(s.group);
    for (const TrainingText& t : s.texts) langs.insert(t.lang);
  }
  TrainingRecord& r = run.record;
  r.stamps = static_cast<int64_t>(data.stamps.size());
  r.groups = static_cast<int64_t>(groups.size());
  r.texts = data.texts;
  r.languages = static_cast<int64_t>(langs.size());
  r.speech_clips = data.speech_clips;
  r.sounds = static_cast<int64_t>(data.with_sound.size());
  r.held_out_texts_dropped = data.held_out_texts_dropped;
  r.load_failures = data.failures;
  Log(run.log, absl::StrCat("loaded in ", Clock(load_clock.ElapsedSeconds()), ": ", r.stamps,
                            " stamps (", r.groups, " groups), ", r.texts, " texts in ", r.languages,
                            " training languages (", r.held_out_texts_dropped,
                            " held-out texts left out), ", r.sounds, " sound effects, ",
                            r.speech_clips, " spoken clips, ", r.load_failures, " files skipped"));
  return data;
}

absl::Status TrainLoop(Run& run, TowersImpl& towers, BatchBuilder& builder) {
  const TrainOptions& o = run.o;
  TrainResult& res = run.result;
  torch::optim::AdamW optimizer(ParamGroups(towers, o), torch::optim::AdamWOptions(o.lr));
  std::vector<double> base_lr;
  for (auto& group : optimizer.param_groups()) {
    base_lr.push_back(static_cast<torch::optim::AdamWOptions&>(group.options()).lr());
  }
  const double budget = o.minutes * 60;
  res.steps_planned = o.steps;
  Stopwatch clock;
  std::array<double, kNumLossParts> part_sums{};
  std::array<int, kNumLossParts> part_counts{};
  double loss_sum = 0;
  int steps_since_log = 0;
  double data_wait = 0;  // seconds blocked on the next batch since the last loss line
  double last_log = 0;
  std::atomic<int64_t> build_micros{0};  // time spent building batches since the last line
  auto prefetch = [&](int64_t step) {
    return std::async(std::launch::async, [&builder, &build_micros, step] {
      Stopwatch build;
      absl::StatusOr<StepBatch> batch = builder.Build(step);
      build_micros += static_cast<int64_t>(build.ElapsedMillis() * 1000);
      return batch;
    });
  };
  std::future<absl::StatusOr<StepBatch>> next = prefetch(0);
  for (int64_t step = 0;; ++step) {
    const double elapsed = clock.ElapsedSeconds();
    if (o.steps > 0 && step >= o.steps) break;
    if (budget > 0 && elapsed >= budget) {
      res.stopped_by_time = o.steps > 0;
      if (res.stopped_by_time) {
        Log(run.log, absl::StrCat("time budget of ", o.minutes, " min reached after ", step, " of ",
                                  o.steps, " steps"));
      }
      break;
    }
    Stopwatch wait;
    XM_ASSIGN_OR_RETURN(const StepBatch batch, next.get());
    data_wait += wait.ElapsedSeconds();
    const bool more = (o.steps == 0 || step + 1 < o.steps);
    if (more) next = prefetch(step + 1);
    const double progress = o.steps > 0 ? static_cast<double>(step) / o.steps : elapsed / budget;
    for (size_t g = 0; g < base_lr.size(); ++g) {
      static_cast<torch::optim::AdamWOptions&>(optimizer.param_groups()[g].options())
          .lr(base_lr[g] * LrFactor(progress));
    }
    optimizer.zero_grad();
    StepLoss loss = ComputeStepLoss(towers, batch);
    loss.total.backward();
    torch::nn::utils::clip_grad_norm_(towers.parameters(), kMaxGradNorm);
    optimizer.step();
    towers.ClampLogitScale();
    const double total = loss.total.item<double>();
    if (!std::isfinite(total)) {
      return absl::InternalError(absl::StrCat("the loss became ", total, " at step ", step));
    }
    res.losses.push_back(total);
    res.steps_done = step + 1;
    loss_sum += total;
    ++steps_since_log;
    for (int p = 0; p < kNumLossParts; ++p) {
      if (!loss.present[p]) continue;
      part_sums[p] += loss.parts[p];
      ++part_counts[p];
    }
    const bool last = o.steps > 0 && step + 1 == o.steps;
    if ((step + 1) % o.log_every == 0 || last) {
      const double spent = clock.ElapsedSeconds();
      const double per_step = spent / static_cast<double>(step + 1);
      const double eta =
          o.steps > 0 ? per_step * static_cast<double>(o.steps - step - 1) : budget - spent;
      std::string parts;
      for (int p = 0; p < kNumLossParts; ++p) {
        if (part_counts[p] == 0) continue;
        absl::StrAppendFormat(&parts, "%s%s %.3f", parts.empty() ? "" : ", ", kLossPartNames[p],
                              part_sums[p] / part_counts[p]);
      }
      Log(run.log,
          absl::StrFormat(
              "step %d%s  loss %.4f (%s)  temp %.4f  lr %.2e  %.2f s/step  "
              "data %.2f s/step (wait %.0f%%)  elapsed %s  ETA %s",
              step + 1, o.steps > 0 ? absl::StrCat("/", o.steps) : "", loss_sum / steps_since_log,
              parts, 1.0 / towers.LogitScale().item<double>(), o.lr * LrFactor(progress), per_step,
              static_cast<double>(build_micros.exchange(0)) / 1e6 / steps_since_log,
              100 * data_wait / std::max(1e-9, spent - last_log), Clock(spent), Clock(eta)));
      data_wait = 0;
      last_log = spent;
      loss_sum = 0;
      steps_since_log = 0;
      part_sums = {};
      part_counts = {};
    }
  }
  if (next.valid()) next.wait();  // a prefetched batch that will not be used
  res.train_seconds = clock.ElapsedSeconds();
  return absl::OkStatus();
}

absl::StatusOr<TrainResult> RunTrainingImpl(const TrainOptions& o, std::FILE* log) {
  Stopwatch total;
  Run run{o, log, {}, {}};
  torch::manual_seed(o.seed);
  torch::set_num_threads(o.torch_threads > 0 ? o.torch_threads : std::max(1, o.threads - 1));
  XM_ASSIGN_OR_RETURN(const TrainingData data, LoadData(run));
  run.result.load_seconds = total.ElapsedSeconds();

  const model::ModelManifest manifest = MakeManifest(o.config);
  BatchSizes sizes;
  sizes.batch = o.batch;
  sizes.sound_batch = o.sound_batch >= 0 ? o.sound_batch : o.batch / 4;
  sizes.texts_per_row = o.texts_per_row;
  sizes.speech_per_row = o.speech_per_row;
  BatchBuilder builder(data, manifest, sizes, o.seed, o.threads);
  int num_groups = 0;
  for (const TrainingStamp& s : data.stamps) num_groups = std::max(num_groups, s.group + 1);
  Towers towers(o.config, o.group_prototypes ? num_groups : 0);
  XM_ASSIGN_OR_RETURN(const StepBatch fixed, builder.Build(kFixedBatchStep));
  run.result.fixed_loss_before = FixedBatchLoss(*towers, fixed);

  XM_RETURN_IF_ERROR(TrainLoop(run, *towers, builder));
  run.result.fixed_loss_after = FixedBatchLoss(*towers, fixed);
  Log(log, absl::StrFormat("trained %d steps in %s; fixed-batch loss %.4f -> %.4f",
                           run.result.steps_done, Clock(run.result.train_seconds),
                           run.result.fixed_loss_before, run.result.fixed_loss_after));

  Stopwatch memory_clock;
  XM_ASSIGN_OR_RETURN(const SpeechMemory memory,
                      BuildSpeechMemory(*towers, data, manifest, o.seed, o.threads));
  Log(log, absl::StrFormat("speech memory: %d segments of %d recordings in %s; own-key cosine "
                           "p05 %.3f, sound effects' best cosine p95 %.3f, threshold %.3f",
                           memory.size(), memory.calibration.recordings,
                           Clock(memory_clock.ElapsedSeconds()), memory.calibration.matched_p05,
                           memory.calibration.unmatched_p95, memory.calibration.threshold));
  XM_RETURN_IF_ERROR(WriteModelFiles(*towers, o.out_dir, &memory));
  run.result.total_seconds = total.ElapsedSeconds();
  TrainingRecord& r = run.record;
  r.memory_keys = memory.size();
  r.memory = memory.calibration;
  r.command = o.command_line;
  r.config = o.config;
  r.seed = o.seed;
  r.steps = run.result.steps_done;
  r.batch = o.batch;
  r.sound_batch = sizes.sound_batch;
  r.threads = o.threads;
  r.limit = o.limit;
  r.lr = o.lr;
  r.weight_decay = o.weight_decay;
  r.load_seconds = run.result.load_seconds;
  r.train_seconds = run.result.train_seconds;
  r.total_seconds = run.result.total_seconds;
  const std::vector<double>& l = run.result.losses;
  const size_t k = std::min<size_t>(20, l.size());
  r.first_loss = MeanOf(l, 0, k);
  r.last_loss = MeanOf(l, l.size() - k, l.size());
  r.fixed_loss_before = run.result.fixed_loss_before;
  r.fixed_loss_after = run.result.fixed_loss_after;
  r.temperature = 1.0 / towers->LogitScale().item<double>();
  r.stopped_by_time = run.result.stopped_by_time;
  XM_RETURN_IF_ERROR(WriteTrainingRecordAndCard(r, o.out_dir));
  Log(log, absl::StrCat("wrote the model package to ", o.out_dir, " (total ",
                        Clock(run.result.total_seconds), ")"));
  return run.result;
}

}  // namespace

absl::Status ValidateTrainOptions(const TrainOptions& o) {
  auto bad = [](auto... parts) { return absl::InvalidArgumentError(absl::StrCat(parts...)); };
  if (o.out_dir.empty()) return bad("--out is required");
  if (o.corpus_dir.empty()) return bad("--corpus is empty");
  if (o.steps < 0) return bad("--steps ", o.steps, " < 0");
  if (!(o.minutes >= 0) || !std::isfinite(o.minutes))
    return bad("--minutes ", o.minutes, " is not >= 0");
  if (o.steps == 0 && o.minutes == 0) return bad("give --steps N or --minutes M");
  if (o.limit < 0) return bad("--limit ", o.limit, " < 0");
  if (o.threads < 1 || o.threads > 256) return bad("--threads ", o.threads, " is not in 1..256");
  if (o.torch_threads < 0 || o.torch_threads > 256) {
    return bad("--torch_threads ", o.torch_threads, " is not in 0..256");
  }
  if (o.batch < 2 || o.batch > 4096) return bad("--batch ", o.batch, " is not in 2..4096");
  if (o.sound_batch < -1 || o.sound_batch > 4096)
    return bad("--sound_batch ", o.sound_batch, " is not in -1..4096");
  if (!(o.lr > 0) || !std::isfinite(o.lr)) return bad("--lr ", o.lr, " must be > 0");
  if (!(o.weight_decay >= 0)) return bad("--weight_decay ", o.weight_decay, " must be >= 0");
  if (!(o.audio_lr_factor > 0)) return bad("--audio_lr_factor ", o.audio_lr_factor, " must be > 0");
  if (!(o.table_lr_factor > 0)) return bad("--table_lr_factor ", o.table_lr_factor, " must be > 0");
  if (o.texts_per_row < 1 || o.texts_per_row > 64) {
    return bad("--texts_per_row ", o.texts_per_row, " is not in 1..64");
  }
  if (o.speech_per_row < 0 || o.speech_per_row > 64) {
    return bad("--speech_per_row ", o.speech_per_row, " is not in 0..64");
  }
  if (o.log_every < 1) return bad("--log_every ", o.log_every, " < 1");
  return ValidateConfig(o.config);
}

absl::StatusOr<TrainResult> RunTraining(const TrainOptions& options, std::FILE* log) {
  XM_RETURN_IF_ERROR(ValidateTrainOptions(options));
  try {
    return RunTrainingImpl(options, log);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("training failed in LibTorch: ", e.what()));
  }
}

}  // namespace xmodal::train
