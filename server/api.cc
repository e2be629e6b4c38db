#include "server/api.h"

#include <glog/logging.h>

#include <chrono>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "server/request_translation.h"

#ifndef XMODAL_VERSION
#define XMODAL_VERSION "unknown"
#endif

namespace xmodal::server {
namespace {

constexpr double kMillisecondsPerSecond = 1000.0;

// The engine reports any give-up as CANCELLED; say DEADLINE_EXCEEDED when that was the cause.
absl::Status RefineCancellation(const CallControl& call, absl::Status status) {
  if (absl::IsCancelled(status) && call.DeadlinePassed()) {
    return absl::DeadlineExceededError(status.message());
  }
  return status;
}

// Runs `body` (returning absl::Status) and turns anything it throws into INTERNAL; logs
// INTERNAL errors, which are the server's fault.
template <typename Body>
absl::Status Guarded(absl::string_view call, Body&& body) {
  try {
    absl::Status status = std::forward<Body>(body)();
    if (status.code() == absl::StatusCode::kInternal) LOG(ERROR) << call << " failed: " << status;
    return status;
  } catch (const std::exception& e) {
    LOG(ERROR) << call << " threw: " << e.what();
    return absl::InternalError(absl::StrCat(call, " failed: ", e.what()));
  } catch (...) {
    LOG(ERROR) << call << " threw a non-standard exception";
    return absl::InternalError(absl::StrCat(call, " failed unexpectedly"));
  }
}

StageSeconds ToStageSeconds(const engine::StageTimings& timings, double queue_seconds) {
  return {.queue = queue_seconds,
          .decode = timings.decode_ms / kMillisecondsPerSecond,
          .encode = timings.encode_ms / kMillisecondsPerSecond,
          .search = timings.search_ms / kMillisecondsPerSecond,
          .fetch = timings.fetch_ms / kMillisecondsPerSecond};
}

}  // namespace

absl::string_view ServerVersion() { return "xmodal " XMODAL_VERSION; }

absl::Status CallControl::GaveUpStatus(absl::string_view call) const {
  if (DeadlinePassed()) {
    return absl::DeadlineExceededError(absl::StrCat(call, ": the client's deadline passed"));
  }
  return absl::CancelledError(absl::StrCat(call, ": the client cancelled the call"));
}

Api::Api(std::shared_ptr<const engine::Searcher> searcher, int workers, int search_batch,
         Metrics* metrics)
    : searcher_(std::move(searcher)),
      metrics_(metrics),
      work_pool_(workers),
      search_batcher_(
          work_pool_, search_batch,
          [searcher = searcher_, metrics](std::span<const engine::Query* const> queries,
                                          std::span<const engine::CancelCheck> cancelled) {
            metrics->RecordSearchBatch(static_cast<int>(queries.size()));
            return searcher->SearchBatch(queries, cancelled);
          }) {
  CHECK(searcher_ != nullptr) << "the Api needs a searcher";
  CHECK(metrics_ != nullptr) << "the Api needs metrics";
}

absl::Status Api::Search(const CallControl& call, const xmodal::v1::SearchRequest& request,
                         xmodal::v1::SearchResponse* response) {
  return Guarded("Search", [&]() -> absl::Status {
    XM_ASSIGN_OR_RETURN(const engine::Query query, ToEngineQuery(request));
    const std::function<bool()> gave_up = [&call] { return call.GaveUp(); };
    double queue_seconds = 0;
    std::optional<absl::StatusOr<engine::SearchResult>> result =
        search_batcher_.Search(query, gave_up, &queue_seconds);
    if (!result.has_value()) return call.GaveUpStatus("Search");
    if (!result->ok()) return RefineCancellation(call, result->status());
    metrics_->RecordStages(ToStageSeconds((*result)->timings, queue_seconds));
    ToSearchResponse(**result, response);
    response->mutable_timings()->set_queue_ms(queue_seconds * kMillisecondsPerSecond);
    return absl::OkStatus();
  });
}

absl::Status Api::Embed(const CallControl& call, const xmodal::v1::EmbedRequest& request,
                        xmodal::v1::EmbedResponse* response) {
  return Guarded("Embed", [&]() -> absl::Status {
    XM_ASSIGN_OR_RETURN(const engine::QueryInput input, ToQueryInput(request.query()));
    double queue_seconds = 0;
    XM_RETURN_IF_ERROR(RunOnWorkPool(
        call, "Embed",
        [&]() -> absl::Status {
          XM_ASSIGN_OR_RETURN(const engine::Embedding embedding, searcher_->Embed(input));
          if (call.GaveUp()) return call.GaveUpStatus("Embed");
          metrics_->RecordStages(ToStageSeconds(embedding.timings, queue_seconds));
          ToEmbedResponse(embedding, response);
          return absl::OkStatus();
        },
        &queue_seconds));
    response->mutable_timings()->set_queue_ms(queue_seconds * kMillisecondsPerSecond);
    return absl::OkStatus();
  });
}

absl::Status Api::RunOnWorkPool(const CallControl& call, absl::string_view name,
                                absl::FunctionRef<absl::Status()> work, double* queue_seconds) {
  absl::Status status;
  const auto submitted = std::chrono::steady_clock::now();
  const std::function<bool()> gave_up = [&call] { return call.GaveUp(); };
  const bool ran = work_pool_.Run(
      [&] {
        *queue_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - submitted).count();
        status = gave_up() ? call.GaveUpStatus(name) : work();
      },
      gave_up);
  return ran ? status : call.GaveUpStatus(name);
}

absl::StatusOr<engine::ItemWithBytes> Api::GetItemWithContent(const CallControl& call,
                                                              const std::string& item_id) {
  absl::StatusOr<engine::ItemWithBytes> item = absl::InternalError("GetItem did not run");
  const absl::Status status = Guarded("GetItem", [&]() -> absl::Status {
    xmodal::v1::GetItemRequest request;
    request.set_item_id(item_id);
    XM_RETURN_IF_ERROR(ToItemId(request).status());
    if (call.GaveUp()) return call.GaveUpStatus("GetItem");
    item = searcher_->GetItem(item_id, /*with_bytes=*/true);
    return item.status();
  });
  if (!status.ok()) return status;
  return item;
}

absl::Status Api::GetItem(const CallControl& call, const xmodal::v1::GetItemRequest& request,
                          xmodal::v1::GetItemResponse* response) {
  return Guarded("GetItem", [&]() -> absl::Status {
    XM_ASSIGN_OR_RETURN(const std::string item_id, ToItemId(request));
    if (call.GaveUp()) return call.GaveUpStatus("GetItem");
    XM_ASSIGN_OR_RETURN(engine::ItemWithBytes item,
                        searcher_->GetItem(item_id, request.include_bytes()));
    if (call.GaveUp()) return call.GaveUpStatus("GetItem");
    ToGetItemResponse(std::move(item), response);
    return absl::OkStatus();
  });
}

absl::Status Api::GetInfo(const CallControl& call, xmodal::v1::GetInfoResponse* response) {
  return Guarded("GetInfo", [&]() -> absl::Status {
    ToGetInfoResponse(searcher_->GetInfo(), ServerVersion(), response);
    return absl::OkStatus();
  });
}

ServingSnapshot Api::Snapshot() const {
  const engine::CollectionInfo info = searcher_->GetInfo();
  ServingSnapshot snapshot;
  snapshot.work_pool_workers = work_pool_.workers();
  snapshot.work_pool_running = work_pool_.running();
  snapshot.work_pool_waiting = work_pool_.waiting();
  snapshot.search_waiting = search_batcher_.waiting();
  snapshot.vectors = info.vectors;
  snapshot.items = info.items;
  snapshot.generation = info.generation;
  snapshot.generation_published_unix_seconds = info.published_unix_seconds;
  snapshot.ready = info.generation > 0;
  return snapshot;
}

}  // namespace xmodal::server
