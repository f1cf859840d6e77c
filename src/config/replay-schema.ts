// The shape of one `pactwatch replay` line: what replay.ts's hand-written parseLine accepts, for the JSON Schema and the tests.
import { z } from 'zod';
import { MAX_ITEM_CHARS } from '../text/item-size.js';
import { ITEM_DATE, parseItemDate } from '../text/item-date.js';
import { TRUST_TIERS } from '../model/item.js';

const nonBlank = z.string().regex(/\S/, 'must not be blank');
/** A blank string: replay reads it as the field left out. */
const blank = z.string().regex(/^\s*$/);
const wellFormed = (s: string) => s.isWellFormed();
const CHARS = MAX_ITEM_CHARS.toLocaleString('en-US');

const date = z
  .string()
  .regex(ITEM_DATE, 'must be an ISO date')
  .refine((v) => parseItemDate(v) !== undefined, 'must be a real date');

/** The fields parseLine reads, each as it may be given on its own. */
export const replayItemFields = z.looseObject({
  id: z
    .union([nonBlank, z.number()])
    .describe("the item's GUID (a number is read as its digits): an item already stored, by GUID, canonical URL or text, changes nothing"),
  text: nonBlank
    .max(MAX_ITEM_CHARS)
    .refine(wellFormed, 'must not hold an unpaired UTF-16 surrogate')
    .describe(`the item's text, which the rules read; with the title at most ${CHARS} characters, else the line is refused`),
  title: z
    .string()
    .max(MAX_ITEM_CHARS)
    .refine(wellFormed, 'must not hold an unpaired UTF-16 surrogate')
    .nullish()
    .describe('the headline, read with the text; null or blank: none'),
  url: z
    .union([z.url(), blank, z.null()])
    .optional()
    .describe('the article: an absolute URL, parsed as WHATWG URL does; its host, without "www.", is the publisher when neither "publisher" nor "source" gives one; null or blank: none'),
  published: z
    .union([date, blank, z.null()])
    .optional()
    .describe(
      'when the item was published, which orders the replay and is the item time corroboration counts in: an ISO 8601 date (2026-05-12), ' +
        'date-time (2026-05-12T14:00, seconds and fraction optional, "T" or a space between) or either with a zone (Z, +02:00, +0200); ' +
        'read as UTC when no zone is given; a date that does not exist (2026-02-30) is refused; null or blank: the replay\'s start time',
    ),
  source: z
    .string()
    .nullish()
    .describe('the id of a source in sources.yaml: its trust, publisher and speaksFor apply and the line\'s are ignored (still checked), and so does its about; a name not in sources.yaml is refused; null or blank: none'),
  trust: z
    .enum(TRUST_TIERS)
    .nullish()
    .describe('the tier, needed unless "source" gives it: official (the agency, a party\'s own newsroom), press (a news publisher), social (anyone else)'),
  publisher: z
    .string()
    .nullish()
    .describe('the publisher corroboration counts, such as reuters.com; needed unless "source" or "url" gives one; null or blank: none'),
  speaksFor: z
    .union([z.literal('all'), z.array(z.string()), z.null()])
    .optional()
    .describe('for trust official: the party ids (as in the trackers, like "meta") the item speaks for, or "all" for the agency that runs the agreement; null: none'),
  fictional: z
    .boolean()
    .nullish()
    .describe(
      'true for a made-up item (a demo or test story): an alert it causes or supports is recorded as dry-run and never posted, nor approvable; ' +
        '`replay` refuses a file with such a line while Bluesky credentials are set, unless --allow-fictional; false or null: a real item',
    ),
  langs: z
    .array(z.string())
    .nullish()
    .describe(
      "a Bluesky post's language tags (BCP-47, as its record's langs): lower-cased, malformed ones dropped, the first three kept; when none names a language " +
        'the rules read (language.yaml tags), the item makes no assertion, as the live stream reads it; null or empty: none (the item is read)',
    ),
});

/** A field of a replay line; parseLine reads a line as these and nothing else. */
export type ReplayField = keyof typeof replayItemFields.shape;

const fromSource = z.looseObject({ source: nonBlank }).describe('a source gives the trust, publisher and speaksFor');

/** One replay line: its fields, a trust and a publisher from somewhere, and text and title within the per-item bound. */
export const replayItemSchema = z
  .intersection(
    replayItemFields,
    z.intersection(
      z.union([fromSource, z.looseObject({ trust: z.enum(TRUST_TIERS) })]),
      z.union([fromSource, z.looseObject({ publisher: nonBlank }), z.looseObject({ url: z.url({ hostname: /./ }) })]),
    ),
  )
  .refine((line) => line.text.length + (line.title?.length ?? 0) <= MAX_ITEM_CHARS, `text and title together must be at most ${CHARS} characters`);
