import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/repo.js';

const eslint = new ESLint({ cwd: ROOT });

/** The rules a file at `path` under src/ holding `code` breaks (the file need not exist). */
async function broken(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'src', path) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the lint of the layers (eslint.config.js)', () => {
  it('fails a file in src/model/ that imports the store, by value or as a type', async () => {
    for (const line of ["import { Store } from '../store/store.js';", "import type { Store } from '../store/store.js';"]) {
      expect(await broken('model/leak.ts', `${line}\nexport type Leak = Store;\n`)).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*"\.\.\/store\/store\.js".*src\/model may import only itself/)]);
    }
    expect(await broken('model/vocabulary.ts', "import type { Item } from './item.js';\nexport type Items = Item[];\n")).toEqual([]);
  });

  it('lets extract read config as types only, and not reach the store', async () => {
    expect(await broken('extract/probe.ts', "import type { Config } from '../config/types.js';\nexport type C = Config;\n")).toEqual([]);
    expect(await broken('extract/probe.ts', "import { loadConfig } from '../config/load.js';\nexport const load = loadConfig;\n")).toEqual([
      expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*import type only/),
    ]);
    expect(await broken('extract/probe.ts', "import { openStore } from '../store/open.js';\nexport const open = openStore;\n")).toEqual([
      expect.stringMatching(/^import-x\/no-restricted-paths: .*src\/extract may import only model, text, errors\.ts, config \(types\)/),
    ]);
  });

  it('lets the pipeline name the App as a type, and no stage reach the pipeline or the CLI, dynamic imports included', async () => {
    expect(await broken('pipeline/probe.ts', "import type { App } from '../app.js';\nexport type A = App;\n")).toEqual([]);
    expect(await broken('pipeline/probe.ts', "import { openApp } from '../app.js';\nexport const open = openApp;\n")).toHaveLength(1);
    expect(await broken('publish/bluesky/probe.ts', "import { processItem } from '../../pipeline/process.js';\nexport const p = processItem;\n")).toHaveLength(1);
    expect(await broken('store/probe.ts', "export const poll = await import('../sources/poll.js');\n")).toHaveLength(1);
    expect(await broken('web/probe.ts', "import { main } from '../cli.js';\nexport const m = main;\n")).toHaveLength(1);
  });
});
