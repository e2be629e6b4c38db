// The HTTP API of xmodal-server over a real loopback socket (cpp-httplib's client), with the
// toy colour model and a small collection whose images and sound are real files: every
// endpoint's success path, each kind of bad input with its HTTP status and JSON error (and
// the next request answered normally after it), /metrics parsed as Prometheus text with its
// counters moving by the right amounts, and gRPC and HTTP giving the same answer.
#include <glog/logging.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>

#include "client/client.h"
#include "core/base/file_util.h"
#include "core/base/json.h"
#include "core/base/sha256.h"
#include "core/engine/collection.h"
#include "core/media/audio.h"
#include "core/media/image.h"
#include "core/model/model.h"
#include "server/server.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"
#include "tests/engine/engine_test_util.h"
#include "tests/testing/prometheus_text.h"

namespace xmodal::server {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::ParsePrometheusText;
using ::xmodal::testing::PrometheusScrape;
using ::xmodal::testing::PrometheusType;

constexpr int kDim = 8;

std::vector<float> Axis(int i) {
  std::vector<float> v(kDim, 0.0f);
  v[i] = 1.0f;
  return v;
}

std::string SolidPng(int width, int height, uint8_t r, uint8_t g, uint8_t b) {
  media::Image image{.width = width, .height = height};
  for (int i = 0; i < width * height; ++i) image.rgb.insert(image.rgb.end(), {r, g, b});
  absl::StatusOr<std::string> png = media::EncodePng(image);
  CHECK(png.ok()) << png.status();
  return *png;
}

std::string ToneWav(double hz, double seconds) {
  media::Audio audio{.sample_rate = 16000};
  for (int i = 0; i < seconds * audio.sample_rate; ++i) {
    audio.samples.push_back(0.5f * std::sin(2 * M_PI * hz * i / audio.sample_rate));
  }
  absl::StatusOr<std::string> wav = media::EncodeAudio(audio, media::AudioContainer::kWav);
  CHECK(wav.ok()) << wav.status();
  return *wav;
}

// Sends `request` as is over a new connection and returns everything the server sends back
// until it closes the connection (for requests cpp-httplib's client will not send).
std::string RawHttp(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  CHECK_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  CHECK_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  CHECK_EQ(write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string response;
  char buffer[4096];
  for (ssize_t n; (n = read(fd, buffer, sizeof(buffer))) > 0;) response.append(buffer, n);
  close(fd);
  return response;
}

// The JSON of a response body (fails the test when it is not JSON).
Json BodyJson(const httplib::Result& result) {
  absl::StatusOr<Json> json = ParseJson(result->body, "response body");
  EXPECT_TRUE(json.ok()) << json.status() << ": " << result->body;
  return json.ok() ? *json : Json();
}

class HttpApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_OK_AND_ASSIGN(root_, MakeTempDirectory("http_api_test_"));
    const std::string model_dir = root_ + "/model";
    ASSERT_OK(xmodal::testing::WriteToyModelPackage(model_dir));
    red_png_ = SolidPng(40, 20, 250, 10, 10);
    ASSERT_OK(WriteFileAtomically(root_ + "/red.png", red_png_));
    ASSERT_OK(WriteFileAtomically(root_ + "/green.png", SolidPng(16, 16, 10, 250, 10)));
    tone_wav_ = ToneWav(300, 1.0);
    ASSERT_OK(WriteFileAtomically(root_ + "/low.wav", tone_wav_));
    ASSERT_OK_AND_ASSIGN(model::ModelPin pin, model::ComputeModelPin(model_dir));
    collection_dir_ = root_ + "/collection";
    ASSERT_OK_AND_ASSIGN(auto collection,
                         engine::Collection::Open(collection_dir_, pin, {.model_dir = model_dir}));
    ASSERT_OK(xmodal::testing::CommitTestItems(
        *collection,
        {{"red-img", Modality::kImage, Axis(0), {{"colour", "red"}}, root_ + "/red.png"},
         {"green-img", Modality::kImage, Axis(1), {{"colour", "green"}}, root_ + "/green.png"},
         {"low-snd", Modality::kAudio, Axis(0), {}, root_ + "/low.wav"},
         {"blue-txt", Modality::kText, Axis(2), {{"lang", "en"}}}}));
    ASSERT_OK(collection->BuildAndPublish({}).status());

    ServerOptions options;
    options.collection_dir = collection_dir_;
    options.model_dir = model_dir;
    options.listen = "127.0.0.1:0";
    options.http_listen = "127.0.0.1:0";
    options.threads = 1;
    options.reload_interval_seconds = 0;
    // Small media caps, so that a body over the HTTP cap is small to send.
    options.limits.image.max_bytes = 64 << 10;
    options.limits.audio.max_bytes = 64 << 10;
    ASSERT_OK_AND_ASSIGN(server_, Server::Start(options));
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    http_ = std::make_unique<httplib::Client>("127.0.0.1", server_->http_port());
    http_->set_read_timeout(30, 0);
  }

  httplib::Result PostJson(const std::string& path, const std::string& body) {
    return http_->Post(path.c_str(), body, "application/json");
  }

  // Expects an error response: the status, the JSON code and a message containing `message`;
  // then that the server answers the next request normally.
  void ExpectError(const httplib::Result& result, int http_status, const std::string& code,
                   const std::string& message) {
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, http_status) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    const Json body = BodyJson(result);
    EXPECT_EQ(body.value("code", ""), code) << result->body;
    EXPECT_THAT(body.value("message", ""), HasSubstr(message));
    const httplib::Result next = http_->Get("/v1/info");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
  }

  PrometheusScrape Scrape() {
    const httplib::Result result = http_->Get("/metrics");
    EXPECT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_THAT(result->get_header_value("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
    absl::StatusOr<PrometheusScrape> scrape = ParsePrometheusText(result->body);
    EXPECT_TRUE(scrape.ok()) << scrape.status();
    return scrape.ok() ? *std::move(scrape) : PrometheusScrape();
  }

  static inline std::string root_;
  static inline std::string collection_dir_;
  static inline std::string red_png_;
  static inline std::string tone_wav_;
  static inline std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> http_;
};

TEST_F(HttpApiTest, JsonSearchReturnsTheProtoJsonMapping) {
  const httplib::Result result = PostJson(
      "/v1/search", R"({"query": {"text": "red car"}, "targets": ["MODALITY_IMAGE"], "k": 5})");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  const Json body = BodyJson(result);
  ASSERT_EQ(body["hits"].size(), 2u) << result->body;
  EXPECT_EQ(body["hits"][0]["itemId"], "red-img");
  EXPECT_EQ(body["hits"][0]["modality"], "MODALITY_IMAGE");
  EXPECT_EQ(body["hits"][0]["metadata"]["colour"], "red");
  EXPECT_GT(body["hits"][0]["score"].get<double>(), body["hits"][1]["score"].get<double>());
  EXPECT_EQ(body["generation"], "1");  // int64 as a string, as the mapping says
  for (const char* stage : {"queueMs", "decodeMs", "encodeMs", "searchMs", "fetchMs"}) {
    EXPECT_TRUE(body["timings"].contains(stage)) << stage;
  }
  // proto field names are accepted on input too.
  const httplib::Result snake =
      PostJson("/v1/search", R"({"query": {"item_id": "low-snd"}, "targets": ["MODALITY_IMAGE"]})");
  ASSERT_TRUE(snake);
  ASSERT_EQ(snake->status, 200) << snake->body;
  EXPECT_EQ(BodyJson(snake)["hits"][0]["itemId"], "red-img");
}

TEST_F(HttpApiTest, MultipartSearchTakesAnUploadedFileAndTheOtherFields) {
  const httplib::MultipartFormDataItems form = {
      {"file", red_png_, "red.png", "image/png"},
      {"targets", "image", "", ""},
      {"k", "1", "", ""},
  };
  const httplib::Result result = http_->Post("/v1/search", form);
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const Json body = BodyJson(result);
  ASSERT_EQ(body["hits"].size(), 1u);
  EXPECT_EQ(body["hits"][0]["itemId"], "red-img");

  const httplib::Result sound = http_->Post(
      "/v1/search", httplib::MultipartFormDataItems{{"audio", tone_wav_, "low.wav", "audio/wav"},
                                                    {"targets", "audio,image", "", ""}});
  ASSERT_TRUE(sound);
  ASSERT_EQ(sound->status, 200) << sound->body;
  EXPECT_EQ(BodyJson(sound)["hits"][0]["itemId"], "low-snd");
  EXPECT_TRUE(BodyJson(sound)["hits"][0].contains("startSeconds"));
}

TEST_F(HttpApiTest, EmbedItemInfoHealthAndPageAnswer) {
  const httplib::Result embed = PostJson("/v1/embed", R"({"query": {"text": "red"}})");
  ASSERT_TRUE(embed);
  ASSERT_EQ(embed->status, 200) << embed->body;
  EXPECT_EQ(BodyJson(embed)["dim"], kDim);
  EXPECT_EQ(BodyJson(embed)["vectors"][0]["values"].size(), static_cast<size_t>(kDim));
  const httplib::Result embed_form = http_->Post(
      "/v1/embed", httplib::MultipartFormDataItems{{"image", red_png_, "red.png", "image/png"}});
  ASSERT_TRUE(embed_form);
  EXPECT_EQ(embed_form->status, 200) << embed_form->body;

  const httplib::Result item = http_->Get("/v1/items/blue-txt");
  ASSERT_TRUE(item);
  ASSERT_EQ(item->status, 200) << item->body;
  EXPECT_EQ(BodyJson(item)["item"]["modality"], "MODALITY_TEXT");
  EXPECT_EQ(BodyJson(item)["item"]["metadata"]["lang"], "en");
  EXPECT_FALSE(BodyJson(item).contains("content"));

  const httplib::Result info = http_->Get("/v1/info");
  ASSERT_TRUE(info);
  EXPECT_EQ(BodyJson(info)["model"]["name"], "toy-rgb");
  EXPECT_EQ(BodyJson(info)["modalities"].size(), 3u);

  EXPECT_EQ(http_->Get("/healthz")->status, 200);
  const httplib::Result ready = http_->Get("/readyz");
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(BodyJson(ready)["generation"], "1");

  const httplib::Result page = http_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(page->body, HasSubstr("app.js"));
  httplib::Headers current = {{"If-None-Match", page->get_header_value("ETag")}};
  EXPECT_EQ(http_->Get("/", current)->status, 304);
}

TEST_F(HttpApiTest, ContentHasItsTypeEtagAndByteRanges) {
  const httplib::Result whole = http_->Get("/v1/items/low-snd/content");
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->status, 200) << whole->body;
  EXPECT_EQ(whole->body, tone_wav_);
  EXPECT_EQ(whole->get_header_value("Content-Type"), "audio/wav");
  EXPECT_EQ(whole->get_header_value("Accept-Ranges"), "bytes");
  const std::string etag = whole->get_header_value("ETag");
  EXPECT_EQ(etag, "\"" + Sha256Hex(tone_wav_) + "\"");

  const httplib::Result part =
      http_->Get("/v1/items/low-snd/content", {{"Range", "bytes=100-199"}});
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body, tone_wav_.substr(100, 100));
  EXPECT_EQ(part->get_header_value("Content-Range"),
            "bytes 100-199/" + std::to_string(tone_wav_.size()));
  const httplib::Result tail = http_->Get("/v1/items/low-snd/content", {{"Range", "bytes=-10"}});
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->status, 206);
  EXPECT_EQ(tail->body, tone_wav_.substr(tone_wav_.size() - 10));

  const httplib::Result unchanged =
      http_->Get("/v1/items/low-snd/content", {{"If-None-Match", etag}});
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(unchanged->status, 304);
  EXPECT_TRUE(unchanged->body.empty());

  const httplib::Result png = http_->Get("/v1/items/red-img/content");
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(png->body, red_png_);
}

TEST_F(HttpApiTest, ThumbnailIsASmallJpegMadeOnce) {
  const PrometheusScrape before = Scrape();
  const httplib::Result first = http_->Get("/v1/items/red-img/thumbnail?size=20");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(first->get_header_value("Content-Type"), "image/jpeg");
  ASSERT_OK_AND_ASSIGN(const media::Image image, media::DecodeImage(first->body));
  EXPECT_EQ(image.width, 20);  // 40x20 fits 20 px a side at 20x10
  EXPECT_EQ(image.height, 10);
  const httplib::Result second = http_->Get("/v1/items/red-img/thumbnail?size=20");
  EXPECT_EQ(second->body, first->body);
  const PrometheusScrape after = Scrape();
  EXPECT_EQ(after.Value("xmodal_thumbnails_total", {{"cache", "miss"}}).value_or(0) -
                before.Value("xmodal_thumbnails_total", {{"cache", "miss"}}).value_or(0),
            1);
  EXPECT_EQ(after.Value("xmodal_thumbnails_total", {{"cache", "hit"}}).value_or(0) -
                before.Value("xmodal_thumbnails_total", {{"cache", "hit"}}).value_or(0),
            1);

  ExpectError(http_->Get("/v1/items/blue-txt/thumbnail"), 400, "INVALID_ARGUMENT",
              "only image items have thumbnails");
  ExpectError(http_->Get("/v1/items/red-img/thumbnail?size=5000"), 400, "INVALID_ARGUMENT",
              "size must be an integer in 16..1024");
}

TEST_F(HttpApiTest, BadRequestsGetTheirStatusAndAJsonMessage) {
  ExpectError(PostJson("/v1/search", R"({"query": {"text": "red"})"), 400, "INVALID_ARGUMENT",
              "the request body is not a valid SearchRequest");
  ExpectError(PostJson("/v1/search", R"({"query": {"text": "red"}, "colour": "red"})"), 400,
              "INVALID_ARGUMENT", "colour");
  ExpectError(http_->Post("/v1/search", R"({"query": {"text": "red"}})", "text/plain"), 415,
              "INVALID_ARGUMENT", "Content-Type 'text/plain' is not supported");
  const std::string untyped = RawHttp(server_->http_port(),
                                      "POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                      "2\r\nConnection: close\r\n\r\n{}");
  EXPECT_THAT(untyped, ::testing::StartsWith("HTTP/1.1 415 "));
  EXPECT_THAT(untyped, HasSubstr(R"("code":"INVALID_ARGUMENT")"));
  EXPECT_THAT(untyped, HasSubstr("the request has no Content-Type"));
  ExpectError(PostJson("/v1/search", std::string(2 << 20, ' ')), 413, "RESOURCE_EXHAUSTED",
              "exceeds the server's limit");
  ExpectError(http_->Post("/v1/search", httplib::MultipartFormDataItems{{"k", "3", "", ""}}), 400,
              "INVALID_ARGUMENT", "the form has no query");
  ExpectError(PostJson("/v1/search", R"({"query": {}})"), 400, "INVALID_ARGUMENT",
              "query is empty");
  ExpectError(PostJson("/v1/search", R"({"query": {"text": "red"}, "k": 5000})"), 400,
              "INVALID_ARGUMENT", "k must be between 1 and 1000, got 5000");
  ExpectError(http_->Get("/v1/items/no-such-item"), 404, "NOT_FOUND", "no-such-item");
  ExpectError(http_->Get("/v1/items/no-such-item/content"), 404, "NOT_FOUND", "no-such-item");
  const httplib::Result traversal = http_->Get("/v1/items/..%2F..%2Fetc%2Fpasswd/content");
  ASSERT_TRUE(traversal);
  EXPECT_THAT(traversal->body, ::testing::Not(HasSubstr("root:")));
  ExpectError(traversal, 404, "NOT_FOUND", "");
  const httplib::Result outside =
      http_->Get("/v1/items/low-snd/content", {{"Range", "bytes=999999-"}});
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->get_header_value("Content-Range"),
            "bytes */" + std::to_string(tone_wav_.size()));
  ExpectError(outside, 416, "OUT_OF_RANGE", "is outside the content");
  ExpectError(http_->Get("/v1/search"), 405, "UNIMPLEMENTED", "use POST");
  ExpectError(http_->Get("/no/such/endpoint"), 404, "NOT_FOUND", "no such endpoint");
}

TEST_F(HttpApiTest, MangledBodiesGetAClientErrorAndTheServerCarriesOn) {
  std::mt19937 rng(11);
  const std::vector<std::string> seeds = {
      R"({"query": {"text": "red"}, "targets": ["MODALITY_IMAGE"], "k": 3})",
      R"({"query": {"image": "iVBORw0KGgo="}, "metadataFilter": {"colour": "red"}})",
      R"({"query": {"itemId": "red-img"}, "sourcePrefix": "/"})"};
  for (int round = 0; round < 300; ++round) {
    std::string body = seeds[round % seeds.size()];
    for (int edits = 1 + rng() % 4; edits > 0; --edits) {
      const size_t at = rng() % (body.size() + 1);
      switch (rng() % 3) {
        case 0:
          body.insert(at, 1, static_cast<char>(rng()));
          break;
        case 1:
          if (at < body.size()) body.erase(at, 1 + rng() % 8);
          break;
        default:
          if (at < body.size()) body[at] = static_cast<char>(rng());
      }
    }
    const httplib::Result result = PostJson("/v1/search", body);
    ASSERT_TRUE(result) << "no answer to " << body;
    EXPECT_TRUE(result->status == 200 || (result->status >= 400 && result->status < 500))
        << result->status << " for " << body << ": " << result->body;
    if (result->status != 200) {
      EXPECT_TRUE(BodyJson(result).contains("message")) << result->body;
    }
  }
  const httplib::Result next = PostJson("/v1/search", seeds[0]);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpApiTest, MetricsParseAndCountEachRequestOnItsTransport) {
  const PrometheusScrape before = Scrape();
  EXPECT_EQ(before.Type("xmodal_requests_total"), PrometheusType::kCounter);
  EXPECT_EQ(before.Type("xmodal_stage_duration_seconds"), PrometheusType::kHistogram);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(PostJson("/v1/search", R"({"query": {"text": "red"}})")->status, 200);
  }
  ASSERT_EQ(PostJson("/v1/search", R"({"query": {}})")->status, 400);
  ASSERT_OK_AND_ASSIGN(auto grpc, client::XmodalClient::Connect(server_->address(), {}));
  xmodal::v1::SearchRequest request;
  request.mutable_query()->set_text("red");
  ASSERT_OK(grpc->Search(request).status());
  const PrometheusScrape after = Scrape();

  const auto delta = [&](const std::string& name, const testing::PrometheusLabels& labels) {
    return after.Value(name, labels).value_or(0) - before.Value(name, labels).value_or(0);
  };
  EXPECT_EQ(
      delta("xmodal_requests_total", {{"method", "Search"}, {"transport", "http"}, {"code", "OK"}}),
      3);
  EXPECT_EQ(delta("xmodal_requests_total",
                  {{"method", "Search"}, {"transport", "http"}, {"code", "INVALID_ARGUMENT"}}),
            1);
  EXPECT_EQ(
      delta("xmodal_requests_total", {{"method", "Search"}, {"transport", "grpc"}, {"code", "OK"}}),
      1);
  EXPECT_EQ(
      delta("xmodal_request_duration_seconds_count", {{"method", "Search"}, {"transport", "http"}}),
      4);
  // Four searches reached the engine (the invalid one did not).
  EXPECT_EQ(delta("xmodal_stage_duration_seconds_count", {{"stage", "encode"}}), 4);
  EXPECT_EQ(delta("xmodal_search_batch_size_sum", {}), 4);
  EXPECT_EQ(after.Value("xmodal_vectors", {{"modality", "image"}}), 2);
  EXPECT_EQ(after.Value("xmodal_generation"), 1);
  EXPECT_EQ(after.Value("xmodal_ready"), 1);
  EXPECT_GT(after.Value("process_resident_memory_bytes").value_or(0), 0);
}

TEST_F(HttpApiTest, HttpAndGrpcAnswerTheSameSearchAlike) {
  ASSERT_OK_AND_ASSIGN(auto grpc, client::XmodalClient::Connect(server_->address(), {}));
  xmodal::v1::SearchRequest request;
  request.mutable_query()->set_text("green");
  ASSERT_OK_AND_ASSIGN(const xmodal::v1::SearchResponse over_grpc, grpc->Search(request));
  const Json over_http = BodyJson(PostJson("/v1/search", R"({"query": {"text": "green"}})"));
  ASSERT_EQ(over_http["hits"].size(), static_cast<size_t>(over_grpc.hits_size()));
  for (int i = 0; i < over_grpc.hits_size(); ++i) {
    EXPECT_EQ(over_http["hits"][i]["itemId"], over_grpc.hits(i).item_id());
    EXPECT_FLOAT_EQ(over_http["hits"][i]["score"].get<float>(), over_grpc.hits(i).score());
  }
}

}  // namespace
}  // namespace xmodal::server
