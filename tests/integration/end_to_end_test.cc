// End to end over a real gRPC channel: index a generated corpus of all three modalities with
// the toy colour model, start the real server on a loopback ephemeral port, and query it with
// the client library.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>
#include <thread>

#include "client/client.h"
#include "core/base/file_util.h"
#include "core/base/float_matrix.h"
#include "core/base/sha256.h"
#include "core/store/store.h"
#include "indexer/pipeline.h"
#include "server/server.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"
#include "tests/indexer/test_corpus.h"
#include "tests/integration/crafted_media.h"

namespace xmodal {
namespace {

using ::testing::HasSubstr;
using v1::SearchRequest;
using v1::SearchResponse;
using ::xmodal::testing::StatusIs;

class EndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new std::string(std::filesystem::canonical(*MakeTempDirectory("e2e_")).string());
    ASSERT_OK(testing::WriteToyModelPackage(ModelDir()));
    indexer::testing::WriteColourCorpus(CorpusDir());
    ASSERT_OK(indexer::RunIndexer(IndexerOptions(), nullptr).status());
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<server::Server> server,
                         server::Server::Start({.collection_dir = CollectionDir(),
                                                .listen = "127.0.0.1:0",
                                                .threads = 2,
                                                .reload_interval_seconds = 0.2}));
    server_ = server.release();
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<client::XmodalClient> client,
                         client::XmodalClient::Connect(server_->address()));
    client_ = client.release();
  }
  static void TearDownTestSuite() {
    delete client_;
    if (server_ != nullptr) server_->Shutdown();
    delete server_;
    delete root_;
  }

  static std::string ModelDir() { return *root_ + "/model"; }
  static std::string CorpusDir() { return *root_ + "/corpus"; }
  static std::string CollectionDir() { return *root_ + "/collection"; }
  static indexer::IndexerOptions IndexerOptions() {
    indexer::IndexerOptions options;
    options.collection_dir = CollectionDir();
    options.model_dir = ModelDir();
    options.paths = {CorpusDir()};
    options.threads = 2;
    return options;
  }

  static SearchRequest TextSearch(const std::string& text, v1::Modality target, int k = 10) {
    SearchRequest r;
    r.mutable_query()->set_text(text);
    r.add_targets(target);
    r.set_k(k);
    return r;
  }
  static std::string Basename(const v1::Hit& hit) {
    return std::filesystem::path(hit.source_uri()).filename().string();
  }

  inline static std::string* root_ = nullptr;
  inline static server::Server* server_ = nullptr;
  inline static client::XmodalClient* client_ = nullptr;
};

TEST_F(EndToEndTest, TextFindsTheImageOfItsColour) {
  ASSERT_OK_AND_ASSIGN(SearchResponse r,
                       client_->Search(TextSearch("red apple", v1::MODALITY_IMAGE)));
  ASSERT_EQ(r.hits_size(), 3);
  EXPECT_EQ(Basename(r.hits(0)), "red.png");
  EXPECT_EQ(r.hits(0).modality(), v1::MODALITY_IMAGE);
  EXPECT_FALSE(r.hits(0).group_id().empty());
  EXPECT_GE(r.generation(), 1);
  EXPECT_GT(r.timings().encode_ms(), 0.0);
}

TEST_F(EndToEndTest, ImageFindsTheTextOfItsColour) {
  SearchRequest req;
  req.mutable_query()->set_image(indexer::testing::SolidPng(10, 230, 20));
  req.add_targets(v1::MODALITY_TEXT);
  ASSERT_OK_AND_ASSIGN(SearchResponse r, client_->Search(req));
  ASSERT_GE(r.hits_size(), 1);
  EXPECT_EQ(r.hits(0).text(), "green field");
  EXPECT_EQ(r.hits(0).modality(), v1::MODALITY_TEXT);
}

TEST_F(EndToEndTest, SoundFindsTheImageOfItsBand) {
  SearchRequest req;
  req.mutable_query()->set_audio(indexer::testing::Tone(300, 1.5, media::AudioContainer::kFlac));
  req.add_targets(v1::MODALITY_IMAGE);
  req.set_k(1);
  ASSERT_OK_AND_ASSIGN(SearchResponse r, client_->Search(req));
  ASSERT_EQ(r.hits_size(), 1);
  EXPECT_EQ(Basename(r.hits(0)), "red.png");
}

TEST_F(EndToEndTest, ItemFindsSimilarItemsButNotItself) {
  ASSERT_OK_AND_ASSIGN(SearchResponse red,
                       client_->Search(TextSearch("red", v1::MODALITY_IMAGE, 1)));
  const std::string red_png = red.hits(0).item_id();
  SearchRequest req;
  req.mutable_query()->set_item_id(red_png);
  req.set_k(3);
  ASSERT_OK_AND_ASSIGN(SearchResponse r, client_->Search(req));
  std::vector<std::string> names;
  for (const v1::Hit& h : r.hits()) {
    EXPECT_NE(h.item_id(), red_png);
    names.push_back(Basename(h));
  }
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("red.txt", "red.wav", ::testing::_));
  for (const v1::Hit& h : r.hits()) {
    if (Basename(h) == "red.txt") {
      EXPECT_EQ(h.group_id(), red.hits(0).group_id());
    }
    if (Basename(h) == "red.wav") {
      EXPECT_LT(h.start_seconds(), h.end_seconds());
    }
  }
}

// The flat index's answers equal an exhaustive cosine top-k over the raw vectors in RocksDB,
// computed here without FAISS.
TEST_F(EndToEndTest, FlatHitsEqualBruteForceCosineTopK) {
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::Store> db,
      store::Store::Open(CollectionDir() + "/db", {.create_if_missing = false, .read_only = true}));
  std::vector<v1::Query> queries(3);
  queries[0].set_text("blue whale");
  queries[1].set_image(indexer::testing::SolidPng(200, 40, 180));
  queries[2].set_audio(indexer::testing::Tone(1500, 2.2, media::AudioContainer::kWav));
  for (const v1::Query& query : queries) {
    v1::EmbedRequest embed_req;
    *embed_req.mutable_query() = query;
    ASSERT_OK_AND_ASSIGN(v1::EmbedResponse embedded, client_->Embed(embed_req));
    ASSERT_GE(embedded.vectors_size(), 1);
    for (Modality target : kAllModalities) {
      std::map<std::string, float> best;  // item -> best cosine over its vectors and query rows
      ASSERT_OK(db->ForEachVector(target, [&](const store::VectorRecord& v) {
        for (const v1::Vector& q : embedded.vectors()) {
          std::vector<float> qv(q.values().begin(), q.values().end());
          const float score = Dot(qv, v.values);
          auto [it, inserted] = best.try_emplace(v.item_id, score);
          if (!inserted) it->second = std::max(it->second, score);
        }
        return absl::OkStatus();
      }));
      std::vector<std::pair<std::string, float>> expected(best.begin(), best.end());
      std::sort(expected.begin(), expected.end(),
                [](const auto& a, const auto& b) { return a.second > b.second; });
      const int k = 2;
      if (static_cast<int>(expected.size()) > k) expected.resize(k);

      SearchRequest req;
      *req.mutable_query() = query;
      req.add_targets(static_cast<v1::Modality>(static_cast<int>(target) + 1));
      req.set_k(k);
      ASSERT_OK_AND_ASSIGN(SearchResponse r, client_->Search(req));
      ASSERT_EQ(r.hits_size(), static_cast<int>(expected.size()));
      for (int i = 0; i < r.hits_size(); ++i) {
        EXPECT_NEAR(r.hits(i).score(), expected[i].second, 1e-5) << i;
        // Ties may order either way; distinct scores must name the same item.
        if (i + 1 >= r.hits_size() || expected[i].second - expected[i + 1].second > 1e-5) {
          EXPECT_EQ(r.hits(i).item_id(), expected[i].first) << i;
        }
      }
    }
  }
}

SearchRequest WithImage(std::string bytes) {
  SearchRequest r;
  r.mutable_query()->set_image(std::move(bytes));
  return r;
}
SearchRequest WithAudio(std::string bytes) {
  SearchRequest r;
  r.mutable_query()->set_audio(std::move(bytes));
  return r;
}
SearchRequest WithText(std::string text, int k = 10) {
  SearchRequest r;
  r.mutable_query()->set_text(std::move(text));
  r.set_k(k);
  return r;
}

// Each bad request gets its specific code and a message naming the problem, and the server
// answers the next request normally.
TEST_F(EndToEndTest, BadRequestsGetClearErrorsAndTheServerCarriesOn) {
  const std::string png = indexer::testing::SolidPng(1, 2, 3, 64);
  const std::string wav = indexer::testing::Tone(440, 1.0, media::AudioContainer::kWav);
  const std::string ogg = indexer::testing::Tone(440, 1.0, media::AudioContainer::kOgg);
  SearchRequest unknown_item;
  unknown_item.mutable_query()->set_item_id("0123456789abcdef0123456789abcdef");
  struct Case {
    std::string name;
    SearchRequest request;
    absl::StatusCode code;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"corrupt image", WithImage(png.substr(0, 40) + std::string(200, 'x')),
       absl::StatusCode::kInvalidArgument, "PNG"},
      {"truncated image", WithImage(png.substr(0, png.size() / 2)),
       absl::StatusCode::kInvalidArgument, "PNG"},
      {"corrupt audio", WithAudio("RIFF" + std::string(300, '\x07')),
       absl::StatusCode::kInvalidArgument, "audio"},
      {"truncated audio", WithAudio(ogg.substr(0, ogg.size() / 3)),
       absl::StatusCode::kInvalidArgument, ""},
      {"unsupported format", WithImage("GIF89a" + std::string(100, '\0')),
       absl::StatusCode::kInvalidArgument, "unsupported image format"},
      {"empty text", WithText(""), absl::StatusCode::kInvalidArgument, "empty"},
      {"text over the cap", WithText(std::string(300, 'a')), absl::StatusCode::kInvalidArgument,
       "256"},
      {"k too large", WithText("red", 1001), absl::StatusCode::kInvalidArgument,
       "k must be between 1 and 1000, got 1001"},
      {"k negative", WithText("red", -3), absl::StatusCode::kInvalidArgument, "got -3"},
      {"no query", SearchRequest(), absl::StatusCode::kInvalidArgument, "query is empty"},
      {"pixel bomb", WithImage(testing::PngHeaderClaiming(100000, 100000)),
       absl::StatusCode::kInvalidArgument, "100000x100000"},
      {"unknown item", unknown_item, absl::StatusCode::kNotFound,
       "0123456789abcdef0123456789abcdef"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_THAT(client_->Search(c.request), StatusIs(c.code, HasSubstr(c.message_part)));
    ASSERT_OK_AND_ASSIGN(SearchResponse ok, client_->Search(WithText("blue", 1)));
    EXPECT_EQ(ok.hits_size(), 1);
  }
  // A truncated WAV fails too (the message wording depends on where the cut falls).
  EXPECT_EQ(client_->Search(WithAudio(wav.substr(0, 30))).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EndToEndTest, GetItemInfoAndHealth) {
  ASSERT_OK_AND_ASSIGN(SearchResponse red, client_->Search(WithText("red", 1)));
  v1::GetItemRequest get;
  get.set_item_id(red.hits(0).item_id());
  get.set_include_bytes(true);
  ASSERT_OK_AND_ASSIGN(v1::GetItemResponse item, client_->GetItem(get));
  EXPECT_EQ(item.item().item_id(), red.hits(0).item_id());
  EXPECT_FALSE(item.content().empty());
  get.set_item_id("nope");
  EXPECT_THAT(client_->GetItem(get), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));

  ASSERT_OK_AND_ASSIGN(v1::GetInfoResponse info, client_->GetInfo());
  EXPECT_EQ(info.model().name(), "toy-rgb");
  EXPECT_EQ(info.model().dim(), 8);
  std::map<v1::Modality, int64_t> vectors;
  for (const v1::ModalityInfo& m : info.modalities()) vectors[m.modality()] = m.vectors();
  EXPECT_EQ(vectors[v1::MODALITY_IMAGE], 3);
  EXPECT_EQ(vectors[v1::MODALITY_TEXT], 3);
  EXPECT_EQ(vectors[v1::MODALITY_AUDIO], 5);  // 2.5 s -> 3 segments, 2 s -> 2 segments

  // The standard health service answers SERVING (HealthCheckResponse{status: 1} is 08 01).
  auto channel = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  grpc::ByteBuffer request, response;
  grpc::Slice empty("");
  request = grpc::ByteBuffer(&empty, 1);
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) { done.set_value(s); });
  grpc::Status health = done.get_future().get();
  ASSERT_TRUE(health.ok()) << health.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& sl : slices)
    bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

// GetItem with bytes returns exactly what the item's size_bytes and content_sha256 describe,
// for every kind of item: images and audio (their files), text files (the file's bytes, not
// the normalised text, whether or not the file is in normal form) and inline manifest texts
// (the stored normalised text, which is what the indexer hashes for them). A text file that
// changed since it was indexed is refused like a changed image.
TEST_F(EndToEndTest, GetItemBytesAreWhatSizeBytesAndContentSha256Describe) {
  const std::string dir = *root_ + "/content";
  indexer::testing::WriteColourCorpus(dir + "/corpus");  // red.txt is "  red   car\n"
  const std::string manifest = dir + "/texts.jsonl";
  ASSERT_OK(WriteFileAtomically(manifest,
                                "{\"text\": \"  rose \\t red  petals \"}\n"
                                "{\"text\": \"bright gold\"}\n"));
  indexer::IndexerOptions options = IndexerOptions();
  options.collection_dir = dir + "/collection";
  options.paths = {dir + "/corpus"};
  options.manifests = {manifest};
  ASSERT_OK(indexer::RunIndexer(options, nullptr).status());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<server::Server> server,
                       server::Server::Start({.collection_dir = options.collection_dir,
                                              .listen = "127.0.0.1:0",
                                              .threads = 1,
                                              .reload_interval_seconds = 0}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<client::XmodalClient> client,
                       client::XmodalClient::Connect(server->address()));

  ASSERT_OK_AND_ASSIGN(SearchResponse all, client->Search(WithText("red", 100)));
  std::map<v1::Modality, int> checked;
  std::map<std::string, v1::GetItemResponse> by_name;  // "red.txt", "texts.jsonl#L1", ...
  for (const v1::Hit& hit : all.hits()) {
    SCOPED_TRACE(hit.source_uri());
    v1::GetItemRequest get;
    get.set_item_id(hit.item_id());
    get.set_include_bytes(true);
    ASSERT_OK_AND_ASSIGN(v1::GetItemResponse got, client->GetItem(get));
    EXPECT_EQ(static_cast<int64_t>(got.content().size()), got.item().size_bytes());
    EXPECT_EQ(Sha256Hex(got.content()), got.item().content_sha256());
    ++checked[hit.modality()];
    by_name[Basename(hit)] = got;
  }
  EXPECT_EQ(checked[v1::MODALITY_IMAGE], 3);
  EXPECT_EQ(checked[v1::MODALITY_AUDIO], 2);
  EXPECT_EQ(checked[v1::MODALITY_TEXT], 5);
  ASSERT_EQ(by_name.count("red.txt"), 1u);
  EXPECT_EQ(by_name["red.txt"].content(), "  red   car\n");  // the file, not "red car"
  EXPECT_EQ(by_name["red.txt"].item().text(), "red car");
  ASSERT_EQ(by_name.count("blue.txt"), 1u);
  EXPECT_EQ(by_name["blue.txt"].content(), "blue sky");
  ASSERT_EQ(by_name.count("texts.jsonl#L1"), 1u);
  EXPECT_EQ(by_name["texts.jsonl#L1"].content(), "rose red petals");
  EXPECT_EQ(by_name["texts.jsonl#L1"].item().text(), "rose red petals");
  ASSERT_EQ(by_name.count("texts.jsonl#L2"), 1u);
  EXPECT_EQ(by_name["texts.jsonl#L2"].content(), "bright gold");

  ASSERT_OK(WriteFileAtomically(dir + "/corpus/red.txt", "  red   bus\n"));
  v1::GetItemRequest changed;
  changed.set_item_id(by_name["red.txt"].item().item_id());
  changed.set_include_bytes(true);
  EXPECT_THAT(client->GetItem(changed),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has changed")));
  server->Shutdown();
}

TEST_F(EndToEndTest, AnotherModelIsRefused) {
  const std::string other = *root_ + "/other-model";
  ASSERT_OK(testing::WriteToyModelPackage(other, {.name = "toy-other"}));
  EXPECT_THAT(server::Server::Start(
                  {.collection_dir = CollectionDir(), .model_dir = other, .listen = "127.0.0.1:0"}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("toy-other")));
  indexer::IndexerOptions options = IndexerOptions();
  options.model_dir = other;
  EXPECT_THAT(indexer::RunIndexer(options, nullptr),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("toy-rgb")));
}

// Changes the collection; ctest runs each test in its own process with its own collection.
TEST_F(EndToEndTest, ZReindexEmbedsNothingTwiceAndTheServerSwapsInNewItems) {
  ASSERT_OK_AND_ASSIGN(indexer::IndexSummary again, indexer::RunIndexer(IndexerOptions(), nullptr));
  EXPECT_EQ(again.Totals().indexed, 0);
  EXPECT_EQ(again.Totals().unchanged, 8);
  EXPECT_FALSE(again.published);

  const int64_t before = server_->generation();
  ASSERT_OK(MakeDirectories(CorpusDir() + "/extra"));
  ASSERT_OK(WriteFileAtomically(CorpusDir() + "/extra/bright.png",
                                indexer::testing::SolidPng(250, 250, 0)));
  ASSERT_OK_AND_ASSIGN(indexer::IndexSummary added, indexer::RunIndexer(IndexerOptions(), nullptr));
  EXPECT_EQ(added.Totals().indexed, 1);
  EXPECT_TRUE(added.published);
  for (int i = 0; i < 100 && server_->generation() == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GT(server_->generation(), before);
  SearchRequest req = WithImage(indexer::testing::SolidPng(240, 240, 10));
  req.add_targets(v1::MODALITY_IMAGE);
  req.set_k(1);
  ASSERT_OK_AND_ASSIGN(SearchResponse r, client_->Search(req));
  ASSERT_EQ(r.hits_size(), 1);
  EXPECT_EQ(Basename(r.hits(0)), "bright.png");
}

}  // namespace
}  // namespace xmodal
