#include "indexer/batch_committer.h"

#include <algorithm>
#include <ctime>
#include <span>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/float_matrix.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"

namespace xmodal::indexer {

absl::Status RecordFailure(store::Store& store, IndexSummary& summary,
                           std::optional<Modality> modality, const std::string& uri,
                           const std::string& reason) {
  XM_RETURN_IF_ERROR(store.PutFailure({.source_uri = uri,
                                       .reason = reason,
                                       .unix_seconds = static_cast<int64_t>(std::time(nullptr))}));
  summary.AddFailure(modality, uri, reason);
  return absl::OkStatus();
}

BatchCommitter::BatchCommitter(const model::Model& model, store::Store& store, int batch_size,
                               IndexSummary& summary)
    : model_(model),
      store_(store),
      batch_size_(static_cast<size_t>(std::max(1, batch_size))),
      summary_(summary) {}

absl::Status BatchCommitter::Add(PreparedItem item) {
  const Modality modality = item.record.modality;
  queued_inputs_[modality] += item.inputs.size();
  queued_[modality].push_back(std::move(item));
  if (queued_inputs_[modality] >= batch_size_) return Flush(modality);
  return absl::OkStatus();
}

absl::Status BatchCommitter::FlushAll() {
  for (Modality modality : kAllModalities) XM_RETURN_IF_ERROR(Flush(modality));
  return absl::OkStatus();
}

absl::Status BatchCommitter::Flush(Modality modality) {
  std::vector<PreparedItem> items = std::exchange(queued_[modality], {});
  queued_inputs_[modality] = 0;
  if (items.empty()) return absl::OkStatus();

  std::vector<const model::ModelInput*> inputs;
  for (const PreparedItem& item : items) {
    for (const model::ModelInput& input : item.inputs) inputs.push_back(&input);
  }
  Stopwatch encode_timer;
  FloatMatrix embeddings;
  absl::Status encoded = absl::OkStatus();
  for (size_t begin = 0; begin < inputs.size() && encoded.ok(); begin += batch_size_) {
    const size_t n = std::min(batch_size_, inputs.size() - begin);
    absl::StatusOr<FloatMatrix> batch =
        model_.Encode(modality, std::span<const model::ModelInput* const>(&inputs[begin], n));
    if (!batch.ok()) {
      encoded = batch.status();
    } else if (batch->rows != static_cast<int64_t>(n)) {
      encoded = absl::InternalError(
          absl::StrCat("the encoder returned ", batch->rows, " rows for ", n, " inputs"));
    } else {
      for (int64_t r = 0; r < batch->rows; ++r) embeddings.AppendRow(batch->row(r));
    }
  }
  summary_.stages.encode += encode_timer.ElapsedSeconds();
  if (!encoded.ok()) {
    const std::string reason =
        absl::StrCat("cannot encode ", ModalityName(modality), ": ", encoded.message());
    for (const PreparedItem& item : items) {
      XM_RETURN_IF_ERROR(RecordFailure(store_, summary_, modality, item.record.source_uri, reason));
    }
    return absl::OkStatus();
  }

  std::vector<store::ItemRecord> records;
  std::vector<store::VectorRecord> vectors;
  std::vector<size_t> owner;  // index into `items` of each vector
  int64_t row = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    for (const model::ModelInput& input : items[i].inputs) {
      const std::span<const float> values = embeddings.row(row++);
      vectors.push_back({.item_id = items[i].record.id,
                         .modality = modality,
                         .start_seconds = input.start_seconds,
                         .end_seconds = input.end_seconds,
                         .values = std::vector<float>(values.begin(), values.end())});
      owner.push_back(i);
    }
    records.push_back(std::move(items[i].record));
  }
  Stopwatch commit_timer;
  XM_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                      store_.Commit(std::move(records), std::move(vectors)));
  summary_.stages.commit += commit_timer.ElapsedSeconds();

  std::vector<int64_t> committed(items.size(), 0);
  for (size_t v = 0; v < ids.size() && v < owner.size(); ++v) {
    if (ids[v] >= 0) ++committed[owner[v]];
  }
  ModalityCounts& counts = summary_.modalities[modality];
  for (int64_t n : committed) {
    // A store that already had the item (another writer got there first) assigns no ids.
    ++(n > 0 ? counts.indexed : counts.unchanged);
    counts.vectors += n;
  }
  return absl::OkStatus();
}

}  // namespace xmodal::indexer
