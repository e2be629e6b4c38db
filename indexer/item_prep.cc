#include "indexer/item_prep.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/stopwatch.h"
#include "core/base/text.h"
#include "indexer/item_key.h"

namespace xmodal::indexer {
namespace {

using Outcome = PreparedItem::Outcome;

void Fail(PreparedItem& out, absl::string_view what, const absl::Status& status) {
  out.outcome = Outcome::kFailed;
  out.reason =
      what.empty() ? std::string(status.message()) : absl::StrCat(what, ": ", status.message());
}

// Decodes and prepares `raw` (already keyed and known to be new) into `out`.
void DecodeAndPrepare(const std::string& raw, const std::string& text, const model::Model& model,
                      const PrepOptions& options, PreparedItem& out) {
  const absl::string_view name = ModalityName(out.record.modality);
  switch (out.record.modality) {
    case Modality::kText: {
      absl::StatusOr<model::ModelInput> input = model.PrepareText(text);
      if (!input.ok()) return Fail(out, absl::StrCat("cannot prepare ", name), input.status());
      out.inputs.push_back(*std::move(input));
      out.record.text = text;
      break;
    }
    case Modality::kImage: {
      absl::StatusOr<media::Image> image = media::DecodeImage(raw, options.image_limits);
      if (!image.ok()) return Fail(out, "cannot decode image", image.status());
      absl::StatusOr<model::ModelInput> input = model.PrepareImage(*image);
      if (!input.ok()) return Fail(out, absl::StrCat("cannot prepare ", name), input.status());
      out.inputs.push_back(*std::move(input));
      break;
    }
    case Modality::kAudio: {
      absl::StatusOr<media::Audio> audio = media::DecodeAudio(raw, options.audio_limits);
      if (!audio.ok()) return Fail(out, "cannot decode audio", audio.status());
      absl::StatusOr<std::vector<model::ModelInput>> inputs = model.PrepareAudio(*audio);
      if (!inputs.ok()) return Fail(out, absl::StrCat("cannot prepare ", name), inputs.status());
      if (inputs->empty()) {
        return Fail(out, "", absl::InternalError("the model cut the audio into no segments"));
      }
      out.inputs = *std::move(inputs);
      out.record.duration_seconds = audio->duration_seconds();
      break;
    }
  }
  out.outcome = Outcome::kReady;
}

}  // namespace

PreparedItem PrepareWorkItem(const WorkItem& item, const model::Model& model,
                             const store::Store& store, const PrepOptions& options) {
  Stopwatch timer;
  PreparedItem out;
  out.record.modality = item.modality;
  out.record.source_uri = item.source_uri;
  auto done = [&]() -> PreparedItem {
    out.seconds = timer.ElapsedSeconds();
    return std::move(out);
  };
  if (!model.Supports(item.modality)) {
    out.reason = absl::StrCat("the model '", model.manifest().name, "' does not encode ",
                              ModalityName(item.modality));
    return done();
  }
  std::string raw;
  if (item.inline_text) {
    raw = item.text;
  } else {
    absl::StatusOr<std::string> bytes = ReadFile(item.path, options.max_file_bytes);
    if (!bytes.ok()) {
      Fail(out, "", bytes.status());
      return done();
    }
    raw = *std::move(bytes);
  }
  std::string text;
  ItemKey key;
  if (item.modality == Modality::kText) {
    if (!IsValidUtf8(raw)) {
      out.reason = "the text is not valid UTF-8";
      return done();
    }
    text = NormaliseText(raw);
    // A file's content is its bytes, which GetItem reads back from the file; an inline text
    // has no file, so its content is the normalised text that the store keeps and GetItem
    // returns (the id is the same either way: it derives from the normalised text).
    if (item.inline_text) raw = text;
    key = ComputeItemKey(item.modality, text, raw);
  } else {
    key = ComputeItemKey(item.modality, raw);
  }
  out.record.id = key.id;
  out.record.content_sha256 = key.content_sha256;
  out.record.size_bytes = static_cast<int64_t>(raw.size());
  out.record.group_id = item.group_id;
  out.record.metadata = item.metadata;
  absl::StatusOr<bool> present = store.HasItem(key.id);
  if (!present.ok()) {
    out.fatal = present.status();
    return done();
  }
  if (*present) {
    out.outcome = Outcome::kUnchanged;
    return done();
  }
  DecodeAndPrepare(raw, text, model, options, out);
  return done();
}

}  // namespace xmodal::indexer
