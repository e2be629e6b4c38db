// Builds small collections for engine tests straight through the store (no indexer).
#ifndef XMODAL_TESTS_ENGINE_ENGINE_TEST_UTIL_H_
#define XMODAL_TESTS_ENGINE_ENGINE_TEST_UTIL_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/engine/collection.h"

namespace xmodal::testing {

struct TestItem {
  std::string id;
  Modality modality = Modality::kText;
  std::vector<float> vector;  // normalised on commit
  std::map<std::string, std::string> metadata;
  std::string source_uri;  // an image or sound with a file here has that file as its content
};

// Commits `items` (one vector each) to the collection's store.
absl::Status CommitTestItems(engine::Collection& collection, const std::vector<TestItem>& items);

}  // namespace xmodal::testing

#endif  // XMODAL_TESTS_ENGINE_ENGINE_TEST_UTIL_H_
