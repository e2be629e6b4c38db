#include "core/index/index_file.h"

#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/index/faiss_index.h"
#include "core/index/faiss_util.h"

namespace xmodal::index {
namespace internal {
namespace {

static_assert(std::endian::native == std::endian::little,
              "the index file header is written in the host's (little-endian) byte order");

constexpr char kMagic[8] = {'X', 'M', 'I', 'D', 'X', '0', '0', '1'};
constexpr uint32_t kMaxFactoryBytes = 4096;

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

absl::Status WriteError(const std::string& path, absl::string_view why) {
  return absl::InternalError(absl::StrCat("cannot write index file '", path, "': ", why));
}

absl::Status NotOurs(const std::string& path) {
  return absl::InvalidArgumentError(absl::StrCat("'", path, "' is not an xmodal index file"));
}

absl::Status Corrupt(const std::string& path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("corrupt index file: '", path, "': ", why));
}

bool ReadExactly(FILE* f, void* out, size_t n) { return std::fread(out, 1, n, f) == n; }

}  // namespace

absl::Status WriteIndexFile(const std::string& path, const faiss::Index& index,
                            const std::string& factory) {
  if (factory.size() > kMaxFactoryBytes) return WriteError(path, "factory string too long");
  File f(std::fopen(path.c_str(), "wb"));
  if (f == nullptr) return WriteError(path, std::strerror(errno));
  const uint32_t factory_size = static_cast<uint32_t>(factory.size());
  const int32_t dim = static_cast<int32_t>(index.d);
  bool ok = std::fwrite(kMagic, 1, sizeof(kMagic), f.get()) == sizeof(kMagic) &&
            std::fwrite(&factory_size, sizeof(factory_size), 1, f.get()) == 1 &&
            std::fwrite(factory.data(), 1, factory.size(), f.get()) == factory.size() &&
            std::fwrite(&dim, sizeof(dim), 1, f.get()) == 1;
  if (!ok) return WriteError(path, std::strerror(errno));
  try {
    faiss::FileIOWriter writer(f.get());  // does not close f
    faiss::write_index(&index, &writer);
  } catch (const std::exception& e) {
    return WriteError(path, FaissMessage(e));
  }
  if (std::fflush(f.get()) != 0 || ::fsync(fileno(f.get())) != 0) {
    return WriteError(path, std::strerror(errno));
  }
  if (std::fclose(f.release()) != 0) return WriteError(path, std::strerror(errno));
  return absl::OkStatus();
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<VectorIndex>> VectorIndex::Load(const std::string& path) {
  using internal::Corrupt;
  internal::File f(std::fopen(path.c_str(), "rb"));
  if (f == nullptr) {
    const int err = errno;
    const std::string msg =
        absl::StrCat("cannot open index file '", path, "': ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(msg);
    return absl::InternalError(msg);
  }
  char magic[sizeof(internal::kMagic)];
  if (!internal::ReadExactly(f.get(), magic, sizeof(magic)) ||
      std::memcmp(magic, internal::kMagic, sizeof(magic)) != 0) {
    return internal::NotOurs(path);
  }
  uint32_t factory_size = 0;
  if (!internal::ReadExactly(f.get(), &factory_size, sizeof(factory_size))) {
    return Corrupt(path, "truncated header");
  }
  if (factory_size > internal::kMaxFactoryBytes) {
    return Corrupt(path, absl::StrCat("factory string of ", factory_size, " bytes"));
  }
  std::string factory(factory_size, '\0');
  int32_t dim = 0;
  if (!internal::ReadExactly(f.get(), factory.data(), factory.size()) ||
      !internal::ReadExactly(f.get(), &dim, sizeof(dim))) {
    return Corrupt(path, "truncated header");
  }
  if (dim <= 0) return Corrupt(path, absl::StrCat("dimension ", dim));

  std::unique_ptr<faiss::Index> loaded;
  try {
    faiss::FileIOReader reader(f.get());  // does not close f
    loaded.reset(faiss::read_index(&reader));
  } catch (const std::exception& e) {
    return Corrupt(path, internal::FaissMessage(e));
  }
  if (loaded->d != dim) {
    return Corrupt(path,
                   absl::StrCat("header says ", dim, " dimensions, FAISS index has ", loaded->d));
  }
  if (std::fgetc(f.get()) != EOF) return Corrupt(path, "trailing bytes after the FAISS index");
  if (auto* id_map = dynamic_cast<faiss::IndexIDMap2*>(loaded.get())) {
    id_map->own_fields = true;  // read_index sets it; the id map owns the inner index
  }
  absl::StatusOr<std::unique_ptr<internal::FaissIndex>> index =
      internal::FaissIndex::Wrap(std::move(loaded), std::move(factory));
  if (!index.ok()) return Corrupt(path, index.status().message());
  return *std::move(index);
}

}  // namespace xmodal::index
