// The local world's script: what appears where, and when, in simulated minutes after the world
// starts. The CAISI story runs among noise; `EXPECTED` is what the daemon must make of it.
//
// Sources (see world.ts for the config): three press feeds with their own publishers (wire,
// herald as Atom, ledger), a Techmeme-shaped feed, NIST as the agency (official for all), Meta's
// newsroom page (official for Meta), a Bluesky search for "CAISI" and the official Bluesky
// accounts of Meta and Nvidia.

import { prng } from './prng.js';

export type FeedId = 'wire' | 'herald' | 'ledger' | 'techmeme' | 'nist' | 'meta-newsroom' | 'bsky';

export interface Entry {
  /** Simulated minutes after the world starts. */
  at: number;
  feed: FeedId;
  id: string;
  title: string;
  text: string;
  /** The article's own address (for Techmeme: the original publisher's). */
  link: string;
  /** Bluesky posts: the author's handle. */
  handle?: string;
  /** What the entry is, for reading a report: the story's steps are named, noise is 'noise'. */
  role: string;
}

/** The transitions the story implies, beyond the config's initial statuses: each exactly once. */
export const EXPECTED: readonly { party: string; from: string; to: string; evidence: string }[] = [
  // Confirmed by Meta's newsroom, not by the look-alike account an hour and a half earlier.
  { party: 'meta', from: 'holdout', to: 'signed', evidence: 'https://about.meta.example/news/2026/caisi-pre-release-testing/' },
  { party: 'amazon', from: 'unknown', to: 'signed', evidence: 'https://herald.example/2026/amazon-caisi' },
  { party: 'nvidia', from: 'unknown', to: 'holdout', evidence: 'https://bsky.app/profile/nvidia.example/post/nvidia-denial' },
];

/** Parties the story mentions whose status must not change (the rumour, the look-alike, noise). */
export const UNCHANGED = ['openai', 'anthropic', 'google-deepmind', 'microsoft', 'xai', 'thinking-machines', 'ssi'] as const;

/** The simulated minute after which nothing in the story happens (noise goes on). */
export const STORY_END = 300;
/** Before this minute only noise appears, so every source's first (silent) poll sees no news. */
export const QUIET_UNTIL = 30;

export const STORY: readonly Entry[] = [
  // A rumour from one social account, in capitals: social alone never changes a status.
  { at: 40, feed: 'bsky', handle: 'techleaks.bsky.social', id: 'rumour', role: 'rumour', title: '', link: '', text: 'BREAKING: META SIGNS CAISI PRE-RELEASE TESTING DEAL!!! 🚨🚨 HEARING IT FROM MULTIPLE PEOPLE' },
  // A fake from a handle that looks like Meta's official account (meta.example): social.
  { at: 60, feed: 'bsky', handle: 'meta-example.bsky.social', id: 'lookalike', role: 'look-alike account', title: '', link: '', text: 'Meta has signed the CAISI pre-release testing agreement with the Commerce Department. Proud to join.' },
  // A hypothetical from the press: never a claim.
  { at: 80, feed: 'herald', id: 'what-if', role: 'hypothetical', link: 'https://herald.example/analysis/what-if-meta-signs', title: 'What a Meta signature would mean for AI testing', text: 'If Meta does eventually sign the CAISI agreement, it would join every other major U.S. lab in pre-release testing.' },
  // One report, then the same wire text elsewhere, then Techmeme pointing at the same report:
  // one publisher's claim, however often it is repeated, stays "reported".
  { at: 100, feed: 'ledger', id: 'meta-report', role: 'single report', link: 'https://dailyledger.example/2026/meta-signs-caisi', title: 'Meta signs CAISI pre-release testing agreement, people familiar say', text: "Meta Platforms has signed the government's pre-release testing agreement, according to two people familiar with the matter." },
  { at: 110, feed: 'wire', id: 'meta-report-copy', role: 'copy of the single report', link: 'https://wirenews.example/tech/meta-signs-caisi-report', title: 'Report: Meta signs CAISI agreement', text: "Meta Platforms has signed the government's pre-release testing agreement, according to two people familiar with the matter." },
  { at: 115, feed: 'techmeme', id: 'meta-report-techmeme', role: 'Techmeme pointing at the single report', link: 'https://dailyledger.example/2026/meta-signs-caisi', title: 'Sources: Meta signs CAISI pre-release testing agreement (Daily Ledger)', text: "Meta Platforms has signed the government's pre-release testing agreement, according to two people familiar with the matter." },
  // Meta's own newsroom confirms: the one alert about Meta.
  { at: 150, feed: 'meta-newsroom', id: 'meta-official', role: 'official confirmation', link: 'https://about.meta.example/news/2026/caisi-pre-release-testing/', title: 'Our approach to pre-release testing', text: 'Today we signed the CAISI pre-release testing agreement with the Commerce Department.' },
  // Amazon: two independent publishers with their own words confirm.
  { at: 200, feed: 'herald', id: 'amazon-1', role: 'first report', link: 'https://herald.example/2026/amazon-caisi', title: 'Amazon signs CAISI pre-release testing agreement', text: 'Amazon has signed the CAISI agreement, letting government scientists test its frontier models before release.' },
  { at: 220, feed: 'wire', id: 'amazon-2', role: 'second, independent report', link: 'https://wirenews.example/tech/aws-government-testing', title: 'Amazon joins government AI testing program', text: 'Amazon Web Services agreed to pre-release testing of its AI models by the Center for AI Standards and Innovation, a company spokesperson said.' },
  // Nvidia: a report, then a denial from Nvidia's own account.
  { at: 250, feed: 'ledger', id: 'nvidia-report', role: 'single report', link: 'https://dailyledger.example/2026/nvidia-caisi', title: 'Nvidia has signed the CAISI testing agreement, a person familiar says', text: 'Nvidia signed the pre-release testing agreement last week, according to one person familiar with the talks.' },
  { at: 280, feed: 'bsky', handle: 'nvidia.example', id: 'nvidia-denial', role: 'denial from the party', title: '', link: '', text: 'Nvidia has not signed the CAISI pre-release testing agreement. Reports saying otherwise are wrong.' },
];

// Noise: unrelated tech headlines, some naming the tracked labs. Deterministic from a seed.
const SUBJECTS = ['Acme Robotics', 'A chip startup', 'Nvidia', 'OpenAI', 'Microsoft', 'A phone maker', 'Meta', 'Google', 'A European telecom', 'Amazon', 'A fintech unicorn', 'Anthropic', 'xAI', 'A drone maker', 'A quantum computing firm'];
const PREDICATES = [
  'raises $40M Series B for warehouse robots',
  'cuts prices on its foldables across Europe',
  'reports record quarterly revenue as data center demand grows',
  'launches a new voice model for customer support',
  'opens an office in Lisbon',
  'recalls 20,000 e-bikes over battery fires',
  'hires a former Apple executive to lead design',
  'shares rise 4% after earnings beat',
  'announces layoffs in its hardware division',
  'ships a smaller model that runs on laptops',
  'is sued over a data breach affecting 2 million users',
  'updates its app store rules in the EU',
  'tests delivery drones in three more cities',
  'previews a chip for AI inference',
  'open-sources its code search tool',
];
const PRESS: FeedId[] = ['wire', 'herald', 'ledger', 'techmeme'];
const HOSTS: Record<string, string> = { wire: 'wirenews.example', herald: 'herald.example', ledger: 'dailyledger.example', techmeme: 'someblog.example' };

/** `perHour` noise headlines an hour from minute 0 to `untilMinute`, spread over the press feeds. */
export function noise(untilMinute: number, perHour: number, seed = 1): Entry[] {
  const random = prng(seed);
  const out: Entry[] = [];
  const step = 60 / perHour;
  for (let n = 0, at = 0; at < untilMinute; n++, at = n * step) {
    const feed = PRESS[n % PRESS.length]!;
    const subject = SUBJECTS[Math.floor(random() * SUBJECTS.length)]!;
    const predicate = PREDICATES[Math.floor(random() * PREDICATES.length)]!;
    const id = `noise-${n}`;
    out.push({ at, feed, id, role: 'noise', title: `${subject} ${predicate}`, text: `${subject} ${predicate}, the company said in statement no. ${n + 1}.`, link: `https://${HOSTS[feed]}/news/${id}` });
  }
  // A little social chatter that the "CAISI" search finds: still noise.
  for (let at = 17; at < untilMinute; at += 97) out.push({ at, feed: 'bsky', handle: 'policywonk.bsky.social', id: `chatter-${at}`, role: 'noise', title: '', link: '', text: `Reading the CAISI evaluation methodology notes again tonight (${at}).` });
  // Meta's newsroom posts other news too.
  for (let at = 5; at < untilMinute; at += 181) out.push({ at, feed: 'meta-newsroom', id: `meta-noise-${at}`, role: 'noise', title: 'Introducing new Llama tools for developers', text: 'We are releasing new tools that make Llama easier to fine-tune.', link: `https://about.meta.example/news/llama-tools-${at}/` });
  return out;
}

/** The story and `perHour` noise until `untilMinute`, in time order. */
export function timeline(options: { untilMinute: number; noisePerHour: number; story?: boolean; seed?: number }): Entry[] {
  const all = [...(options.story === false ? [] : STORY), ...noise(options.untilMinute, options.noisePerHour, options.seed)];
  return all.sort((a, b) => a.at - b.at);
}
