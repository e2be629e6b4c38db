// The filters: an item passes when its source URI starts with the prefix and its metadata has
// every pair (same key, equal value); a query without either filters nothing.
#include "core/engine/search_filter.h"

#include <gtest/gtest.h>

namespace xmodal::engine {
namespace {

store::ItemRecord Item(std::string source_uri, std::map<std::string, std::string> metadata) {
  store::ItemRecord item;
  item.source_uri = std::move(source_uri);
  item.metadata = std::move(metadata);
  return item;
}

TEST(SearchFilterTest, AQueryWithoutFiltersPassesEveryItem) {
  const Query query;
  EXPECT_FALSE(HasFilters(query));
  EXPECT_TRUE(PassesFilters(Item("/pics/a.png", {}), query));
}

TEST(SearchFilterTest, SourcePrefix) {
  Query query;
  query.source_prefix = "/pics/";
  EXPECT_TRUE(HasFilters(query));
  EXPECT_TRUE(PassesFilters(Item("/pics/a.png", {}), query));
  EXPECT_FALSE(PassesFilters(Item("/other/pics/a.png", {}), query));
  EXPECT_FALSE(PassesFilters(Item("/pics", {}), query));
}

TEST(SearchFilterTest, EveryMetadataPairMustMatch) {
  Query query;
  query.metadata_equals = {{"colour", "red"}, {"size", "big"}};
  EXPECT_TRUE(HasFilters(query));
  EXPECT_TRUE(PassesFilters(Item("x", {{"colour", "red"}, {"size", "big"}, {"z", "1"}}), query));
  EXPECT_FALSE(PassesFilters(Item("x", {{"colour", "red"}}), query));
  EXPECT_FALSE(PassesFilters(Item("x", {{"colour", "red"}, {"size", "Big"}}), query));
  query.source_prefix = "/pics/";
  EXPECT_FALSE(PassesFilters(Item("x", {{"colour", "red"}, {"size", "big"}}), query));
}

}  // namespace
}  // namespace xmodal::engine
