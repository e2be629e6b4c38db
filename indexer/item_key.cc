#include "indexer/item_key.h"

#include "absl/strings/strip.h"
#include "core/base/sha256.h"
#include "core/base/text.h"

namespace xmodal::indexer {
namespace {

constexpr size_t kIdHexChars = 32;

}  // namespace

ItemKey ComputeItemKey(Modality modality, absl::string_view canonical, absl::string_view raw) {
  Sha256 id_hash;
  id_hash.Update(ModalityName(modality));
  id_hash.Update(absl::string_view("\0", 1));
  id_hash.Update(canonical);
  ItemKey key;
  key.id = id_hash.FinishHex().substr(0, kIdHexChars);
  key.content_sha256 = Sha256Hex(raw);
  return key;
}

std::string NormaliseText(absl::string_view raw) {
  absl::ConsumePrefix(&raw, "\xEF\xBB\xBF");  // a UTF-8 byte order mark is not content
  return NormalizeWhitespace(raw);
}

}  // namespace xmodal::indexer
