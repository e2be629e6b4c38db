#include "server/http_form.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/base/status_macros.h"
#include "core/media/media_type.h"

namespace xmodal::server {
namespace {

using xmodal::v1::Modality;

absl::Status Invalid(absl::string_view message) { return absl::InvalidArgumentError(message); }

// Sets the query from a query part; false when `part` is not one.
absl::StatusOr<bool> TakeQueryPart(const FormPart& part, bool* have_query,
                                   xmodal::v1::Query* query) {
  const bool is_file = part.name == "image" || part.name == "audio" || part.name == "file";
  if (!is_file && part.name != "text" && part.name != "item_id") return false;
  if (*have_query) {
    return Invalid(absl::StrCat("the form has a second query part '", part.name,
                                "': send one of image, audio, file, text or item_id"));
  }
  *have_query = true;
  if (part.content.empty()) {
    return Invalid(absl::StrCat("form part '", part.name, "' is empty"));
  }
  if (part.name == "text") {
    query->set_text(part.content);
  } else if (part.name == "item_id") {
    query->set_item_id(part.content);
  } else if (part.name == "image") {
    query->set_image(part.content);
  } else if (part.name == "audio") {
    query->set_audio(part.content);
  } else {
    switch (media::MediaKindOf(part.content)) {
      case media::MediaKind::kImage:
        query->set_image(part.content);
        break;
      case media::MediaKind::kAudio:
        query->set_audio(part.content);
        break;
      case media::MediaKind::kOther:
        return Invalid(absl::StrCat("form part 'file' (",
                                    part.filename.empty() ? "unnamed" : part.filename,
                                    ") is neither a JPEG, PNG or WebP image nor WAV, FLAC, Ogg or "
                                    "MP3 audio"));
    }
  }
  return true;
}

absl::StatusOr<Modality> ParseTarget(absl::string_view value) {
  const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  if (name == "text" || name == "modality_text") return xmodal::v1::MODALITY_TEXT;
  if (name == "image" || name == "modality_image") return xmodal::v1::MODALITY_IMAGE;
  if (name == "audio" || name == "modality_audio") return xmodal::v1::MODALITY_AUDIO;
  return Invalid(absl::StrCat("form field 'targets' has '", value, "': use text, image or audio"));
}

absl::Status NoQuery() {
  return Invalid(
      "the form has no query: add a file part named image, audio or file, or a text or item_id "
      "field");
}

}  // namespace

absl::StatusOr<xmodal::v1::SearchRequest> SearchRequestFromForm(const std::vector<FormPart>& form) {
  xmodal::v1::SearchRequest request;
  bool have_query = false;
  for (const FormPart& part : form) {
    XM_ASSIGN_OR_RETURN(const bool taken,
                        TakeQueryPart(part, &have_query, request.mutable_query()));
    if (taken) continue;
    if (part.name == "targets") {
      for (absl::string_view value : absl::StrSplit(part.content, ',', absl::SkipWhitespace())) {
        XM_ASSIGN_OR_RETURN(const Modality target, ParseTarget(value));
        request.add_targets(target);
      }
    } else if (part.name == "k") {
      int k = 0;
      if (!absl::SimpleAtoi(part.content, &k)) {
        return Invalid(absl::StrCat("form field 'k' must be an integer, got '",
                                    part.content.substr(0, 32), "'"));
      }
      request.set_k(k);
    } else if (part.name == "source_prefix") {
      request.set_source_prefix(part.content);
    } else if (part.name == "filter") {
      const size_t eq = part.content.find('=');
      if (eq == std::string::npos || eq == 0) {
        return Invalid("form field 'filter' must be key=value with a non-empty key");
      }
      (*request.mutable_metadata_filter())[part.content.substr(0, eq)] =
          part.content.substr(eq + 1);
    } else {
      return Invalid(absl::StrCat(
          "unknown form part '", part.name.substr(0, 64),
          "': a search form takes image, audio, file, text, item_id, targets, k, source_prefix "
          "and filter"));
    }
  }
  if (!have_query) return NoQuery();
  return request;
}

absl::StatusOr<xmodal::v1::EmbedRequest> EmbedRequestFromForm(const std::vector<FormPart>& form) {
  xmodal::v1::EmbedRequest request;
  bool have_query = false;
  for (const FormPart& part : form) {
    XM_ASSIGN_OR_RETURN(const bool taken,
                        TakeQueryPart(part, &have_query, request.mutable_query()));
    if (!taken) {
      return Invalid(absl::StrCat("unknown form part '", part.name.substr(0, 64),
                                  "': an embed form takes one of image, audio, file, text or "
                                  "item_id"));
    }
  }
  if (!have_query) return NoQuery();
  return request;
}

}  // namespace xmodal::server
