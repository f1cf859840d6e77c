// A generated feed corpus for benchmarks: mostly irrelevant tech news, as real feeds are,
// with a few items about the agreement. Deterministic for a given seed.

import { prng } from '../world/prng.js';

export interface BenchItem {
  id: string;
  title: string;
  text: string;
  published: Date;
}

// Labs in the news for other reasons: they pass the party prefilter but name no agreement.
const LABS = ['Google', 'Microsoft', 'Meta', 'Amazon', 'OpenAI', 'Nvidia', 'Anthropic', 'xAI'];
const SUBJECTS = ['Apple', 'Samsung', 'Tesla', 'Netflix', 'Spotify', 'Intel', 'AMD', 'Salesforce', 'Oracle', 'Uber', 'Shopify', 'Adobe', 'Stripe', 'Reddit', 'Snap', 'Pinterest'];
const VERBS = ['unveils', 'launches', 'cuts prices on', 'delays', 'expands', 'reports record sales of', 'recalls', 'tests', 'ships', 'acquires a maker of'];
const OBJECTS = ['its new phone', 'a budget laptop', 'streaming tiers', 'a chip for data centers', 'an ad-supported plan', 'smart glasses', 'a payments API', 'battery packs', 'a developer platform', 'cloud storage'];
const FILLER = [
  'Analysts said the move was expected after a slow quarter.',
  'The company did not say how many units it expects to sell.',
  'Shares rose 2% in early trading on the news.',
  'The product will be available in the U.S. and Europe first.',
  'Critics say the pricing is aimed at younger buyers.',
  'A spokesperson declined to comment on future plans.',
  'It is the third such announcement this year, following “strong demand” in Asia.',
  'Regulators in Brussels are reviewing a related complaint.',
];
const RELEVANT = [
  ['Meta, the holdout, signs the CAISI pre-release testing agreement', 'Meta Platforms said Tuesday it had signed. OpenAI and Anthropic signed in 2024.'],
  ['White House urges Meta to sign AI testing deal', 'Officials pressed the Facebook parent to join the pre-release testing program.'],
  ['Google DeepMind, Microsoft and xAI join CAISI testing', 'The three labs signed pre-release testing agreements with the Center for AI Standards and Innovation.'],
  ['If Meta does eventually sign, it would join its rivals', 'The company has not signed the CAISI agreement and is in talks with Commerce.'],
  ['Amazon weighs joining pre-release AI review', 'AWS executives are considering the government review of models before release.'],
];

/**
 * `relevantShare` of the items are about the agreement, `labShare` name a lab in other news,
 * and the rest name neither. A generator, so a long run never holds the corpus in memory.
 */
export function* corpusItems(count: number, relevantShare = 0.02, labShare = 0.2, seed = 42): Generator<BenchItem> {
  const rand = prng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  const base = Date.parse('2026-06-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const published = new Date(base + Math.floor(rand() * 180 * 86_400_000));
    const roll = rand();
    if (roll < relevantShare) {
      const [title, text] = pick(RELEVANT);
      yield { id: `r${i}`, title: title!, text: `${text} ${pick(FILLER)}`, published };
    } else {
      const subject = roll < relevantShare + labShare ? pick(LABS) : pick(SUBJECTS);
      const title = `${subject} ${pick(VERBS)} ${pick(OBJECTS)}`;
      yield { id: `n${i}`, title, text: `${title} in a bid to win customers. ${pick(FILLER)} ${pick(FILLER)}`, published };
    }
  }
}

export function generateCorpus(count: number, relevantShare = 0.02, labShare = 0.2, seed = 42): BenchItem[] {
  return [...corpusItems(count, relevantShare, labShare, seed)];
}
