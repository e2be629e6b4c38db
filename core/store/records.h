// What the store keeps: items, their vectors, and the sources that failed.
#ifndef XMODAL_CORE_STORE_RECORDS_H_
#define XMODAL_CORE_STORE_RECORDS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/base/modality.h"

namespace xmodal::store {

// One indexed piece of content. `id` is its content address: hex SHA-256 (first 32 chars) of
// the modality name, a NUL byte, then the bytes (for text: the normalised string).
struct ItemRecord {
  std::string id;
  Modality modality = Modality::kText;
  std::string source_uri;  // file path or "manifest.jsonl#L12" where it was first seen
  std::string group_id;    // items sharing a base name in one folder share it; may be empty
  std::string text;        // text items only: the normalised text that was embedded
  std::map<std::string, std::string> metadata;
  // The content GetItem returns: a file's bytes (images, audio, .txt files), or for an inline
  // manifest text, `text` (normalised) itself. Inline texts indexed before that rule hash the
  // text as given.
  int64_t size_bytes = 0;           // of the content
  std::string content_sha256;       // full hex SHA-256 of the content
  double duration_seconds = 0.0;    // audio only
  std::vector<int64_t> vector_ids;  // filled by the store on commit
};

// One embedding. Audio items have one per segment, other items exactly one.
struct VectorRecord {
  int64_t id = -1;  // assigned by the store on commit
  std::string item_id;
  Modality modality = Modality::kText;
  double start_seconds = 0.0;
  double end_seconds = 0.0;
  std::vector<float> values;
};

// A source that could not be indexed, with the reason, kept until it succeeds.
struct FailureRecord {
  std::string source_uri;
  std::string reason;
  int64_t unix_seconds = 0;
};

}  // namespace xmodal::store

#endif  // XMODAL_CORE_STORE_RECORDS_H_
