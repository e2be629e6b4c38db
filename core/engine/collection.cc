#include "core/engine/collection.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/engine/pin_json.h"

namespace xmodal::engine {
namespace {

constexpr absl::string_view kPinKey = "model_pin";

std::string DbDir(const std::string& dir) { return dir + "/db"; }

absl::StatusOr<model::ModelPin> ReadPinFromStore(const store::Store& store,
                                                 const std::string& dir) {
  XM_ASSIGN_OR_RETURN(std::optional<std::string> raw, store.GetMeta(kPinKey));
  if (!raw.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("collection '", dir, "' records no model; it was never indexed"));
  }
  XM_ASSIGN_OR_RETURN(Json j, ParseJson(*raw, "the collection's model pin"));
  return PinFromJson(j, "the collection's model pin");
}

}  // namespace

Collection::Collection(std::string dir, model::ModelPin pin, std::string model_dir,
                       std::unique_ptr<store::Store> store)
    : dir_(std::move(dir)),
      pin_(std::move(pin)),
      model_dir_(std::move(model_dir)),
      store_(std::move(store)) {}

absl::StatusOr<std::unique_ptr<Collection>> Collection::Open(const std::string& dir,
                                                             const model::ModelPin& pin,
                                                             const CollectionOptions& options) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(DbDir(dir), ec);
  if (!exists && (!options.create_if_missing || options.read_only)) {
    return absl::NotFoundError(absl::StrCat("no collection at '", dir, "'"));
  }
  if (!options.read_only) XM_RETURN_IF_ERROR(MakeDirectories(dir + "/index"));
  XM_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                      store::Store::Open(DbDir(dir), {.create_if_missing = !options.read_only,
                                                      .read_only = options.read_only}));
  XM_ASSIGN_OR_RETURN(std::optional<std::string> recorded, store->GetMeta(kPinKey));
  if (!recorded.has_value()) {
    if (options.read_only) {
      return absl::FailedPreconditionError(
          absl::StrCat("collection '", dir, "' records no model; it was never indexed"));
    }
    XM_RETURN_IF_ERROR(store->PutMeta(kPinKey, PinToJson(pin).dump()));
  } else {
    XM_ASSIGN_OR_RETURN(model::ModelPin existing, ReadPinFromStore(*store, dir));
    if (!(existing == pin)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "collection '", dir, "' was built with model ", existing.ToString(),
          "; refusing to use it with model ", pin.ToString(),
          " (vectors from different models are not comparable: use a new collection)"));
    }
  }
  return std::unique_ptr<Collection>(new Collection(dir, pin, options.model_dir, std::move(store)));
}

absl::StatusOr<model::ModelPin> Collection::ReadPin(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(DbDir(dir), ec)) {
    return absl::NotFoundError(absl::StrCat("no collection at '", dir, "'"));
  }
  XM_ASSIGN_OR_RETURN(
      std::unique_ptr<store::Store> store,
      store::Store::Open(DbDir(dir), {.create_if_missing = false, .read_only = true}));
  return ReadPinFromStore(*store, dir);
}

absl::StatusOr<CollectionManifest> Collection::ReadManifest(const std::string& dir) {
  absl::StatusOr<std::string> text = ReadFile(dir + "/MANIFEST.json", 16 << 20);
  if (absl::IsNotFound(text.status())) return CollectionManifest{};
  if (!text.ok()) return text.status();
  return CollectionManifest::Parse(*text);
}

}  // namespace xmodal::engine
