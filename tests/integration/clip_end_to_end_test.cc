// A CLIP model from a weights file to a served collection, as a user does it: import the tiny
// golden CLIP (../shared/golden/clip; skipped when absent) with the `xmodal-model import-clip`
// binary, index texts and images with the real indexer, serve with the real server, and check
// over gRPC that Search scores are the cosines of the reference embeddings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "core/base/file_util.h"
#include "core/base/float_matrix.h"
#include "core/media/image.h"
#include "indexer/pipeline.h"
#include "server/server.h"
#include "testing/clip_golden.h"
#include "testing/golden.h"
#include "testing/status_matchers.h"

namespace xmodal {
namespace {

constexpr float kMean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
constexpr float kStd[3] = {0.26862954f, 0.26130258f, 0.27577711f};

class ClipEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string golden_dir = xmodal::testing::GoldenDir("clip");
    if (golden_dir.empty()) GTEST_SKIP() << xmodal::testing::GoldenMissing("clip");
    ASSERT_OK_AND_ASSIGN(golden_, xmodal::testing::LoadGoldenClip(golden_dir));
    ASSERT_OK_AND_ASSIGN(root_, MakeTempDirectory("clip_e2e_"));
    const std::string command = absl::StrCat(
        XMODAL_MODEL_BINARY, " import-clip ", golden_dir, "/tiny_vit_clip.safetensors --vocab ",
        golden_dir, "/bpe_simple_vocab_16e6.txt.gz --out ", root_, "/model --text_heads ",
        xmodal::testing::kGoldenTextHeads, " --license MIT --name tiny-clip > ", root_,
        "/import.log 2>&1");
    ASSERT_EQ(std::system(command.c_str()), 0) << *ReadFile(root_ + "/import.log");

    ASSERT_OK(MakeDirectories(root_ + "/corpus"));
    for (int i = 0; i < 3; ++i) {
      std::ofstream(absl::StrCat(root_, "/corpus/text", i, ".txt")) << golden_.texts[i];
      ASSERT_OK_AND_ASSIGN(std::string png, media::EncodePng(GoldenImage(i)));
      std::ofstream(absl::StrCat(root_, "/corpus/image", i, ".png"), std::ios::binary) << png;
    }
    indexer::IndexerOptions options;
    options.collection_dir = root_ + "/collection";
    options.model_dir = root_ + "/model";
    options.paths = {root_ + "/corpus"};
    options.threads = 2;
    ASSERT_OK(indexer::RunIndexer(options, nullptr).status());
    ASSERT_OK_AND_ASSIGN(server_, server::Server::Start({.collection_dir = options.collection_dir,
                                                         .model_dir = options.model_dir,
                                                         .listen = "127.0.0.1:0",
                                                         .threads = 2}));
    ASSERT_OK_AND_ASSIGN(client_, client::XmodalClient::Connect(server_->address()));
  }
  void TearDown() override {
    client_.reset();
    if (server_ != nullptr) server_->Shutdown();
  }

  // Golden image i (normalised floats) back in 8-bit RGB, 32 x 32.
  media::Image GoldenImage(int i) const {
    const std::vector<float>& v = golden_.io.at("images").values;
    media::Image image;
    image.width = image.height = 32;
    image.rgb.resize(32 * 32 * 3);
    for (int c = 0; c < 3; ++c) {
      for (int p = 0; p < 32 * 32; ++p) {
        const float x = (v[(i * 3 + c) * 1024 + p] * kStd[c] + kMean[c]) * 255.0f;
        image.rgb[p * 3 + c] = static_cast<uint8_t>(std::clamp(std::lround(x), 0L, 255L));
      }
    }
    return image;
  }

  // The reference embedding `row` of "image_embeddings" or "text_embeddings", normalised.
  std::vector<float> Reference(const std::string& which, int row) const {
    FloatMatrix m(1, 32);
    const std::vector<float>& v = golden_.io.at(which).values;
    m.data.assign(v.begin() + row * 32, v.begin() + (row + 1) * 32);
    L2NormalizeRows(m);
    return m.data;
  }

  // Index of the corpus file a hit came from ("text2.txt" -> 2).
  static int FileIndex(const v1::Hit& hit) {
    const std::string stem = std::filesystem::path(hit.source_uri()).stem().string();
    return stem.back() - '0';
  }

  // Every hit of `request` over `target` scores cos(query_ref, reference of its file).
  void ExpectScores(v1::SearchRequest request, v1::Modality target,
                    const std::vector<float>& query_ref, float tolerance) {
    request.add_targets(target);
    request.set_k(3);
    ASSERT_OK_AND_ASSIGN(v1::SearchResponse response, client_->Search(request));
    ASSERT_EQ(response.hits_size(), 3);
    const std::string which = target == v1::MODALITY_TEXT ? "text_embeddings" : "image_embeddings";
    for (const v1::Hit& hit : response.hits()) {
      const float want = Dot(query_ref, Reference(which, FileIndex(hit)));
      EXPECT_NEAR(hit.score(), want, tolerance) << hit.source_uri();
    }
  }

  xmodal::testing::GoldenClip golden_;
  std::string root_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<client::XmodalClient> client_;
};

TEST_F(ClipEndToEndTest, SearchScoresAreTheCosinesOfTheReferenceEmbeddings) {
  for (int i = 0; i < 3; ++i) {
    v1::SearchRequest by_text;
    by_text.mutable_query()->set_text(golden_.texts[i]);
    // Text vectors come from the same ids as the reference: exact up to float error.
    ExpectScores(by_text, v1::MODALITY_TEXT, Reference("text_embeddings", i), 1e-4f);
    // Image vectors come from the PNGs, whose 8-bit pixels differ from the reference's float
    // inputs by up to half a level (0.0075 in normalised units).
    ExpectScores(by_text, v1::MODALITY_IMAGE, Reference("text_embeddings", i), 2e-2f);
    v1::SearchRequest by_image;
    ASSERT_OK_AND_ASSIGN(std::string png, media::EncodePng(GoldenImage(i)));
    by_image.mutable_query()->set_image(png);
    ExpectScores(by_image, v1::MODALITY_TEXT, Reference("image_embeddings", i), 2e-2f);
  }
}

}  // namespace
}  // namespace xmodal
