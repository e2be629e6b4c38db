#include "trainer/train/model_card.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "trainer/corpus/splits.h"

namespace xmodal::train {
namespace {

std::string Layers(const std::vector<ConvLayer>& layers) {
  std::vector<std::string> parts;
  for (const ConvLayer& l : layers)
    parts.push_back(absl::StrCat(l.out, "k", l.kernel, "s", l.stride));
  return absl::StrJoin(parts, " ");
}

std::string Minutes(double seconds) { return absl::StrFormat("%.1f min", seconds / 60); }

std::string DataSection(const TrainingRecord& r) {
  return absl::StrCat(
      "## Data\n\n"
      "The Tux Paint stamp corpus as Debian ships it (`tuxpaint-stamps-default`, read from "
      "`/usr/share/tuxpaint/stamps` by trainer/corpus):\n\n"
      "| | |\n|---|---|\n",
      "| stamps (images: PNG, or SVG rendered with librsvg) | ", r.stamps, " in ", r.groups,
      " groups (stamps with the same English description) |\n",
      "| descriptions in training languages | ", r.texts, " distinct texts in ", r.languages,
      " languages |\n", "| spoken descriptions (and localised letter/digit sounds) | ",
      r.speech_clips, " clips |\n", "| sound effects | ", r.sounds, " |\n",
      "| held-out descriptions left out of training | ", r.held_out_texts_dropped, " (",
      absl::StrJoin(corpus::HeldOutLanguages(), ", "), ") |\n", "| files that could not be read | ",
      r.load_failures, " |\n\n",
      r.limit > 0 ? absl::StrCat("Only the first ", r.limit, " stamps (by name) were used.\n\n")
                  : "",
      "**Licence of the data.** The stamps, their descriptions and sounds are Copyright "
      "2002-2022 Bill Kendrick and contributors, licensed under the GNU General Public "
      "License version 2 or (at your option) any later version "
      "(`/usr/share/doc/tuxpaint-stamps-default/copyright`). The weights in this package are "
      "derived from that data and are distributed under the same terms (GPL-2.0-or-later); "
      "the xmodal code that trained them is separate.\n\n");
}

std::string RecipeSection(const TrainingRecord& r) {
  const ModelConfig& c = r.config;
  return absl::StrCat(
      "## Recipe\n\n"
      "Three towers trained from scratch into one L2-normalised space of ",
      c.dim,
      " dimensions by `xmodal-train` (C++, LibTorch; trainer/train). Inputs are prepared by the "
      "same code the server uses (core/model: tokenizer, image and audio preprocessing); "
      "augmentation is applied to the raw text, image and audio before it.\n\n"
      "- **text** (`text.pt`): hashed character ",
      c.ngram_min, "..", c.ngram_max, "-grams (", c.buckets, " buckets, ", c.context_length,
      " ids, ASCII lower-cased) -> embedding table (", c.text_width,
      ") -> masked mean -> LayerNorm -> MLP ", c.text_width, "-", c.text_hidden, "-", c.dim,
      ". Multilingual by construction: nothing to download.\n",
      "- **image** (`image.pt`): shorter side to ", c.image_size, " px + centre crop, (x - ",
      c.image_mean, ") / ", c.image_std, " -> CNN [", Layers(c.image_layers), "] (ReLU, GroupNorm ",
      c.image_groups, ") -> global mean pool -> LayerNorm -> linear.\n",
      "- **audio** (`audio.pt`): ", c.sample_rate / 1000, " kHz, log-mel ", c.n_mels,
      " bands, 25 ms window, 10 ms hop, segments of ", c.segment_seconds,
      " s -> 1-D CNN over time [", Layers(c.audio_layers), "] (ReLU, GroupNorm ", c.audio_groups,
      ") -> mean and max pool -> LayerNorm -> linear; a second linear head gives a unit "
      "fingerprint of ",
      c.fingerprint_dim, " dimensions, which keys the speech memory.\n\n",
      "**Loss**: symmetric InfoNCE with one learned temperature (final ",
      absl::StrFormat("%.4f", r.temperature),
      ") summed over four pairings: text-image (every training-language description with its "
      "stamp's image; English drawn 20% of the time), spoken description-image, sound "
      "effect-image and English text-sound effect. Stamps of the same group are masked out "
      "of each other's negatives. Three auxiliary terms classify each tower's embeddings "
      "(image, text, audio) against one learned prototype per stamp group (training only). "
      "The speech-fingerprint term pairs each augmented spoken clip with its clean first "
      "segment, the other clips of the batch being its negatives.\n\n",
      "**Speech memory** (in `audio.pt`): the fingerprints of all ", r.memory_keys,
      " segments of the ", r.memory.recordings,
      " spoken descriptions of the training corpus, each with its stamp's clean image "
      "embedding. A query segment whose fingerprint has cosine above ",
      absl::StrFormat("%.3f", r.memory.threshold),
      " to a stored one (a sigmoid gate around it) takes the image embedding of the "
      "recordings it matches; anything else keeps the audio tower's embedding. The threshold "
      "is the midpoint between the 5th percentile of an augmented recording's cosine to its "
      "own key (",
      absl::StrFormat("%.3f", r.memory.matched_p05),
      ") and the 95th percentile of a sound effect's best cosine to any key (",
      absl::StrFormat("%.3f", r.memory.unmatched_p95),
      "). Why: within its budget the audio tower learns words from ~7,400 short recordings in "
      "14 languages only slowly (trial runs without the memory reached speech->image R@10 "
      "0.05 after 500 steps), but it quickly learns to recognise a recording under noise and "
      "speed changes. So the corpus's own recordings find their stamp; new speech is not "
      "understood.\n\n",
      "**Augmentation** (training only): images: random background colour behind the "
      "stamp, rotation +-15 deg, scale 0.75-1.25, aspect and position jitter, brightness, "
      "contrast and hue jitter, JPEG re-encoding (quality 20-90); audio: speed 0.9-1.1 "
      "(resampled), random window and lead-in, gain -12..+6 dB, white noise at 10-35 dB SNR; "
      "text: case changes (Latin, Greek, Cyrillic, Armenian), punctuation dropped, leading "
      "articles dropped. Never used in training, because xmodal-eval holds them out: blur, "
      "pixelation, additive image noise, greyscale.\n\n",
      "**Optimisation**: AdamW, peak learning rate ", r.lr, ", weight decay ", r.weight_decay,
      " (weights only), 5% linear warm-up then cosine decay to 5%, gradient norm clipped to 5; ",
      r.steps, " steps of ", r.batch, " stamps (with their spoken descriptions) plus ",
      r.sound_batch, " stamps with a sound effect; seed ", r.seed, ", ", r.threads,
      " threads.\n\n");
}

std::string ReproduceSection(const TrainingRecord& r) {
  return absl::StrCat(
      "## Reproduce\n\n```\n", r.command, "\n```\n\n", "Loading the corpus took ",
      Minutes(r.load_seconds), ", training ", Minutes(r.train_seconds), ", everything ",
      Minutes(r.total_seconds), " (on the machine that trained it).",
      r.stopped_by_time ? " The run was stopped by its time budget before its last step." : "",
      absl::StrFormat(" Mean loss of the first 20 steps %.3f, of the last 20 %.3f; the loss of "
                      "a fixed held-aside batch went from %.3f to %.3f.",
                      r.first_loss, r.last_loss, r.fixed_loss_before, r.fixed_loss_after),
      "\n\nThe same command, corpus and machine give the same weights: the data order and "
      "augmentation come from seeded generators of the trainer, LibTorch is seeded and its "
      "thread count fixed. Different CPUs or LibTorch builds may change the last bits of "
      "floating-point results and hence the weights.\n\n");
}

}  // namespace

std::string TrainingRecordToJson(const TrainingRecord& r) {
  nlohmann::ordered_json j;
  j["command"] = r.command;
  j["name"] = r.config.name;
  j["version"] = r.config.version;
  j["embedding_dim"] = r.config.dim;
  j["seed"] = r.seed;
  j["steps"] = r.steps;
  j["batch"] = r.batch;
  j["sound_batch"] = r.sound_batch;
  j["threads"] = r.threads;
  j["limit"] = r.limit;
  j["lr"] = r.lr;
  j["weight_decay"] = r.weight_decay;
  j["data"] = {{"stamps", r.stamps},
               {"groups", r.groups},
               {"texts", r.texts},
               {"languages", r.languages},
               {"speech_clips", r.speech_clips},
               {"sounds", r.sounds},
               {"held_out_texts_dropped", r.held_out_texts_dropped},
               {"load_failures", r.load_failures}};
  j["seconds"] = {{"load", r.load_seconds}, {"train", r.train_seconds}, {"total", r.total_seconds}};
  j["loss"] = {{"first", r.first_loss},
               {"last", r.last_loss},
               {"fixed_before", r.fixed_loss_before},
               {"fixed_after", r.fixed_loss_after}};
  j["temperature"] = r.temperature;
  j["stopped_by_time"] = r.stopped_by_time;
  j["speech_memory"] = {{"keys", r.memory_keys},
                        {"recordings", r.memory.recordings},
                        {"threshold", r.memory.threshold},
                        {"own_key_cosine_p05", r.memory.matched_p05},
                        {"sound_effect_best_cosine_p95", r.memory.unmatched_p95}};
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string RenderModelCard(const TrainingRecord& r) {
  return absl::StrCat(
      "# ", r.config.name, " ", r.config.version, "\n\n",
      "The default model of xmodal: a small text / image / audio encoder trained from scratch "
      "on the Tux Paint stamp corpus, so that xmodal works on a fresh machine with nothing "
      "downloaded. It knows the ~960 stamps of that corpus (clip art of animals, food, "
      "vehicles, symbols ...), their descriptions in about 70 languages, their sound effects "
      "and spoken descriptions. It is a demonstration and test model, not a general-purpose "
      "embedding: real models (CLIP, CLAP) plug in through the same package format "
      "(docs/model-package.md).\n\n",
      DataSection(r), RecipeSection(r), ReproduceSection(r), "## Evaluation\n\n", kEvalBegin,
      "\n\nNot evaluated yet: run `xmodal-eval --model <this directory> --out_md eval.md` "
      "and `xmodal-train --out <this directory> --card_eval eval.md` to put the report "
      "here.\n\n",
      kEvalEnd, "\n");
}

absl::Status WriteTrainingRecordAndCard(const TrainingRecord& record, const std::string& dir) {
  XM_RETURN_IF_ERROR(
      WriteFileAtomically(absl::StrCat(dir, "/training.json"), TrainingRecordToJson(record)));
  return WriteFileAtomically(absl::StrCat(dir, "/README.md"), RenderModelCard(record));
}

absl::Status InsertEvaluation(const std::string& card_path, const std::string& eval_markdown) {
  XM_ASSIGN_OR_RETURN(const std::string card, ReadFile(card_path, int64_t{16} << 20));
  const size_t begin = card.find(kEvalBegin);
  const size_t end = card.find(kEvalEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin) {
    return absl::FailedPreconditionError(absl::StrCat(
        card_path, " has no evaluation section (markers ", kEvalBegin, " ... ", kEvalEnd, ")"));
  }
  const size_t after_begin = begin + std::string(kEvalBegin).size();
  const std::string updated = absl::StrCat(
      card.substr(0, after_begin), "\n\n", eval_markdown,
      eval_markdown.empty() || eval_markdown.back() == '\n' ? "" : "\n", "\n", card.substr(end));
  return WriteFileAtomically(card_path, updated);
}

}  // namespace xmodal::train
