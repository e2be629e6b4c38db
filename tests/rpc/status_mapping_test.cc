#include "rpc/status_mapping.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace xmodal::rpc {
namespace {

// Every canonical code with its gRPC twin; the numbers must agree for the mapping to hold.
std::vector<std::pair<absl::StatusCode, grpc::StatusCode>> AllCodes() {
  return {
      {absl::StatusCode::kCancelled, grpc::StatusCode::CANCELLED},
      {absl::StatusCode::kUnknown, grpc::StatusCode::UNKNOWN},
      {absl::StatusCode::kInvalidArgument, grpc::StatusCode::INVALID_ARGUMENT},
      {absl::StatusCode::kDeadlineExceeded, grpc::StatusCode::DEADLINE_EXCEEDED},
      {absl::StatusCode::kNotFound, grpc::StatusCode::NOT_FOUND},
      {absl::StatusCode::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS},
      {absl::StatusCode::kPermissionDenied, grpc::StatusCode::PERMISSION_DENIED},
      {absl::StatusCode::kResourceExhausted, grpc::StatusCode::RESOURCE_EXHAUSTED},
      {absl::StatusCode::kFailedPrecondition, grpc::StatusCode::FAILED_PRECONDITION},
      {absl::StatusCode::kAborted, grpc::StatusCode::ABORTED},
      {absl::StatusCode::kOutOfRange, grpc::StatusCode::OUT_OF_RANGE},
      {absl::StatusCode::kUnimplemented, grpc::StatusCode::UNIMPLEMENTED},
      {absl::StatusCode::kInternal, grpc::StatusCode::INTERNAL},
      {absl::StatusCode::kUnavailable, grpc::StatusCode::UNAVAILABLE},
      {absl::StatusCode::kDataLoss, grpc::StatusCode::DATA_LOSS},
      {absl::StatusCode::kUnauthenticated, grpc::StatusCode::UNAUTHENTICATED},
  };
}

TEST(StatusMappingTest, CoversEveryNonOkCode) {
  // 16 non-OK codes: CANCELLED (1) .. UNAUTHENTICATED (16).
  ASSERT_EQ(AllCodes().size(), 16u);
}

TEST(StatusMappingTest, AbslToGrpcKeepsCodeAndMessage) {
  for (const auto& [absl_code, grpc_code] : AllCodes()) {
    const std::string message = "problem " + absl::StatusCodeToString(absl_code);
    const grpc::Status mapped = ToGrpcStatus(absl::Status(absl_code, message));
    EXPECT_EQ(mapped.error_code(), grpc_code) << message;
    EXPECT_EQ(mapped.error_message(), message);
  }
}

TEST(StatusMappingTest, GrpcToAbslKeepsCodeAndMessage) {
  for (const auto& [absl_code, grpc_code] : AllCodes()) {
    const std::string message = "problem " + absl::StatusCodeToString(absl_code);
    const absl::Status mapped = FromGrpcStatus(grpc::Status(grpc_code, message));
    EXPECT_EQ(mapped.code(), absl_code) << message;
    EXPECT_EQ(mapped.message(), message);
  }
}

TEST(StatusMappingTest, RoundTripsBothWays) {
  for (const auto& [absl_code, grpc_code] : AllCodes()) {
    const absl::Status original(absl_code, "k must be between 1 and 1000, got 5000");
    EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(original)), original);
  }
}

TEST(StatusMappingTest, OkMapsToOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_EQ(ToGrpcStatus(absl::OkStatus()).error_message(), "");
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(StatusMappingTest, CodesOutsideTheCanonicalRangeBecomeUnknown) {
  const grpc::Status to_grpc = ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(42), "odd"));
  EXPECT_EQ(to_grpc.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(to_grpc.error_message(), "odd");
  const absl::Status to_absl =
      FromGrpcStatus(grpc::Status(static_cast<grpc::StatusCode>(99), "odder"));
  EXPECT_EQ(to_absl.code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(to_absl.message(), "odder");
}

}  // namespace
}  // namespace xmodal::rpc
