#include "trainer/eval/embedder.h"

#include <algorithm>
#include <span>
#include <vector>

#include "core/base/status_macros.h"

namespace xmodal::eval {
namespace {

constexpr int64_t kChunkItems = 128;

}  // namespace

absl::StatusOr<EmbedResult> EmbedItems(const model::Model& model, Modality modality, int64_t count,
                                       const PrepareFn& prepare, ThreadPool& pool,
                                       const ProgressFn& progress) {
  EmbedResult result;
  for (int64_t begin = 0; begin < count; begin += kChunkItems) {
    const int64_t end = std::min(count, begin + kChunkItems);
    std::vector<absl::StatusOr<std::vector<model::ModelInput>>> prepared(end - begin);
    for (int64_t i = begin; i < end; ++i) {
      pool.Submit([&prepared, &prepare, i, begin] { prepared[i - begin] = prepare(i); });
    }
    pool.Wait();
    // Flatten the chunk's inputs, encode them in batches, then hand the rows back to items.
    std::vector<const model::ModelInput*> inputs;
    for (int64_t i = begin; i < end; ++i) {
      auto& p = prepared[i - begin];
      if (p.ok() && p->empty()) p = absl::InvalidArgumentError("no encoder input was prepared");
      if (!p.ok()) {
        result.failures.emplace_back(i, p.status());
        continue;
      }
      for (const model::ModelInput& in : *p) inputs.push_back(&in);
    }
    FloatMatrix chunk_rows;
    for (size_t b = 0; b < inputs.size(); b += kEvalBatchSize) {
      const size_t n = std::min<size_t>(kEvalBatchSize, inputs.size() - b);
      XM_ASSIGN_OR_RETURN(
          const FloatMatrix encoded,
          model.Encode(modality, std::span<const model::ModelInput* const>(inputs.data() + b, n)));
      for (int64_t r = 0; r < encoded.rows; ++r) chunk_rows.AppendRow(encoded.row(r));
    }
    int64_t next_row = 0;
    for (int64_t i = begin; i < end; ++i) {
      FloatMatrix item_rows;
      if (prepared[i - begin].ok()) {
        for (size_t s = 0; s < prepared[i - begin]->size(); ++s) {
          item_rows.AppendRow(chunk_rows.row(next_row++));
        }
      }
      result.vectors.AddItem(item_rows);
    }
    if (progress) progress(end, count);
  }
  return result;
}

SegmentedVectors SelectItems(const SegmentedVectors& from, const std::vector<int64_t>& indices) {
  SegmentedVectors out;
  for (int64_t item : indices) {
    for (int64_t r = from.offsets[item]; r < from.offsets[item + 1]; ++r) {
      out.rows.AppendRow(from.rows.row(r));
    }
    out.offsets.push_back(out.rows.rows);
  }
  return out;
}

}  // namespace xmodal::eval
