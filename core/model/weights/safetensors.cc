#include "core/model/weights/safetensors.h"

#include <glog/logging.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/json.h"
#include "core/base/status_macros.h"
#include "core/model/weights/float16.h"

namespace xmodal::model::weights {
namespace {

constexpr uint64_t kMaxHeaderBytes = uint64_t{100} << 20;
// A valid header nests 3 deep (root, tensor entry, shape) and its arrays are short. The limits
// keep nlohmann's DOM from growing single allocations past the header's own size.
constexpr int kMaxJsonDepth = 16;
constexpr int64_t kMaxArrayLength = 1024;
constexpr char kMetadataKey[] = "__metadata__";

struct DTypeInfo {
  DType dtype;
  absl::string_view name;
  int size;
};
constexpr DTypeInfo kDTypes[] = {
    {DType::kF64, "F64", 8},   {DType::kF32, "F32", 4}, {DType::kF16, "F16", 2},
    {DType::kBF16, "BF16", 2}, {DType::kI64, "I64", 8}, {DType::kI32, "I32", 4},
    {DType::kI16, "I16", 2},   {DType::kI8, "I8", 1},   {DType::kU8, "U8", 1},
    {DType::kBool, "BOOL", 1},
};

const DTypeInfo& Info(DType dtype) {
  for (const DTypeInfo& info : kDTypes) {
    if (info.dtype == dtype) return info;
  }
  LOG(FATAL) << "unknown DType " << static_cast<int>(dtype);
}

std::optional<DType> DTypeFromName(absl::string_view name) {
  for (const DTypeInfo& info : kDTypes) {
    if (info.name == name) return info.dtype;
  }
  return std::nullopt;
}

// Untrusted text for a message: escaped and bounded.
std::string Quoted(absl::string_view s) {
  constexpr size_t kMax = 200;
  std::string out = absl::CHexEscape(s.substr(0, kMax));
  if (s.size() > kMax) absl::StrAppend(&out, "...");
  return absl::StrCat("'", out, "'");
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  return absl::StrCat("[", absl::StrJoin(shape, ", "), "]");
}

// A non-negative JSON integer; nullopt for anything else.
std::optional<uint64_t> Unsigned(const Json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return v.get<int64_t>();
  return std::nullopt;
}

// Rejects headers nested deeper than kMaxJsonDepth or with an array longer than
// kMaxArrayLength, before the DOM is built. Exact for valid JSON; for invalid JSON it stops
// being meaningful only after the point where the parser would fail anyway.
absl::Status CheckJsonBounds(absl::string_view text, absl::string_view what) {
  bool is_array[kMaxJsonDepth];
  int64_t commas[kMaxJsonDepth];
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (depth == kMaxJsonDepth) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, ": header nests deeper than ", kMaxJsonDepth,
                         " levels (a safetensors header ", "is an object of tensor objects)"));
      }
      is_array[depth] = c == '[';
      commas[depth] = 0;
      ++depth;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    } else if (c == ',' && depth > 0 && is_array[depth - 1] &&
               ++commas[depth - 1] >= kMaxArrayLength) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": header has an array of more than ", kMaxArrayLength, " elements"));
    }
  }
  return absl::OkStatus();
}

uint64_t LoadLittleEndian(const char* p, int size) {
  uint64_t v = 0;
  for (int i = size - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

struct Placed {
  uint64_t begin;
  uint64_t end;
  const std::string* name;
};

class HeaderParser {
 public:
  HeaderParser(absl::string_view data, absl::string_view what) : data_(data), what_(what) {}

  absl::Status Tensor(const std::string& name, const Json& entry, TensorView* out,
                      Placed* placed) const {
    if (!entry.is_object()) return Error(name, "is not a JSON object");
    const JsonFields fields(entry, "");
    const Json* dtype = fields.Find("dtype");
    const Json* shape = fields.Find("shape");
    const Json* offsets = fields.Find("data_offsets");
    if (dtype == nullptr) return Error(name, "has no 'dtype'");
    if (shape == nullptr) return Error(name, "has no 'shape'");
    if (offsets == nullptr) return Error(name, "has no 'data_offsets'");
    if (!dtype->is_string()) return Error(name, "has a 'dtype' that is not a string");
    const std::optional<DType> type = DTypeFromName(dtype->get_ref<const std::string&>());
    if (!type) {
      return Error(name,
                   absl::StrCat("has unknown dtype ", Quoted(dtype->get_ref<const std::string&>()),
                                " (supported: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)"));
    }
    out->dtype = *type;
    if (!shape->is_array()) return Error(name, "has a 'shape' that is not an array");
    out->shape.reserve(shape->size());
    for (const Json& dim : *shape) {
      const std::optional<uint64_t> d = Unsigned(dim);
      if (!d || *d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Error(name, absl::StrCat("has shape dimension ", DumpJson(dim).substr(0, 40),
                                        "; dimensions must be non-negative int64 integers"));
      }
      out->shape.push_back(static_cast<int64_t>(*d));
    }
    if (!offsets->is_array() || offsets->size() != 2 || !Unsigned((*offsets)[0]) ||
        !Unsigned((*offsets)[1])) {
      return Error(name, absl::StrCat("has 'data_offsets' ", DumpJson(*offsets).substr(0, 80),
                                      "; they must be two non-negative integers [begin, end]"));
    }
    const uint64_t begin = *Unsigned((*offsets)[0]);
    const uint64_t end = *Unsigned((*offsets)[1]);
    const std::string range = absl::StrCat("[", begin, ", ", end, "]");
    if (begin > data_.size() || end > data_.size()) {
      return Error(name, absl::StrCat("has offsets ", range, " beyond the ", data_.size(),
                                      "-byte data buffer"));
    }
    if (begin > end) return Error(name, absl::StrCat("has reversed offsets ", range));
    // Element count, bounded by what the data buffer could hold so nothing overflows.
    const int size = DTypeSize(*type);
    const uint64_t limit = data_.size() / size;
    uint64_t numel = 1;
    const bool empty = std::find(out->shape.begin(), out->shape.end(), 0) != out->shape.end();
    for (int64_t d : out->shape) {
      if (empty) break;
      if (numel > limit / static_cast<uint64_t>(d)) {
        return Error(name, absl::StrCat("has shape ", ShapeString(out->shape),
                                        " with more elements than the ", data_.size(),
                                        "-byte data buffer holds as ", DTypeName(*type)));
      }
      numel *= static_cast<uint64_t>(d);
    }
    if (empty) numel = 0;
    const uint64_t nbytes = numel * size;
    if (end - begin != nbytes) {
      return Error(
          name, absl::StrCat("has shape ", ShapeString(out->shape), " of ", numel, " ",
                             DTypeName(*type), " elements (", nbytes, " bytes) but offsets ", range,
                             " span ", end - begin, " bytes"));
    }
    out->bytes = data_.substr(begin, nbytes);
    *placed = Placed{begin, end, &name};
    return absl::OkStatus();
  }

  // Tensors must tile the data buffer exactly: sorted by offsets, each begins where the
  // previous ended and the last ends at the buffer's end.
  absl::Status Layout(std::vector<Placed> placed) const {
    std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
      if (a.begin != b.begin) return a.begin < b.begin;
      return a.end != b.end ? a.end < b.end : *a.name < *b.name;
    });
    uint64_t cursor = 0;
    const Placed* previous = nullptr;
    for (const Placed& p : placed) {
      if (p.begin < cursor) {
        return Error(*p.name, absl::StrCat("at offsets [", p.begin, ", ", p.end,
                                           "] overlaps tensor ", Quoted(*previous->name), " at [",
                                           previous->begin, ", ", previous->end, "]"));
      }
      if (p.begin > cursor)
        return Hole(cursor, p.begin, absl::StrCat("before tensor ", Quoted(*p.name)));
      cursor = p.end;
      previous = &p;
    }
    if (cursor < data_.size()) {
      return Hole(
          cursor, data_.size(),
          previous == nullptr ? "" : absl::StrCat("after tensor ", Quoted(*previous->name)));
    }
    return absl::OkStatus();
  }

  absl::Status Metadata(const Json& value, std::map<std::string, std::string>* out) const {
    if (value.is_null()) return absl::OkStatus();
    if (!value.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what_, ": '__metadata__' must be an object of strings"));
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!it->is_string()) {
        return absl::InvalidArgumentError(
            absl::StrCat(what_, ": '__metadata__' value ", Quoted(it.key()), " is not a string"));
      }
      (*out)[it.key()] = it->get<std::string>();
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Error(absl::string_view name, absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(what_, ": tensor ", Quoted(name), " ", problem));
  }

  absl::Status Hole(uint64_t begin, uint64_t end, absl::string_view where) const {
    return absl::InvalidArgumentError(absl::StrCat(
        what_, ": data bytes [", begin, ", ", end, ")", where.empty() ? "" : " ", where,
        " are not covered by any tensor (the format allows no holes: every data byte must ",
        "belong to a tensor)"));
  }

  absl::string_view data_;
  absl::string_view what_;
};

}  // namespace

absl::string_view DTypeName(DType dtype) { return Info(dtype).name; }
int DTypeSize(DType dtype) { return Info(dtype).size; }

int64_t TensorView::NumElements() const {
  int64_t n = 1;
  bool overflow = false;
  for (int64_t d : shape) {
    if (d < 0) return -1;
    if (d == 0) return 0;
    if (n > std::numeric_limits<int64_t>::max() / d) overflow = true;
    if (!overflow) n *= d;
  }
  return overflow ? -1 : n;
}

absl::StatusOr<SafetensorsFile> ParseSafetensors(absl::string_view file, absl::string_view what) {
  // Sizes first, before anything reads or allocates by the header's word.
  if (file.size() < 8) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": file is ", file.size(), " bytes, shorter than the 8-byte header length"));
  }
  const uint64_t header_size = LoadLittleEndian(file.data(), 8);
  if (header_size > file.size() - 8) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": header length ", header_size, " is larger than the ", file.size() - 8,
                     " bytes that follow it (truncated or not a safetensors file)"));
  }
  if (header_size > kMaxHeaderBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": header length ", header_size, " exceeds the ", kMaxHeaderBytes, "-byte limit"));
  }
  const absl::string_view header = file.substr(8, header_size);
  const absl::string_view data = file.substr(8 + header_size);
  XM_RETURN_IF_ERROR(CheckJsonBounds(header, what));
  absl::StatusOr<Json> root = ParseJson(header, absl::StrCat(what, " header"));
  XM_RETURN_IF_ERROR(root.status());
  if (!root->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": header is a JSON ", root->type_name(), ", not an object"));
  }
  const HeaderParser parser(data, what);
  SafetensorsFile out;
  std::vector<Placed> placed;
  placed.reserve(root->size());
  for (auto it = root->begin(); it != root->end(); ++it) {
    if (it.key() == kMetadataKey) {
      XM_RETURN_IF_ERROR(parser.Metadata(*it, &out.metadata));
      continue;
    }
    auto [slot, inserted] = out.tensors.try_emplace(it.key());
    placed.emplace_back();
    XM_RETURN_IF_ERROR(parser.Tensor(slot->first, *it, &slot->second, &placed.back()));
  }
  XM_RETURN_IF_ERROR(parser.Layout(std::move(placed)));
  return out;
}

absl::StatusOr<std::vector<float>> ToFloat32(absl::string_view name, const TensorView& tensor) {
  const DType dtype = tensor.dtype;
  if (dtype != DType::kF32 && dtype != DType::kF16 && dtype != DType::kBF16 &&
      dtype != DType::kF64) {
    return absl::InvalidArgumentError(absl::StrCat("tensor ", Quoted(name), " has dtype ",
                                                   DTypeName(dtype),
                                                   ", which does not convert to float32"));
  }
  const int size = DTypeSize(dtype);
  const int64_t n = tensor.NumElements();
  if (n < 0 || tensor.bytes.size() % size != 0 ||
      tensor.bytes.size() / size != static_cast<uint64_t>(n)) {
    return absl::InvalidArgumentError(
        absl::StrCat("tensor ", Quoted(name), " holds ", tensor.bytes.size(), " bytes, not the ",
                     "product of its shape ", ShapeString(tensor.shape), " times ", size));
  }
  std::vector<float> out(static_cast<size_t>(n));
  const char* p = tensor.bytes.data();
  for (size_t i = 0; i < out.size(); ++i, p += size) {
    const uint64_t bits = LoadLittleEndian(p, size);
    switch (dtype) {
      case DType::kF32: {
        const auto u = static_cast<uint32_t>(bits);
        std::memcpy(&out[i], &u, sizeof(u));
        break;
      }
      case DType::kF64: {
        double d;
        std::memcpy(&d, &bits, sizeof(d));
        out[i] = static_cast<float>(d);
        break;
      }
      case DType::kF16:
        out[i] = HalfToFloat(static_cast<uint16_t>(bits));
        break;
      default:
        out[i] = BFloat16ToFloat(static_cast<uint16_t>(bits));
        break;
    }
  }
  return out;
}

std::string EncodeSafetensors(const std::vector<TensorToWrite>& tensors,
                              const std::map<std::string, std::string>& metadata) {
  std::string header = "{";
  if (!metadata.empty())
    absl::StrAppend(&header, "\"", kMetadataKey, "\":", DumpJson(Json(metadata)));
  std::set<absl::string_view> names;
  uint64_t offset = 0;
  for (const TensorToWrite& t : tensors) {
    CHECK(names.insert(t.name).second) << "duplicate tensor name " << t.name;
    CHECK_NE(t.name, kMetadataKey);
    TensorView view{t.dtype, t.shape, t.bytes};
    const int64_t n = view.NumElements();
    CHECK_GE(n, 0) << "tensor " << t.name << " has a bad shape " << ShapeString(t.shape);
    CHECK_EQ(t.bytes.size() / DTypeSize(t.dtype), static_cast<uint64_t>(n))
        << "tensor " << t.name << " bytes do not match shape " << ShapeString(t.shape);
    CHECK_EQ(t.bytes.size() % DTypeSize(t.dtype), 0u) << "tensor " << t.name;
    if (header.size() > 1) header += ',';
    absl::StrAppend(&header, DumpJson(Json(t.name)), ":{\"dtype\":\"", DTypeName(t.dtype),
                    "\",\"shape\":[", absl::StrJoin(t.shape, ","), "],\"data_offsets\":[", offset,
                    ",", offset + t.bytes.size(), "]}");
    offset += t.bytes.size();
  }
  header += '}';
  // Pad with spaces so that the data starts 8-byte aligned (the 8-byte length field included).
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string out;
  out.reserve(8 + header.size() + offset);
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((static_cast<uint64_t>(header.size()) >> (8 * i)) & 0xff);
  out += header;
  for (const TensorToWrite& t : tensors) out += t.bytes;
  return out;
}

}  // namespace xmodal::model::weights
