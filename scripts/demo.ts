// `npm run demo`: replays the CAISI story (fixtures/demo) through the whole pipeline into a
// fresh database, with the dry-run publisher, then prints the status table. Offline.
//
// The story's Meta signing is made up: it must never reach the real ledger or the real account.
// So the demo writes to a temporary database of its own (never --db, PACTWATCH_DB or
// data/pactwatch.db) and takes nothing from the environment: no Bluesky credentials, whatever
// is set, and the dry-run publisher. The invented lines are marked "fictional" besides.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { replay } from '../src/commands/replay.js';
import { status } from '../src/commands/status.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'pactwatch-demo-'));
const paths = { configDir: join(root, 'config'), dbPath: join(dir, 'demo.db'), env: { publishMode: 'dry-run' } };

process.stderr.write(
  [
    'pactwatch demo: the CAISI story, replayed from fixtures/demo/caisi-story.jsonl into a fresh database.',
    'Every party starts unknown; each line below is a confirmed status change, and each [dry-run] block',
    'is the post it would make. The social rumour, the single reports and the hypothetical change nothing.',
    'The items from June 2026 on are invented articles (the Meta signing is fiction): they are marked',
    '"fictional", so their alerts are recorded as dry-run and could never be posted.',
    '',
    '',
  ].join('\n'),
);
try {
  await replay(paths, join(root, 'fixtures/demo/caisi-story.jsonl'), { seed: false });
  process.stderr.write('\n');
  status(paths, {});
} finally {
  rmSync(dir, { recursive: true, force: true });
}
