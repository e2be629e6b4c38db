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
  const JsonFields fields(j, std::string(what));
  XM_ASSIGN_OR_RETURN(pin.name, fields.String("name"));
  XM_ASSIGN_OR_RETURN(pin.version, fields.String("version"));
  XM_ASSIGN_OR_RETURN(int64_t dim, fields.Int64("embedding_dim"));
  pin.embedding_dim = static_cast<int>(dim);
  XM_ASSIGN_OR_RETURN(pin.files_sha256, fields.String("files_sha256"));
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
  const JsonFields fields(j, std::string(kWhat));
  XM_ASSIGN_OR_RETURN(m.generation, fields.Int64("generation"));
  if (!j.contains("model")) return absl::InvalidArgumentError("MANIFEST.json: missing 'model'");
  XM_ASSIGN_OR_RETURN(m.pin, PinFromJson(j["model"], kWhat));
  XM_ASSIGN_OR_RETURN(m.model_dir, fields.String("model_dir", ""));
  XM_ASSIGN_OR_RETURN(m.published_unix_seconds, fields.Int64("published_unix_seconds", 0));
  if (!j.contains("indexes") || !j["indexes"].is_array()) {
    return absl::InvalidArgumentError("MANIFEST.json: 'indexes' must be an array");
  }
  for (const Json& e : j["indexes"]) {
    PublishedIndex idx;
    const JsonFields index_fields(e, std::string(kWhat));
    XM_ASSIGN_OR_RETURN(std::string modality, index_fields.String("modality"));
    XM_ASSIGN_OR_RETURN(idx.modality, ParseModality(modality));
    XM_ASSIGN_OR_RETURN(idx.file, index_fields.String("file"));
    XM_ASSIGN_OR_RETURN(idx.sha256, index_fields.String("sha256"));
    XM_ASSIGN_OR_RETURN(idx.factory, index_fields.String("factory"));
    XM_ASSIGN_OR_RETURN(idx.vectors, index_fields.Int64("vectors"));
    m.indexes.push_back(std::move(idx));
  }
  return m;
}

}  // namespace xmodal::engine
