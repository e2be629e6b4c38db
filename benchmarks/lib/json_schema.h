// A small JSON Schema validator for the subset benchmarks/results.schema.json uses, so that
// results can be checked without Python: "type" (a name or a list), "properties", "required",
// "additionalProperties" (boolean or schema), "items", "enum", "const", "minimum", "maximum",
// "minItems", "minLength", "oneOf", "anyOf" and "$ref" to "#/$defs/<name>" or
// "#/definitions/<name>". Other keywords ("title", "description", "$schema", ...) are ignored.
#ifndef XMODAL_BENCHMARKS_LIB_JSON_SCHEMA_H_
#define XMODAL_BENCHMARKS_LIB_JSON_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/base/json.h"

namespace xmodal::bench {

// Checks `document` against `schema` (the root holds the $defs). Returns OK, or
// INVALID_ARGUMENT listing up to 20 violations, each as "<json pointer>: <problem>", e.g.
// "/load/runs/0/qps: expected number, got string". INVALID_ARGUMENT also for a schema using
// an unresolvable $ref. Never throws.
absl::Status ValidateJson(const Json& document, const Json& schema);

// The violations themselves (empty when valid), for callers that want the list.
std::vector<std::string> JsonSchemaViolations(const Json& document, const Json& schema);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_JSON_SCHEMA_H_
