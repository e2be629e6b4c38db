#include "core/media/audio_container.h"

#include <array>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace xmodal::media::internal {
namespace {

constexpr uint8_t kOggEndOfStreamFlag = 0x04;
constexpr size_t kOggHeaderBytes = 27;

// Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial value and final XOR 0.
constexpr std::array<uint32_t, 256> MakeOggCrcTable() {
  std::array<uint32_t, 256> table = {};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t r = i << 24;
    for (int k = 0; k < 8; ++k) r = (r & 0x80000000u) ? (r << 1) ^ 0x04C11DB7u : r << 1;
    table[i] = r;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kOggCrcTable = MakeOggCrcTable();

uint32_t LittleEndian32(absl::string_view bytes, size_t offset) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[offset + i]);
  return value;
}

// Walks the RIFF chunks for "data". -1 when unknown.
int64_t WavDataBytes(absl::string_view bytes) {
  if (bytes.substr(0, 4) != "RIFF") return -1;  // RIFX (big-endian) and RF64 are not checked.
  uint64_t offset = 12;
  while (offset + 8 <= bytes.size()) {
    const uint32_t size = LittleEndian32(bytes, offset + 4);
    if (bytes.substr(offset, 4) == "data") {
      return size == 0 || size == 0xFFFFFFFFu ? -1 : static_cast<int64_t>(size);
    }
    offset += 8 + static_cast<uint64_t>(size) + (size & 1);  // Chunks are word-aligned.
  }
  return -1;
}

// The checksum of one page, computed with its CRC field (bytes 22-25) as zero.
uint32_t OggPageCrc(absl::string_view page) {
  uint32_t crc = 0;
  for (size_t i = 0; i < page.size(); ++i) {
    const uint8_t byte = i >= 22 && i < 26 ? 0 : static_cast<uint8_t>(page[i]);
    crc = (crc << 8) ^ kOggCrcTable[((crc >> 24) ^ byte) & 0xFF];
  }
  return crc;
}

// Walks every page: they must tile the data, carry valid checksums, and the last one must end
// the stream. Catches truncation (which libsndfile would play up to the cut) and keeps damaged
// pages away from libvorbis, whose header error paths leak memory when reached through
// libsndfile 1.2.
absl::Status CheckOggPages(absl::string_view bytes) {
  size_t offset = 0;
  bool end_of_stream = false;
  while (offset < bytes.size()) {
    const size_t left = bytes.size() - offset;
    if (left >= 4 && bytes.substr(offset, 4) != "OggS") {
      return absl::InvalidArgumentError(
          absl::StrCat("corrupt Ogg: no page starts at byte ", offset));
    }
    const size_t segments = left >= kOggHeaderBytes ? static_cast<uint8_t>(bytes[offset + 26]) : 0;
    size_t page_bytes = kOggHeaderBytes + segments;
    if (left >= page_bytes) {
      for (size_t i = 0; i < segments; ++i) {
        page_bytes += static_cast<uint8_t>(bytes[offset + kOggHeaderBytes + i]);
      }
    }
    if (left < page_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("truncated Ogg: the data ends inside the page at byte ", offset));
    }
    const absl::string_view page = bytes.substr(offset, page_bytes);
    if (OggPageCrc(page) != LittleEndian32(page, 22)) {
      return absl::InvalidArgumentError(
          absl::StrCat("corrupt Ogg: checksum mismatch in the page at byte ", offset));
    }
    end_of_stream = (static_cast<uint8_t>(page[5]) & kOggEndOfStreamFlag) != 0;
    offset += page_bytes;
  }
  if (!end_of_stream) {
    return absl::InvalidArgumentError(
        "truncated Ogg: the last page does not end the stream (no end-of-stream flag)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<AudioContainerFacts> InspectAudioContainer(absl::string_view bytes) {
  AudioContainerFacts facts;
  facts.format = SniffFormat(bytes);
  if (!IsAudioFormat(facts.format)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported or corrupt audio: the bytes look like ", DescribeBytes(bytes),
                     "; supported are WAV, FLAC, Ogg (Vorbis, Opus), MP3 and AIFF"));
  }
  if (facts.format == SniffedFormat::kWav) facts.wav_data_bytes = WavDataBytes(bytes);
  if (facts.format == SniffedFormat::kOgg) {
    absl::Status pages = CheckOggPages(bytes);
    if (!pages.ok()) return pages;
  }
  return facts;
}

}  // namespace xmodal::media::internal
