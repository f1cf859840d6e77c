// The V8 flags the daemon runs with (npm start, the container's CMD, the torture and soak runs),
// and the installed command with them (its #! line, for replay).
// A 4 MB young generation instead of V8's default (up to 16 MB per semi-space), and V8's
// memory-over-speed mode, which grows the heap less eagerly between collections. Together they
// keep the daemon's resident set within its budget (the soak run measures it; the figures are in
// docs/performance.md); the daemon spends its time waiting on the network, so the slower code
// costs nothing visible.
// One V8 platform thread instead of one per core: each thread that allocates gets its own malloc
// arena, and their fragmentation was most of the run-to-run spread of the resident set (the
// soak's and the replay's peaks fall by 5–10 MB at the same speed).
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=4', '--optimize-for-size', '--v8-pool-size=1'] as const;

// Set by the daemon itself when `run` starts, so that `replay` and the other commands, which
// share the #! line above, keep V8's optimizing compilers. Without TurboFan, and with the
// regular expressions compiled plainly (no lookahead tables, no unrolled alternatives), the
// daemon's resident set is smaller, and its extraction still runs far faster than any poll or
// stream brings items; the daemon spends its time waiting on the network (the figures:
// docs/performance.md).
export const DAEMON_RUNTIME_V8_FLAGS = ['--no-opt', '--no-regexp-optimization'] as const;
