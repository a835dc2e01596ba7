// Name-based UUIDs (RFC 4122 version 5, SHA-1) so a guest without a uuid in
// the plan keeps the same one on every machine and every compile.
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include "solver/solve.h"

namespace apc::solver {

namespace {
// apc's own namespace UUID (itself the v5 UUID of "apc.ibm-z.ap-config" in the
// RFC's DNS namespace, fixed here for good: changing it changes every derived UUID).
constexpr const char* kApcNamespace = "4023f29f-2362-5061-8775-177c27bf60e8";
}  // namespace

std::string deriveUuid(std::string_view host, std::string_view guest) {
  boost::uuids::uuid ns = boost::uuids::string_generator()(kApcNamespace);
  boost::uuids::name_generator_sha1 gen(ns);
  std::string name = std::string(host) + "/" + std::string(guest);
  return boost::uuids::to_string(gen(name.data(), name.size()));
}

}  // namespace apc::solver
