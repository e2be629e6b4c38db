#include "core/index/faiss_util.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexPQ.h>
#include <faiss/IndexPreTransform.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/impl/FaissException.h>

namespace xmodal::index::internal {

std::string FaissMessage(const std::exception& e) {
  std::string text = e.what();
  // FAISS formats "Error in <signature> at <file>:<line>: <message>"; the signature itself may
  // contain ": ", so look for the first " at " (the location) and the ": " after it.
  if (text.rfind("Error in ", 0) != 0) return text;
  const size_t at = text.find(" at ");
  if (at == std::string::npos) return text;
  const size_t colon = text.find(": ", at);
  if (colon == std::string::npos) return text;
  std::string message = text.substr(colon + 2);
  // Assertion failures read "Error: 'cond' failed: <why>"; keep just <why> when there is one.
  const std::string kFailed = "' failed: ";
  const size_t failed = message.find(kFailed);
  if (message.rfind("Error: '", 0) == 0 && failed != std::string::npos) {
    return message.substr(failed + kFailed.size());
  }
  return message;
}

const faiss::Index* UnwrapTransforms(const faiss::Index* index) {
  while (const auto* pre = dynamic_cast<const faiss::IndexPreTransform*>(index)) {
    index = pre->index;
  }
  return index;
}

faiss::Index* UnwrapTransforms(faiss::Index* index) {
  while (auto* pre = dynamic_cast<faiss::IndexPreTransform*>(index)) index = pre->index;
  return index;
}

SearchKind KindOf(const faiss::Index& index) {
  const faiss::Index* core = UnwrapTransforms(&index);
  if (dynamic_cast<const faiss::IndexIVF*>(core) != nullptr) return SearchKind::kIvf;
  if (dynamic_cast<const faiss::IndexHNSW*>(core) != nullptr) return SearchKind::kHnsw;
  if (dynamic_cast<const faiss::IndexFlat*>(core) != nullptr ||
      dynamic_cast<const faiss::IndexScalarQuantizer*>(core) != nullptr) {
    return SearchKind::kPlain;
  }
  return SearchKind::kOther;
}

void DisablePolysemousTraining(faiss::Index* index) {
  faiss::Index* core = UnwrapTransforms(index);
  if (auto* pq = dynamic_cast<faiss::IndexPQ*>(core)) pq->do_polysemous_training = false;
  if (auto* ivfpq = dynamic_cast<faiss::IndexIVFPQ*>(core)) ivfpq->do_polysemous_training = false;
}

}  // namespace xmodal::index::internal
