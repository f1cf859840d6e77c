// The schema of config/language.yaml: the cues every tracker shares (kept apart from schema.ts to keep each file small).
import { z } from 'zod';
import { nonEmpty } from './schema.js';

const trigger = z.union([
  nonEmpty,
  z.strictObject({
    cue: nonEmpty,
    window: z.int().min(0).max(20).describe('words allowed between trigger and cue'),
    verbPhrase: z
      .boolean()
      .optional()
      .describe('a modal verb: it reaches over its own verb phrase and stops at a comma or at a second verb phrase with a verb group of its own'),
    ownIntent: z
      .boolean()
      .optional()
      .describe("words of intent (\"plans to\", \"will\"): no hedge when a party the cue names is their subject, since a party's own stated intent is its announcement"),
  }),
]);

const modifier = z.strictObject({
  window: z.int().min(0).max(20).describe('default words allowed between a trigger and the cue it modifies'),
  before: z.array(trigger).default([]).describe('triggers that modify a cue after them'),
  after: z.array(trigger).default([]).describe('triggers that modify a cue before them'),
});

export const languageSchema = z.strictObject({
  $schema: z.string().optional(),
  tags: z.array(z.string().regex(/^[A-Za-z]{2,8}$/, 'must be a primary language subtag: 2 to 8 letters, such as en')).min(1).default(['en'])
    .describe('the languages these patterns read, as primary language subtags (en, de); a post tagged only with other languages is not read. Default [en]'),
  abbreviations: z.array(nonEmpty).default([]).describe('words ending in a dot that do not end a sentence'),
  clauseBoundaries: z.array(nonEmpty).default([]).describe('regular expressions that end a modifier scope and a party list'),
  listConnectors: z.array(nonEmpty).default([]).describe('regular expressions joining the parties of a list'),
  corporateSuffixes: z.array(nonEmpty).default([]).describe('regular expressions for words that may follow a name in a list ("Corp.")'),
  notPartyAfter: z.array(nonEmpty).default([]).describe('a name followed by one of these is not the party ("OpenAI executives")'),
  notPartyBefore: z.array(nonEmpty).default([]).describe('a name right after one of these is not the party ("the largest investor in OpenAI")'),
  anaphora: z
    .strictObject({
      singular: z.array(nonEmpty).default([]),
      plural: z.array(nonEmpty).default([]),
    })
    .default({ singular: [], plural: [] })
    .describe('words at the start of a sentence or clause that stand for the party named in the sentence before'),
  firstPerson: z
    .array(nonEmpty)
    .default([])
    .describe('words by which an official source names the party it speaks for ("we signed")'),
  attribution: z
    .array(nonEmpty)
    .default([])
    .describe('words that attribute a quotation to the party named just before them ("a Meta spokesperson said"): "we" inside it is that party'),
  maxPartyGap: z.int().min(0).max(30).default(10).describe('words allowed between a party list and its cue'),
  pseudoNegation: z.array(nonEmpty).default([]).describe('phrases that look like negation but are not ("not only")'),
  negation: modifier.extend({
    insideCues: z
      .array(nonEmpty)
      .default([])
      .describe('denials that count even inside a signing cue\'s words ("made no commitment to CAISI testing"): the signing is denied'),
  }),
  hypothetical: modifier.extend({
    questions: z.boolean().default(true).describe('a clause that ends in "?" is hypothetical'),
    insideCues: z
      .array(nonEmpty)
      .default([])
      .describe('hedges that count even inside a cue\'s words ("Meta\'s potential agreement with CAISI"); other triggers inside a cue are part of it ("has yet to sign")'),
    presupposingQuestions: z
      .array(nonEmpty)
      .default([])
      .describe('words that open a question presuming its answer ("Why hasn\'t Meta signed?" presumes it has not): such a question asserts'),
    conditionalOpeners: z
      .array(nonEmpty)
      .default([])
      .describe('words that open a conditional sentence ("If"): every clause of it is hypothetical, the main clause included'),
    termsOpeners: z.array(nonEmpty).default([]).describe('words that open a sentence stating an agreement\'s terms ("Under the agreements, …"): its "would" and "will" say what the agreement obliges, not a hedge'),
  }),
  historical: z.strictObject({
    days: z.int().min(1).describe('an event dated this many days before the item is historical'),
  }),
});

export type LanguageFile = z.infer<typeof languageSchema>;
