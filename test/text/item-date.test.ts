import { describe, expect, it } from 'vitest';
import { parseItemDate } from '../../src/text/item-date.js';
import { prng } from '../../world/prng.js';

const iso = (value: string) => parseItemDate(value)?.toISOString();

describe('parseItemDate', () => {
  it.each([
    ['2026-05-12', '2026-05-12T00:00:00.000Z'],
    ['2026-05-12T10:30', '2026-05-12T10:30:00.000Z'],
    ['2026-05-12 10:30:15', '2026-05-12T10:30:15.000Z'],
    ['2026-05-12t10:30:15z', '2026-05-12T10:30:15.000Z'],
    [' 2026-05-12T10:30:15Z ', '2026-05-12T10:30:15.000Z'],
    ['2026-05-12T10:30:15.5Z', '2026-05-12T10:30:15.500Z'],
    ['2026-05-12T10:30:15.123456789Z', '2026-05-12T10:30:15.123Z'],
    ['2026-05-12T10:30:15+05:30', '2026-05-12T05:00:15.000Z'],
    ['2026-05-12T10:30:15-1230', '2026-05-12T23:00:15.000Z'],
    ['2026-01-01T00:00+23:59', '2025-12-31T00:01:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
    ['0100-01-01', '0100-01-01T00:00:00.000Z'],
  ])('reads %s as %s', (value, expected) => {
    expect(iso(value)).toBe(expected);
  });

  it.each(['12', '2026-5-12', '2026-00-10', '2026-13-01', '2026-02-29', '1900-02-29', '2026-04-31', '2026-05-00', '0099-12-31', '2026-05-12T24:00', '2026-05-12T10:60', '2026-05-12T10:30:60', '2026-05-12T10:30+24:00', '2026-05-12T10:30+05:60', '2026-05-12T10:30:15.Z', 'May 12, 2026'])(
    'refuses %s',
    (value) => {
      expect(parseItemDate(value)).toBeUndefined();
    },
  );

  it("gives the moment Date's own parser gives, for any time and zone", () => {
    const rand = prng(7);
    const two = (n: number) => String(n).padStart(2, '0');
    for (let i = 0; i < 2000; i++) {
      const moment = new Date(Date.UTC(1970, 0, 1) + Math.floor(rand() * 160 * 365.25 * 86_400_000));
      const zone = Math.floor(rand() * 24 * 60) * (rand() < 0.5 ? -1 : 1);
      const local = new Date(moment.getTime() + zone * 60_000).toISOString().slice(0, 23);
      const value = `${local}${zone < 0 ? '-' : '+'}${two(Math.floor(Math.abs(zone) / 60))}:${two(Math.abs(zone) % 60)}`;
      expect(parseItemDate(value)?.getTime(), value).toBe(new Date(value).getTime());
      expect(parseItemDate(value)?.getTime(), value).toBe(moment.getTime());
    }
  });
});
