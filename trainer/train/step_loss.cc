#include "trainer/train/step_loss.h"

#include <tuple>
#include <vector>

#include "trainer/train/contrastive_loss.h"

namespace xmodal::train {
namespace {

// A tensor over a copy of `values` with `shape`.
template <typename T>
torch::Tensor FromVector(const std::vector<T>& values, std::vector<int64_t> shape) {
  const auto dtype = std::is_same_v<T, float> ? torch::kFloat : torch::kLong;
  if (values.empty()) return torch::empty(shape, dtype);
  return torch::from_blob(const_cast<T*>(values.data()), shape, dtype).clone();
}

}  // namespace

StepLoss ComputeStepLoss(const TowersImpl& towers, const StepBatch& b) {
  const ModelConfig& c = towers.config();
  const int64_t size = c.image_size;
  const int64_t context = c.context_length;
  const int64_t n_mels = c.n_mels;
  const int64_t n_speech = static_cast<int64_t>(b.speech_rows.size());
  const int64_t frames = b.audio_frames;

  // One forward per tower over the main and sound rows together.
  torch::Tensor images = FromVector(b.images, {b.rows, 3, size, size});
  const int64_t main_texts = b.rows * b.texts_per_row;
  torch::Tensor texts = FromVector(b.text_ids, {main_texts, context});
  if (b.sound_rows > 0) {
    images = torch::cat({images, FromVector(b.sound_images, {b.sound_rows, 3, size, size})});
    texts = torch::cat({texts, FromVector(b.sound_text_ids, {b.sound_rows, context})});
  }
  const torch::Tensor image_emb = towers.EncodeImage(images);
  const torch::Tensor text_emb = towers.EncodeText(texts);
  // Audio rows: the augmented speech, the sounds, then the clean speech (fingerprints only).
  torch::Tensor audio_emb, fingerprints;
  if (n_speech + b.sound_rows > 0) {
    torch::Tensor audio = torch::cat({FromVector(b.speech, {n_speech, n_mels, frames}),
                                      FromVector(b.sounds, {b.sound_rows, n_mels, frames}),
                                      FromVector(b.speech_clean, {n_speech, n_mels, frames})});
    std::tie(audio_emb, fingerprints) = towers.EncodeAudioAndFingerprint(audio);
    audio_emb = audio_emb.narrow(0, 0, n_speech + b.sound_rows);
  }
  const torch::Tensor scale = towers.LogitScale();
  const torch::Tensor groups = FromVector(b.groups, {b.rows});
  const torch::Tensor sound_groups = FromVector(b.sound_groups, {b.sound_rows});

  StepLoss loss;
  std::vector<torch::Tensor> terms;
  auto add = [&](LossPart part, const torch::Tensor& x, const torch::Tensor& y,
                 const torch::Tensor& g) {
    if (x.size(0) < 2) return;
    torch::Tensor l = SymmetricInfoNce(x, y, g, scale);
    loss.parts[part] = l.item<double>();
    loss.present[part] = true;
    terms.push_back(l);
  };
  const torch::Tensor main_images = image_emb.narrow(0, 0, b.rows);
  // Each main image pairs with each of its row's texts (same-group rows are masked).
  const torch::Tensor text_rows =
      torch::arange(b.rows, torch::kLong).repeat_interleave(b.texts_per_row);
  const torch::Tensor text_groups = groups.index_select(0, text_rows);
  add(kTextImage, text_emb.narrow(0, 0, main_texts), main_images.index_select(0, text_rows),
      text_groups);
  if (n_speech > 0) {
    const torch::Tensor rows = FromVector(b.speech_rows, {n_speech});
    add(kSpeechImage, audio_emb.narrow(0, 0, n_speech), main_images.index_select(0, rows),
        groups.index_select(0, rows));
    // Each clip is its own class: the clips of a batch are distinct recordings. The sound
    // effects join as classes paired with themselves, so that no recording's fingerprint
    // comes to resemble a sound effect's (which the speech memory must leave alone).
    const torch::Tensor sound_fp = fingerprints.narrow(0, n_speech, b.sound_rows);
    add(kSpeechFingerprint, torch::cat({fingerprints.narrow(0, 0, n_speech), sound_fp}),
        torch::cat({fingerprints.narrow(0, n_speech + b.sound_rows, n_speech), sound_fp}),
        torch::arange(n_speech + b.sound_rows, torch::kLong));
  }
  if (b.sound_rows > 0) {
    const torch::Tensor sound_emb = audio_emb.narrow(0, n_speech, b.sound_rows);
    add(kSoundImage, sound_emb, image_emb.narrow(0, b.rows, b.sound_rows), sound_groups);
    add(kTextSound, text_emb.narrow(0, main_texts, b.sound_rows), sound_emb, sound_groups);
  }
  if (towers.num_groups() > 0) {
    const torch::Tensor prototypes = towers.Prototypes().t();
    auto classify = [&](LossPart part, const torch::Tensor& e, const torch::Tensor& labels) {
      const torch::Tensor l =
          torch::nn::functional::cross_entropy(scale * e.matmul(prototypes), labels);
      loss.parts[part] = l.item<double>();
      loss.present[part] = true;
      terms.push_back(l);
    };
    classify(kImageGroups, image_emb, torch::cat({groups, sound_groups}));
    classify(kTextGroups, text_emb, torch::cat({text_groups, sound_groups}));
    if (audio_emb.defined()) {
      const torch::Tensor speech_groups =
          groups.index_select(0, FromVector(b.speech_rows, {n_speech}));
      classify(kAudioGroups, audio_emb, torch::cat({speech_groups, sound_groups}));
    }
  }
  loss.total = terms.empty() ? torch::zeros({}) : torch::stack(terms).sum();
  return loss;
}

}  // namespace xmodal::train
