// The V8 flags the daemon runs with (npm start, the container's CMD, the torture and soak runs).
// A young generation of 4 MB instead of V8's default (up to 16 MB per semi-space) keeps the
// resident set about 30 MB smaller for a little more frequent minor GC; the soak run measures it.
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=4'] as const;
