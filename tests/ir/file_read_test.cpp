// The bounded reader (issue 13): special files are refused at once, never
// read forever; a read error is an error, never an empty file; the cap holds.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/ir/file_read.h"

namespace apc::ir {
namespace {

namespace fs = std::filesystem;

struct Tmp {
  fs::path dir;
  Tmp() {
    std::string t = (fs::temp_directory_path() / "apc-read-XXXXXX").string();
    dir = ::mkdtemp(t.data());
  }
  ~Tmp() { fs::remove_all(dir); }
};

void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

TEST(FileRead, RegularFileWhole) {
  Tmp t;
  std::string big(300'000, 'x');
  big[1234] = '\0';
  write(t.dir / "a", big);
  ReadError e;
  auto text = readBoundedFile((t.dir / "a").string(), e);
  ASSERT_TRUE(text) << e.why;
  EXPECT_EQ(*text, big);
  write(t.dir / "empty", "");
  EXPECT_EQ(readBoundedFile((t.dir / "empty").string(), e).value_or("?"), "");
}

TEST(FileRead, MissingAndDirectory) {
  Tmp t;
  ReadError e;
  EXPECT_FALSE(readBoundedFile((t.dir / "nope").string(), e));
  EXPECT_EQ(e.kind, ReadFailure::Missing);
  EXPECT_EQ(e.why, "no such file");
  EXPECT_FALSE(readBoundedFile(t.dir.string(), e));
  EXPECT_EQ(e.kind, ReadFailure::NotRegular);
  EXPECT_NE(e.why.find("directory"), std::string::npos);
}

// A FIFO with no writer: a plain open() blocks for ever.
TEST(FileRead, FifoIsRefusedWithoutBlocking) {
  Tmp t;
  ASSERT_EQ(::mkfifo((t.dir / "fifo").c_str(), 0600), 0);
  ReadError e;
  EXPECT_FALSE(readBoundedFile((t.dir / "fifo").string(), e));
  EXPECT_EQ(e.kind, ReadFailure::NotRegular);
  EXPECT_NE(e.why.find("FIFO"), std::string::npos) << e.why;
}

TEST(FileRead, DevicesAreRefused) {
  for (const char* dev : {"/dev/zero", "/dev/urandom", "/dev/null"}) {
    ReadError e;
    EXPECT_FALSE(readBoundedFile(dev, e)) << dev;
    EXPECT_EQ(e.kind, ReadFailure::NotRegular) << dev;
    EXPECT_NE(e.why.find("character device"), std::string::npos) << e.why;
  }
}

// /proc/self/mem is a regular file whose first read (address 0) fails: that
// is an error, not an empty plan.
TEST(FileRead, ReadErrorIsAnError) {
  ReadError e;
  EXPECT_FALSE(readBoundedFile("/proc/self/mem", e));
  EXPECT_EQ(e.kind, ReadFailure::ReadError) << e.why;
}

TEST(FileRead, CapHolds) {
  Tmp t;
  write(t.dir / "at", std::string(4096, 'a'));
  write(t.dir / "over", std::string(4097, 'a'));
  ReadError e;
  EXPECT_TRUE(readBoundedFile((t.dir / "at").string(), e, 4096));
  EXPECT_FALSE(readBoundedFile((t.dir / "over").string(), e, 4096));
  EXPECT_EQ(e.kind, ReadFailure::TooLarge);
  EXPECT_NE(e.why.find("4 KiB"), std::string::npos) << e.why;
}

TEST(FileRead, AtRefusesSymlinkWhenAsked) {
  Tmp t;
  write(t.dir / "real", "r");
  fs::create_symlink(t.dir / "real", t.dir / "link");
  int dfd = ::open(t.dir.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(dfd, 0);
  ReadError e;
  EXPECT_EQ(readBoundedFileAt(dfd, "link", e).value_or("?"), "r");
  EXPECT_FALSE(readBoundedFileAt(dfd, "link", e, kMaxInputBytes, /*noFollow=*/true));
  EXPECT_EQ(e.kind, ReadFailure::NotRegular);
  ::close(dfd);
}

}  // namespace
}  // namespace apc::ir
