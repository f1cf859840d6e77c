import { describe, expect, it } from 'vitest';
import { composeAlert, graphemes, MAX_BYTES, MAX_GRAPHEMES, type AlertFacts } from '../../src/alert/compose.js';

const base: AlertFacts = {
  kind: 'confirmed',
  trackerName: 'CAISI pre-release testing agreement',
  partyName: 'Meta',
  from: 'holdout',
  to: 'signed',
  publishers: ['about.fb.com', 'nytimes.com'],
  url: 'https://about.fb.com/news/2026/11/caisi/',
  signed: 6,
  parties: 10,
};

describe('composeAlert', () => {
  it('says what changed, what it means for the tracker, and who reported it', () => {
    expect(composeAlert(base)).toBe(
      '✅ Meta has signed the CAISI pre-release testing agreement. 6 of 10 tracked developers have now signed. Sources: about.fb.com, nytimes.com. https://about.fb.com/news/2026/11/caisi/',
    );
  });

  it('fits each status and hedges a reported claim', () => {
    expect(composeAlert({ ...base, to: 'declined', from: 'holdout' })).toMatch(/^❌ Meta has declined to sign/);
    expect(composeAlert({ ...base, to: 'withdrawn', from: 'signed', signed: 5 })).toMatch(/^↩️ Meta has withdrawn from .* 5 of 10 tracked developers have now signed/);
    expect(composeAlert({ ...base, to: 'negotiating' })).toMatch(/^🤝 Meta is in talks to join/);
    expect(composeAlert({ ...base, kind: 'reported' })).toMatch(/^Reported, not yet confirmed: Meta has signed/);
    expect(composeAlert({ ...base, signed: 1 })).toContain('1 of 10 tracked developers has now signed');
  });

  it('stays within 300 graphemes and 3,000 bytes, keeping the link whole', () => {
    const long = composeAlert({ ...base, partyName: '👩🏽‍💻'.repeat(400), url: 'https://example.com/a' });
    expect(graphemes(long)).toBeLessThanOrEqual(MAX_GRAPHEMES);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_BYTES);
    expect(long.endsWith(' https://example.com/a')).toBe(true);
    const cjk = composeAlert({ ...base, partyName: '美团'.repeat(200) });
    expect(graphemes(cjk)).toBeLessThanOrEqual(MAX_GRAPHEMES);
  });
});
