// The daemon's stop reaching each request in flight, and nothing kept for a request once it has
// ended. (Node 20's AbortSignal.any leaves an entry in a long-lived source signal for every
// signal made from it, and undici a listener until a collection: a daemon that combined its stop
// signal with each request's signal would grow by some 60 bytes a request, without end.)

export class StopLink {
  /** One controller per request in flight. */
  private readonly held = new Set<AbortController>();

  constructor(private readonly stop: AbortSignal) {
    stop.addEventListener('abort', () => this.held.forEach((c) => c.abort(stop.reason)), { once: true });
  }

  get stopped(): boolean {
    return this.stop.aborted;
  }

  /**
   * A signal for one request: aborted by the stop, or by any of `signals`, which must live no
   * longer than the request does (its deadline, its caller's own signal). Call `release` when
   * the request has ended.
   */
  signal(signals: AbortSignal[]): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    const gone = [this.stop, ...signals].find((s) => s.aborted);
    if (gone) controller.abort(gone.reason);
    else {
      for (const s of signals) s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
      this.held.add(controller);
    }
    return { signal: controller.signal, release: () => void this.held.delete(controller) };
  }
}
