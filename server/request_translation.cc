#include "server/request_translation.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "rpc/modality_mapping.h"

namespace xmodal::server {
namespace {

using Kind = engine::QueryInput::Kind;

absl::StatusOr<engine::QueryInput> NonEmptyInput(Kind kind, const std::string& data,
                                                 absl::string_view field) {
  if (data.empty()) return absl::InvalidArgumentError(absl::StrCat("query.", field, " is empty"));
  return engine::QueryInput{kind, data};
}

}  // namespace

absl::StatusOr<engine::QueryInput> ToQueryInput(const xmodal::v1::Query& query) {
  switch (query.kind_case()) {
    case xmodal::v1::Query::kText:
      return NonEmptyInput(Kind::kText, query.text(), "text");
    case xmodal::v1::Query::kImage:
      return NonEmptyInput(Kind::kImage, query.image(), "image");
    case xmodal::v1::Query::kAudio:
      return NonEmptyInput(Kind::kAudio, query.audio(), "audio");
    case xmodal::v1::Query::kItemId:
      return NonEmptyInput(Kind::kItem, query.item_id(), "item_id");
    case xmodal::v1::Query::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("query is empty: set one of text, image, audio or item_id");
}

absl::StatusOr<engine::Query> ToEngineQuery(const xmodal::v1::SearchRequest& request) {
  engine::Query query;
  XM_ASSIGN_OR_RETURN(query.input, ToQueryInput(request.query()));
  query.k = request.k() == 0 ? engine::kDefaultK : request.k();
  for (int i = 0; i < request.targets_size(); ++i) {
    XM_ASSIGN_OR_RETURN(
        const Modality target,
        rpc::FromProtoModality(request.targets(i), absl::StrCat("targets[", i, "]")));
    if (std::find(query.targets.begin(), query.targets.end(), target) == query.targets.end()) {
      query.targets.push_back(target);
    }
  }
  for (const auto& [key, value] : request.metadata_filter()) {
    if (key.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("metadata_filter has an empty key (value '", value, "')"));
    }
    query.metadata_equals.emplace(key, value);
  }
  query.source_prefix = request.source_prefix();
  return query;
}

absl::StatusOr<std::string> ToItemId(const xmodal::v1::GetItemRequest& request) {
  if (request.item_id().empty()) return absl::InvalidArgumentError("item_id is empty");
  return request.item_id();
}

void ToProtoTimings(const engine::StageTimings& timings, xmodal::v1::StageTimings* out) {
  out->set_decode_ms(timings.decode_ms);
  out->set_encode_ms(timings.encode_ms);
  out->set_search_ms(timings.search_ms);
  out->set_fetch_ms(timings.fetch_ms);
}

void ToProtoHit(const engine::Hit& hit, xmodal::v1::Hit* out) {
  const store::ItemRecord& item = hit.item;
  out->set_item_id(item.id);
  out->set_modality(rpc::ToProtoModality(item.modality));
  out->set_score(hit.score);
  out->set_source_uri(item.source_uri);
  out->set_text(item.text);
  out->set_start_seconds(hit.start_seconds);
  out->set_end_seconds(hit.end_seconds);
  out->set_group_id(item.group_id);
  out->mutable_metadata()->insert(item.metadata.begin(), item.metadata.end());
}

void ToSearchResponse(const engine::SearchResult& result, xmodal::v1::SearchResponse* out) {
  out->mutable_hits()->Reserve(static_cast<int>(result.hits.size()));
  for (const engine::Hit& hit : result.hits) ToProtoHit(hit, out->add_hits());
  ToProtoTimings(result.timings, out->mutable_timings());
  out->set_generation(result.generation);
}

void ToEmbedResponse(const engine::Embedding& embedding, xmodal::v1::EmbedResponse* out) {
  const FloatMatrix& vectors = embedding.vectors;
  const bool has_segments = embedding.segments.size() == static_cast<size_t>(vectors.rows);
  for (int64_t r = 0; r < vectors.rows; ++r) {
    xmodal::v1::Vector* vector = out->add_vectors();
    const std::span<const float> row = vectors.row(r);
    vector->mutable_values()->Add(row.begin(), row.end());
    if (has_segments) {
      vector->set_start_seconds(embedding.segments[r].first);
      vector->set_end_seconds(embedding.segments[r].second);
    }
  }
  out->set_dim(static_cast<int32_t>(vectors.cols));
  ToProtoTimings(embedding.timings, out->mutable_timings());
}

void ToProtoItem(const store::ItemRecord& item, xmodal::v1::Item* out) {
  out->set_item_id(item.id);
  out->set_modality(rpc::ToProtoModality(item.modality));
  out->set_source_uri(item.source_uri);
  out->set_text(item.text);
  out->set_group_id(item.group_id);
  out->mutable_metadata()->insert(item.metadata.begin(), item.metadata.end());
  out->set_size_bytes(item.size_bytes);
  out->set_content_sha256(item.content_sha256);
  out->set_duration_seconds(item.duration_seconds);
  out->set_vector_count(static_cast<int32_t>(item.vector_ids.size()));
}

void ToGetItemResponse(engine::ItemWithBytes item, xmodal::v1::GetItemResponse* out) {
  ToProtoItem(item.item, out->mutable_item());
  *out->mutable_content() = std::move(item.bytes);
}

void ToGetInfoResponse(const engine::CollectionInfo& info, absl::string_view server_version,
                       xmodal::v1::GetInfoResponse* out) {
  xmodal::v1::ModelPin* pin = out->mutable_model();
  pin->set_name(info.pin.name);
  pin->set_version(info.pin.version);
  pin->set_dim(info.pin.embedding_dim);
  pin->set_files_sha256(info.pin.files_sha256);
  for (Modality m : kAllModalities) {
    const auto items = info.items.find(m);
    const auto vectors = info.vectors.find(m);
    const auto factory = info.factories.find(m);
    if (items == info.items.end() && vectors == info.vectors.end() &&
        factory == info.factories.end()) {
      continue;
    }
    xmodal::v1::ModalityInfo* entry = out->add_modalities();
    entry->set_modality(rpc::ToProtoModality(m));
    if (items != info.items.end()) entry->set_items(items->second);
    if (vectors != info.vectors.end()) entry->set_vectors(vectors->second);
    if (factory != info.factories.end()) entry->set_index_factory(factory->second);
  }
  out->set_generation(info.generation);
  out->set_server_version(std::string(server_version));
}

}  // namespace xmodal::server
