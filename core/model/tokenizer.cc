#include "core/model/tokenizer.h"

#include <glog/logging.h>

#include <algorithm>
#include <string>

#include "core/base/text.h"
#include "core/base/utf8.h"
#include "core/model/clip/bpe_tokenizer.h"  // its constants only

namespace xmodal::model {
namespace {

std::vector<int64_t> ByteIds(const TokenizerSpec& spec, const std::string& text) {
  std::vector<int64_t> ids(spec.context_length, 0);
  const size_t n = std::min(text.size(), ids.size());
  for (size_t i = 0; i < n; ++i) ids[i] = static_cast<int64_t>(static_cast<uint8_t>(text[i])) + 1;
  return ids;
}

// Byte offsets where each code point starts, plus text.size() at the end.
std::vector<size_t> CodePointOffsets(const std::string& text) {
  std::vector<size_t> offsets;
  offsets.reserve(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (IsUtf8LeadByte(text[i])) offsets.push_back(i);
  }
  offsets.push_back(text.size());
  return offsets;
}

std::vector<int64_t> NgramIds(const TokenizerSpec& spec, const std::string& text) {
  const std::string padded = " " + text + " ";
  const std::vector<size_t> cp = CodePointOffsets(padded);
  const size_t num_cps = cp.size() - 1;
  const auto limit = static_cast<size_t>(spec.context_length);
  const auto buckets = static_cast<uint64_t>(spec.buckets);
  std::vector<int64_t> ids;
  ids.reserve(limit);
  for (size_t start = 0; start < num_cps && ids.size() < limit; ++start) {
    for (int n = spec.ngram_min; n <= spec.ngram_max && ids.size() < limit; ++n) {
      if (start + n > num_cps) break;
      const absl::string_view gram(padded.data() + cp[start], cp[start + n] - cp[start]);
      ids.push_back(static_cast<int64_t>(1 + Fnv1a64(gram) % buckets));
    }
  }
  ids.resize(limit, 0);
  return ids;
}

}  // namespace

uint64_t Fnv1a64(absl::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string Preprocess(const TokenizerSpec& spec, absl::string_view text) {
  const bool nfc = spec.normalize == "nfc";
  if (!nfc && spec.case_fold != "unicode") {  // v1 packages: one copy, as before the settings
    return spec.lowercase ? AsciiLowercaseUtf8(text) : std::string(text);
  }
  absl::StatusOr<std::string> out;
  if (spec.lowercase && spec.case_fold == "unicode") {
    out = CaseFold(text, nfc);
  } else {
    out = NormalizeNfc(text);
    if (out.ok() && spec.lowercase) out = AsciiLowercaseUtf8(*out);
  }
  // Fails only for invalid UTF-8 (a precondition) or out of memory.
  CHECK(out.ok()) << "text preprocessing: " << out.status();
  return *std::move(out);
}

std::vector<int64_t> Tokenize(const TokenizerSpec& spec, absl::string_view text) {
  const std::string cased = Preprocess(spec, text);
  if (spec.type == "bytes") return ByteIds(spec, cased);
  CHECK_EQ(spec.type, "char_ngram") << "unvalidated tokenizer spec";
  return NgramIds(spec, cased);
}

int64_t MaxTokenId(const TokenizerSpec& spec) {
  if (spec.type == "clip_bpe") return clip::BpeTokenizer::kVocabSize - 1;
  return spec.type == "bytes" ? 256 : static_cast<int64_t>(spec.buckets);
}

}  // namespace xmodal::model
