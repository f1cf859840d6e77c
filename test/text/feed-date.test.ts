import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../src/text/feed-date.js';

const iso = (v: string) => parseFeedDate(v)?.toISOString() ?? null;

describe('parseFeedDate', () => {
  it('reads RFC 822 and its broken forms', () => {
    expect(iso('Tue, 03 Nov 2026 10:00:00 GMT')).toBe('2026-11-03T10:00:00.000Z');
    expect(iso('03 Nov 2026 10:00:00 +0100')).toBe('2026-11-03T09:00:00.000Z');
    expect(iso('Tue, 3 Nov 26 10:00 EST')).toBe('2026-11-03T15:00:00.000Z');
    expect(iso('Tue, 03 Nov 2026 10:00:00 PDT')).toBe('2026-11-03T17:00:00.000Z');
    expect(iso('Tue, 03 Nov 95 10:00:00 Z')).toBe('1995-11-03T10:00:00.000Z');
    expect(iso('Wed, 03 November 2026 10:00:00 -05:00')).toBe('2026-11-03T15:00:00.000Z');
  });

  it('reads ISO 8601, extended and basic, and month-first dates; no zone is UTC', () => {
    expect(iso('2026-11-03T10:00:00Z')).toBe('2026-11-03T10:00:00.000Z');
    expect(iso('2026-11-03T10:00+02:00')).toBe('2026-11-03T08:00:00.000Z');
    expect(iso('2026-11-03 10:00:00')).toBe('2026-11-03T10:00:00.000Z');
    expect(iso('20261103T100000Z')).toBe('2026-11-03T10:00:00.000Z');
    expect(iso('2026-11-03')).toBe('2026-11-03T00:00:00.000Z');
    expect(iso('November 3, 2026 10:00 PM EST')).toBe('2026-11-04T03:00:00.000Z');
    expect(iso('Tue Nov  3 10:00:00 2026')).toBe('2026-11-03T10:00:00.000Z');
  });

  it('refuses what names no moment: impossible days, unknown zones, no year', () => {
    for (const v of ['Mon, 30 Feb 2026 10:00:00 GMT', '2026-02-30', 'Tue, 03 Nov 2026 10:00:00 XYZ', 'Nov 18', 'soon', '', '25:00', 'Tue, 03 Nov 2026 25:00:00 GMT']) {
      expect(iso(v), v).toBeNull();
    }
  });
});
