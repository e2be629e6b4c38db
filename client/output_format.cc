#include "client/output_format.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "rpc/modality_mapping.h"

namespace xmodal::client {
namespace {

constexpr int kIdColumn = 32;         // item ids are printed whole: `get` and --item need them
constexpr size_t kDigestWidth = 12;   // the model's sha256 in the info block
constexpr size_t kMaxCellBytes = 80;  // source URIs and texts in the hits table
constexpr int kValuesShown = 8;       // per embedding vector

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::string Timings(const xmodal::v1::StageTimings& t) {
  return absl::StrFormat(
      "queue %.1f ms, decode %.1f ms, encode %.1f ms, search %.1f ms, fetch %.1f ms", t.queue_ms(),
      t.decode_ms(), t.encode_ms(), t.search_ms(), t.fetch_ms());
}

// `"text"` for text hits, else the source URI, on one line.
std::string SourceOrText(const xmodal::v1::Hit& hit) {
  if (hit.modality() == xmodal::v1::MODALITY_TEXT && !hit.text().empty()) {
    return absl::StrCat("\"", OneLine(hit.text(), kMaxCellBytes), "\"");
  }
  return OneLine(hit.source_uri(), kMaxCellBytes);
}

template <typename Map>
std::string JoinMetadata(const Map& metadata) {
  std::vector<std::pair<std::string, std::string>> pairs(metadata.begin(), metadata.end());
  std::sort(pairs.begin(), pairs.end());  // proto maps have no stable order
  return absl::StrJoin(pairs, ", ", [](std::string* out, const auto& kv) {
    absl::StrAppend(out, OneLine(kv.first, kMaxCellBytes), "=", OneLine(kv.second, kMaxCellBytes));
  });
}

bool HasSegment(const xmodal::v1::Hit& hit) {
  return hit.modality() == xmodal::v1::MODALITY_AUDIO && hit.end_seconds() > hit.start_seconds();
}

using Json = nlohmann::ordered_json;
namespace pb = google::protobuf;

void FixJsonMessage(const pb::Descriptor* descriptor, Json* object);

// One value of `field`: a quoted 64-bit integer becomes a number; a message is fixed in turn.
void FixJsonValue(const pb::FieldDescriptor* field, Json* value) {
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT64:
      if (int64_t n = 0; value->is_string() && absl::SimpleAtoi(value->get<std::string>(), &n)) {
        *value = n;
      }
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      if (uint64_t n = 0; value->is_string() && absl::SimpleAtoi(value->get<std::string>(), &n)) {
        *value = n;
      }
      break;
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      // Well-known types (Timestamp, Int64Value, ...) have their own JSON forms: left alone.
      if (value->is_object() &&
          !absl::StartsWith(field->message_type()->file()->name(), "google/protobuf/")) {
        FixJsonMessage(field->message_type(), value);
      }
      break;
    default:
      break;
  }
}

// Protobuf's JSON of a `descriptor` message, in place: 64-bit integers as numbers, and empty
// bytes fields (outside oneofs, where being set matters) left out.
void FixJsonMessage(const pb::Descriptor* descriptor, Json* object) {
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const pb::FieldDescriptor* field = descriptor->field(i);
    const auto it = object->find(field->name());
    if (it == object->end()) continue;
    Json& value = *it;
    if (field->is_map()) {
      const pb::FieldDescriptor* map_value = field->message_type()->map_value();
      for (auto& [key, entry] : value.items()) FixJsonValue(map_value, &entry);
    } else if (field->is_repeated()) {
      for (Json& element : value) FixJsonValue(field, &element);
    } else if (field->type() == pb::FieldDescriptor::TYPE_BYTES &&
               field->containing_oneof() == nullptr && value == "") {
      object->erase(it);
    } else {
      FixJsonValue(field, &value);
    }
  }
}

void AppendField(std::string* out, absl::string_view label, absl::string_view value) {
  absl::StrAppend(out, absl::StrFormat("%-10s  %s\n", label, value));
}

}  // namespace

std::string ShortenId(absl::string_view id, size_t width) {
  return std::string(id.substr(0, width));
}

std::string FormatSegment(double start_seconds, double end_seconds) {
  return absl::StrFormat("%.1f-%.1fs", start_seconds, end_seconds);
}

std::string OneLine(absl::string_view text, size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  size_t end = std::min(text.size(), max_bytes);
  while (cut && end > 0 && IsContinuationByte(text[end])) --end;
  std::string out(text.substr(0, end));
  for (char& c : out) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = ' ';
  }
  if (cut) out += "...";
  return out;
}

std::string FormatHitsTable(const xmodal::v1::SearchResponse& response) {
  std::string out;
  const bool segments = std::any_of(response.hits().begin(), response.hits().end(), &HasSegment);
  // The segment column, only when some hit has a segment: "1.0-2.0s" padded, or nothing.
  const auto segment_cell = [segments](absl::string_view segment) {
    return segments ? absl::StrFormat("%-11s  ", segment) : std::string();
  };
  if (response.hits_size() > 0) {
    absl::StrAppend(&out,
                    absl::StrFormat("%4s  %6s  %-8s  %-*s  %s%s\n", "rank", "score", "modality",
                                    kIdColumn, "item", segment_cell("segment"), "source / text"));
  }
  for (int i = 0; i < response.hits_size(); ++i) {
    const xmodal::v1::Hit& hit = response.hits(i);
    absl::StrAppend(
        &out, absl::StrFormat(
                  "%4d  %6.3f  %-8s  %-*s  %s%s\n", i + 1, hit.score(),
                  rpc::ProtoModalityName(hit.modality()), kIdColumn,
                  OneLine(hit.item_id(), kMaxCellBytes),
                  segment_cell(
                      HasSegment(hit) ? FormatSegment(hit.start_seconds(), hit.end_seconds()) : ""),
                  SourceOrText(hit)));
  }
  const std::string count = response.hits_size() == 0 ? "no hits"
                            : response.hits_size() == 1
                                ? "1 hit"
                                : absl::StrCat(response.hits_size(), " hits");
  absl::StrAppend(&out, count, " (generation ", response.generation(), "; ",
                  Timings(response.timings()), ")\n");
  return out;
}

std::string FormatEmbedding(const xmodal::v1::EmbedResponse& response) {
  const xmodal::v1::StageTimings& t = response.timings();
  std::string out = absl::StrCat(
      "dim ", response.dim(), ", ", response.vectors_size(),
      response.vectors_size() == 1 ? " vector" : " vectors",
      absl::StrFormat(" (decode %.1f ms, encode %.1f ms)\n", t.decode_ms(), t.encode_ms()));
  for (int i = 0; i < response.vectors_size(); ++i) {
    const xmodal::v1::Vector& vector = response.vectors(i);
    absl::StrAppend(&out, absl::StrFormat("[%d]", i));
    if (vector.end_seconds() > vector.start_seconds()) {
      absl::StrAppend(&out, " ", FormatSegment(vector.start_seconds(), vector.end_seconds()));
    }
    const int shown = std::min(vector.values_size(), kValuesShown);
    for (int j = 0; j < shown; ++j) {
      absl::StrAppend(&out, absl::StrFormat(" %.4f", vector.values(j)));
    }
    if (shown < vector.values_size()) absl::StrAppend(&out, " ...");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string FormatItem(const xmodal::v1::Item& item) {
  std::string out;
  AppendField(&out, "item", OneLine(item.item_id(), kMaxCellBytes));
  AppendField(&out, "modality", rpc::ProtoModalityName(item.modality()));
  if (!item.source_uri().empty()) AppendField(&out, "source", OneLine(item.source_uri(), 4096));
  if (!item.text().empty()) {
    AppendField(&out, "text", absl::StrCat("\"", OneLine(item.text(), 4096), "\""));
  }
  if (!item.group_id().empty()) AppendField(&out, "group", OneLine(item.group_id(), 4096));
  AppendField(&out, "size", absl::StrCat(item.size_bytes(), " bytes"));
  if (!item.content_sha256().empty()) {
    AppendField(&out, "sha256", OneLine(item.content_sha256(), kMaxCellBytes));
  }
  if (item.duration_seconds() > 0) {
    AppendField(&out, "duration", absl::StrFormat("%.1f s", item.duration_seconds()));
  }
  AppendField(&out, "vectors", absl::StrCat(item.vector_count()));
  if (!item.metadata().empty()) AppendField(&out, "metadata", JoinMetadata(item.metadata()));
  return out;
}

std::string FormatInfo(const xmodal::v1::GetInfoResponse& info) {
  std::string out;
  const xmodal::v1::ModelPin& pin = info.model();
  AppendField(&out, "server", OneLine(info.server_version(), kMaxCellBytes));
  AppendField(&out, "model",
              absl::StrFormat("%s %s (dim %d, sha256 %s)", OneLine(pin.name(), kMaxCellBytes),
                              OneLine(pin.version(), kMaxCellBytes), pin.dim(),
                              ShortenId(pin.files_sha256(), kDigestWidth)));
  AppendField(&out, "generation", absl::StrCat(info.generation()));
  for (const xmodal::v1::ModalityInfo& m : info.modalities()) {
    AppendField(
        &out, rpc::ProtoModalityName(m.modality()),
        absl::StrFormat("%d items, %d vectors, index %s", m.items(), m.vectors(),
                        m.index_factory().empty() ? "none" : OneLine(m.index_factory(), 200)));
  }
  return out;
}

absl::StatusOr<std::string> FormatJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot convert ", message.GetTypeName(), " to JSON: ", status.ToString()));
  }
  Json json = Json::parse(out, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return absl::InternalError(absl::StrCat("cannot re-read the JSON of ", message.GetTypeName()));
  }
  FixJsonMessage(message.GetDescriptor(), &json);
  return json.dump(/*indent=*/2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace) +
         "\n";
}

}  // namespace xmodal::client
