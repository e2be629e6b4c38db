// xmodal-index: the offline indexer. Everything but logging set-up lives in cli.cc.
#include <glog/logging.h>

#include <string>
#include <vector>

#include "indexer/cli.h"

int main(int argc, char** argv) {
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  std::vector<std::string> args(argv + 1, argv + argc);
  return xmodal::indexer::IndexerMain(args, stdout, stderr);
}
