// The performance targets of issue 4 (docs/benchmarks.md), checked against a results
// document: which are met, missed or not measured, with the measured value and its source.
#ifndef XMODAL_BENCHMARKS_LIB_TARGETS_H_
#define XMODAL_BENCHMARKS_LIB_TARGETS_H_

#include "core/base/json.h"

namespace xmodal::bench {

// Returns the "targets" array of the results schema: one entry per target with "name",
// "target" (e.g. "<= 3 ms"), "value" (number or null), "unit", "met" (true, false, or null
// when not measured), "source" (which measurement was used) and "note". Load targets use a
// closed-loop gRPC run (HTTP runs are not judged) whose mix holds only that query kind when
// there is one, else the kind's share of a mixed run (noted); a run that lost more than 1% of
// its requests to errors does not meet its target (noted). ANN targets note the vector count
// and dim they were measured at (the figure is for 1M x 256). Never fails; missing
// sections give met = null.
Json EvaluateTargets(const Json& doc);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_TARGETS_H_
