#include "core/media/sndfile_io.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>

namespace xmodal::media::internal {

MemoryFile MemoryFile::ForReading(absl::string_view bytes) {
  MemoryFile file;
  file.view_ = bytes;
  return file;
}

MemoryFile MemoryFile::ForWriting() {
  MemoryFile file;
  file.writable_ = true;
  return file;
}

std::string MemoryFile::TakeContents() {
  position_ = 0;
  return std::exchange(buffer_, std::string());
}

sf_count_t MemoryFile::size() const {
  return static_cast<sf_count_t>(writable_ ? buffer_.size() : view_.size());
}

sf_count_t MemoryFile::Length(void* self) { return static_cast<MemoryFile*>(self)->size(); }

sf_count_t MemoryFile::Seek(sf_count_t offset, int whence, void* self) {
  auto* file = static_cast<MemoryFile*>(self);
  sf_count_t base = 0;
  switch (whence) {
    case SEEK_SET:
      break;
    case SEEK_CUR:
      base = file->position_;
      break;
    case SEEK_END:
      base = file->size();
      break;
    default:
      return -1;
  }
  // Offsets come from file headers: reject anything that would overflow or go negative.
  if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0) return -1;
  file->position_ = base + offset;
  return file->position_;
}

sf_count_t MemoryFile::Read(void* out, sf_count_t count, void* self) {
  auto* file = static_cast<MemoryFile*>(self);
  if (count <= 0 || file->position_ >= file->size()) return 0;
  const sf_count_t n = std::min(count, file->size() - file->position_);
  const char* data = file->writable_ ? file->buffer_.data() : file->view_.data();
  std::memcpy(out, data + file->position_, static_cast<size_t>(n));
  file->position_ += n;
  return n;
}

sf_count_t MemoryFile::Write(const void* data, sf_count_t count, void* self) {
  auto* file = static_cast<MemoryFile*>(self);
  if (!file->writable_ || count <= 0) return 0;
  const size_t end = static_cast<size_t>(file->position_ + count);
  try {
    if (end > file->buffer_.size()) file->buffer_.resize(end);
  } catch (const std::bad_alloc&) {
    return 0;  // A short write; libsndfile reports the error.
  }
  std::memcpy(file->buffer_.data() + file->position_, data, static_cast<size_t>(count));
  file->position_ += count;
  return count;
}

sf_count_t MemoryFile::Tell(void* self) { return static_cast<MemoryFile*>(self)->position_; }

absl::StatusOr<SndfilePtr> OpenSndfile(MemoryFile* file, int mode, SF_INFO* info) {
  SF_VIRTUAL_IO io = {MemoryFile::Length, MemoryFile::Seek, MemoryFile::Read, MemoryFile::Write,
                      MemoryFile::Tell};
  // Guards libsndfile's process-wide error state (see the header); not our own state. A
  // std::mutex (constant-initialised, trivially destructible) so that ThreadSanitizer sees it.
  static_assert(std::is_trivially_destructible_v<std::mutex>);
  static std::mutex open_mutex;
  std::lock_guard<std::mutex> lock(open_mutex);
  SNDFILE* opened = sf_open_virtual(&io, mode, info, file);
  if (opened == nullptr) return absl::InvalidArgumentError(sf_strerror(nullptr));
  return SndfilePtr(opened);
}

}  // namespace xmodal::media::internal
