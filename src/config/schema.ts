// The shapes of the files maintainers edit: trackers/*.yaml, sources.yaml and pactwatch.yaml (step 1 of loading; language.yaml's is language-schema.ts).
import { z } from 'zod';
import { PUBLISH_MODES, RETRACTIONS } from '../model/alert.js';
import { ASSERTED_STATUSES, MODALITIES } from '../model/assertion.js';
import { TRUST_TIERS } from '../model/item.js';
import { PARTY_STATUSES } from '../model/party.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes, like "google-deepmind"');
const ruleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'must be lowercase letters, digits, dots and dashes, like "signed.verb"');
export const nonEmpty = z.string().trim().min(1, 'must not be empty');

const alias = z.union([
  nonEmpty,
  z.strictObject({
    text: nonEmpty,
    caseSensitive: z.boolean().default(false).describe('match only this capitalisation (all-caps text still matches)'),
  }),
]);

const date = z.union([
  z.iso.date(),
  z.iso.datetime({ offset: true }),
  z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a date: YYYY-MM-DD, YYYY-MM or an ISO date-time'),
]);

const expectation = z.strictObject({
  party: id,
  status: z.enum(ASSERTED_STATUSES),
  modality: z.enum(MODALITIES).default('asserted'),
  historical: z.boolean().default(false),
});

const example = z.strictObject({
  text: nonEmpty,
  title: z.string().optional(),
  published: date.optional().describe('item date; needed for historical examples'),
  expect: z.array(expectation).describe('exactly the assertions this tracker must yield; [] means none'),
});

export const ruleSchema = z.strictObject({
  id: ruleId,
  status: z.enum(ASSERTED_STATUSES),
  description: z.string().optional(),
  party: z
    .union([z.enum(['subject', 'object', 'before', 'after', 'either', 'both']), z.array(z.enum(['subject', 'object', 'before', 'after'])).min(1).max(2)])
    .default('either')
    .describe(
      'which role the parties play, in order: "subject" of the cue (before it, past asides and the verb group), "object" of it (after it, up to a subordinate clause); "either" is [subject, object], the first found; "both" takes the subject and the object ("Amazon joins OpenAI and Anthropic in signing"); "before" and "after" are the older names of subject and object',
    ),
  cues: z.array(nonEmpty).min(1).describe('regular expressions (case-insensitive, whole words) that carry the status'),
  exclusive: z
    .boolean()
    .default(false)
    .describe('parties this rule names are not available to other rules ("every lab except Meta has signed")'),
  presupposes: z
    .union([z.boolean(), z.literal('object')])
    .default(false)
    .describe('the cue presupposes its parties\' status, whatever happens to its own verb: "urged Meta to follow Google into the program" has Google in, however hedged or denied the following is; "object" presupposes only the object of a `party: both` rule ("if Meta signs, it would join OpenAI and Anthropic": they are in, Meta only if)'),
  elliptical: z
    .boolean()
    .default(false)
    .describe('the cue stands for a verb left out ("Five labs signed; Meta has not"): after a clause boundary it counts only when a cue of another rule comes before it in the sentence'),
  overrides: z
    .array(z.enum(ASSERTED_STATUSES))
    .default([])
    .describe('statuses this rule wins over when both claim the same mention of a party'),
  examples: z.array(example).min(1, 'a rule needs at least one example'),
});

const agreementNames = {
  aliases: z.array(alias).default([]).describe('literal names, whole words, case-insensitive unless marked'),
  patterns: z.array(nonEmpty).default([]).describe('regular expressions for descriptions of the agreement'),
};

export const trackerSchema = z.strictObject({
  $schema: z.string().optional(),
  id,
  name: nonEmpty,
  description: z.string().optional(),
  words: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a class name is lower-case letters, digits and hyphens, starting with a letter'), z.array(nonEmpty).min(1))
    .default({})
    .describe('word classes: each a list of regular expressions (usually words), written {name} in any pattern of this file, which then matches any of them'),
  agreement: z.strictObject({
    ...agreementNames,
    since: date.optional().describe('when the agreement began (YYYY-MM or a date): a claim its sentence dates before then is about something else'),
    topic: z
      .array(nonEmpty)
      .default([])
      .describe('regular expressions that, when every one is found somewhere in an item naming no agreement at all, make the item about this one'),
    others: z
      .array(z.strictObject({ id, name: nonEmpty, ...agreementNames }))
      .default([])
      .describe('other agreements and things signed that must not be read as this one'),
  }),
  parties: z
    .array(
      z.strictObject({
        id,
        name: nonEmpty,
        aliases: z.array(alias).min(1),
        exclude: z.array(nonEmpty).default([]).describe('regular expressions for common-word uses that are not the party'),
        initial: z
          .strictObject({
            status: z.enum(PARTY_STATUSES),
            since: date,
            evidence: z.url(),
            note: z.string().optional(),
          })
          .optional(),
      }),
    )
    .min(1),
  rules: z.array(ruleSchema).min(1),
  policy: z
    .strictObject({
      minPublishers: z
        .int()
        .min(2, 'must be at least 2: the default is the least a tracker may ask')
        .max(10)
        .default(2)
        .describe('independent press publishers (registrable domains) that confirm a change'),
      windowDays: z.number().positive().max(90).default(7).describe('press reports count together when this close in item time'),
      holdDownHours: z
        .number()
        .min(24, 'must be at least 24: the default is the least a tracker may ask')
        .default(24)
        .describe('a reversal sooner than this after a confirmed change needs an official source'),
      postReported: z.boolean().default(false).describe('post a hedged alert for a claim that is reported but not confirmed'),
    })
    .default({ minPublishers: 2, windowDays: 7, holdDownHours: 24, postReported: false })
    .describe('corroboration policy: DESIGN.md\'s defaults, which a tracker may only make stricter'),
});

export const SOURCE_KINDS = ['rss', 'techmeme', 'html', 'bluesky-search', 'bluesky-author', 'bluesky-stream'] as const;
export const STREAM_MODES = ['authors', 'firehose'] as const;

export const sourceSchema = z.strictObject({
  id,
  kind: z.enum(SOURCE_KINDS),
  url: z.url({ protocol: /^(?:https?|wss?)$/ }).optional().describe('the feed or page (http, https); for bluesky-stream a Jetstream /subscribe endpoint (ws, wss)'),
  urls: z.array(z.url({ protocol: /^wss?$/ })).min(1).optional().describe('for bluesky-stream: several Jetstream /subscribe endpoints, tried in turn (instead of url)'),
  mode: z.enum(STREAM_MODES).optional().describe('for bluesky-stream: "authors" follows the accounts of the bluesky-author sources; "firehose" reads every post through a prefilter'),
  maxLag: z.number().positive().optional().describe('for bluesky-stream: seconds the stream may lag before /healthz fails; default 300'),
  watchdog: z.number().positive().optional().describe('for bluesky-stream: seconds without a byte from the server (a ping is sent halfway) before the daemon reconnects; default 60'),
  retention: z.number().positive().optional().describe('for bluesky-stream: seconds of events the endpoints keep to replay from a cursor; an older cursor falls back to the polled Bluesky sources; default 86400'),
  query: nonEmpty.optional(),
  actor: nonEmpty.optional(),
  trust: z.enum(TRUST_TIERS).optional().describe('how far the source is believed; needed for every kind but bluesky-stream, whose default is social and which is never official'),
  publisher: nonEmpty.optional().describe('the publisher corroboration counts, such as reuters.com; default: the domain of url'),
  speaksFor: z
    .union([z.literal('all'), z.array(id).min(1)])
    .optional()
    .describe('for an official source: the parties it speaks for, or "all" for the agency that runs the agreement'),
  about: z.union([id, z.array(id).min(1)]).optional().describe("the tracker (or trackers) this source's items are about, as an agency newsroom or a topic feed is: an item that names no agreement is about its agreement"),
  schedule: nonEmpty.optional().describe('cron expression; default every 15 minutes'),
  articleText: z
    .boolean()
    .default(false)
    .describe("fetch the linked article of new items that name a party, and read its og: tags and first paragraphs"),
  allowPrivateNetwork: z
    .boolean()
    .default(false)
    .describe('let this source (its feed, redirects and articles) reach loopback, private and link-local addresses, such as a feed bridge on the same compose network'),
  selectors: z
    .strictObject({
      item: nonEmpty.describe('CSS selector of each news entry on the page'),
      title: nonEmpty.describe('inside an entry: its headline'),
      link: nonEmpty.optional().describe('inside an entry: the link (default: the first a[href])'),
      date: nonEmpty.optional().describe('inside an entry: its date (a datetime attribute or text)'),
      summary: nonEmpty.optional().describe('inside an entry: its summary'),
    })
    .optional()
    .describe('for kind html: where the entries are on the page'),
});

export const sourcesSchema = z.strictObject({
  $schema: z.string().optional(),
  sources: z.array(sourceSchema).default([]),
});

export const settingsSchema = z.strictObject({
  $schema: z.string().optional(),
  publish: z
    .strictObject({
      mode: z.enum(PUBLISH_MODES).default('auto').describe('auto posts, review waits for approval, dry-run prints'),
      retract: z.enum(RETRACTIONS).default('delete').describe('how `alerts retract` takes back a sent post: delete it, or reply with a correction'),
      botLabel: z.boolean().default(true).describe("declare the account a bot (the 'bot' self-label on its profile)"),
      maxPostsPerRun: z.int().min(1).default(10).describe('posts one pass may make; the rest wait for the next'),
      spacingSeconds: z.number().min(0).default(2).describe('pause between two posts'),
      thread: z.boolean().default(false).describe("an alert about a party replies to that party's previous alert, so its story reads as a thread"),
    })
    .default({ mode: 'auto', retract: 'delete', botLabel: true, maxPostsPerRun: 10, spacingSeconds: 2, thread: false }),
  fetch: z
    .strictObject({
      contact: z.url().default('https://github.com/pactwatch/pactwatch').describe('a URL in the User-Agent where site owners can reach the operator'),
      maxBytes: z.int().positive().default(15 * 1024 * 1024).describe('body cap, counted after decompression'),
      deadlineSeconds: z.number().positive().default(20),
      connectTimeoutSeconds: z.number().positive().default(10),
      maxRedirects: z.int().min(0).max(20).default(5),
      hostSpacingSeconds: z.number().min(0).default(1).describe('pause between two requests to one host'),
    })
    .default({
      contact: 'https://github.com/pactwatch/pactwatch',
      maxBytes: 15 * 1024 * 1024,
      deadlineSeconds: 20,
      connectTimeoutSeconds: 10,
      maxRedirects: 5,
      hostSpacingSeconds: 1,
    }),
  retention: z
    .strictObject({
      irrelevantItemDays: z.number().positive().default(30).describe('items with no assertion lose their text after this many days'),
    })
    .default({ irrelevantItemDays: 30 }),
  page: z
    .strictObject({
      bluesky: z
        .string()
        .regex(/^(?:did:[a-z]+:[A-Za-z0-9._:%-]+|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)$/, 'must be a Bluesky handle like "pactwatch.bsky.social" (no @) or a DID')
        .optional()
        .describe('the Bluesky account that posts the alerts; the status page links to it (no link when unset)'),
      url: z.url().optional().describe("the status page's public address, for Open Graph links (default: the address it was asked on)"),
      partyNoun: nonEmpty.default('parties').describe('what the tally calls the parties, plural: "5 of 10 tracked developers have signed"'),
    })
    .default({ partyNoun: 'parties' })
    .describe('the public status page'),
});

export type SourceFile = z.infer<typeof sourceSchema>;
export type SettingsFile = z.infer<typeof settingsSchema>;
export type PolicyFile = z.infer<typeof trackerSchema>['policy'];

export type TrackerFile = z.infer<typeof trackerSchema>;
export type RuleFile = z.infer<typeof ruleSchema>;
export type AliasFile = z.infer<typeof alias>;
