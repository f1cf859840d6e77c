import { describe, expect, it } from 'vitest';
import { findDates, isHistorical } from '../../src/extract/dates.js';

const published = new Date('2026-06-15T12:00:00Z');
const until = (text: string) => findDates(text, published).map((d) => d.until.toISOString().slice(0, 10));

describe('findDates', () => {
  it('places absolute dates', () => {
    expect(until('signed on 2024-08-29')).toEqual(['2024-08-29']);
    expect(until('signed Aug. 29, 2024')).toEqual(['2024-08-29']);
    expect(until('signed in August 2024')).toEqual(['2024-08-31']);
    expect(until('signed in 2024')).toEqual(['2024-12-31']);
  });

  it('places dates relative to the item', () => {
    expect(until('signed last year')).toEqual(['2025-12-31']);
    expect(until('signed in May')).toEqual(['2026-05-31']);
    expect(until('signed in August')).toEqual(['2025-08-31']);
    // (Round numbers: the latest they may mean is half a unit later.)
    expect(until('signed two years ago')).toEqual(['2024-12-15']);
    expect(until('signed three months ago')).toEqual(['2026-04-01']);
    expect(until('signed last August')).toEqual(['2025-08-31']);
  });

  it('ignores numbers that are not dates', () => {
    expect(until('2024 models and 5,000 chips')).toEqual([]);
  });
});

describe('isHistorical', () => {
  it('is true only beyond the window', () => {
    const [may] = findDates('in May', published);
    const [y2024] = findDates('in 2024', published);
    expect(isHistorical(may!, published, 60)).toBe(false);
    expect(isHistorical(y2024!, published, 60)).toBe(true);
  });
});
