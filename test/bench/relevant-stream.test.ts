import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchExtract } from '../../bench/extract-pass.js';
import { relevantSource, relevantStream } from '../../bench/relevant-stream.js';
import { config, extractor } from '../helpers/extractor.js';

describe("the bench's relevant-text stream", () => {
  const dir = mkdtempSync(join(tmpdir(), 'pactwatch-relevant-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('falls back to the project corpus where the real one is absent', () => {
    const source = relevantSource(join(dir, 'absent.jsonl'));
    expect(source.name).toBe("the project's corpus");
    expect(source.files.length).toBeGreaterThan(0);
  });

  it('recombines the sentences of its files, deterministically, and extraction finds claims in it (a smoke run: every figure a number)', async () => {
    const file = join(dir, 'lines.jsonl');
    writeFileSync(file, `${JSON.stringify({ text: 'Meta has signed the CAISI pre-release testing agreement. OpenAI signed it in 2024.' })}\nnot json\n`);
    const items = relevantStream(50, [file]);
    expect(items).toHaveLength(50);
    expect(relevantStream(50, [file])).toEqual(items);
    for (const it of items) expect(it.text).toMatch(/^(Meta has signed the CAISI pre-release testing agreement\.|OpenAI signed it in 2024\.)/);
    const figures = await benchExtract(items, config, extractor);
    expect(figures.assertions).toBeGreaterThan(0);
    for (const v of [figures.itemsPerSec, figures.referenceItemsPerSec, figures.ratioToReference]) expect(Number.isFinite(v) && v > 0).toBe(true);
  });
});
