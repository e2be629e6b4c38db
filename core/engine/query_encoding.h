// Turns a QueryInput into query vectors: decode media under the caps, prepare, encode; or
// read an indexed item's stored vectors. Engine-internal.
#ifndef XMODAL_CORE_ENGINE_QUERY_ENCODING_H_
#define XMODAL_CORE_ENGINE_QUERY_ENCODING_H_

#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/base/float_matrix.h"
#include "core/engine/searcher.h"
#include "core/model/model.h"
#include "core/store/store.h"

namespace xmodal::engine {

struct EncodedQuery {
  Modality modality = Modality::kText;
  FloatMatrix vectors;  // one row per query vector (audio: per segment)
  std::vector<std::pair<double, double>> segments;
  std::string item_id;  // set for item queries, so the item can be left out of its own hits
  double decode_ms = 0.0;
  double encode_ms = 0.0;
};

// Errors as Searcher::Search documents for the query part.
absl::StatusOr<EncodedQuery> EncodeQuery(const QueryInput& input, const model::Model& model,
                                         const store::Store& store, const SearchLimits& limits);

// EncodeQuery of each input, with the rows of each modality encoded in one Model::Encode call:
// a batch costs the encoder much less per query than one call each (the stamp model's text
// tower: 89 us at batch 1, 22 us per text at batch 8). Each input keeps its own errors, except
// that a failed Encode fails every input of its modality. decode_ms is each input's own,
// encode_ms its modality's whole batch.
std::vector<absl::StatusOr<EncodedQuery>> EncodeQueries(std::span<const QueryInput* const> inputs,
                                                        const model::Model& model,
                                                        const store::Store& store,
                                                        const SearchLimits& limits);

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_QUERY_ENCODING_H_
