// stream.cpp — repairing a long input block by block.
//
// Why: a file of many megabytes is usually garbled by one chain throughout. Searching for it
// again on every block costs more than undoing it; the chain found on one block is tried first
// on the next, and the search runs only where it no longer explains the whole block.
#include "ungarble/repair.h"

namespace ungarble {

RepairResult StreamRepair::next(std::string_view block) {
  RepairOptions opt = opt_;
  opt.hint = hint_.empty() ? nullptr : &hint_;
  RepairResult r = repair(block, models_, opt);
  // Only an exact chain over the whole block is carried on.
  hint_.clear();
  if (r.spans.size() == 1 && !r.spans[0].lossy && r.spans[0].in_begin == 0 && r.spans[0].in_end == block.size())
    hint_ = r.spans[0].forward;
  return r;
}

}  // namespace ungarble
