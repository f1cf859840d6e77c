import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Config, Source } from '../../src/config/types.js';
import { streamAccounts } from '../../src/pipeline/poll.js';
import { openDatabase } from '../../src/store/db.js';
import { Store } from '../../src/store/store.js';

const lab: Source = { id: 'bsky-lab', kind: 'bluesky-author', actor: 'newsroom.lab.example', trust: 'official', speaksFor: ['meta'], publisher: 'lab.example', where: { file: 't' } };

describe("the stream's accounts, as the pipeline asks for them", () => {
  it('two streams asking at once share one resolution, and the next ask finds it in the store', async () => {
    const store = new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-stream-accounts-')), 'pactwatch.db')));
    const app = { config: { sources: [lab] } as unknown as Config, store, deps: { now: () => new Date('2026-11-20T12:00:00Z') } } as unknown as Pick<App, 'config' | 'store' | 'deps'>;
    const asked: string[] = [];
    const accounts = streamAccounts(app, { resolveHandle: async (handle) => (asked.push(handle), 'did:plc:lab') });
    const [a, b] = await Promise.all([accounts(), accounts()]);
    expect(a.accounts.get('did:plc:lab')).toBe(lab);
    expect(b).toBe(a);
    expect((await accounts()).accounts.get('did:plc:lab')).toBe(lab);
    expect(asked).toEqual(['newsroom.lab.example']);
  });

  it('without a Bluesky reader, a handle is an account not followed, with a warning', async () => {
    const store = new Store(openDatabase(join(mkdtempSync(join(tmpdir(), 'pactwatch-stream-accounts-')), 'pactwatch.db')));
    const app = { config: { sources: [lab] } as unknown as Config, store, deps: { now: () => new Date('2026-11-20T12:00:00Z') } } as unknown as Pick<App, 'config' | 'store' | 'deps'>;
    const known = await streamAccounts(app, undefined)();
    expect(known.warnings).toEqual(['bluesky-author source "bsky-lab" (t): handle newsroom.lab.example did not resolve to a DID (no Bluesky reader configured); the stream does not follow it until it does']);
  });
});
