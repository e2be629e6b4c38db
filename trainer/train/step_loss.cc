#include "trainer/train/step_loss.h"

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
  torch::Tensor audio_emb;
  if (n_speech + b.sound_rows > 0) {
    torch::Tensor audio = FromVector(b.speech, {n_speech, n_mels, frames});
    if (b.sound_rows > 0)
      audio = torch::cat({audio, FromVector(b.sounds, {b.sound_rows, n_mels, frames})});
    audio_emb = towers.EncodeAudio(audio);
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
  }
  if (b.sound_rows > 0) {
    const torch::Tensor sound_emb = audio_emb.narrow(0, n_speech, b.sound_rows);
    add(kSoundImage, sound_emb, image_emb.narrow(0, b.rows, b.sound_rows), sound_groups);
    add(kTextSound, text_emb.narrow(0, main_texts, b.sound_rows), sound_emb, sound_groups);
  }
  if (towers.num_groups() > 0) {
    std::vector<torch::Tensor> embeddings = {image_emb, text_emb};
    std::vector<torch::Tensor> labels = {groups, sound_groups, text_groups, sound_groups};
    if (audio_emb.defined()) {
      embeddings.push_back(audio_emb);
      labels.push_back(groups.index_select(0, FromVector(b.speech_rows, {n_speech})));
      labels.push_back(sound_groups);
    }
    const torch::Tensor logits = scale * torch::cat(embeddings).matmul(towers.Prototypes().t());
    const torch::Tensor l = torch::nn::functional::cross_entropy(logits, torch::cat(labels));
    loss.parts[kPrototypes] = l.item<double>();
    loss.present[kPrototypes] = true;
    terms.push_back(l);
  }
  loss.total = terms.empty() ? torch::zeros({}) : torch::stack(terms).sum();
  return loss;
}

}  // namespace xmodal::train
