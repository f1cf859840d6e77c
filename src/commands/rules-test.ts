// `pactwatch rules test`: runs every rule's examples; exit 1 on any failure.
import type { Runtime } from '../config/settings.js';
import { expectationKey, testRuleExamples } from '../rules/examples.js';
import { loadConfigNoting } from './load.js';

/** True when every example passed (the CLI exits 1 otherwise). */
export function rulesTest(runtime: Runtime, opts: { json?: boolean }): boolean {
  const report = testRuleExamples(loadConfigNoting(runtime));
  if (opts.json) {
    const failures = report.failures.map((f) => ({
      tracker: f.tracker,
      rule: f.rule,
      file: f.example.where.file,
      line: f.example.where.line,
      text: f.example.text,
      missing: f.missing.map(expectationKey),
      unexpected: f.unexpected.map(expectationKey),
    }));
    process.stdout.write(`${JSON.stringify({ examples: report.total, failed: report.failures.length, failures })}\n`);
  } else {
    for (const f of report.failures) {
      const where = `${f.example.where.file}:${f.example.where.line ?? '?'}`;
      process.stdout.write(`FAIL ${where} rule ${f.rule}: ${JSON.stringify(f.example.text)}\n`);
      for (const m of f.missing) process.stdout.write(`  missing:    ${expectationKey(m)}\n`);
      for (const u of f.unexpected) process.stdout.write(`  unexpected: ${expectationKey(u)}\n`);
    }
    const passed = report.total - report.failures.length;
    process.stdout.write(`rules test: ${passed} passed, ${report.failures.length} failed\n`);
    if (report.failures.length) process.stdout.write('see why with: pactwatch explain "TEXT" [--published DATE]\n');
  }
  return report.failures.length === 0;
}
