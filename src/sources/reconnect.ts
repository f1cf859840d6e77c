// When a dropped connection is tried again: jittered exponential back-off, waited out on a timer
// that a stop cuts short.

export interface Backoff {
  /** Back-off after a failed connection: from this, doubling, up to backoffMaxMs, ±50%. */
  backoffMs: number;
  backoffMaxMs: number;
}

export function timerSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      done();
    }
    signal.addEventListener('abort', finish);
  });
}

/** Jittered exponential back-off: `attempt` 0 waits about backoffMs. */
export function backoffDelay(attempt: number, random: () => number, tuning: Backoff): number {
  const base = Math.min(tuning.backoffMaxMs, tuning.backoffMs * 2 ** attempt);
  return Math.round(base * (0.5 + random()));
}
