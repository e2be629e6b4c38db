// Tokenisers: text -> a fixed-length row of int64 ids for the text encoder. Pure functions,
// thread-safe, no LibTorch.
#ifndef XMODAL_CORE_MODEL_TOKENIZER_H_
#define XMODAL_CORE_MODEL_TOKENIZER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/model/model_manifest.h"

namespace xmodal::model {

// The text the ids are computed from: NFC when spec.normalize is "nfc", then, when
// spec.lowercase, A-Z lower-cased (case_fold "ascii") or Unicode case folding ("unicode").
std::string Preprocess(const TokenizerSpec& spec, absl::string_view text);

// Returns exactly `spec.context_length` ids, padded with 0 and truncated at the end.
//  "bytes":      Preprocess, then id = byte + 1 for each UTF-8 byte, so ids are 1..256.
//  "char_ngram": Preprocess, pad with one space on both sides, then
//                for each code point position in text order and each n in
//                [ngram_min, ngram_max] (n ascending) the n-gram of code points starting there
//                (when it fits) -> 1 + FNV-1a-64(its UTF-8 bytes) % buckets, so ids are
//                1..buckets.
// Preconditions (checked by the caller, CHECKed here only for the type): `text` is valid
// UTF-8 and `spec` passed ModelManifest validation.
std::vector<int64_t> Tokenize(const TokenizerSpec& spec, absl::string_view text);

// The largest id Tokenize can return for `spec` (256 for "bytes", `buckets` for "char_ngram";
// 49407, the end token, for "clip_bpe", which clip::BpeTokenizer computes instead of Tokenize).
int64_t MaxTokenId(const TokenizerSpec& spec);

// FNV-1a 64-bit hash of `bytes`.
uint64_t Fnv1a64(absl::string_view bytes);

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_TOKENIZER_H_
