#include "benchmarks/lib/json_schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace xmodal::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::xmodal::testing::StatusIs;

const Json& Schema() {
  static const Json schema = Json::parse(R"({
    "type": "object",
    "required": ["name", "runs"],
    "properties": {
      "name": {"type": "string", "minLength": 2},
      "mode": {"enum": ["open", "closed"]},
      "version": {"const": 1},
      "count": {"type": "integer", "minimum": 0, "maximum": 10},
      "ratio": {"type": ["number", "null"]},
      "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/run"}},
      "extra": {"type": "object", "additionalProperties": {"type": "integer"}},
      "closed": {"type": "object", "additionalProperties": false,
                 "properties": {"a": {"type": "boolean"}}},
      "either": {"oneOf": [{"type": "null"}, {"type": "string"}]}
    },
    "$defs": {"run": {"type": "object", "required": ["qps"],
                      "properties": {"qps": {"type": "number"}}}}
  })");
  return schema;
}

TEST(BenchJsonSchemaTest, AcceptsAValidDocument) {
  const Json doc = Json::parse(R"({"name": "ok", "mode": "open", "version": 1, "count": 3.0,
      "ratio": null, "runs": [{"qps": 1.5}, {"qps": 2}], "extra": {"x": 1},
      "closed": {"a": true}, "either": "s", "unknown": [1]})");
  EXPECT_OK(ValidateJson(doc, Schema()));
}

// Fields are checked in key order (nlohmann::json keeps objects sorted).
TEST(BenchJsonSchemaTest, ReportsEachViolationWithItsPointer) {
  const Json doc = Json::parse(R"({"name": "x", "mode": "half", "version": 2, "count": 11,
      "ratio": "high", "runs": [{"qps": "fast"}, {}], "extra": {"a/b": 1.5},
      "closed": {"b": 1}, "either": 3})");
  EXPECT_THAT(
      JsonSchemaViolations(doc, Schema()),
      ElementsAre("/closed/b: unknown field", "/count: 11 is above the maximum 10",
                  "/either: matches 0 of the 2 oneOf alternatives",
                  "/extra/a~1b: expected integer, got number",
                  "/mode: \"half\" is not one of [\"open\",\"closed\"]",
                  "/name: string is shorter than 2", "/ratio: expected number or null, got string",
                  "/runs/0/qps: expected number, got string",
                  "/runs/1: missing required field \"qps\"", "/version: expected 1, got 2"));
}

TEST(BenchJsonSchemaTest, MissingFieldsAndWrongRootType) {
  EXPECT_THAT(ValidateJson(Json::parse(R"({"name": "ab"})"), Schema()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/: missing required field \"runs\"")));
  EXPECT_THAT(
      ValidateJson(Json::array(), Schema()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("/: expected object, got array")));
  EXPECT_THAT(ValidateJson(Json::parse(R"({"name": "ab", "runs": []})"), Schema()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least 1")));
}

TEST(BenchJsonSchemaTest, UnresolvableRefIsReported) {
  const Json schema = Json::parse(R"({"$ref": "#/$defs/nothing"})");
  EXPECT_THAT(ValidateJson(Json::object(), schema),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot be resolved")));
  EXPECT_THAT(JsonSchemaViolations(Json(1), Json::parse(R"({"type": "integer"})")), IsEmpty());
}

}  // namespace
}  // namespace xmodal::bench
