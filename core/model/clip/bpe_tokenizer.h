// CLIP's tokenizer (OpenAI CLIP, simple_tokenizer.py, re-implemented): byte-level BPE over the
// merges file bpe_simple_vocab_16e6.txt.gz. Text is cleaned as CLIP does (HTML entities
// unescaped twice, whitespace runs collapsed to one space and trimmed, lower-cased), split by
// CLIP's pre-tokenising pattern ('s 't 're 've 'm 'll 'd, runs of letters, single digits, runs
// of other non-space characters), each piece's UTF-8 bytes mapped to CLIP's byte alphabet
// and merged by rank. The vocabulary is 256 byte tokens, 256 byte+"</w>" tokens, one token per
// merge (the first 48,894 merges), then <|startoftext|> (49406) and <|endoftext|> (49407).
// Thread-safe after construction (Encode may be called concurrently).
#ifndef XMODAL_CORE_MODEL_CLIP_BPE_TOKENIZER_H_
#define XMODAL_CORE_MODEL_CLIP_BPE_TOKENIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::model::clip {

class BpeTokenizer {
 public:
  // Reads a gzip-compressed merges file (zlib). NOT_FOUND for a missing file; INVALID_ARGUMENT
  // naming the file and the line for a file that is not gzip, is truncated, inflates to more
  // than 16 MiB, has fewer merges than the vocabulary needs, or has a malformed merge line.
  static absl::StatusOr<std::unique_ptr<BpeTokenizer>> Load(const std::string& path);
  // The same from the compressed bytes; `what` names them in messages.
  static absl::StatusOr<std::unique_ptr<BpeTokenizer>> FromGzip(absl::string_view gz,
                                                                absl::string_view what);
  ~BpeTokenizer();

  // The BPE ids of `text` after cleaning, without start and end tokens. `text` must be valid
  // UTF-8 (the caller checks).
  std::vector<int64_t> Encode(absl::string_view text) const;

  // start token, Encode(text), end token, zero padding: exactly `context_length` ids (>= 2).
  // When the ids do not fit: with `truncate`, keeps the first context_length - 1 and puts the
  // end token last (as CLIP's tokenize(truncate=True)); without, INVALID_ARGUMENT saying how
  // many tokens the text has and the limit.
  absl::StatusOr<std::vector<int64_t>> Tokenize(absl::string_view text, int context_length,
                                                bool truncate) const;

  static constexpr int64_t kStartToken = 49406;
  static constexpr int64_t kEndToken = 49407;
  static constexpr int64_t kVocabSize = 49408;

 private:
  struct Impl;
  explicit BpeTokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xmodal::model::clip

#endif  // XMODAL_CORE_MODEL_CLIP_BPE_TOKENIZER_H_
