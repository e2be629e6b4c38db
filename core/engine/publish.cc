// Collection::BuildAndPublish: derive one FAISS index per modality from the store and publish
// it as a new generation (DESIGN.md invariant 4).
#include <glog/logging.h>

#include <ctime>
#include <filesystem>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/sha256.h"
#include "core/base/status_macros.h"
#include "core/engine/collection.h"
#include "core/index/vector_index.h"

namespace xmodal::engine {
namespace {

// At most this many vectors train an IVF/PQ quantiser; more adds time, not quality.
constexpr int64_t kMaxTrainingVectors = 200'000;

std::string GenerationDir(int64_t generation) { return absl::StrCat("index/", generation); }

struct ModalityVectors {
  std::vector<int64_t> ids;
  FloatMatrix vectors;
};

absl::StatusOr<ModalityVectors> ReadVectors(const store::Store& store, Modality modality,
                                            const IndexBuildOptions& options) {
  XM_ASSIGN_OR_RETURN(int64_t total, store.CountVectors(modality));
  ModalityVectors out;
  out.ids.reserve(total);
  XM_RETURN_IF_ERROR(store.ForEachVector(modality, [&](const store::VectorRecord& v) {
    out.ids.push_back(v.id);
    out.vectors.AppendRow(v.values);
    if (options.progress && out.ids.size() % 10000 == 0) {
      options.progress(modality, static_cast<int64_t>(out.ids.size()), total);
    }
    return absl::OkStatus();
  }));
  if (options.progress) options.progress(modality, static_cast<int64_t>(out.ids.size()), total);
  return out;
}

FloatMatrix TrainingSample(const FloatMatrix& all) {
  if (all.rows <= kMaxTrainingVectors) return all;
  FloatMatrix sample;
  const double stride = static_cast<double>(all.rows) / kMaxTrainingVectors;
  for (int64_t i = 0; i < kMaxTrainingVectors; ++i) {
    sample.AppendRow(all.row(static_cast<int64_t>(i * stride)));
  }
  return sample;
}

// Writes the index durably under its final name: temp file, fsync, rename, fsync directory.
absl::Status WriteIndexFile(const index::VectorIndex& idx, const std::string& path) {
  const std::string tmp = path + ".tmp";
  XM_RETURN_IF_ERROR(idx.Save(tmp));
  XM_RETURN_IF_ERROR(SyncFile(tmp));
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot rename '", tmp, "': ", ec.message()));
  return SyncDirectory(std::filesystem::path(path).parent_path().string());
}

// Removes generation directories other than `keep` (the new one and the one before it, which
// a server may still be loading).
void RemoveOldGenerations(const std::string& dir, const std::set<int64_t>& keep) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/index", ec)) {
    int64_t gen = 0;
    const std::string name = entry.path().filename().string();
    if (!absl::SimpleAtoi(name, &gen) || keep.count(gen) > 0) continue;
    std::filesystem::remove_all(entry.path(), ec);
    if (ec)
      LOG(WARNING) << "could not remove old generation " << entry.path() << ": " << ec.message();
  }
}

}  // namespace

absl::StatusOr<CollectionManifest> Collection::BuildAndPublish(const IndexBuildOptions& options) {
  XM_ASSIGN_OR_RETURN(CollectionManifest previous, ReadManifest(dir_));
  CollectionManifest next;
  next.generation = previous.generation + 1;
  next.pin = pin_;
  next.model_dir = model_dir_.empty() ? previous.model_dir : model_dir_;
  const std::string gen_dir = absl::StrCat(dir_, "/", GenerationDir(next.generation));
  std::error_code ec;
  std::filesystem::remove_all(gen_dir, ec);  // leftovers of a run that crashed before publishing
  XM_RETURN_IF_ERROR(MakeDirectories(gen_dir));

  for (Modality modality : kAllModalities) {
    XM_ASSIGN_OR_RETURN(ModalityVectors data, ReadVectors(*store_, modality, options));
    if (data.ids.empty()) continue;
    const std::string factory =
        options.factory == "auto"
            ? index::ChooseFactory(data.vectors.rows, static_cast<int>(data.vectors.cols),
                                   options.memory_budget_bytes)
            : options.factory;
    XM_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> idx,
                        index::VectorIndex::Create(static_cast<int>(data.vectors.cols), factory));
    if (!idx->is_trained()) XM_RETURN_IF_ERROR(idx->Train(TrainingSample(data.vectors)));
    XM_RETURN_IF_ERROR(idx->Add(data.ids, data.vectors));
    PublishedIndex published{
        .modality = modality,
        .file = absl::StrCat(GenerationDir(next.generation), "/", ModalityName(modality), ".faiss"),
        .factory = factory,
        .vectors = data.vectors.rows};
    const std::string path = absl::StrCat(dir_, "/", published.file);
    XM_RETURN_IF_ERROR(WriteIndexFile(*idx, path));
    XM_ASSIGN_OR_RETURN(published.sha256, Sha256OfFile(path));
    next.indexes.push_back(std::move(published));
  }
  XM_RETURN_IF_ERROR(SyncDirectory(dir_ + "/index"));
  next.published_unix_seconds = static_cast<int64_t>(std::time(nullptr));
  XM_RETURN_IF_ERROR(WriteFileAtomically(dir_ + "/MANIFEST.json", next.ToJson()));
  RemoveOldGenerations(dir_, {next.generation, previous.generation});
  return next;
}

}  // namespace xmodal::engine
