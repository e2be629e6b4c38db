#include "core/engine/query_encoding.h"

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "core/media/audio.h"
#include "core/media/image.h"

namespace xmodal::engine {
namespace {

absl::Status RequireModality(const model::Model& model, Modality modality) {
  if (model.Supports(modality)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("model '", model.pin().name, "' has no ", ModalityName(modality), " encoder"));
}

absl::StatusOr<std::vector<model::ModelInput>> Prepare(const QueryInput& input,
                                                       const model::Model& model,
                                                       const SearchLimits& limits,
                                                       Modality* modality) {
  switch (input.kind) {
    case QueryInput::Kind::kText: {
      *modality = Modality::kText;
      XM_RETURN_IF_ERROR(RequireModality(model, *modality));
      XM_ASSIGN_OR_RETURN(model::ModelInput in, model.PrepareText(input.data));
      return std::vector<model::ModelInput>{std::move(in)};
    }
    case QueryInput::Kind::kImage: {
      *modality = Modality::kImage;
      XM_RETURN_IF_ERROR(RequireModality(model, *modality));
      XM_ASSIGN_OR_RETURN(media::Image image, media::DecodeImage(input.data, limits.image));
      XM_ASSIGN_OR_RETURN(model::ModelInput in, model.PrepareImage(image));
      return std::vector<model::ModelInput>{std::move(in)};
    }
    case QueryInput::Kind::kAudio: {
      *modality = Modality::kAudio;
      XM_RETURN_IF_ERROR(RequireModality(model, *modality));
      XM_ASSIGN_OR_RETURN(media::Audio audio, media::DecodeAudio(input.data, limits.audio));
      return model.PrepareAudio(audio);
    }
    default:
      return absl::InvalidArgumentError("query is empty: set one of text, image, audio or item_id");
  }
}

absl::StatusOr<EncodedQuery> StoredItemVectors(const std::string& item_id,
                                               const store::Store& store) {
  if (item_id.empty()) return absl::InvalidArgumentError("item_id is empty");
  XM_ASSIGN_OR_RETURN(std::optional<store::ItemRecord> item, store.GetItem(item_id));
  if (!item.has_value()) {
    return absl::NotFoundError(absl::StrCat("no item with id '", item_id, "'"));
  }
  EncodedQuery q;
  q.modality = item->modality;
  q.item_id = item_id;
  for (int64_t vid : item->vector_ids) {
    XM_ASSIGN_OR_RETURN(std::optional<store::VectorRecord> v, store.GetVector(vid));
    if (!v.has_value()) {
      return absl::DataLossError(absl::StrCat("item '", item_id, "' names vector ", vid,
                                              " which the store does not have"));
    }
    q.vectors.AppendRow(v->values);
    q.segments.emplace_back(v->start_seconds, v->end_seconds);
  }
  if (q.vectors.rows == 0) {
    return absl::DataLossError(absl::StrCat("item '", item_id, "' has no vectors"));
  }
  return q;
}

}  // namespace

absl::StatusOr<EncodedQuery> EncodeQuery(const QueryInput& input, const model::Model& model,
                                         const store::Store& store, const SearchLimits& limits) {
  Stopwatch watch;
  if (input.kind == QueryInput::Kind::kItem) {
    XM_ASSIGN_OR_RETURN(EncodedQuery q, StoredItemVectors(input.data, store));
    q.decode_ms = watch.LapMillis();
    return q;
  }
  EncodedQuery q;
  XM_ASSIGN_OR_RETURN(std::vector<model::ModelInput> inputs,
                      Prepare(input, model, limits, &q.modality));
  q.decode_ms = watch.LapMillis();
  std::vector<const model::ModelInput*> batch;
  for (const model::ModelInput& in : inputs) {
    batch.push_back(&in);
    q.segments.emplace_back(in.start_seconds, in.end_seconds);
  }
  XM_ASSIGN_OR_RETURN(q.vectors, model.Encode(q.modality, batch));
  q.encode_ms = watch.LapMillis();
  return q;
}

}  // namespace xmodal::engine
