#include "core/store/store.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "testing/status_matchers.h"
#include "tests/store/store_test_util.h"

namespace xmodal::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST_F(StoreTest, CommitsAndReadsBackAfterReopening) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    std::vector<ItemRecord> items = {Item("img1", Modality::kImage, "/data/a.jpg"),
                                     Item("aud1", Modality::kAudio, "/data/b.wav")};
    std::vector<VectorRecord> vectors = {Vector("img1", Modality::kImage, 1.0f),
                                         Vector("aud1", Modality::kAudio, 2.0f, 4, 0.0, 5.0),
                                         Vector("aud1", Modality::kAudio, 3.0f, 4, 5.0, 10.0)};
    ASSERT_OK_AND_ASSIGN(auto ids, store->Commit(items, vectors));
    EXPECT_THAT(ids, ElementsAre(0, 1, 2));
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(auto item, store->GetItem("aud1"));
  ASSERT_TRUE(item.has_value());
  const ItemRecord expected = Item("aud1", Modality::kAudio, "/data/b.wav");
  EXPECT_EQ(item->id, "aud1");
  EXPECT_EQ(item->modality, Modality::kAudio);
  EXPECT_EQ(item->source_uri, expected.source_uri);
  EXPECT_EQ(item->group_id, expected.group_id);
  EXPECT_EQ(item->metadata, expected.metadata);
  EXPECT_EQ(item->size_bytes, 1234);
  EXPECT_EQ(item->content_sha256, expected.content_sha256);
  EXPECT_EQ(item->duration_seconds, 12.5);
  EXPECT_THAT(item->vector_ids, ElementsAre(1, 2));

  ASSERT_OK_AND_ASSIGN(auto vector, store->GetVector(2));
  ASSERT_TRUE(vector.has_value());
  EXPECT_EQ(vector->id, 2);
  EXPECT_EQ(vector->item_id, "aud1");
  EXPECT_EQ(vector->modality, Modality::kAudio);
  EXPECT_EQ(vector->start_seconds, 5.0);
  EXPECT_EQ(vector->end_seconds, 10.0);
  EXPECT_THAT(vector->values, ElementsAre(3.0f, 3.25f, 3.5f, 3.75f));

  ASSERT_OK_AND_ASSIGN(auto missing_item, store->GetItem("nope"));
  EXPECT_FALSE(missing_item.has_value());
  ASSERT_OK_AND_ASSIGN(auto missing_vector, store->GetVector(99));
  EXPECT_FALSE(missing_vector.has_value());
  ASSERT_OK_AND_ASSIGN(bool has, store->HasItem("img1"));
  EXPECT_TRUE(has);
  ASSERT_OK_AND_ASSIGN(has, store->HasItem("nope"));
  EXPECT_FALSE(has);
}

TEST_F(StoreTest, IdsIncreaseAcrossCommitsAndReopens) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_OK_AND_ASSIGN(auto ids, store->Commit({Item("t1", Modality::kText, "m.jsonl#L1")},
                                                 {Vector("t1", Modality::kText, 1.0f)}));
    EXPECT_THAT(ids, ElementsAre(0));
    ASSERT_OK_AND_ASSIGN(ids, store->Commit({Item("t2", Modality::kText, "m.jsonl#L2")},
                                            {Vector("t2", Modality::kText, 2.0f)}));
    EXPECT_THAT(ids, ElementsAre(1));
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(auto ids, store->Commit({Item("i3", Modality::kImage, "/x.png")},
                                               {Vector("i3", Modality::kImage, 3.0f),
                                                Vector("i3", Modality::kImage, 4.0f)}));
  EXPECT_THAT(ids, ElementsAre(2, 3));
}

TEST_F(StoreTest, ExistingItemsAreSkippedWithTheirVectors) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Commit({Item("a", Modality::kImage, "/a.jpg")},
                          {Vector("a", Modality::kImage, 1.0f)}));
  ItemRecord again = Item("a", Modality::kImage, "/copy-of-a.jpg");
  ASSERT_OK_AND_ASSIGN(auto ids, store->Commit({again, Item("b", Modality::kImage, "/b.jpg")},
                                               {Vector("a", Modality::kImage, 9.0f),
                                                Vector("b", Modality::kImage, 2.0f)}));
  EXPECT_THAT(ids, ElementsAre(-1, 1));
  ASSERT_OK_AND_ASSIGN(auto a, store->GetItem("a"));
  EXPECT_EQ(a->source_uri, "/a.jpg");  // unchanged
  EXPECT_THAT(a->vector_ids, ElementsAre(0));
  ASSERT_OK_AND_ASSIGN(auto v0, store->GetVector(0));
  ASSERT_TRUE(v0.has_value());
  ASSERT_FALSE(v0->values.empty());
  EXPECT_EQ(v0->values.front(), 1.0f);
  ASSERT_OK_AND_ASSIGN(int64_t items, store->CountItems(Modality::kImage));
  EXPECT_EQ(items, 2);
  ASSERT_OK_AND_ASSIGN(int64_t vectors, store->CountVectors(Modality::kImage));
  EXPECT_EQ(vectors, 2);

  // A commit made only of known items writes nothing and assigns no id.
  ASSERT_OK_AND_ASSIGN(ids, store->Commit({again}, {Vector("a", Modality::kImage, 9.0f)}));
  EXPECT_THAT(ids, ElementsAre(-1));
  ASSERT_OK_AND_ASSIGN(ids, store->Commit({Item("c", Modality::kImage, "/c.jpg")},
                                          {Vector("c", Modality::kImage, 3.0f)}));
  EXPECT_THAT(ids, ElementsAre(2));
}

TEST_F(StoreTest, ConcurrentCommitsGetDistinctIds) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<std::vector<int64_t>> ids(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
        auto got =
            store->Commit({Item(id, Modality::kText, id)},
                          {Vector(id, Modality::kText, 1.0f), Vector(id, Modality::kText, 2.0f)});
        if (got.ok()) ids[t].insert(ids[t].end(), got->begin(), got->end());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<int64_t> all;
  for (const auto& per_thread : ids) {
    EXPECT_EQ(per_thread.size(), 20u);
    EXPECT_TRUE(std::is_sorted(per_thread.begin(), per_thread.end()));
    all.insert(per_thread.begin(), per_thread.end());
  }
  EXPECT_EQ(all.size(), 80u);
  EXPECT_EQ(*all.rbegin(), 79);
  ASSERT_OK_AND_ASSIGN(int64_t vectors, store->CountVectors(Modality::kText));
  EXPECT_EQ(vectors, 80);
  ASSERT_OK_AND_ASSIGN(int64_t items, store->CountItems(Modality::kText));
  EXPECT_EQ(items, 40);
}

TEST_F(StoreTest, CountsPerModality) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(
      store->Commit({Item("t1", Modality::kText, "s1"), Item("t2", Modality::kText, "s2"),
                     Item("au", Modality::kAudio, "s3"), Item("empty", Modality::kImage, "s4")},
                    {Vector("t1", Modality::kText, 1.0f), Vector("t2", Modality::kText, 2.0f),
                     Vector("au", Modality::kAudio, 3.0f), Vector("au", Modality::kAudio, 4.0f),
                     Vector("au", Modality::kAudio, 5.0f)}));
  const auto counts = [&](Modality m) {
    const auto items = store->CountItems(m);
    const auto vectors = store->CountVectors(m);
    EXPECT_OK(items);
    EXPECT_OK(vectors);
    return std::make_pair(items.value_or(-1), vectors.value_or(-1));
  };
  EXPECT_EQ(counts(Modality::kText), std::make_pair(int64_t{2}, int64_t{2}));
  EXPECT_EQ(counts(Modality::kImage), std::make_pair(int64_t{1}, int64_t{0}));
  EXPECT_EQ(counts(Modality::kAudio), std::make_pair(int64_t{1}, int64_t{3}));
}

TEST_F(StoreTest, ForEachVectorVisitsOneModalityInIdOrder) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  // Interleave modalities across commits; ids go past 255 to exercise the big-endian keys.
  for (int i = 0; i < 300; ++i) {
    const Modality m = i % 3 == 0 ? Modality::kImage : Modality::kText;
    const std::string id = "item" + std::to_string(i);
    ASSERT_OK(store->Commit({Item(id, m, "src" + std::to_string(i))},
                            {Vector(id, m, static_cast<float>(i))}));
  }
  std::vector<int64_t> image_ids;
  ASSERT_OK(store->ForEachVector(Modality::kImage, [&](const VectorRecord& v) {
    EXPECT_EQ(v.modality, Modality::kImage);
    EXPECT_EQ(v.values[0], static_cast<float>(v.id));
    image_ids.push_back(v.id);
    return absl::OkStatus();
  }));
  ASSERT_EQ(image_ids.size(), 100u);
  for (size_t i = 0; i < image_ids.size(); ++i) EXPECT_EQ(image_ids[i], 3 * int64_t(i));

  int text = 0;
  ASSERT_OK(store->ForEachVector(Modality::kText, [&](const VectorRecord&) {
    ++text;
    return absl::OkStatus();
  }));
  EXPECT_EQ(text, 200);
  int audio = 0;
  ASSERT_OK(store->ForEachVector(Modality::kAudio, [&](const VectorRecord&) {
    ++audio;
    return absl::OkStatus();
  }));
  EXPECT_EQ(audio, 0);

  // fn's error stops the scan and comes back unchanged.
  int seen = 0;
  EXPECT_THAT(store->ForEachVector(Modality::kText,
                                   [&](const VectorRecord&) {
                                     return ++seen == 5 ? absl::CancelledError("enough")
                                                        : absl::OkStatus();
                                   }),
              StatusIs(absl::StatusCode::kCancelled, ::testing::Eq("enough")));
  EXPECT_EQ(seen, 5);

  std::vector<std::string> item_ids;
  ASSERT_OK(store->ForEachItem([&](const ItemRecord& item) {
    item_ids.push_back(item.id);
    return absl::OkStatus();
  }));
  ASSERT_EQ(item_ids.size(), 300u);
  EXPECT_TRUE(std::is_sorted(item_ids.begin(), item_ids.end()));
}

TEST_F(StoreTest, RejectsBadBatchesWithoutWriting) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Commit({Item("a", Modality::kImage, "/a")},
                          {Vector("a", Modality::kImage, 1.0f, /*width=*/4)}));
  EXPECT_THAT(store->Commit({Item("b", Modality::kImage, "/b")},
                            {Vector("b", Modality::kImage, 1.0f, /*width=*/8)}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("vectors are 8 wide; this collection's vectors are 4 wide")));
  EXPECT_THAT(
      store->Commit({Item("c", Modality::kImage, "/c")},
                    {Vector("c", Modality::kImage, 1.0f), Vector("zz", Modality::kImage, 1)}),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("vector 1 refers to item 'zz', which is not in the commit")));
  EXPECT_THAT(
      store->Commit({Item("d", Modality::kImage, "/d")}, {Vector("d", Modality::kImage, 1.0f, 4),
                                                          Vector("d", Modality::kImage, 1.0f, 5)}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("vector 1 is 5 wide")));
  EXPECT_THAT(
      store->Commit({Item("e", Modality::kImage, "/e"), Item("e", Modality::kImage, "/f")}, {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than once")));
  EXPECT_THAT(store->Commit({Item("g", Modality::kImage, "/g")}, {Vector("g", Modality::kText, 1)}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is text but its item")));
  VectorRecord nan = Vector("h", Modality::kImage, 1.0f);
  nan.values[2] = std::nanf("");
  EXPECT_THAT(store->Commit({Item("h", Modality::kImage, "/h")}, {nan}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NaN")));
  EXPECT_THAT(store->Commit({Item("", Modality::kImage, "/i")}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty id")));
  ItemRecord bad_text = Item("j", Modality::kText, "/j");
  bad_text.text = "caf\xe9";
  EXPECT_THAT(
      store->Commit({bad_text}, {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("field 'text' is not valid UTF-8")));

  for (const char* id : {"b", "c", "d", "e", "g", "h", "j"}) {
    ASSERT_OK_AND_ASSIGN(bool has, store->HasItem(id));
    EXPECT_FALSE(has) << id;
  }
  ASSERT_OK_AND_ASSIGN(auto ids, store->Commit({Item("k", Modality::kImage, "/k")},
                                               {Vector("k", Modality::kImage, 1.0f)}));
  EXPECT_THAT(ids, ElementsAre(1));  // no id was used up by the rejected commits
}

TEST_F(StoreTest, NonUtf8SourceUrisRoundTrip) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ItemRecord item = Item("latin1", Modality::kImage, "/photos/caf\xe9.jpg");
  item.group_id = "/photos/caf\xe9";
  ASSERT_OK(store->Commit({item}, {Vector("latin1", Modality::kImage, 1.0f)}));
  ASSERT_OK_AND_ASSIGN(auto back, store->GetItem("latin1"));
  EXPECT_EQ(back->source_uri, "/photos/caf\xe9.jpg");
  EXPECT_EQ(back->group_id, "/photos/caf\xe9");
}

TEST_F(StoreTest, FailuresArePutReplacedAndClearedByCommit) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->PutFailure({"/data/bad.jpg", "not a JPEG", 100}));
  ASSERT_OK(store->PutFailure({"/data/other.wav", "too long", 200}));
  ASSERT_OK(store->PutFailure({"/data/bad.jpg", "truncated JPEG", 300}));
  ASSERT_OK_AND_ASSIGN(auto failures, store->ListFailures());
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].source_uri, "/data/bad.jpg");
  EXPECT_EQ(failures[0].reason, "truncated JPEG");
  EXPECT_EQ(failures[0].unix_seconds, 300);
  EXPECT_EQ(failures[1].source_uri, "/data/other.wav");

  ASSERT_OK(store->Commit({Item("fixed", Modality::kImage, "/data/bad.jpg")},
                          {Vector("fixed", Modality::kImage, 1.0f)}));
  ASSERT_OK_AND_ASSIGN(failures, store->ListFailures());
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].source_uri, "/data/other.wav");
  EXPECT_THAT(store->PutFailure({"", "no source", 1}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("source URI")));
}

TEST_F(StoreTest, MetaValues) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_OK_AND_ASSIGN(auto value, store->GetMeta("model_pin"));
  EXPECT_FALSE(value.has_value());
  ASSERT_OK(store->PutMeta("model_pin", "{\"name\":\"toy\"}"));
  ASSERT_OK(store->PutMeta("model_pin", "{\"name\":\"toy2\"}"));
  ASSERT_OK_AND_ASSIGN(value, store->GetMeta("model_pin"));
  EXPECT_EQ(value, "{\"name\":\"toy2\"}");
  EXPECT_THAT(store->PutMeta("", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("non-empty")));
  EXPECT_THAT(store->PutMeta(absl::string_view("\0next_vector_id", 15), "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NUL")));
}

}  // namespace
}  // namespace xmodal::store
