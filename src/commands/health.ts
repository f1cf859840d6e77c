// `pactwatch health`: asks the running daemon's /healthz (the container's health check).
import type { Env } from '../config/env.js';
import { healthUrl } from '../config/settings.js';
import { note } from './output.js';

/** True when the daemon answered healthy; false when it answered otherwise or not at all. */
export async function health(env: Env, fetch: typeof globalThis.fetch = globalThis.fetch): Promise<boolean> {
  const url = healthUrl(env);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    process.stdout.write(`${(await res.text()).trim()}\n`);
    return res.status === 200;
  } catch (err) {
    note(`pactwatch: ${url} did not answer: ${(err as Error).message}`);
    return false;
  }
}
