import { describe, expect, it } from 'vitest';
import type { Claim, PartyState } from '../../src/model/party.js';
import { decide, MAX_SOCIAL_EVIDENCE } from '../../src/status/reduce.js';
import type { Policy } from '../../src/config/types.js';

const policy: Policy = { minPublishers: 2, windowDays: 7, holdDownHours: 24, postReported: false };
const unknown: PartyState = { status: 'unknown', since: null, reported: null };
const holdout: PartyState = { status: 'holdout', since: new Date('2026-06-01T00:00:00Z'), reported: null };

let nextId = 1;
function claim(over: Partial<Claim> = {}): Claim {
  const id = nextId++;
  return {
    assertionId: id,
    itemId: id,
    copyGroup: id,
    status: 'signed',
    modality: 'asserted',
    historical: false,
    trust: 'press',
    publisher: `publisher${id}.com`,
    speaksFor: null,
    itemTime: new Date('2026-11-20T12:00:00Z'),
    ...over,
  };
}

/** The outcome's kind and, for a confirmation, the new status. */
function outcome(state: PartyState, a: Claim, others: Claim[] = [], p: Policy = policy): string {
  const o = decide(state, a, others, 'meta', p);
  return o.kind === 'confirmed' ? `confirmed ${o.change.to}${o.change.historical ? ' (historical)' : ''}` : o.kind;
}

describe('the corroboration policy', () => {
  const table: [string, () => string, string][] = [
    ['one social post changes nothing', () => outcome(holdout, claim({ trust: 'social' })), 'ignored'],
    ['one press report is only reported', () => outcome(holdout, claim()), 'reported'],
    ['two publishers confirm', () => outcome(holdout, claim({ publisher: 'nytimes.com' }), [claim({ publisher: 'reuters.com' })]), 'confirmed signed'],
    ['the same publisher twice is still reported', () => outcome(holdout, claim({ publisher: 'reuters.com' }), [claim({ publisher: 'reuters.com' })]), 'reported'],
    [
      'one wire text on two domains is still reported',
      () => outcome(holdout, claim({ publisher: 'yahoo.com', copyGroup: 900 }), [claim({ publisher: 'apnews.com', copyGroup: 900 })]),
      'reported',
    ],
    ['an official source confirms for the party it speaks for', () => outcome(holdout, claim({ trust: 'official', speaksFor: ['meta'] })), 'confirmed signed'],
    ['the agency that runs the agreement speaks for all', () => outcome(holdout, claim({ trust: 'official', speaksFor: 'all' })), 'confirmed signed'],
    ['an official source does not confirm for a party it does not speak for', () => outcome(holdout, claim({ trust: 'official', speaksFor: ['openai'] })), 'reported'],
    ['a hypothetical changes nothing', () => outcome(holdout, claim({ modality: 'hypothetical', trust: 'official', speaksFor: 'all' })), 'ignored'],
    ['a negated claim changes nothing', () => outcome(holdout, claim({ modality: 'negated', status: 'withdrawn' })), 'ignored'],
    ['being pressed is never a status', () => outcome(holdout, claim({ status: 'pressed', trust: 'official', speaksFor: 'all' })), 'ignored'],
    ['a claim of the current status re-affirms it', () => outcome(holdout, claim({ status: 'holdout' })), 'reaffirmed'],
    [
      'a reversal inside the hold-down from the press is held back',
      () =>
        outcome(
          { status: 'signed', since: new Date('2026-11-20T00:00:00Z'), reported: null },
          claim({ status: 'withdrawn', publisher: 'a.com' }),
          [claim({ status: 'withdrawn', publisher: 'b.com' })],
        ),
      'reported',
    ],
    [
      'a reversal inside the hold-down from an official source goes through',
      () =>
        outcome({ status: 'signed', since: new Date('2026-11-20T00:00:00Z'), reported: null }, claim({ status: 'withdrawn', trust: 'official', speaksFor: ['meta'] })),
      'confirmed withdrawn',
    ],
    [
      'after the hold-down the press may reverse',
      () =>
        outcome(
          { status: 'signed', since: new Date('2026-11-18T00:00:00Z'), reported: null },
          claim({ status: 'withdrawn', publisher: 'a.com' }),
          [claim({ status: 'withdrawn', publisher: 'b.com' })],
        ),
      'confirmed withdrawn',
    ],
    ['a historical mention seeds an unknown status, silently', () => outcome(unknown, claim({ historical: true, trust: 'official', speaksFor: 'all' })), 'confirmed signed (historical)'],
    ['a historical mention never overturns a known status', () => outcome(holdout, claim({ historical: true, trust: 'official', speaksFor: 'all' })), 'ignored'],
    [
      'reports more than the window apart do not add up',
      () => outcome(holdout, claim({ publisher: 'a.com' }), [claim({ publisher: 'b.com', itemTime: new Date('2026-11-01T00:00:00Z') })]),
      'reported',
    ],
    [
      'reports from before the current status do not count against it',
      () =>
        outcome(
          { status: 'holdout', since: new Date('2026-11-19T00:00:00Z'), reported: null },
          claim({ publisher: 'a.com' }),
          [claim({ publisher: 'b.com', itemTime: new Date('2026-11-18T00:00:00Z') })],
        ),
      'reported',
    ],
    [
      'a stricter tracker needs more publishers',
      () => outcome(holdout, claim({ publisher: 'a.com' }), [claim({ publisher: 'b.com' })], { ...policy, minPublishers: 3 }),
      'reported',
    ],
    ['social posts never count as publishers', () => outcome(holdout, claim({ publisher: 'a.com' }), [claim({ trust: 'social', publisher: 'x.bsky.social' })]), 'reported'],
  ];

  it.each(table)('%s', (_name, run, expected) => {
    expect(run()).toBe(expected);
  });

  it('a confirmation carries the assertions that justify it', () => {
    const a = claim({ publisher: 'a.com' });
    const b = claim({ publisher: 'b.com' });
    const o = decide(holdout, a, [b, claim({ status: 'declined' })], 'meta', policy);
    expect(o.kind === 'confirmed' && o.change.evidence.sort()).toEqual([a.assertionId, b.assertionId].sort());
    expect(o.kind === 'confirmed' && o.change.reason).toMatch(/2 independent publishers: a\.com, b\.com/);
  });

  it('looks up the other evidence only when the outcome depends on it', () => {
    let lookups = 0;
    const others = () => {
      lookups++;
      return [claim({ publisher: 'b.com' })];
    };
    const signed: PartyState = { status: 'signed', since: new Date('2026-06-01T00:00:00Z'), reported: null };
    expect(decide(signed, claim(), others, 'meta', policy).kind).toBe('reaffirmed');
    expect(decide(holdout, claim({ modality: 'hypothetical' }), others, 'meta', policy).kind).toBe('ignored');
    expect(lookups).toBe(0);
    expect(decide(holdout, claim({ publisher: 'a.com' }), others, 'meta', policy).kind).toBe('confirmed');
    expect(lookups).toBe(1);
  });

  it('keeps every press report as evidence, and of the social posts only the earliest', () => {
    const press = claim({ publisher: 'a.com', itemTime: new Date('2026-11-20T13:30:00Z') });
    const social = Array.from({ length: MAX_SOCIAL_EVIDENCE + 5 }, (_, k) => claim({ trust: 'social', itemTime: new Date(Date.parse('2026-11-20T13:00:00Z') - k * 60_000) }));
    const o = decide(holdout, social[0]!, [press, ...social.slice(1)], 'meta', policy);
    const earliest = [...social].reverse().slice(0, MAX_SOCIAL_EVIDENCE).map((c) => c.assertionId);
    expect(o.kind === 'reported' && [...o.reported.evidence].sort()).toEqual([press.assertionId, ...earliest].sort());
    expect(o.kind === 'reported' && o.reported.since).toEqual(social.at(-1)!.itemTime);
  });

  it('a social post adds to a reported claim it agrees with', () => {
    const first = decide(holdout, claim({ publisher: 'a.com' }), [], 'meta', policy);
    expect(first.kind).toBe('reported');
    const state = { ...holdout, reported: first.kind === 'reported' ? first.reported : null };
    const second = decide(state, claim({ trust: 'social' }), [], 'meta', policy);
    expect(second.kind === 'reported' && !second.isNew && second.reported.evidence.length).toBe(2);
  });
});
