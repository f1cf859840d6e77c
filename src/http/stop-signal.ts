// The daemon's stop reaching each request in flight, and nothing kept for a request once it has
// ended: for the fetch layer, and for the Bluesky clients, which bring their own fetch. (Node 20's AbortSignal.any leaves an entry in a long-lived source signal for every
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

/**
 * `base` with `signals()` and `stop` added to each request's own signal (in its init, or in the
 * Request it is given): how the Bluesky clients, which bring their own fetch, get a deadline and
 * the daemon's stop.
 */
export function fetchWithSignals(base: typeof globalThis.fetch, signals: () => AbortSignal[], stop?: AbortSignal): typeof globalThis.fetch {
  const link = stop ? new StopLink(stop) : undefined;
  return async (input, init) => {
    const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    // AbortSignal.any only over signals that end with the request (see the top of this file).
    const mine = [...(own ? [own] : []), ...signals()];
    if (!link) return base(input, { ...init, signal: AbortSignal.any(mine) });
    const { signal, release } = link.signal(mine);
    try {
      const res = await base(input, { ...init, signal });
      // The body is read here, so that the stop reaches it too and the request has ended when
      // the link is released. (Bluesky's answers are small JSON documents.)
      const empty = res.body === null || [101, 204, 205, 304].includes(res.status);
      const body = empty ? null : await res.arrayBuffer();
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      release();
    }
  };
}
