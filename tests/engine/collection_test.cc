#include "core/engine/collection.h"

#include <filesystem>

#include "core/base/file_util.h"
#include "testing/fake_model.h"
#include "testing/status_matchers.h"
#include "tests/engine/engine_test_util.h"

namespace xmodal::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::xmodal::testing::CommitTestItems;
using ::xmodal::testing::FakeModel;
using ::xmodal::testing::StatusIs;

class CollectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(dir_, MakeTempDirectory("collection_"));
    dir_ += "/c";
  }
  std::string dir_;
  FakeModel model_{3, "fake-a"};
};

TEST_F(CollectionTest, RecordsThePinAndRefusesAnotherModel) {
  { ASSERT_OK_AND_ASSIGN(auto c, Collection::Open(dir_, model_.pin(), {})); }
  ASSERT_OK_AND_ASSIGN(model::ModelPin pin, Collection::ReadPin(dir_));
  EXPECT_EQ(pin, model_.pin());
  ASSERT_OK_AND_ASSIGN(auto again, Collection::Open(dir_, model_.pin(), {}));
  again.reset();
  FakeModel other(3, "fake-b");
  EXPECT_THAT(Collection::Open(dir_, other.pin(), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::AllOf(HasSubstr("fake-a"), HasSubstr("fake-b"))));
}

TEST_F(CollectionTest, MissingCollectionIsNotFoundWhenNotCreating) {
  EXPECT_THAT(Collection::Open(dir_, model_.pin(), {.create_if_missing = false}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_)));
  EXPECT_THAT(Collection::ReadPin(dir_), StatusIs(absl::StatusCode::kNotFound, HasSubstr(dir_)));
}

TEST_F(CollectionTest, PublishesGenerationsAtomicallyAndKeepsThePreviousOne) {
  ASSERT_OK_AND_ASSIGN(auto c, Collection::Open(dir_, model_.pin(), {.model_dir = "/models/a"}));
  ASSERT_OK_AND_ASSIGN(CollectionManifest empty, Collection::ReadManifest(dir_));
  EXPECT_EQ(empty.generation, 0);

  ASSERT_OK(CommitTestItems(*c, {{"t1", Modality::kText, {1, 0, 0}},
                                 {"i1", Modality::kImage, {0, 1, 0}},
                                 {"i2", Modality::kImage, {0, 0, 1}}}));
  ASSERT_OK_AND_ASSIGN(CollectionManifest m1, c->BuildAndPublish({}));
  EXPECT_EQ(m1.generation, 1);
  EXPECT_EQ(m1.model_dir, "/models/a");
  ASSERT_THAT(m1.indexes, SizeIs(2));
  EXPECT_EQ(m1.indexes[0].modality, Modality::kText);
  EXPECT_EQ(m1.indexes[0].vectors, 1);
  EXPECT_EQ(m1.indexes[1].factory, "Flat");
  EXPECT_EQ(m1.indexes[1].vectors, 2);

  ASSERT_OK_AND_ASSIGN(CollectionManifest read, Collection::ReadManifest(dir_));
  EXPECT_EQ(read.ToJson(), m1.ToJson());

  ASSERT_OK_AND_ASSIGN(CollectionManifest m2, c->BuildAndPublish({}));
  ASSERT_OK_AND_ASSIGN(CollectionManifest m3, c->BuildAndPublish({}));
  EXPECT_EQ(m3.generation, 3);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/index/1"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/index/2"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/" + m3.indexes[0].file));
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir_ + "/index")) {
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
  }
}

TEST_F(CollectionTest, ManifestParseRejectsDamage) {
  EXPECT_THAT(CollectionManifest::Parse("{\"generation\": 1}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("model")));
  EXPECT_THAT(CollectionManifest::Parse("not json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("MANIFEST.json")));
}

}  // namespace
}  // namespace xmodal::engine
