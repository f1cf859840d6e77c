// Formats an Analysis for maintainers: which aliases, cues and modifiers fired, on which words, and why.
import type { Analysis, CueFinding, SentenceTrace } from './extract.js';

function q(s: string): string {
  return JSON.stringify(s);
}

function finding(f: CueFinding): string[] {
  const head = `  cue ${q(f.cue.text)} → rule ${f.cue.rule.id} (${f.cue.rule.status})`;
  const lines = [head];
  if (f.parties.length) lines.push(`      parties: ${f.parties.map((p) => `${p.party.name} (${q(p.text)})`).join(', ')} — ${f.partyReason}`);
  if (f.agreement.reason) lines.push(`      agreement: ${f.agreement.reason}`);
  for (const m of f.modifiers) lines.push(`      ${m}`);
  for (const o of f.overridden) lines.push(`      ${o.party}: overridden by rule ${o.by} ${o.reason ? `(${o.reason})` : 'nearby'}`);
  const kept = f.parties.filter((p) => !f.overridden.some((o) => o.party === p.party.id));
  if (f.dropped) lines.push(`      ✗ no assertion: ${f.dropped}`);
  else if (kept.length === 0) lines.push('      ✗ no assertion: every party overridden');
  else lines.push(`      ✓ ${f.status} ${f.modality}${f.historical ? ' historical' : ''}`);
  return lines;
}

function sentence(s: SentenceTrace): string[] {
  const lines = [`${s.isTitle ? 'title' : `sentence ${s.index + 1}`}: ${q(s.text)}${s.caseMode === 'mixed' ? '' : `  (all ${s.caseMode === 'upper' ? 'capitals' : 'lower case'}: case-sensitive aliases match in ${s.caseMode} case)`}`];
  if (s.parties.length) {
    const named = s.parties.map((p) => `${q(p.text)} = ${p.party.name}${p.refersTo ? ` (stands for ${q(p.refersTo)} named before)` : ''}`);
    lines.push(`  parties: ${named.join(', ')}`);
  }
  for (const i of s.ignored) lines.push(`  ignored ${q(i.text)}: ${i.reason}`);
  if (s.clauses.length > 1) lines.push(`  clauses: ${s.clauses.map((c) => q(c)).join(' | ')}`);
  for (const a of s.asides) lines.push(`  aside (${a.kind}): ${q(a.text)}`);
  if (s.agreements.length) {
    lines.push(`  agreements: ${s.agreements.map((a) => `${q(a.text)} = ${a.isThis ? 'this agreement' : a.agreement.name}`).join(', ')}`);
  } else if (s.contextAgreement && s.parties.length) {
    const c = s.contextAgreement;
    lines.push(c.via === 'source' ? `  agreement from context: the item's source is about ${q(c.text)}` : `  agreement from context: ${q(c.text)}`);
  }
  if (s.dates.length) lines.push(`  dates: ${s.dates.map((d) => `${q(d.text)} (until ${d.until.toISOString().slice(0, 10)})`).join(', ')}`);
  if (s.parties.length && s.findings.length === 0) lines.push('  no status cue');
  for (const f of s.findings) lines.push(...finding(f));
  return lines;
}

export function formatExplain(a: Analysis): string {
  const out: string[] = [];
  if (a.skipped) out.push(`not read: ${a.skipped}`);
  let tracker = '';
  for (const s of a.sentences) {
    if (s.tracker !== tracker) {
      tracker = s.tracker;
      out.push(`tracker ${tracker}`);
    }
    out.push(...sentence(s).map((l) => `  ${l}`));
  }
  out.push('', a.assertions.length ? 'assertions:' : 'assertions: none');
  for (const x of a.assertions) {
    out.push(`  ${x.tracker} ${x.party} ${x.status} ${x.modality}${x.historical ? ' historical' : ''}  (rule ${x.rule})`);
    out.push(`    evidence: ${q(x.evidence)}`);
  }
  return out.join('\n');
}
