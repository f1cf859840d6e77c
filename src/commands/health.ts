// `pactwatch health`: asks the running daemon's /healthz (the container's health check).
import type { Env } from '../config/env.js';
import { healthAddress, healthUrl } from '../config/settings.js';
import { note } from './output.js';

const TIMEOUT_MS = 5_000;

/** True when the daemon answered healthy; false when it answered otherwise or not at all. */
export async function health(env: Env, fetch: typeof globalThis.fetch = globalThis.fetch): Promise<boolean> {
  const url = healthUrl(env);
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    process.stdout.write(`${(await res.text()).trim()}\n`);
    return res.status === 200;
  } catch (err) {
    note(`pactwatch: ${unanswered(healthAddress(env), err)}`);
    return false;
  }
}

/** Why nothing answered at `address`, in words: fetch itself says only "fetch failed". */
function unanswered(address: string, err: unknown): string {
  const where = 'PACTWATCH_HOST and PACTWATCH_PORT say where health asks';
  if ((err as Error).name === 'TimeoutError') return `the daemon on ${address} did not answer /healthz within ${TIMEOUT_MS / 1000} s`;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return `no daemon answers on ${address} (connection refused): is \`pactwatch run\` started? ${where}`;
  const why = cause?.code ?? cause?.message ?? (err as Error).message;
  return `no daemon answers on ${address} (${why}): ${where}`;
}
