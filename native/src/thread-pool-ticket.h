// native/thread-pool-ticket: the job ticket both thread pools claim tasks from (the addon's,
// native/src/thread-pool.cc, and the threaded WebAssembly build's, native/wasm/thread-pool-shared.cc).
// One 64-bit word
//   generation (20 bits) | task count (16) | thread limit (12) | next index (16),
// advanced with one fetch_add per claim, so a claim always knows which job it belongs to and
// whether it is a real task.
#pragma once

#include <cstdint>

namespace tessera {
namespace job_ticket {

constexpr int kIndexBits = 16, kLimitBits = 12, kTaskBits = 16, kGenerationBits = 20;
constexpr std::uint64_t kIndexMask = (1u << kIndexBits) - 1;
constexpr std::uint64_t kLimitMask = (1u << kLimitBits) - 1;
constexpr std::uint64_t kTaskMask = (1u << kTaskBits) - 1;
constexpr std::uint64_t kGenerationMask = (1u << kGenerationBits) - 1;
constexpr int kLimitShift = kIndexBits, kTaskShift = kLimitShift + kLimitBits,
              kGenerationShift = kTaskShift + kTaskBits;
/** Most tasks per job: claims past the count must not overflow the index field. */
constexpr int kMaxTasks = 1 << 14;

/** A ticket's fields. */
struct Ticket {
  std::uint32_t generation, tasks, limit, index;
  explicit Ticket(std::uint64_t t)
      : generation(static_cast<std::uint32_t>((t >> kGenerationShift) & kGenerationMask)),
        tasks(static_cast<std::uint32_t>((t >> kTaskShift) & kTaskMask)),
        limit(static_cast<std::uint32_t>((t >> kLimitShift) & kLimitMask)),
        index(static_cast<std::uint32_t>(t & kIndexMask)) {}
};

/** The first ticket of a job: its generation, task count and thread limit, index 0. */
inline std::uint64_t makeTicket(std::uint32_t generation, int tasks, int limit) {
  return (static_cast<std::uint64_t>(generation & kGenerationMask) << kGenerationShift) |
         (static_cast<std::uint64_t>(tasks) << kTaskShift) | (static_cast<std::uint64_t>(limit) << kLimitShift);
}

}  // namespace job_ticket
}  // namespace tessera
