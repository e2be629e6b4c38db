// Translation between the xmodal.v1 API messages and the engine's types, with the proto-level
// validation of requests (each error is INVALID_ARGUMENT and names the field at fault). Checks of
// values the engine also gets from other front ends (k's range, text length, media decoding,
// targets the model lacks) belong to the engine (core/engine/query_plan.h). Stateless and
// thread-safe.
#ifndef XMODAL_SERVER_REQUEST_TRANSLATION_H_
#define XMODAL_SERVER_REQUEST_TRANSLATION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/engine/searcher.h"
#include "core/store/records.h"
#include "xmodal/v1/xmodal.pb.h"

namespace xmodal::server {

// The query input. INVALID_ARGUMENT "query is empty: set one of text, image, audio or item_id"
// when no field of the oneof is set (or the message is absent), and "query.<field> is empty"
// when the set field holds nothing.
absl::StatusOr<engine::QueryInput> ToQueryInput(const xmodal::v1::Query& query);

// The whole search. k = 0 becomes engine::kDefaultK; any other k is passed through for the
// engine to check against SearchLimits::max_k. INVALID_ARGUMENT as ToQueryInput, and for an
// unspecified or unknown target ("targets[0] is MODALITY_UNSPECIFIED; ...") and an empty
// metadata_filter key. Duplicate targets are dropped, order is kept.
absl::StatusOr<engine::Query> ToEngineQuery(const xmodal::v1::SearchRequest& request);

// The requested item id; INVALID_ARGUMENT "item_id is empty".
absl::StatusOr<std::string> ToItemId(const xmodal::v1::GetItemRequest& request);

// Engine results to API messages. Each clears nothing: it sets the fields of `out` it covers.
void ToProtoTimings(const engine::StageTimings& timings, xmodal::v1::StageTimings* out);
void ToProtoHit(const engine::Hit& hit, xmodal::v1::Hit* out);
void ToSearchResponse(const engine::SearchResult& result, xmodal::v1::SearchResponse* out);
void ToEmbedResponse(const engine::Embedding& embedding, xmodal::v1::EmbedResponse* out);
void ToProtoItem(const store::ItemRecord& item, xmodal::v1::Item* out);
// Moves the bytes into `out->content` (they may be large).
void ToGetItemResponse(engine::ItemWithBytes item, xmodal::v1::GetItemResponse* out);
// One ModalityInfo per modality present in any of the info's maps, in text, image, audio order.
void ToGetInfoResponse(const engine::CollectionInfo& info, absl::string_view server_version,
                       xmodal::v1::GetInfoResponse* out);

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_REQUEST_TRANSLATION_H_
