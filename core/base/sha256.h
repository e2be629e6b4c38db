// SHA-256 digests (the content addresses of items and the checksums of index files).
#ifndef XMODAL_CORE_BASE_SHA256_H_
#define XMODAL_CORE_BASE_SHA256_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace xmodal {

// Lower-case hex SHA-256 of `bytes` (64 characters).
std::string Sha256Hex(absl::string_view bytes);

// Incremental hashing for inputs that arrive in pieces. Not thread-safe.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(absl::string_view bytes);
  // Returns the hex digest; the object must not be used afterwards.
  std::string FinishHex();

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL stays out of this header
};

// Hex SHA-256 of a file's contents, streamed. Errors as ReadFile.
absl::StatusOr<std::string> Sha256OfFile(const std::string& path);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_SHA256_H_
