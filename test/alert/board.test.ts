import { describe, expect, it } from 'vitest';
import { renderBoard } from '../../src/alert/board.js';

const rows = [
  { name: 'OpenAI', status: 'signed' as const },
  { name: 'Meta', status: 'holdout' as const },
  { name: 'Amazon', status: 'unknown' as const },
];

describe('the status board image', () => {
  it('is a PNG of the right size with alt text naming every party and status', () => {
    const board = renderBoard('CAISI pre-release testing agreement', rows, '2026-11-27');
    expect(board.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([board.width, board.height]).toEqual([800, 110 + 3 * 44 + 40]);
    expect(board.alt).toBe('CAISI pre-release testing agreement, as of 2026-11-27: OpenAI signed; Meta holdout; Amazon unknown.');
  });

  it('draws its text (with no font, text would silently vanish)', () => {
    const named = renderBoard('T', rows, 'today').png;
    const blank = renderBoard('T', rows.map((r) => ({ ...r, name: '' })), 'today').png;
    expect(named.equals(blank)).toBe(false);
    expect(named.length).toBeGreaterThan(blank.length);
  });
});
