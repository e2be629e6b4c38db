// The server over loopback gRPC with the toy model package and a small collection built
// straight through the store: start-up (options, model resolution, port 0, bind failure),
// request validation and error codes as a client sees them, health, the message size cap and
// hot reload of a newly published generation.
#include "server/server.h"

#include <glog/logging.h>
#include <gmock/gmock.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <future>
#include <latch>
#include <thread>

#include "client/client.h"
#include "core/base/file_util.h"
#include "core/engine/collection.h"
#include "core/media/image.h"
#include "core/model/model.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"
#include "tests/engine/engine_test_util.h"

namespace xmodal::server {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::xmodal::client::XmodalClient;
using ::xmodal::testing::StatusIs;
using ::xmodal::testing::TestItem;

constexpr int kDim = 8;  // the toy model's embedding size

std::vector<float> Axis(int i) {
  std::vector<float> v(kDim, 0.0f);
  v[i] = 1.0f;
  return v;
}

// Builds a collection of `items` pinned to the package at `model_dir` and publishes it.
absl::StatusOr<std::unique_ptr<engine::Collection>> BuildCollection(
    const std::string& dir, const std::string& model_dir, const std::vector<TestItem>& items) {
  absl::StatusOr<model::ModelPin> pin = model::ComputeModelPin(model_dir);
  if (!pin.ok()) return pin.status();
  absl::StatusOr<std::unique_ptr<engine::Collection>> collection =
      engine::Collection::Open(dir, *pin, {.model_dir = model_dir});
  if (!collection.ok()) return collection.status();
  if (absl::Status s = xmodal::testing::CommitTestItems(**collection, items); !s.ok()) return s;
  if (absl::Status s = (*collection)->BuildAndPublish({}).status(); !s.ok()) return s;
  return collection;
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_OK_AND_ASSIGN(root_, MakeTempDirectory("server_test_"));
    model_dir_ = root_ + "/model";
    ASSERT_OK(xmodal::testing::WriteToyModelPackage(model_dir_));
    collection_dir_ = root_ + "/collection";
    ASSERT_OK_AND_ASSIGN(
        auto collection,
        BuildCollection(
            collection_dir_, model_dir_,
            {{"red-img", Modality::kImage, Axis(0), {{"colour", "red"}}, "/pics/red.png"},
             {"green-img", Modality::kImage, Axis(1), {{"colour", "green"}}, "/pics/green.png"},
             {"blue-txt", Modality::kText, Axis(2)}}));
  }

  ServerOptions Options() const {
    ServerOptions options;
    options.collection_dir = collection_dir_;
    options.model_dir = model_dir_;
    options.listen = "127.0.0.1:0";
    options.threads = 1;
    options.reload_interval_seconds = 0;
    return options;
  }

  static std::unique_ptr<XmodalClient> ClientFor(const Server& server) {
    absl::StatusOr<std::unique_ptr<XmodalClient>> client =
        XmodalClient::Connect(server.address(), {.deadline_seconds = 30});
    CHECK(client.ok()) << client.status();
    return *std::move(client);
  }

  static xmodal::v1::SearchRequest TextSearch(const std::string& text) {
    xmodal::v1::SearchRequest request;
    request.mutable_query()->set_text(text);
    return request;
  }

  static inline std::string root_;
  static inline std::string model_dir_;
  static inline std::string collection_dir_;
};

TEST_F(ServerTest, ServesSearchGetItemAndInfoOnAnEphemeralPort) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(Options()));
  EXPECT_GT(server->port(), 0);
  EXPECT_EQ(server->address(), "127.0.0.1:" + std::to_string(server->port()));
  EXPECT_EQ(server->generation(), 1);
  std::unique_ptr<XmodalClient> client = ClientFor(*server);

  xmodal::v1::SearchRequest request = TextSearch("red car");
  request.add_targets(xmodal::v1::MODALITY_IMAGE);
  ASSERT_OK_AND_ASSIGN(xmodal::v1::SearchResponse found, client->Search(request));
  ASSERT_EQ(found.hits_size(), 2);
  EXPECT_EQ(found.hits(0).item_id(), "red-img");
  EXPECT_EQ(found.hits(0).modality(), xmodal::v1::MODALITY_IMAGE);
  EXPECT_EQ(found.hits(0).source_uri(), "/pics/red.png");
  EXPECT_EQ(found.hits(0).metadata().at("colour"), "red");
  EXPECT_GT(found.hits(0).score(), found.hits(1).score());
  EXPECT_EQ(found.generation(), 1);

  (*request.mutable_metadata_filter())["colour"] = "green";
  ASSERT_OK_AND_ASSIGN(xmodal::v1::SearchResponse filtered, client->Search(request));
  ASSERT_EQ(filtered.hits_size(), 1);
  EXPECT_EQ(filtered.hits(0).item_id(), "green-img");

  xmodal::v1::GetItemRequest get;
  get.set_item_id("blue-txt");
  ASSERT_OK_AND_ASSIGN(xmodal::v1::GetItemResponse item, client->GetItem(get));
  EXPECT_EQ(item.item().modality(), xmodal::v1::MODALITY_TEXT);
  EXPECT_EQ(item.item().vector_count(), 1);

  ASSERT_OK_AND_ASSIGN(xmodal::v1::GetInfoResponse info, client->GetInfo());
  EXPECT_EQ(info.model().name(), "toy-rgb");
  EXPECT_EQ(info.model().dim(), kDim);
  EXPECT_EQ(info.generation(), 1);
  EXPECT_THAT(info.server_version(), StartsWith("xmodal "));
  ASSERT_EQ(info.modalities_size(), 2);  // text and image; no audio items
  EXPECT_EQ(info.modalities(0).modality(), xmodal::v1::MODALITY_TEXT);
  EXPECT_EQ(info.modalities(1).modality(), xmodal::v1::MODALITY_IMAGE);
  EXPECT_EQ(info.modalities(1).vectors(), 2);

  xmodal::v1::EmbedRequest embed;
  embed.mutable_query()->set_text("red");
  ASSERT_OK_AND_ASSIGN(xmodal::v1::EmbedResponse embedding, client->Embed(embed));
  EXPECT_EQ(embedding.dim(), kDim);
  ASSERT_EQ(embedding.vectors_size(), 1);
  EXPECT_EQ(embedding.vectors(0).values_size(), kDim);
}

TEST_F(ServerTest, ClientSeesTheExactCodeAndMessageOfEachRequestError) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(Options()));
  std::unique_ptr<XmodalClient> client = ClientFor(*server);

  EXPECT_THAT(client->Search(xmodal::v1::SearchRequest()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "query is empty: set one of text, image, audio or item_id"));
  xmodal::v1::SearchRequest big_k = TextSearch("red");
  big_k.set_k(5000);
  EXPECT_THAT(client->Search(big_k), StatusIs(absl::StatusCode::kInvalidArgument,
                                              "k must be between 1 and 1000, got 5000"));
  xmodal::v1::SearchRequest unspecified = TextSearch("red");
  unspecified.add_targets(xmodal::v1::MODALITY_UNSPECIFIED);
  EXPECT_THAT(client->Search(unspecified),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("targets[0]")));
  xmodal::v1::SearchRequest unknown_item;
  unknown_item.mutable_query()->set_item_id("no-such-item");
  EXPECT_THAT(client->Search(unknown_item), StatusIs(absl::StatusCode::kNotFound, _));
  xmodal::v1::SearchRequest garbage_image;
  garbage_image.mutable_query()->set_image("definitely not an image");
  EXPECT_THAT(client->Search(garbage_image),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("image")));

  EXPECT_THAT(client->GetItem(xmodal::v1::GetItemRequest()),
              StatusIs(absl::StatusCode::kInvalidArgument, "item_id is empty"));
  xmodal::v1::GetItemRequest missing;
  missing.set_item_id("no-such-item");
  EXPECT_THAT(client->GetItem(missing), StatusIs(absl::StatusCode::kNotFound, _));
  EXPECT_THAT(client->Embed(xmodal::v1::EmbedRequest()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "query is empty: set one of text, image, audio or item_id"));
}

TEST_F(ServerTest, AnswersAreNotUnreachableButAStoppedServerIs) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(Options()));
  std::unique_ptr<XmodalClient> client = ClientFor(*server);
  xmodal::v1::GetItemRequest missing;
  missing.set_item_id("no-such-item");
  const absl::Status answered = client->GetItem(missing).status();
  EXPECT_THAT(answered, StatusIs(absl::StatusCode::kNotFound, _));
  EXPECT_FALSE(client::IsServerUnreachable(answered));

  server->Shutdown();
  server.reset();
  const absl::Status gone = client->GetInfo().status();
  EXPECT_THAT(gone, StatusIs(absl::StatusCode::kUnavailable, _));
  EXPECT_TRUE(client::IsServerUnreachable(gone)) << gone;
}

TEST_F(ServerTest, RequestsOverTheMediaCapAreRefusedByGrpc) {
  ServerOptions options = Options();
  options.limits.image.max_bytes = 1000;
  options.limits.audio.max_bytes = 1000;
  EXPECT_EQ(MaxReceiveMessageBytes(options.limits), 1000 + (1 << 20));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(options));
  std::unique_ptr<XmodalClient> client = ClientFor(*server);
  xmodal::v1::SearchRequest request;
  request.mutable_query()->set_image(std::string(2 << 20, 'x'));
  EXPECT_THAT(client->Search(request), StatusIs(absl::StatusCode::kResourceExhausted, _));
}

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

std::unique_ptr<grpc::health::v1::Health::Stub> HealthStub(const Server& server) {
  return grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
}

// The standard health service's status of `service`, or the call's status code.
absl::StatusOr<HealthCheckResponse::ServingStatus> CheckHealth(const Server& server,
                                                               const std::string& service) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status = HealthStub(server)->Check(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  return response.status();
}

TEST_F(ServerTest, ReportsServingOnTheHealthService) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(Options()));
  EXPECT_THAT(CheckHealth(*server, ""), HealthCheckResponse::SERVING);
  EXPECT_THAT(CheckHealth(*server, "xmodal.v1.Xmodal"), HealthCheckResponse::SERVING);
  EXPECT_THAT(CheckHealth(*server, "no.such.Service"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no.such.Service")));
}

TEST_F(ServerTest, HealthWatchSeesTheServerStopServing) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(Options()));
  const auto stub = HealthStub(*server);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  HealthCheckRequest request;  // the server as a whole
  const auto reader = stub->Watch(&context, request);
  HealthCheckResponse response;
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  std::thread stopper([&server] { server->Shutdown(10.0); });
  ASSERT_TRUE(reader->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_FALSE(reader->Read(&response));  // the stream ends
  EXPECT_TRUE(reader->Finish().ok());
  stopper.join();
}

TEST_F(ServerTest, ResolvesTheModelFromTheManifest) {
  ServerOptions options = Options();
  options.model_dir.clear();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(options));
  EXPECT_TRUE(std::filesystem::equivalent(server->model_dir(), model_dir_));
}

TEST_F(ServerTest, BindFailureIsUnavailableNamingTheAddress) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> first, Server::Start(Options()));
  ServerOptions options = Options();
  options.listen = first->address();
  EXPECT_THAT(Server::Start(options), StatusIs(absl::StatusCode::kUnavailable,
                                               HasSubstr("cannot listen on " + first->address())));
}

// A search engine queues: many more concurrent calls than the thread budget all succeed (they
// used to be refused with RESOURCE_EXHAUSTED beyond gRPC's thread cap of 2 * threads + 2).
TEST_F(ServerTest, QueuesManyConcurrentCallsOnAOneThreadBudget) {
  ASSERT_EQ(Options().threads, 1);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(Options()));
  media::Image picture{.width = 256, .height = 256};
  for (int i = 0; i < 256 * 256; ++i) {
    picture.rgb.push_back(static_cast<uint8_t>(i % 256));
    picture.rgb.push_back(static_cast<uint8_t>(i / 256));
    picture.rgb.push_back(static_cast<uint8_t>(i % 7 * 30));
  }
  ASSERT_OK_AND_ASSIGN(const std::string png, media::EncodePng(picture));

  constexpr int kClients = 24;
  constexpr int kCallsEach = 3;
  std::vector<std::unique_ptr<XmodalClient>> clients;
  for (int c = 0; c < kClients; ++c) clients.push_back(ClientFor(*server));
  std::latch start(kClients);
  std::vector<std::vector<absl::Status>> outcomes(kClients);
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      start.arrive_and_wait();  // all calls in flight together
      for (int i = 0; i < kCallsEach; ++i) {
        xmodal::v1::SearchRequest request = TextSearch("red");
        if ((c + i) % 2 == 0) request.mutable_query()->set_image(png);  // slower: decoding
        outcomes[static_cast<size_t>(c)].push_back(
            clients[static_cast<size_t>(c)]->Search(request).status());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int c = 0; c < kClients; ++c) {
    ASSERT_EQ(outcomes[static_cast<size_t>(c)].size(), static_cast<size_t>(kCallsEach));
    for (const absl::Status& status : outcomes[static_cast<size_t>(c)]) {
      EXPECT_OK(status) << "client " << c;
    }
  }
}

TEST_F(ServerTest, StartErrors) {
  ServerOptions no_collection = Options();
  no_collection.collection_dir.clear();
  EXPECT_THAT(Server::Start(no_collection),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("collection_dir is empty")));

  ServerOptions bad_threads = Options();
  bad_threads.threads = -2;
  EXPECT_THAT(Server::Start(bad_threads),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "threads must be >= 0 (0: one per hardware thread), got -2"));

  ServerOptions no_batch = Options();
  no_batch.search_batch = 0;
  EXPECT_THAT(Server::Start(no_batch), StatusIs(absl::StatusCode::kInvalidArgument,
                                                "search_batch must be in 1..1024, got 0"));

  ServerOptions no_calls = Options();
  no_calls.max_calls = 0;
  EXPECT_THAT(Server::Start(no_calls), StatusIs(absl::StatusCode::kInvalidArgument,
                                                "max_calls must be in 1..100000, got 0"));

  ServerOptions bad_interval = Options();
  bad_interval.reload_interval_seconds = std::nan("");
  EXPECT_THAT(Server::Start(bad_interval),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reload_interval_seconds")));

  ServerOptions missing = Options();
  missing.collection_dir = root_ + "/no-such-collection";
  missing.model_dir.clear();
  EXPECT_THAT(Server::Start(missing),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no-such-collection")));

  ServerOptions no_model = Options();
  no_model.model_dir = root_ + "/no-such-model";
  EXPECT_THAT(Server::Start(no_model),
              StatusIs(absl::StatusCode::kNotFound, StartsWith("loading model ")));
}

TEST_F(ServerTest, SwapsInANewlyPublishedGeneration) {
  const std::string dir = root_ + "/reloading";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<engine::Collection> collection,
                       BuildCollection(dir, model_dir_, {{"red-img", Modality::kImage, Axis(0)}}));
  ServerOptions options = Options();
  options.collection_dir = dir;
  options.reload_interval_seconds = 0.05;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(options));
  std::unique_ptr<XmodalClient> client = ClientFor(*server);
  EXPECT_EQ(server->generation(), 1);

  ASSERT_OK(
      xmodal::testing::CommitTestItems(*collection, {{"green-img", Modality::kImage, Axis(1)}}));
  ASSERT_OK(collection->BuildAndPublish({}).status());
  // Wait (bounded) for the reload thread; the assertion is on the outcome, not the time taken.
  int64_t generation = 1;
  for (int i = 0; i < 600 && generation < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_OK_AND_ASSIGN(xmodal::v1::GetInfoResponse info, client->GetInfo());
    generation = info.generation();
  }
  EXPECT_EQ(generation, 2);
  xmodal::v1::SearchRequest request = TextSearch("green");
  ASSERT_OK_AND_ASSIGN(xmodal::v1::SearchResponse found, client->Search(request));
  ASSERT_GE(found.hits_size(), 1);
  EXPECT_EQ(found.hits(0).item_id(), "green-img");
  EXPECT_EQ(found.generation(), 2);
}

TEST_F(ServerTest, ShutdownIsIdempotentAndEndsWait) {
  ServerOptions options = Options();
  options.reload_interval_seconds = 3600;  // the reload thread must still stop promptly
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> server, Server::Start(options));
  std::thread waiter([&server] { server->Wait(); });
  server->Shutdown(1.0);
  server->Shutdown(1.0);
  waiter.join();
  std::unique_ptr<XmodalClient> client = ClientFor(*server);
  EXPECT_THAT(client->GetInfo(), StatusIs(absl::StatusCode::kUnavailable, _));
}

}  // namespace
}  // namespace xmodal::server
