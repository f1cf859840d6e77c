// `pactwatch extract`: JSON Lines in on stdin, one line of assertions out per line in; no database.
import { createInterface } from 'node:readline';
import type { Runtime } from '../config/settings.js';
import { compileConfig } from '../extract/compile.js';
import { createExtractor, extract } from '../extract/extract.js';
import { parseInputLine, type ParsedLine } from '../extract/input.js';
import type { ExtractInput } from '../model/assertion.js';
import { loadConfigNoting } from './load.js';
import { write } from './output.js';

export async function extractLines(runtime: Runtime): Promise<void> {
  const ex = createExtractor(compileConfig(loadConfigNoting(runtime)));
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    const parsed: ParsedLine<ExtractInput> = line.trim() === '' ? { ok: false, error: `line ${n}: empty line` } : parseInputLine(line, n);
    let out: unknown;
    if (!parsed.ok) out = parsed.id === undefined ? { error: parsed.error } : { id: parsed.id, error: parsed.error };
    else {
      const assertions = extract(ex, parsed.value).map(({ tracker, party, partyName, status, modality, historical, rule, evidence }) => ({
        tracker, party, partyName, status, modality, historical, rule, evidence,
      }));
      out = { id: parsed.raw.id, assertions };
    }
    await write(`${JSON.stringify(out)}\n`);
  }
}
