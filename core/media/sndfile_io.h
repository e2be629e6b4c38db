// Internal to xmodal_media: libsndfile on memory. MemoryFile backs sf_open_virtual with a
// read-only view or a growable buffer; OpenSndfile serialises sf_open_virtual because
// libsndfile records why an open failed in process-wide variables (sf_errno, its parse log),
// which concurrent failing opens would otherwise race on. Reads, writes and sf_close on
// distinct handles run concurrently. A MemoryFile is used by one thread at a time.
#ifndef XMODAL_CORE_MEDIA_SNDFILE_IO_H_
#define XMODAL_CORE_MEDIA_SNDFILE_IO_H_

#include <sndfile.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::media::internal {

class MemoryFile {
 public:
  // A read-only file over `bytes`, which must outlive this object.
  static MemoryFile ForReading(absl::string_view bytes);
  // An empty file that grows as libsndfile writes.
  static MemoryFile ForWriting();

  // The written bytes (writable files); leaves the file empty.
  std::string TakeContents();

  // sf_open_virtual callbacks; `self` is the MemoryFile.
  static sf_count_t Length(void* self);
  static sf_count_t Seek(sf_count_t offset, int whence, void* self);
  static sf_count_t Read(void* out, sf_count_t count, void* self);
  static sf_count_t Write(const void* data, sf_count_t count, void* self);
  static sf_count_t Tell(void* self);

 private:
  MemoryFile() = default;
  sf_count_t size() const;

  bool writable_ = false;
  absl::string_view view_;  // Readable files.
  std::string buffer_;      // Writable files.
  sf_count_t position_ = 0;
};

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

// sf_open_virtual on `file` (SFM_READ or SFM_WRITE). On failure INVALID_ARGUMENT carrying
// libsndfile's message (e.g. "Format not recognised."), for the caller to prefix.
absl::StatusOr<SndfilePtr> OpenSndfile(MemoryFile* file, int mode, SF_INFO* info);

}  // namespace xmodal::media::internal

#endif  // XMODAL_CORE_MEDIA_SNDFILE_IO_H_
