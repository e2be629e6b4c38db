// ReadItemContent (core/engine/item_content.h): the bytes GetItem returns are the ones
// content_sha256 describes, read from the stored text or the source file, and a file that is
// gone or changed is FAILED_PRECONDITION.
#include "core/engine/item_content.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/file_util.h"
#include "core/base/sha256.h"
#include "testing/status_matchers.h"

namespace xmodal::engine {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

store::ItemRecord Record(Modality modality, const std::string& uri, const std::string& content) {
  store::ItemRecord item;
  item.id = "item1";
  item.modality = modality;
  item.source_uri = uri;
  item.size_bytes = static_cast<int64_t>(content.size());
  item.content_sha256 = Sha256Hex(content);
  return item;
}

class ItemContentTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(dir_, MakeTempDirectory("item_content_")); }
  std::string dir_;
};

TEST_F(ItemContentTest, InlineTextIsItsStoredTextWithoutAFile) {
  store::ItemRecord item = Record(Modality::kText, "/no/such/m.jsonl#L3", "a red car");
  item.text = "a red car";
  ASSERT_OK_AND_ASSIGN(std::string bytes, ReadItemContent(item, 1 << 20));
  EXPECT_EQ(bytes, "a red car");
}

TEST_F(ItemContentTest, TextFileIsReadWhenItsBytesAreNotItsNormalisedText) {
  const std::string path = dir_ + "/red.txt";
  ASSERT_OK(WriteFileAtomically(path, "  a red  car\n"));
  store::ItemRecord item = Record(Modality::kText, path, "  a red  car\n");
  item.text = "a red car";
  ASSERT_OK_AND_ASSIGN(std::string bytes, ReadItemContent(item, 1 << 20));
  EXPECT_EQ(bytes, "  a red  car\n");

  ASSERT_OK(WriteFileAtomically(path, "  a red  bus\n"));
  EXPECT_THAT(ReadItemContent(item, 1 << 20),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has changed")));
}

TEST_F(ItemContentTest, InlineTextHashedAsGivenHasNoFileToRead) {
  // Indexed before inline texts were hashed after normalisation.
  store::ItemRecord item = Record(Modality::kText, dir_ + "/m.jsonl#L3", " a red car ");
  item.text = "a red car";
  EXPECT_THAT(ReadItemContent(item, 1 << 20),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot read")));
}

TEST_F(ItemContentTest, ImageFileIsReadAndChecked) {
  const std::string path = dir_ + "/red.png";
  ASSERT_OK(WriteFileAtomically(path, "png bytes"));
  const store::ItemRecord item = Record(Modality::kImage, path, "png bytes");
  ASSERT_OK_AND_ASSIGN(std::string bytes, ReadItemContent(item, 1 << 20));
  EXPECT_EQ(bytes, "png bytes");
  EXPECT_THAT(ReadItemContent(item, 4),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("item1")));
  ASSERT_OK(WriteFileAtomically(path, "other bytes"));
  EXPECT_THAT(ReadItemContent(item, 1 << 20),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has changed")));
  const store::ItemRecord gone = Record(Modality::kImage, dir_ + "/gone.png", "png bytes");
  EXPECT_THAT(ReadItemContent(gone, 1 << 20),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot read")));
}

}  // namespace
}  // namespace xmodal::engine
