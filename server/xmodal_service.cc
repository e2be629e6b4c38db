#include "server/xmodal_service.h"

#include <glog/logging.h>

#include <chrono>
#include <exception>
#include <functional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "rpc/status_mapping.h"
#include "server/request_translation.h"

#ifndef XMODAL_VERSION
#define XMODAL_VERSION "unknown"
#endif

namespace xmodal::server {
namespace {

// No deadline reads as time_point::max(), which never passes.
bool DeadlinePassed(const grpc::ServerContext& context) {
  return std::chrono::system_clock::now() > context.deadline();
}

// True once the client has cancelled or its deadline has passed.
bool GaveUp(const grpc::ServerContext& context) {
  return context.IsCancelled() || DeadlinePassed(context);
}

// The status to report when GaveUp: DEADLINE_EXCEEDED if the deadline passed, else CANCELLED.
absl::Status GaveUpStatus(const grpc::ServerContext& context, absl::string_view rpc) {
  if (DeadlinePassed(context)) {
    return absl::DeadlineExceededError(absl::StrCat(rpc, ": the client's deadline passed"));
  }
  return absl::CancelledError(absl::StrCat(rpc, ": the client cancelled the call"));
}

// The engine reports any give-up as CANCELLED; say DEADLINE_EXCEEDED when that was the cause.
absl::Status RefineCancellation(const grpc::ServerContext& context, absl::Status status) {
  if (absl::IsCancelled(status) && DeadlinePassed(context)) {
    return absl::DeadlineExceededError(status.message());
  }
  return status;
}

// Runs `body` (returning absl::Status) and converts its outcome, and anything it throws, to a
// grpc::Status.
template <typename Body>
grpc::Status Run(absl::string_view rpc, Body&& body) {
  try {
    const absl::Status status = std::forward<Body>(body)();
    if (!status.ok() && status.code() == absl::StatusCode::kInternal) {
      LOG(ERROR) << rpc << " failed: " << status;
    }
    return rpc::ToGrpcStatus(status);
  } catch (const std::exception& e) {
    LOG(ERROR) << rpc << " threw: " << e.what();
    return rpc::ToGrpcStatus(absl::InternalError(absl::StrCat(rpc, " failed: ", e.what())));
  } catch (...) {
    LOG(ERROR) << rpc << " threw a non-standard exception";
    return rpc::ToGrpcStatus(absl::InternalError(absl::StrCat(rpc, " failed unexpectedly")));
  }
}

}  // namespace

absl::string_view ServerVersion() { return "xmodal " XMODAL_VERSION; }

XmodalService::XmodalService(std::shared_ptr<const engine::Searcher> searcher, int workers,
                             int search_batch)
    : searcher_(std::move(searcher)),
      work_pool_(workers),
      search_batcher_(work_pool_, search_batch,
                      [searcher = searcher_](std::span<const engine::Query* const> queries,
                                             std::span<const engine::CancelCheck> cancelled) {
                        return searcher->SearchBatch(queries, cancelled);
                      }) {
  CHECK(searcher_ != nullptr) << "XmodalService needs a searcher";
}

grpc::Status XmodalService::Search(grpc::ServerContext* context,
                                   const xmodal::v1::SearchRequest* request,
                                   xmodal::v1::SearchResponse* response) {
  return Run("Search", [&]() -> absl::Status {
    XM_ASSIGN_OR_RETURN(const engine::Query query, ToEngineQuery(*request));
    const std::function<bool()> gave_up = [context] { return GaveUp(*context); };
    std::optional<absl::StatusOr<engine::SearchResult>> result =
        search_batcher_.Search(query, gave_up);
    if (!result.has_value()) return GaveUpStatus(*context, "Search");
    if (!result->ok()) return RefineCancellation(*context, result->status());
    ToSearchResponse(**result, response);
    return absl::OkStatus();
  });
}

grpc::Status XmodalService::Embed(grpc::ServerContext* context,
                                  const xmodal::v1::EmbedRequest* request,
                                  xmodal::v1::EmbedResponse* response) {
  return Run("Embed", [&]() -> absl::Status {
    XM_ASSIGN_OR_RETURN(const engine::QueryInput input, ToQueryInput(request->query()));
    return RunOnWorkPool(*context, "Embed", [&]() -> absl::Status {
      XM_ASSIGN_OR_RETURN(const engine::Embedding embedding, searcher_->Embed(input));
      if (GaveUp(*context)) return GaveUpStatus(*context, "Embed");
      ToEmbedResponse(embedding, response);
      return absl::OkStatus();
    });
  });
}

absl::Status XmodalService::RunOnWorkPool(const grpc::ServerContext& context, absl::string_view rpc,
                                          absl::FunctionRef<absl::Status()> work) {
  absl::Status status;
  const std::function<bool()> gave_up = [&context] { return GaveUp(context); };
  const bool ran =
      work_pool_.Run([&] { status = gave_up() ? GaveUpStatus(context, rpc) : work(); }, gave_up);
  return ran ? status : GaveUpStatus(context, rpc);
}

grpc::Status XmodalService::GetItem(grpc::ServerContext* context,
                                    const xmodal::v1::GetItemRequest* request,
                                    xmodal::v1::GetItemResponse* response) {
  return Run("GetItem", [&]() -> absl::Status {
    XM_ASSIGN_OR_RETURN(const std::string item_id, ToItemId(*request));
    if (GaveUp(*context)) return GaveUpStatus(*context, "GetItem");
    XM_ASSIGN_OR_RETURN(engine::ItemWithBytes item,
                        searcher_->GetItem(item_id, request->include_bytes()));
    if (GaveUp(*context)) return GaveUpStatus(*context, "GetItem");
    ToGetItemResponse(std::move(item), response);
    return absl::OkStatus();
  });
}

grpc::Status XmodalService::GetInfo(grpc::ServerContext* context,
                                    const xmodal::v1::GetInfoRequest* request,
                                    xmodal::v1::GetInfoResponse* response) {
  return Run("GetInfo", [&]() -> absl::Status {
    ToGetInfoResponse(searcher_->GetInfo(), ServerVersion(), response);
    return absl::OkStatus();
  });
}

}  // namespace xmodal::server
