import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/repo.js';
import { isIntegrationTest } from './suites.js';

describe('the unit and integration suites', () => {
  it('puts a test in the integration suite when it or a test helper it imports starts something', () => {
    // A worker thread from the built dist/.
    expect(isIntegrationTest(ROOT, 'test/replay/reader.test.ts')).toBe(true);
    // The built command, run through helpers/cli.ts.
    expect(isIntegrationTest(ROOT, 'test/scripts/demo.test.ts')).toBe(true);
    // A local XRPC server, through helpers/xrpc-server.ts.
    expect(isIntegrationTest(ROOT, 'test/sources/bluesky.test.ts')).toBe(true);
    expect(isIntegrationTest(ROOT, 'test/replay/replay.test.ts')).toBe(false);
    // A ledger in a temporary folder (helpers/ledger.ts); src/ is not followed.
    expect(isIntegrationTest(ROOT, 'test/pipeline/alerts.test.ts')).toBe(false);
    // world/prng.ts is followed, and starts nothing.
    expect(isIntegrationTest(ROOT, 'test/text/item-date.test.ts')).toBe(false);
  });

  it('fails a unit test that starts a child process, a server or a worker thread, naming the rule', async () => {
    expect(isIntegrationTest(ROOT, 'test/suites.test.ts')).toBe(false);
    // The modules are named piecemeal, so that the rule leaves this file in the unit suite.
    const childProcessName = `node:${['child', 'process'].join('_')}`;
    const builtin = createRequire(import.meta.url);
    const childProcess = builtin(childProcessName) as { spawnSync(command: string, args: string[]): unknown };
    expect(() => childProcess.spawnSync(process.execPath, ['-e', ''])).toThrow(/^child_process\.spawnSync in the unit suite: test\/suites\.ts puts a test file in the integration suite when/);
    const imported = (await import(childProcessName)) as { spawn(command: string, args: string[]): unknown };
    expect(() => imported.spawn(process.execPath, ['-e', ''])).toThrow(/^child_process\.spawn in the unit suite/);
    const net = builtin(`node:${'n' + 'et'}`) as { createServer(): { listen(port: number, host: string): unknown } };
    const server = net.createServer();
    expect(() => server.listen(0, '127.0.0.1')).toThrow(/^a server listening in the unit suite/);
    const threads = builtin(`node:${['worker', 'threads'].join('_')}`) as { Worker: new (code: string, options: { eval: boolean }) => unknown };
    expect(() => new threads.Worker('', { eval: true })).toThrow(/^a worker thread in the unit suite/);
  });
});
