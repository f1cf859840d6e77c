import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, parseDocument, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { settingsSchema } from '../../src/config/schema.js';
import { CONFIG, ROOT } from '../helpers/cli.js';

/** The variables readEnv reads, found by watching which names it asks for. */
function variablesRead(): string[] {
  const asked = new Set<string>();
  readEnv(new Proxy({}, { get: (_t, name) => (typeof name === 'string' && asked.add(name), undefined) }));
  return [...asked].sort();
}

/** Every leaf path of a plain object: publish.mode, fetch.maxBytes, … */
function leaves(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('config/pactwatch.yaml as shipped', () => {
  const file = join(CONFIG, 'pactwatch.yaml');
  const text = readFileSync(file, 'utf8');

  it('sets every field to its default, so shipping it changes nothing', () => {
    const defaults = settingsSchema.parse({});
    expect(loadConfig(CONFIG).settings).toEqual(defaults);
    const written = parseDocument(text).toJS() as unknown;
    expect(leaves(written).sort()).toEqual(leaves(defaults).sort());
  });

  it('says what each field does, in a comment above it', () => {
    const doc = parseDocument(text);
    const uncommented: string[] = [];
    visit(doc, {
      Pair(_key, pair, path) {
        if (!isPair(pair) || !isScalar(pair.key) || isMap(pair.value)) return;
        const parent = path[path.length - 1];
        const siblings = isMap(parent) ? parent.items : [];
        // The yaml library keeps a map's first comment on the map when the map is a value.
        const first = siblings[0] === pair && isPair(path[path.length - 2]) ? (path[path.length - 2] as { value: { commentBefore?: string } }).value.commentBefore : undefined;
        if (!(pair.key.commentBefore ?? first)) uncommented.push(String(pair.key.value));
      },
    });
    expect(uncommented).toEqual([]);
  });

  it('points editors at its JSON Schema', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/settings.schema.json');
  });
});

describe('pactwatch.env.example', () => {
  const text = readFileSync(join(ROOT, 'pactwatch.env.example'), 'utf8');
  const named = [...text.matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!).sort();

  it('names every variable src/config/env.ts reads, and no other', () => {
    expect(named).toEqual(variablesRead());
  });

  it('sets nothing as copied: every line is a comment, so no secret and no default is pinned', () => {
    const active = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    expect(active).toEqual([]);
  });

  it('is the file compose.yaml wants, copied to a name git and the image build ignore', () => {
    expect(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')).toMatch(/env_file: pactwatch\.env\n/);
    expect(text).toContain('cp pactwatch.env.example pactwatch.env');
    for (const ignore of ['.gitignore', '.dockerignore']) expect(readFileSync(join(ROOT, ignore), 'utf8').split('\n'), ignore).toContain('pactwatch.env');
  });
});
