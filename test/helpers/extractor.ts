// The shipped config's extractor, built once per test file.
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { compileConfig } from '../../src/extract/compile.js';
import { createExtractor, extract } from '../../src/extract/extract.js';
import type { Assertion } from '../../src/model/assertion.js';

export const config = loadConfig(join(import.meta.dirname, '../../config'));
export const extractor = createExtractor(compileConfig(config));

/** "party status[ modality][ historical]" for each assertion: short enough to read in a test. */
export function claims(text: string, opts: { title?: string; published?: string } = {}): string[] {
  return extract(extractor, {
    id: 't',
    text,
    title: opts.title,
    published: opts.published ? new Date(opts.published) : undefined,
  }).map(short);
}

export function short(a: Assertion): string {
  return [a.party, a.status, a.modality === 'asserted' ? '' : a.modality, a.historical ? 'historical' : ''].filter(Boolean).join(' ');
}
