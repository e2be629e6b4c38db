// Option checks and request building of the load generator, and its HTTP transport against a
// fake HTTP API (cpp-httplib's server); the gRPC load runs against a real server in suite_test.
#include "benchmarks/lib/load_gen.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/lib/http_search_client.h"
#include "benchmarks/lib/load_interval.h"
#include "testing/status_matchers.h"

namespace xmodal::bench {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Le;
using ::xmodal::testing::StatusIs;

LoadRunOptions Valid() { return {.server = "127.0.0.1:7070"}; }

TEST(BenchLoadGenTest, AcceptsLoopbackServers) {
  for (const char* server : {"127.0.0.1:7070", "localhost:1", "[::1]:65535", "127.1.2.3:80"}) {
    LoadRunOptions o = Valid();
    o.server = server;
    EXPECT_OK(ValidateLoadOptions(o));
  }
}

TEST(BenchLoadGenTest, RefusesOtherHostsAndBadOptions) {
  LoadRunOptions o = Valid();
  o.server = "10.0.0.5:7070";
  EXPECT_THAT(ValidateLoadOptions(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a loopback address")));
  o.server = "127.0.0.1";
  EXPECT_THAT(ValidateLoadOptions(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("HOST:PORT")));
  const std::vector<std::pair<LoadRunOptions, std::string>> bad = {
      {{.server = "127.0.0.1:1", .concurrency = 0}, "concurrency"},
      {{.server = "127.0.0.1:1", .seconds = 0}, "seconds"},
      {{.server = "127.0.0.1:1", .warmup_seconds = -1}, "warm-up"},
      {{.server = "127.0.0.1:1", .repetitions = 0}, "repetitions"},
      {{.server = "127.0.0.1:1", .max_requests = -1}, "max requests"},
      {{.server = "127.0.0.1:1", .rate_qps = -5}, "rate"},
      {{.server = "127.0.0.1:1", .k = 0}, "k 0"},
      {{.server = "127.0.0.1:1", .deadline_seconds = 0}, "deadline"}};
  for (const auto& [options, what] : bad) {
    EXPECT_THAT(ValidateLoadOptions(options),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(what)));
  }
}

TEST(BenchLoadGenTest, BuildsOneRequestPerQuery) {
  QuerySet set;
  set.texts = {"red", "blue"};
  set.audio = {"ogg"};
  const auto requests = BuildRequests(set, 7, {Modality::kImage});
  ASSERT_EQ(requests[0].size(), 2u);
  EXPECT_TRUE(requests[1].empty());
  ASSERT_EQ(requests[2].size(), 1u);
  EXPECT_EQ(requests[0][1].request.query().text(), "blue");
  EXPECT_EQ(requests[0][1].request.k(), 7);
  ASSERT_EQ(requests[0][1].request.targets_size(), 1);
  EXPECT_EQ(requests[0][1].request.targets(0), xmodal::v1::MODALITY_IMAGE);
  EXPECT_EQ(requests[2][0].request.query().audio(), "ogg");
  EXPECT_EQ(requests[2][0].kind, Modality::kAudio);
}

TEST(BenchLoadGenTest, UnreachableServerIsUnavailable) {
  QuerySet set;
  set.texts = {"red"};
  LoadRunOptions o = Valid();
  o.server = "127.0.0.1:1";  // nothing listens on port 1
  o.deadline_seconds = 2;
  o.mix.weights = {1, 0, 0};
  EXPECT_THAT(RunLoad(o, set),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("no warm-up request succeeded")));
}

TEST(BenchLoadGenTest, RefusesUnknownTransports) {
  LoadRunOptions o = Valid();
  o.transport = "http";
  EXPECT_OK(ValidateLoadOptions(o));
  o.transport = "quic";
  EXPECT_THAT(ValidateLoadOptions(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                               "transport 'quic' is neither grpc nor http"));
}

TEST(BenchHttpTransportTest, BodiesAreTheRequestsInProtobufsJsonMapping) {
  xmodal::v1::SearchRequest request;
  request.mutable_query()->set_text("a dog");
  request.add_targets(xmodal::v1::MODALITY_IMAGE);
  request.set_k(10);
  ASSERT_OK_AND_ASSIGN(std::string text_body, SearchRequestToJson(request));
  EXPECT_EQ(text_body, R"({"query":{"text":"a dog"},"targets":["MODALITY_IMAGE"],"k":10})");
  xmodal::v1::SearchRequest image;
  image.mutable_query()->set_image("\x89PNG");
  ASSERT_OK_AND_ASSIGN(std::string image_body, SearchRequestToJson(image));
  EXPECT_EQ(image_body, R"({"query":{"image":"iVBORw=="}})");  // base64

  QuerySet set;
  set.texts = {"red"};
  set.audio = {"ogg"};
  auto requests = BuildRequests(set, 7, {});
  ASSERT_OK(AddJsonBodies(requests));
  EXPECT_EQ(requests[0][0].json_body, R"({"query":{"text":"red"},"k":7})");
  EXPECT_EQ(requests[2][0].json_body, R"({"query":{"audio":"b2dn"},"k":7})");
}

TEST(BenchHttpTransportTest, ErrorsKeepTheCodeTheServerNames) {
  EXPECT_THAT(
      StatusFromHttpError(400, R"({"code":"INVALID_ARGUMENT","message":"query.text is empty"})"),
      StatusIs(absl::StatusCode::kInvalidArgument, "query.text is empty"));
  // The JSON code wins over the HTTP status.
  EXPECT_THAT(StatusFromHttpError(500, R"({"code":"RESOURCE_EXHAUSTED","message":"busy"})"),
              StatusIs(absl::StatusCode::kResourceExhausted, "busy"));
  // Otherwise the HTTP status stands for a code, and the body is quoted.
  EXPECT_THAT(StatusFromHttpError(503, "<html>down</html>"),
              StatusIs(absl::StatusCode::kUnavailable, "HTTP 503: <html>down</html>"));
  EXPECT_THAT(StatusFromHttpError(404, R"({"code":"NOPE"})"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("HTTP 404")));
  EXPECT_THAT(StatusFromHttpError(400, R"({"code":"OK"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("HTTP 400")));
  EXPECT_THAT(StatusFromHttpError(500, std::string(1000, 'x')),
              StatusIs(absl::StatusCode::kInternal, HasSubstr(std::string(200, 'x'))));
  EXPECT_LE(StatusFromHttpError(500, std::string(1000, 'x')).message().size(), 220u);
}

TEST(BenchHttpTransportTest, RefusesBadClientOptions) {
  EXPECT_THAT(HttpSearchClient::Create("127.0.0.1", 1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("HOST:PORT")));
  EXPECT_THAT(HttpSearchClient::Create("127.0.0.1:0", 1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("HOST:PORT")));
  EXPECT_THAT(HttpSearchClient::Create("127.0.0.1:80", 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deadline")));
  EXPECT_OK(HttpSearchClient::Create("[::1]:80", 1));
}

// POST /v1/search as the server's HTTP API answers it: text "bad" is INVALID_ARGUMENT in the
// API's JSON, "teapot" a non-JSON 418, anything else one hit. Records what it was sent.
class FakeHttpApi {
 public:
  FakeHttpApi() {
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(1'000'000);
    server_.Post("/v1/search", [this](const httplib::Request& req, httplib::Response& res) {
      xmodal::v1::SearchRequest request;
      const bool parsed = google::protobuf::util::JsonStringToMessage(req.body, &request).ok();
      {
        std::lock_guard lock(mu_);
        ++calls_;
        content_types_.insert(req.get_header_value("Content-Type"));
        connections_.insert(req.remote_port);
        if (!parsed) unparsed_.push_back(req.body);
        ks_.insert(request.k());
      }
      if (request.query().text() == "bad") {
        res.status = 400;
        res.set_content(R"({"code":"INVALID_ARGUMENT","message":"query.text is bad"})",
                        "application/json");
      } else if (request.query().text() == "teapot") {
        res.status = 418;
        res.set_content("I'm a teapot", "text/plain");
      } else {
        res.set_content(absl::StrCat(R"({"hits":[{"itemId":"i1","score":0.5,"text":")",
                                     request.query().text(), R"("}],"generation":"3"})"),
                        "application/json");
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~FakeHttpApi() {
    server_.stop();
    thread_.join();
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  int64_t calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::set<std::string> content_types() {
    std::lock_guard lock(mu_);
    return content_types_;
  }
  size_t connections() {
    std::lock_guard lock(mu_);
    return connections_.size();
  }
  std::vector<std::string> unparsed() {
    std::lock_guard lock(mu_);
    return unparsed_;
  }
  std::set<int> ks() {
    std::lock_guard lock(mu_);
    return ks_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  int64_t calls_ = 0;
  std::set<std::string> content_types_;
  std::set<int> connections_;  // client ports
  std::vector<std::string> unparsed_;
  std::set<int> ks_;
};

TEST(BenchHttpTransportTest, SearchReadsTheResponseAndTheErrors) {
  FakeHttpApi api;
  ASSERT_OK_AND_ASSIGN(auto client, HttpSearchClient::Create(api.address(), 5));
  xmodal::v1::SearchResponse response;
  ASSERT_OK(client->Search(R"({"query":{"text":"red"},"k":3})", &response));
  ASSERT_EQ(response.hits_size(), 1);
  EXPECT_EQ(response.hits(0).text(), "red");
  EXPECT_EQ(response.generation(), 3);
  EXPECT_THAT(client->Search(R"({"query":{"text":"bad"}})", &response),
              StatusIs(absl::StatusCode::kInvalidArgument, "query.text is bad"));
  EXPECT_THAT(client->Search(R"({"query":{"text":"teapot"}})", &response),
              StatusIs(absl::StatusCode::kInvalidArgument, "HTTP 418: I'm a teapot"));
  EXPECT_EQ(api.connections(), 1u);  // one keep-alive connection for all three
}

// Text-only HTTP load on `server` with `concurrency` clients and no warm-up.
LoadRunOptions HttpTextRun(const std::string& server, int concurrency) {
  LoadRunOptions o = Valid();
  o.server = server;
  o.transport = "http";
  o.concurrency = concurrency;
  o.warmup_seconds = 0;
  o.mix.weights = {1, 0, 0};
  return o;
}

TEST(BenchHttpTransportTest, ClosedLoopRunOverHttpCountsErrorsByTheirJsonCode) {
  FakeHttpApi api;
  QuerySet set;
  set.texts = {"red", "blue", "bad"};
  LoadRunOptions o = HttpTextRun(api.address(), 3);
  o.seconds = 0.3;
  o.warmup_seconds = 0.1;
  o.repetitions = 2;
  o.k = 5;
  ASSERT_OK_AND_ASSIGN(Json run, RunLoad(o, set));
  EXPECT_EQ(run["transport"], "http");
  EXPECT_EQ(run["mode"], "closed");
  EXPECT_GT(run["ok"].get<int64_t>(), 10);
  ASSERT_TRUE(run["errors"].contains("INVALID_ARGUMENT")) << run.dump();
  EXPECT_GT(run["errors"]["INVALID_ARGUMENT"].get<int64_t>(), 0);
  EXPECT_EQ(run["errors"].size(), 1u);
  EXPECT_THAT(run["error_examples"]["INVALID_ARGUMENT"].get<std::string>(),
              HasSubstr("query.text is bad"));
  EXPECT_EQ(run["requests"].get<int64_t>(),
            run["ok"].get<int64_t>() + run["errors"]["INVALID_ARGUMENT"].get<int64_t>());
  EXPECT_GT(run["by_kind"]["text"]["ok"].get<int64_t>(), 0);
  EXPECT_GT(run["latency_ms"]["p50"]["median"].get<double>(), 0);
  // Every request was the gRPC one as JSON, on one keep-alive connection per client.
  EXPECT_TRUE(api.unparsed().empty());
  EXPECT_EQ(api.ks(), std::set<int>{5});
  EXPECT_EQ(api.content_types(), std::set<std::string>{"application/json"});
  EXPECT_EQ(api.connections(), 3u);
}

TEST(BenchHttpTransportTest, OpenLoopRunOverHttpKeepsTheSchedule) {
  FakeHttpApi api;
  QuerySet set;
  set.texts = {"red"};
  LoadRunOptions o = HttpTextRun(api.address(), 4);
  o.seconds = 0.5;
  o.repetitions = 1;
  o.rate_qps = 200;
  ASSERT_OK_AND_ASSIGN(Json run, RunLoad(o, set));
  EXPECT_EQ(run["mode"], "open");
  // 0.5 s at 200 per second: requests due at 0, 5, ..., 495 ms.
  EXPECT_EQ(run["requests"].get<int64_t>(), 100);
  EXPECT_EQ(run["ok"].get<int64_t>(), 100);
  EXPECT_THAT(run["qps"]["median"].get<double>(), Le(205.0));
  EXPECT_EQ(api.calls(), 100 + 4);  // and each client's priming request
}

TEST(BenchHttpTransportTest, MaxRequestsBoundsAnHttpRun) {
  FakeHttpApi api;
  QuerySet set;
  set.texts = {"red"};
  LoadRunOptions o = HttpTextRun(api.address(), 4);
  o.seconds = 30;
  o.repetitions = 2;
  o.max_requests = 25;
  ASSERT_OK_AND_ASSIGN(Json run, RunLoad(o, set));
  EXPECT_EQ(run["requests"].get<int64_t>(), 50);
  EXPECT_EQ(api.calls(), 50 + 4);  // each client primes once
}

TEST(BenchHttpTransportTest, UnreachableHttpServerIsUnavailable) {
  QuerySet set;
  set.texts = {"red"};
  LoadRunOptions o = HttpTextRun("127.0.0.1:1", 1);  // nothing listens on port 1
  o.warmup_seconds = Valid().warmup_seconds;
  o.deadline_seconds = 2;
  EXPECT_THAT(RunLoad(o, set),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("no warm-up request succeeded"), HasSubstr("UNAVAILABLE"))));
}

}  // namespace
}  // namespace xmodal::bench
