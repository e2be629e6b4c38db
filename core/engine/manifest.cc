// CollectionManifest <-> JSON, and the model pin's JSON form (shared with the store's meta).
#include "core/base/json.h"
#include "core/base/status_macros.h"
#include "core/engine/collection.h"
#include "core/engine/pin_json.h"

namespace xmodal::engine {

Json PinToJson(const model::ModelPin& pin) {
  return Json{{"name", pin.name},
              {"version", pin.version},
              {"embedding_dim", pin.embedding_dim},
              {"files_sha256", pin.files_sha256}};
}

absl::StatusOr<model::ModelPin> PinFromJson(const Json& j, absl::string_view what) {
  model::ModelPin pin;
  XM_ASSIGN_OR_RETURN(pin.name, JsonString(j, "name", what));
  XM_ASSIGN_OR_RETURN(pin.version, JsonString(j, "version", what));
  XM_ASSIGN_OR_RETURN(int64_t dim, JsonInt(j, "embedding_dim", what));
  pin.embedding_dim = static_cast<int>(dim);
  XM_ASSIGN_OR_RETURN(pin.files_sha256, JsonString(j, "files_sha256", what));
  return pin;
}

std::string CollectionManifest::ToJson() const {
  Json indexes_json = Json::array();
  for (const PublishedIndex& idx : indexes) {
    indexes_json.push_back({{"modality", std::string(ModalityName(idx.modality))},
                            {"file", idx.file},
                            {"sha256", idx.sha256},
                            {"factory", idx.factory},
                            {"vectors", idx.vectors}});
  }
  Json j{{"format", "xmodal-collection-manifest/1"},
         {"generation", generation},
         {"model", PinToJson(pin)},
         {"model_dir", model_dir},
         {"published_unix_seconds", published_unix_seconds},
         {"indexes", indexes_json}};
  return j.dump(2) + "\n";
}

absl::StatusOr<CollectionManifest> CollectionManifest::Parse(absl::string_view json_text) {
  constexpr absl::string_view kWhat = "MANIFEST.json";
  XM_ASSIGN_OR_RETURN(Json j, ParseJson(json_text, kWhat));
  CollectionManifest m;
  XM_ASSIGN_OR_RETURN(m.generation, JsonInt(j, "generation", kWhat));
  if (!j.contains("model")) return absl::InvalidArgumentError("MANIFEST.json: missing 'model'");
  XM_ASSIGN_OR_RETURN(m.pin, PinFromJson(j["model"], kWhat));
  XM_ASSIGN_OR_RETURN(m.model_dir, JsonStringOr(j, "model_dir", kWhat, ""));
  XM_ASSIGN_OR_RETURN(m.published_unix_seconds, JsonIntOr(j, "published_unix_seconds", kWhat, 0));
  if (!j.contains("indexes") || !j["indexes"].is_array()) {
    return absl::InvalidArgumentError("MANIFEST.json: 'indexes' must be an array");
  }
  for (const Json& e : j["indexes"]) {
    PublishedIndex idx;
    XM_ASSIGN_OR_RETURN(std::string modality, JsonString(e, "modality", kWhat));
    XM_ASSIGN_OR_RETURN(idx.modality, ParseModality(modality));
    XM_ASSIGN_OR_RETURN(idx.file, JsonString(e, "file", kWhat));
    XM_ASSIGN_OR_RETURN(idx.sha256, JsonString(e, "sha256", kWhat));
    XM_ASSIGN_OR_RETURN(idx.factory, JsonString(e, "factory", kWhat));
    XM_ASSIGN_OR_RETURN(idx.vectors, JsonInt(e, "vectors", kWhat));
    m.indexes.push_back(std::move(idx));
  }
  return m;
}

}  // namespace xmodal::engine
