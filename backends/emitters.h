// The backends' emit functions, one per --emit name; registry.cpp lists them.
#pragma once

#include <vector>

#include "backends/backend.h"

namespace apc::backends {

std::vector<Artifact> emitJson(const ir::SolvedPlan& solved);      // plan.json
std::vector<Artifact> emitCrycb(const ir::SolvedPlan& solved);     // crycb.txt
std::vector<Artifact> emitScripts(const ir::SolvedPlan& solved);   // apply/teardown/verify.sh
std::vector<Artifact> emitMdevctl(const ir::SolvedPlan& solved);   // mdevctl/<uuid>.json, define.sh
std::vector<Artifact> emitLibvirt(const ir::SolvedPlan& solved);   // libvirt/<guest>.{hostdev,nodedev}.xml
std::vector<Artifact> emitQemu(const ir::SolvedPlan& solved);      // qemu/<guest>.args
std::vector<Artifact> emitKmod(const ir::SolvedPlan& solved);      // kmod/...: in-tree driver config

}  // namespace apc::backends
