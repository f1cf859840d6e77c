// The V8 flags the daemon runs with (npm start, the container's CMD, the torture and soak runs),
// and the installed command with them (its #! line, for replay).
// A 4 MB young generation instead of V8's default (up to 16 MB per semi-space), and V8's
// memory-over-speed mode, which grows the heap less eagerly between collections. Together they
// keep the daemon's resident set about 35 MB smaller (the soak run measures it: about 140 MB
// under a simulated day, against about 175 MB without them); the daemon spends its time waiting
// on the network, so the slower code costs nothing visible.
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=4', '--optimize-for-size'] as const;

// Set by the daemon itself when `run` starts, so that `replay` and the other commands, which
// share the #! line above, keep V8's optimizing compiler. Without TurboFan the daemon's resident
// set is about 15 MB smaller (the soak run: a peak of 132–138 MB against 147–151 MB), and its
// extraction still runs at about 100,000 items/s, far above what any poll brings; the daemon
// spends its time waiting on the network (docs/performance.md).
export const DAEMON_RUNTIME_V8_FLAGS = ['--no-opt'] as const;
