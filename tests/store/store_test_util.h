// Record builders and a fixture shared by the store tests.
#ifndef XMODAL_TESTS_STORE_STORE_TEST_UTIL_H_
#define XMODAL_TESTS_STORE_STORE_TEST_UTIL_H_

#include <memory>
#include <string>

#include "core/base/file_util.h"
#include "core/store/store.h"
#include "testing/status_matchers.h"

namespace xmodal::store {

inline ItemRecord Item(const std::string& id, Modality modality, const std::string& source) {
  ItemRecord item;
  item.id = id;
  item.modality = modality;
  item.source_uri = source;
  item.group_id = "group-" + id;
  item.size_bytes = 1234;
  item.content_sha256 = std::string(64, 'a');
  item.metadata = {{"lang", "en"}, {"author", "Zoë"}};
  if (modality == Modality::kText) item.text = "a text about " + id;
  if (modality == Modality::kAudio) item.duration_seconds = 12.5;
  return item;
}

inline VectorRecord Vector(const std::string& item_id, Modality modality, float seed, int width = 4,
                           double start = 0.0, double end = 0.0) {
  VectorRecord vector;
  vector.item_id = item_id;
  vector.modality = modality;
  vector.start_seconds = start;
  vector.end_seconds = end;
  for (int i = 0; i < width; ++i) vector.values.push_back(seed + 0.25f * static_cast<float>(i));
  return vector;
}

// A fresh database directory (not created yet) per test.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("store_test"));
    dir_ = root + "/db";
  }
  std::unique_ptr<Store> OpenStore(StoreOptions options = {}) {
    auto store = Store::Open(dir_, options);
    EXPECT_OK(store);
    return store.ok() ? std::move(store).value() : nullptr;
  }
  std::string dir_;
};

}  // namespace xmodal::store

#endif  // XMODAL_TESTS_STORE_STORE_TEST_UTIL_H_
