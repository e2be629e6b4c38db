// Which stored items the "relevant" refs of labelled queries (labelled_queries.h) name. A ref
// names an item when it is the item's id (as `xmodal search` prints it), or its source URI as
// the indexer stored it (an absolute file path, or "<manifest>#L<line>" for an inline text),
// or, when relative, a path that resolved against the queries file's directory and lexically
// normalised is that source URI ("images/red.png", "texts.jsonl#L3"). The indexer stores equal
// contents once, under the first source URI it saw: a duplicate file's own path names nothing.
#ifndef XMODAL_TRAINER_EVAL_RELEVANT_ITEMS_H_
#define XMODAL_TRAINER_EVAL_RELEVANT_ITEMS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/store/store.h"
#include "trainer/eval/labelled_queries.h"

namespace xmodal::eval {

struct ResolvedRelevance {
  std::map<std::string, double> items;  // item id -> grade (the highest, if several refs name it)
  std::vector<RelevantRef> missing;     // refs that name no stored item, in file order
};

// One entry per query, in order. Reads the store's items once (ForEachItem); its errors are
// returned as they are. Thread-safe (the store is).
absl::StatusOr<std::vector<ResolvedRelevance>> ResolveRelevance(
    const std::vector<LabelledQuery>& queries, const store::Store& store,
    absl::string_view base_dir);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_RELEVANT_ITEMS_H_
