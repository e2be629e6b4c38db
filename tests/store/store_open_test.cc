// Opening modes: read-only, the write lock (in and across processes), missing databases, and
// damaged values on disk.
#include <fcntl.h>
#include <rocksdb/db.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/store/store.h"
#include "testing/status_matchers.h"
#include "tests/store/store_test_util.h"

extern char** environ;

namespace xmodal::store {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

constexpr char kLockHolderEnv[] = "XMODAL_STORE_TEST_HOLD_LOCK";

class StoreOpenTest : public StoreTest {};

TEST_F(StoreOpenTest, ReadOnlyOpenSeesDataAndRefusesWrites) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    ASSERT_OK(store->PutMeta("k", "v"));
    ASSERT_OK(store->Commit({Item("a", Modality::kText, "s")}, {Vector("a", Modality::kText, 1)}));
  }
  auto reader = OpenStore({.create_if_missing = false, .read_only = true});
  ASSERT_NE(reader, nullptr);
  ASSERT_OK_AND_ASSIGN(auto item, reader->GetItem("a"));
  EXPECT_TRUE(item.has_value());
  ASSERT_OK_AND_ASSIGN(auto meta, reader->GetMeta("k"));
  EXPECT_EQ(meta, "v");
  ASSERT_OK_AND_ASSIGN(int64_t count, reader->CountVectors(Modality::kText));
  EXPECT_EQ(count, 1);
  const auto read_only =
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("store was opened read-only"));
  EXPECT_THAT(reader->PutMeta("k", "w"), read_only);
  EXPECT_THAT(reader->PutFailure({"s", "r", 1}), read_only);
  EXPECT_THAT(reader->Commit({Item("b", Modality::kText, "s")}, {}), read_only);

  // Readers take no lock: a writer and more readers can open alongside.
  auto second_reader = OpenStore({.create_if_missing = false, .read_only = true});
  EXPECT_NE(second_reader, nullptr);
  auto writer = OpenStore();
  EXPECT_NE(writer, nullptr);
}

TEST_F(StoreOpenTest, SecondWriterInTheSameProcessIsUnavailable) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(Store::Open(dir_, {}), StatusIs(absl::StatusCode::kUnavailable,
                                              HasSubstr("collection database '" + dir_ +
                                                        "' is in use by another process")));
  store.reset();
  EXPECT_OK(Store::Open(dir_, {}));  // free again once closed
}

// Run as a child process by SecondWriterInAnotherProcessIsUnavailable: holds the store open
// until its stdin closes.
TEST(StoreLockHolder, HoldsTheLockUntilStdinCloses) {
  const char* dir = std::getenv(kLockHolderEnv);
  if (dir == nullptr) GTEST_SKIP() << "only run as a child process";
  auto store = Store::Open(dir, {});
  std::printf(store.ok() ? "XMODAL-LOCKED\n" : "XMODAL-FAILED\n");
  std::fflush(stdout);
  char c;
  while (::read(0, &c, 1) > 0) {
  }
}

TEST_F(StoreOpenTest, SecondWriterInAnotherProcessIsUnavailable) {
  { ASSERT_NE(OpenStore(), nullptr); }  // create it
  int to_child[2], from_child[2];
  ASSERT_EQ(::pipe(to_child), 0);
  ASSERT_EQ(::pipe(from_child), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
  posix_spawn_file_actions_addclose(&actions, to_child[1]);
  posix_spawn_file_actions_addclose(&actions, from_child[0]);
  const std::string env_var = std::string(kLockHolderEnv) + "=" + dir_;
  std::vector<char*> env = {const_cast<char*>(env_var.c_str())};
  for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
  env.push_back(nullptr);
  char arg0[] = "/proc/self/exe";
  char arg1[] = "--gtest_filter=StoreLockHolder.*";
  char* argv[] = {arg0, arg1, nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv, env.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);

  std::string output;
  char buf[256];
  ssize_t n;
  while (output.find("XMODAL-") == std::string::npos &&
         (n = ::read(from_child[0], buf, sizeof(buf))) > 0) {
    output.append(buf, static_cast<size_t>(n));
  }
  EXPECT_THAT(output, HasSubstr("XMODAL-LOCKED"));
  EXPECT_THAT(Store::Open(dir_, {}),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("is in use by another process")));
  // A reader is still welcome.
  EXPECT_OK(Store::Open(dir_, {.create_if_missing = false, .read_only = true}));

  ::close(to_child[1]);  // the child exits
  while ((n = ::read(from_child[0], buf, sizeof(buf))) > 0) {
  }
  ::close(from_child[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_OK(Store::Open(dir_, {}));
}

TEST_F(StoreOpenTest, MissingDirectoryWithoutCreateIsNotFound) {
  EXPECT_THAT(Store::Open(dir_, {.create_if_missing = false}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("does not exist")));
  EXPECT_THAT(Store::Open(dir_, {.create_if_missing = true, .read_only = true}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("does not exist")));
  EXPECT_OK(Store::Open(dir_ + "/nested/deeper", {}));  // parents are created
}

// Writes `value` under `key` of `family` behind the store's back.
void PutRaw(const std::string& dir, const std::string& family, const std::string& key,
            const std::string& value) {
  rocksdb::DBOptions options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "meta", "items", "vectors", "failures"}) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir, families, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  for (size_t i = 0; i < families.size(); ++i) {
    if (families[i].name == family) {
      ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), handles[i], key, value).ok());
    }
  }
  for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
}

TEST_F(StoreOpenTest, DamagedValuesAreDataLossNamingTheKey) {
  { ASSERT_NE(OpenStore(), nullptr); }
  PutRaw(dir_, "items", "broken-item", "{not json");
  PutRaw(dir_, "vectors", std::string("\x01\0\0\0\0\0\0\0\x07", 9), "\x01\x05");
  PutRaw(dir_, "meta", std::string("\0items/text", 11), "xyz");
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->GetItem("broken-item"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("broken-item")));
  EXPECT_THAT(store->GetVector(7), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("image/7")));
  EXPECT_THAT(
      store->ForEachVector(Modality::kImage, [](const VectorRecord&) { return absl::OkStatus(); }),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("image/7")));
  EXPECT_THAT(store->ForEachItem([](const ItemRecord&) { return absl::OkStatus(); }),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("broken-item")));
  EXPECT_THAT(store->CountItems(Modality::kText),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("items/text")));
}

}  // namespace
}  // namespace xmodal::store
