#include "tests/engine/engine_test_util.h"

#include "core/base/file_util.h"
#include "core/base/float_matrix.h"
#include "core/base/sha256.h"

namespace xmodal::testing {

absl::Status CommitTestItems(engine::Collection& collection, const std::vector<TestItem>& items) {
  std::vector<store::ItemRecord> records;
  std::vector<store::VectorRecord> vectors;
  for (const TestItem& t : items) {
    store::ItemRecord r;
    r.id = t.id;
    r.modality = t.modality;
    r.source_uri = t.source_uri.empty() ? "mem://" + t.id : t.source_uri;
    r.text = t.modality == Modality::kText ? "text of " + t.id : "";
    r.metadata = t.metadata;
    // A text's content is its stored text, as for an inline manifest text (GetItem returns
    // it); an image's or a sound's is the file at its source URI when there is one.
    std::string content = r.text;
    if (t.modality != Modality::kText) {
      if (absl::StatusOr<std::string> file = ReadFile(r.source_uri); file.ok()) content = *file;
    }
    r.content_sha256 = Sha256Hex(content);
    r.size_bytes = static_cast<int64_t>(content.size());
    records.push_back(r);
    FloatMatrix m;
    m.AppendRow(t.vector);
    L2NormalizeRows(m);
    vectors.push_back(
        store::VectorRecord{.item_id = t.id, .modality = t.modality, .values = m.data});
  }
  absl::StatusOr<std::vector<int64_t>> ids = collection.store().Commit(records, vectors);
  return ids.status();
}

}  // namespace xmodal::testing
