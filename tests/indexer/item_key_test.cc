#include "indexer/item_key.h"

#include <gtest/gtest.h>

#include <string>

#include "core/base/sha256.h"

namespace xmodal::indexer {
namespace {

TEST(IndexerItemKeyTest, SameBytesSameKey) {
  const ItemKey a = ComputeItemKey(Modality::kImage, "\x89PNG bytes");
  const ItemKey b = ComputeItemKey(Modality::kImage, std::string("\x89PNG bytes"));
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.content_sha256, b.content_sha256);
  EXPECT_EQ(a.id.size(), 32u);
  EXPECT_EQ(a.content_sha256.size(), 64u);
}

TEST(IndexerItemKeyTest, IdIsSha256OfModalityNulBytes) {
  const std::string bytes = "RIFF....WAVE";
  const ItemKey key = ComputeItemKey(Modality::kAudio, bytes);
  EXPECT_EQ(key.id, Sha256Hex(std::string("audio\0", 6) + bytes).substr(0, 32));
  EXPECT_EQ(key.content_sha256, Sha256Hex(bytes));
}

TEST(IndexerItemKeyTest, DifferentModalityOrBytesDifferentId) {
  const ItemKey image = ComputeItemKey(Modality::kImage, "same");
  const ItemKey audio = ComputeItemKey(Modality::kAudio, "same");
  const ItemKey text = ComputeItemKey(Modality::kText, "same");
  EXPECT_NE(image.id, audio.id);
  EXPECT_NE(image.id, text.id);
  EXPECT_NE(audio.id, text.id);
  EXPECT_EQ(image.content_sha256, audio.content_sha256);  // the raw bytes are the same
  EXPECT_NE(ComputeItemKey(Modality::kImage, "same!").id, image.id);
}

TEST(IndexerItemKeyTest, TextIsKeyedByItsNormalisedForm) {
  const std::string raw_a = "  a red\tsquare \n";
  const std::string raw_b = "a  red square";
  EXPECT_EQ(NormaliseText(raw_a), "a red square");
  EXPECT_EQ(NormaliseText(raw_b), "a red square");
  const ItemKey a = ComputeItemKey(Modality::kText, NormaliseText(raw_a), raw_a);
  const ItemKey b = ComputeItemKey(Modality::kText, NormaliseText(raw_b), raw_b);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.id, Sha256Hex(std::string("text\0a red square", 17)).substr(0, 32));
  EXPECT_NE(a.content_sha256, b.content_sha256);  // of the raw bytes
  EXPECT_EQ(a.content_sha256, Sha256Hex(raw_a));
  EXPECT_NE(ComputeItemKey(Modality::kText, "a red Square").id, a.id);        // case matters
  EXPECT_EQ(NormaliseText("\xEF\xBB\xBF a red square\r\n"), "a red square");  // BOM dropped
}

}  // namespace
}  // namespace xmodal::indexer
