// The record of a training run (training.json in the package) and the model card
// (README.md) rendered from it. The card's evaluation section lies between the markers
// kEvalBegin and kEvalEnd, so that xmodal-eval's report can be put in after training
// (InsertEvaluation). Pure functions apart from the file helpers; thread-safe.
#ifndef XMODAL_TRAINER_TRAIN_MODEL_CARD_H_
#define XMODAL_TRAINER_TRAIN_MODEL_CARD_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trainer/train/recipe.h"
#include "trainer/train/speech_memory_calibration.h"

namespace xmodal::train {

struct TrainingRecord {
  std::string command;  // the command line that produced the package
  ModelConfig config;
  uint64_t seed = 0;
  int64_t steps = 0;  // steps trained
  int batch = 0, sound_batch = 0, threads = 0, limit = 0;
  double lr = 0, weight_decay = 0;
  // Data.
  int64_t stamps = 0, groups = 0, texts = 0, languages = 0, speech_clips = 0, sounds = 0;
  int64_t held_out_texts_dropped = 0, load_failures = 0;
  // Outcome.
  double load_seconds = 0, train_seconds = 0, total_seconds = 0;
  double first_loss = 0, last_loss = 0;  // mean total loss of the first / last 20 steps
  double fixed_loss_before = 0, fixed_loss_after = 0;
  double temperature = 0;
  bool stopped_by_time = false;
  // The speech memory (speech_memory.h): its stored segments and its gate's calibration.
  int64_t memory_keys = 0;
  SpeechMemoryCalibration memory;
};

inline constexpr char kEvalBegin[] = "<!-- xmodal-eval:begin -->";
inline constexpr char kEvalEnd[] = "<!-- xmodal-eval:end -->";

// training.json: every field of the record (the config's main numbers included).
std::string TrainingRecordToJson(const TrainingRecord& record);

// The model card in Markdown; its evaluation section says how to produce the numbers.
std::string RenderModelCard(const TrainingRecord& record);

// Writes `dir`/training.json and `dir`/README.md (atomically).
absl::Status WriteTrainingRecordAndCard(const TrainingRecord& record, const std::string& dir);

// Replaces the evaluation section of the card at `card_path` (between the markers) with
// `eval_markdown`. NOT_FOUND for a missing card, FAILED_PRECONDITION when it lacks the
// markers; write errors of WriteFileAtomically.
absl::Status InsertEvaluation(const std::string& card_path, const std::string& eval_markdown);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_MODEL_CARD_H_
