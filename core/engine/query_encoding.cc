#include "core/engine/query_encoding.h"

#include <array>
#include <utility>

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

std::vector<absl::StatusOr<EncodedQuery>> EncodeQueries(std::span<const QueryInput* const> inputs,
                                                        const model::Model& model,
                                                        const store::Store& store,
                                                        const SearchLimits& limits) {
  std::vector<absl::StatusOr<EncodedQuery>> out(inputs.size());
  // Per modality: the prepared inputs of its queries in order, and which query each row is.
  std::array<std::vector<model::ModelInput>, kAllModalities.size()> prepared;
  std::array<std::vector<size_t>, kAllModalities.size()> row_query;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Stopwatch watch;
    if (inputs[i]->kind == QueryInput::Kind::kItem) {
      out[i] = StoredItemVectors(inputs[i]->data, store);
      if (out[i].ok()) out[i]->decode_ms = watch.LapMillis();
      continue;
    }
    EncodedQuery q;
    absl::StatusOr<std::vector<model::ModelInput>> rows =
        Prepare(*inputs[i], model, limits, &q.modality);
    if (!rows.ok()) {
      out[i] = rows.status();
      continue;
    }
    q.decode_ms = watch.LapMillis();
    const auto m = static_cast<size_t>(q.modality);
    for (model::ModelInput& in : *rows) {
      q.segments.emplace_back(in.start_seconds, in.end_seconds);
      prepared[m].push_back(std::move(in));
      row_query[m].push_back(i);
    }
    out[i] = std::move(q);
  }
  for (const Modality modality : kAllModalities) {
    const auto m = static_cast<size_t>(modality);
    if (prepared[m].empty()) continue;
    std::vector<const model::ModelInput*> batch;
    for (const model::ModelInput& in : prepared[m]) batch.push_back(&in);
    Stopwatch watch;
    absl::StatusOr<FloatMatrix> vectors = model.Encode(modality, batch);
    const double encode_ms = watch.LapMillis();
    for (size_t r = 0; r < batch.size(); ++r) {
      absl::StatusOr<EncodedQuery>& q = out[row_query[m][r]];
      if (!vectors.ok()) {
        q = vectors.status();
        continue;
      }
      q->vectors.AppendRow(vectors->row(static_cast<int64_t>(r)));
      q->encode_ms = encode_ms;
    }
  }
  return out;
}

absl::StatusOr<EncodedQuery> EncodeQuery(const QueryInput& input, const model::Model& model,
                                         const store::Store& store, const SearchLimits& limits) {
  const QueryInput* const inputs[] = {&input};
  return std::move(EncodeQueries(inputs, model, store, limits).front());
}

}  // namespace xmodal::engine
