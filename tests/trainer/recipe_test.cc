#include "trainer/train/recipe.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace xmodal::train {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(RecipeTest, DefaultAndTinyConfigsAreValid) {
  EXPECT_OK(ValidateConfig(ModelConfig()));
  EXPECT_OK(ValidateConfig(TinyConfig()));
}

TEST(RecipeTest, ManifestDescribesThePackage) {
  const ModelConfig c;
  const model::ModelManifest m = MakeManifest(c);
  EXPECT_EQ(m.name, "xmodal-stamps");
  EXPECT_EQ(m.license, "GPL-2.0-or-later");
  EXPECT_EQ(m.embedding_dim, 128);
  ASSERT_TRUE(m.text && m.image && m.audio);
  EXPECT_EQ(m.text->file, "text.pt");
  EXPECT_EQ(m.text->tokenizer.type, "char_ngram");
  EXPECT_EQ(m.text->tokenizer.buckets, c.buckets);
  EXPECT_EQ(m.image->resize, "shorter_side");
  EXPECT_EQ(m.image->crop, "center");
  EXPECT_EQ(m.image->size, c.image_size);
  EXPECT_EQ(m.audio->n_mels, c.n_mels);
  EXPECT_EQ(m.audio->segment_seconds, c.segment_seconds);
  EXPECT_EQ(m.audio->segment_hop_seconds, c.segment_seconds);
  // It round-trips through the manifest parser unchanged.
  ASSERT_OK_AND_ASSIGN(const model::ModelManifest parsed, model::ModelManifest::Parse(m.ToJson()));
  EXPECT_EQ(parsed.ToJson(), m.ToJson());
}

TEST(RecipeTest, RejectsBadConfigs) {
  ModelConfig c;
  c.image_layers.clear();
  EXPECT_THAT(ValidateConfig(c),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("image tower has no layers")));
  c = ModelConfig();
  c.audio_layers[1].out = 30;  // not divisible by 8 groups
  EXPECT_THAT(ValidateConfig(c), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("30 channels, not divisible by 8")));
  c = ModelConfig();
  c.dim = 0;
  EXPECT_THAT(ValidateConfig(c), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("dim 0")));
  c = ModelConfig();
  c.n_mels = 0;  // caught by the manifest's own validation
  EXPECT_THAT(ValidateConfig(c), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("n_mels")));
}

}  // namespace
}  // namespace xmodal::train
