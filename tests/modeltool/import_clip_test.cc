// xmodal-model's import and inspect on the tiny golden CLIP (../shared/golden/clip; skipped
// when absent): the package loads with Model::Load and embeds like the reference.
#include "modeltool/import_clip.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/base/file_util.h"
#include "core/base/float_matrix.h"
#include "core/model/model.h"
#include "modeltool/inspect.h"
#include "testing/clip_golden.h"
#include "testing/golden.h"
#include "testing/status_matchers.h"

namespace xmodal::modeltool {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

class ImportClipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    golden_ = xmodal::testing::GoldenDir("clip");
    if (golden_.empty()) GTEST_SKIP() << xmodal::testing::GoldenMissing("clip");
    ASSERT_OK_AND_ASSIGN(tmp_, MakeTempDirectory("import_clip_"));
  }

  ImportClipOptions Options(const std::string& out) const {
    ImportClipOptions o;
    o.weights = golden_ + "/tiny_vit_clip.safetensors";
    o.vocab = golden_ + "/bpe_simple_vocab_16e6.txt.gz";
    o.out_dir = tmp_ + "/" + out;
    o.text_heads = xmodal::testing::kGoldenTextHeads;
    return o;
  }

  std::string golden_;
  std::string tmp_;
};

TEST_F(ImportClipTest, WritesAPackageThatEmbedsLikeTheReference) {
  ImportClipOptions o = Options("tiny");
  o.name = "tiny-clip";
  o.license = "MIT";
  ASSERT_OK_AND_ASSIGN(ImportClipReport report, ImportClip(o));
  EXPECT_THAT(report.summary, HasSubstr("embedding dim 32"));
  EXPECT_TRUE(report.ignored_tensors.empty());
  for (const char* f :
       {"model.json", "weights.safetensors", "bpe_simple_vocab_16e6.txt.gz", "README.md"}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(o.out_dir + "/" + f)) << f;
  }
  ASSERT_OK_AND_ASSIGN(std::string card, ReadFile(o.out_dir + "/README.md"));
  EXPECT_THAT(card, HasSubstr("Licence: MIT"));

  ASSERT_OK_AND_ASSIGN(xmodal::testing::GoldenClip golden,
                       xmodal::testing::LoadGoldenClip(golden_));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<model::Model> m, model::Model::Load(o.out_dir));
  EXPECT_EQ(m->manifest().image->resize, "bicubic_shorter_side");
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(model::ModelInput in, m->PrepareText(golden.texts[i]));
    ASSERT_EQ(in.ids.size(), 77u);
    for (int j = 0; j < 77; ++j) {
      EXPECT_EQ(in.ids[j], std::lround(golden.io.at("text_ids").values[i * 77 + j]))
          << i << " " << j;
    }
    const model::ModelInput* batch[] = {&in};
    ASSERT_OK_AND_ASSIGN(FloatMatrix got, m->Encode(Modality::kText, batch));
    FloatMatrix want(1, 32);
    const auto& ref = golden.io.at("text_embeddings").values;
    want.data.assign(ref.begin() + i * 32, ref.begin() + (i + 1) * 32);
    L2NormalizeRows(want);
    for (int d = 0; d < 32; ++d) EXPECT_NEAR(got.data[d], want.data[d], 1e-4) << i << " " << d;
  }

  ASSERT_OK_AND_ASSIGN(std::string text, InspectPackage(o.out_dir));
  EXPECT_THAT(text, HasSubstr("model: tiny-clip 1"));
  EXPECT_THAT(text, HasSubstr("licence: MIT"));
  EXPECT_THAT(text, HasSubstr("parameters: "));
  EXPECT_THAT(text,
              HasSubstr("text tower: context 77, vocabulary 49408, width 32, 2 layers, 2 heads"));
  EXPECT_THAT(text, HasSubstr("resize bicubic_shorter_side"));
}

TEST_F(ImportClipTest, WithoutALicenceInspectSaysUnknown) {
  ASSERT_OK(ImportClip(Options("nolicence")).status());
  ASSERT_OK_AND_ASSIGN(std::string text, InspectPackage(tmp_ + "/nolicence"));
  EXPECT_THAT(text, HasSubstr("licence: unknown"));
}

TEST_F(ImportClipTest, BFloat16ComputeIsRecordedAndPinned) {
  ImportClipOptions o = Options("bf16");
  o.compute = "bfloat16";
  ASSERT_OK_AND_ASSIGN(ImportClipReport report, ImportClip(o));
  EXPECT_THAT(report.summary, HasSubstr("compute bfloat16"));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<model::Model> bf16, model::Model::Load(o.out_dir));
  EXPECT_EQ(bf16->manifest().architecture->compute, "bfloat16");
  ASSERT_OK(ImportClip(Options("f32")).status());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<model::Model> f32, model::Model::Load(tmp_ + "/f32"));
  EXPECT_NE(bf16->pin().files_sha256, f32->pin().files_sha256);  // a collection tells them apart
  ASSERT_OK_AND_ASSIGN(std::string text, InspectPackage(o.out_dir));
  EXPECT_THAT(text, HasSubstr("compute bfloat16"));

  o = Options("bad-compute");
  o.compute = "float16";
  EXPECT_THAT(ImportClip(o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--compute must be")));
}

TEST_F(ImportClipTest, HalfPrecisionPackagesAreHalfTheSize) {
  ImportClipOptions o = Options("half");
  o.dtype = "f16";
  ASSERT_OK(ImportClip(o).status());
  const auto half = std::filesystem::file_size(o.out_dir + "/weights.safetensors");
  const auto full = std::filesystem::file_size(golden_ + "/tiny_vit_clip.safetensors");
  EXPECT_LT(half, full * 0.6);
  EXPECT_OK(model::Model::Load(o.out_dir).status());
}

TEST_F(ImportClipTest, RefusesANonEmptyOutputAndKeepsIt) {
  ImportClipOptions o = Options("busy");
  ASSERT_OK(MakeDirectories(o.out_dir));
  std::ofstream(o.out_dir + "/keep.txt") << "mine";
  EXPECT_THAT(ImportClip(o).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not an empty directory")));
  EXPECT_TRUE(std::filesystem::exists(o.out_dir + "/keep.txt"));
}

TEST_F(ImportClipTest, MissingHeadsAndBadInputsAreClearErrors) {
  ImportClipOptions o = Options("bad");
  o.text_heads = 0;
  EXPECT_THAT(ImportClip(o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--text_heads")));
  o = Options("bad");
  o.vocab = tmp_ + "/vocab.gz";
  std::ofstream(o.vocab) << "not gzip at all";
  EXPECT_THAT(ImportClip(o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("vocab.gz")));
  o = Options("bad");
  o.weights = tmp_ + "/truncated.safetensors";
  ASSERT_OK_AND_ASSIGN(std::string bytes, ReadFile(golden_ + "/tiny_vit_clip.safetensors"));
  std::ofstream(o.weights, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  EXPECT_THAT(ImportClip(o).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated.safetensors")));
  EXPECT_FALSE(std::filesystem::exists(o.out_dir));
}

}  // namespace
}  // namespace xmodal::modeltool
