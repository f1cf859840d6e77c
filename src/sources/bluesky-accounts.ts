// The Bluesky accounts configured as sources (bluesky-author), known by handle and by DID. A
// handle is resolved to its DID once and kept in the store with the time, then asked again after
// a day; one that failed is asked again the next time. Jetstream names a post's author only by DID.
import type { Source } from '../config/types.js';
import { DAY, storedTime } from '../text/stored-time.js';

/** A resolved handle is trusted this long; then it is asked again (handles move between accounts). */
export const RESOLVE_AGAIN_AFTER_MS = DAY;

const DID = /^did:[a-z]+:[A-Za-z0-9._:%-]{1,2048}$/;

/** Where resolved handles are kept between runs (the store's handles table). */
export interface HandleCache {
  get(handle: string): { did: string; resolvedAt: string } | undefined;
  save(handle: string, resolved: { did: string; resolvedAt: string }): void;
  forget(handle: string): void;
}

export interface ResolveDeps {
  /** com.atproto.identity.resolveHandle: the DID, or throws (status 400: the handle names nobody). */
  resolve: (handle: string) => Promise<string>;
  cache: HandleCache;
  now: () => Date;
}

export interface KnownAccounts {
  /** Each bluesky-author source, by its handle (lower case, no @) and by its DID when known. */
  accounts: Map<string, Source>;
  /** An account not followed, or followed by yesterday's DID: each names its source and handle. */
  warnings: string[];
}

/** A configured actor as the maps key it: a DID as it is, a handle without @ and in lower case (handles ignore case). */
export function actorKey(actor: string): string {
  const bare = actor.replace(/^@/, '');
  return bare.startsWith('did:') ? bare : bare.toLowerCase();
}

/** The bluesky-author sources by their actor as configured (handle or DID), without asking the network. */
export function configuredAccounts(sources: Source[]): Map<string, Source> {
  const accounts = new Map<string, Source>();
  for (const s of sources) if (s.kind === 'bluesky-author' && s.actor && !accounts.has(actorKey(s.actor))) accounts.set(actorKey(s.actor), s);
  return accounts;
}

/** The configured accounts, each handle's DID added: from the store while fresh, else asked for. */
export async function knownAccounts(sources: Source[], deps: ResolveDeps): Promise<KnownAccounts> {
  const accounts = configuredAccounts(sources);
  const warnings: string[] = [];
  const handles = [...accounts].filter(([key]) => !key.startsWith('did:'));
  const dids = await Promise.all(handles.map(([handle, source]) => didOf(handle, source, deps, warnings)));
  handles.forEach(([, source], i) => {
    const did = dids[i];
    if (did !== undefined && !accounts.has(did)) accounts.set(did, source);
  });
  return { accounts, warnings };
}

async function didOf(handle: string, source: Source, deps: ResolveDeps, warnings: string[]): Promise<string | undefined> {
  const now = deps.now();
  const cached = deps.cache.get(handle);
  const age = cached ? now.getTime() - Date.parse(cached.resolvedAt) : NaN;
  // A time ahead of the clock (the clock was set back) is not fresh: asked again.
  if (cached && age >= 0 && age < RESOLVE_AGAIN_AFTER_MS) return cached.did;
  const named = `bluesky-author source "${source.id}" (${source.where.file}${source.where.line ? `:${source.where.line}` : ''}): handle ${handle}`;
  let did: string;
  try {
    did = await deps.resolve(handle);
  } catch (err) {
    const e = err as { status?: number; error?: string; message?: string };
    const why = `${e.status ? `${e.status} ` : ''}${e.error && e.error !== e.message ? `${e.error}: ` : ''}${e.message ?? String(err)}`;
    // A 400 is an answer (the handle names nobody now); anything else is the network's fault,
    // and yesterday's DID is still the likeliest owner of the handle.
    if (cached && e.status !== 400) {
      warnings.push(`${named} could not be resolved again (${why}); following ${cached.did}, resolved at ${cached.resolvedAt}`);
      return cached.did;
    }
    if (cached) deps.cache.forget(handle);
    warnings.push(`${named} did not resolve to a DID (${why}); the stream does not follow it until it does`);
    return undefined;
  }
  if (typeof did !== 'string' || !DID.test(did)) {
    warnings.push(`${named} resolved to ${JSON.stringify(did)}, which is not a DID; the stream does not follow it`);
    return undefined;
  }
  deps.cache.save(handle, { did, resolvedAt: storedTime(now, `handle ${handle}: resolvedAt`) });
  return did;
}
