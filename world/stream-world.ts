// The local world's Bluesky stream: a Jetstream generator (jetstream.ts), official accounts that
// are bluesky-author sources named by DID (so authors mode follows them), the stream sources in
// sources.yaml, and the stream's part of the story: social claims and one official signing on the
// simulated clock, and, in real time, the official account's chatter and the firehose's noise.
// It remembers every post it made, so the books can say which must be stored, and once.
import type { Source } from '../src/config/types.js';
import { didOf } from './appview.js';
import { startJetstreamGenerator, type Generation, type JetstreamGenerator, type StreamPost } from './jetstream.js';
import type { Clock } from './world.js';

export type StreamMode = 'authors' | 'firehose';

export interface StreamOptions {
  modes: StreamMode[];
  /** Parties with an official account each (`<party>.lab.example`), followed in authors mode. */
  accounts: string[];
  /** The stream's story (the torture run's): claims and a signing as the simulated clock passes them. */
  story?: boolean;
}

/** A post the stream made, and whether the daemon must store it (an account's post, a claim). */
export interface MadePost {
  url: string;
  mustStore: boolean;
  role: string;
}

export interface StreamWorld {
  jetstream: JetstreamGenerator;
  /** The stream sources' ids, by mode. */
  sourceIds: Record<StreamMode, string | undefined>;
  /** The official accounts: party, handle, DID. */
  accounts: { party: string; handle: string; did: string }[];
  /** sources.yaml lines for the stream and the accounts. */
  yaml(every: string): string;
  /** Starts the story's clock watch and the real-time chatter and noise. */
  start(clock: Clock): void;
  /** Stops the chatter, the noise and the clock watch (the story's remaining steps are posted). */
  stop(clock: Clock): void;
  made: MadePost[];
  /** A post made now, remembered. */
  post(p: StreamPost, mustStore: boolean, role: string): number;
  close(): Promise<void>;
}

export const permalink = (did: string, rkey: string) => `https://bsky.app/profile/${did}/post/${rkey}`;
export const accountHandle = (party: string) => `${party}.lab.example`;

/** The transitions the stream's story implies (beyond the feeds' story), each exactly once. */
export const STREAM_SIGNER = 'ssi';
export const STREAM_SIGNING_RKEY = 'ssi-signs';
export const streamExpected = () => [{ party: STREAM_SIGNER, from: 'unknown', to: 'signed', evidence: permalink(didOf(accountHandle(STREAM_SIGNER)), STREAM_SIGNING_RKEY) }];

const SOCIAL = (n: string) => didOf(`${n}.bsky.social`);
/** The stream's story, in simulated minutes: only the official account's post changes a status. */
export const STREAM_STORY: readonly { at: number; post: StreamPost; role: string }[] = [
  { at: 45, role: 'social claim', post: { did: SOCIAL('rumourmill'), rkey: 'tml-rumour', text: 'Thinking Machines Lab has signed the CAISI pre-release testing agreement, I am told.' } },
  { at: 130, role: 'social claim', post: { did: SOCIAL('hottakes'), rkey: 'openai-rumour', text: 'OpenAI withdrew from the CAISI testing agreement?? A friend says so.' } },
  { at: 170, role: 'official signing', post: { did: didOf(accountHandle(STREAM_SIGNER)), rkey: STREAM_SIGNING_RKEY, text: 'We have signed the CAISI pre-release testing agreement with the Commerce Department.' } },
  { at: 240, role: 'social claim', post: { did: SOCIAL('gossip'), rkey: 'xai-rumour', text: 'xAI has quit the CAISI pre-release testing agreement, a friend says.' } },
];
const CHATTER_PER_S = 1;
const NOISE_PER_S = 20;
/** The firehose's noise: posts that name no party and no agreement, so the prefilter drops them. */
export const noisePost = (i: number): StreamPost => ({ did: SOCIAL(`walker${i % 50}`), rkey: `noise-${i}`, text: `Morning walk photo #${i}, the light was lovely today.` });
/** An official account's chatter: stored (its author is followed), about nothing the trackers watch. */
export const chatterPost = (did: string, i: number): StreamPost => ({ did, rkey: `chatter-${i}`, text: `Team update #${i}: our Palo Alto office is hiring researchers.` });

export async function startStreamWorld(options: StreamOptions): Promise<StreamWorld> {
  const jetstream = await startJetstreamGenerator();
  const accounts = options.accounts.map((party) => ({ party, handle: accountHandle(party), did: didOf(accountHandle(party)) }));
  const made: MadePost[] = [];
  const post = (p: StreamPost, mustStore: boolean, role: string) => {
    made.push({ url: permalink(p.did, p.rkey), mustStore, role });
    return jetstream.post(p);
  };
  const sourceIds = { authors: options.modes.includes('authors') ? 'stream-authors' : undefined, firehose: options.modes.includes('firehose') ? 'stream-firehose' : undefined };
  let watch: NodeJS.Timeout | undefined;
  let live: Generation[] = [];
  let told = 0;
  const tell = (clock: Clock) => {
    while (told < STREAM_STORY.length && STREAM_STORY[told]!.at <= clock.minute()) {
      const step = STREAM_STORY[told++]!;
      post(step.post, true, step.role);
    }
  };
  return {
    jetstream,
    sourceIds,
    accounts,
    made,
    post,
    yaml(every) {
      // `schedule` is for a daemon that catches a stream up on a schedule; one that holds the
      // connection ignores it (with a warning). The Jetstream is on 127.0.0.1, as every site of
      // this world is: with the decoys, only the world's own sources may reach it.
      const streams = (['authors', 'firehose'] as const)
        .filter((m) => sourceIds[m])
        .map((m) => `  - { id: ${sourceIds[m]}, kind: bluesky-stream, url: '${jetstream.url}', mode: ${m}, schedule: ${every}, allowPrivateNetwork: true }\n`);
      const official = accounts.map((a) => `  - { id: bsky-${a.party}-lab, kind: bluesky-author, actor: '${a.did}', trust: official, speaksFor: [${a.party}], publisher: ${a.handle}, schedule: ${every} }\n`);
      return [...streams, ...official].join('');
    },
    start(clock) {
      if (options.story) watch = setInterval(() => tell(clock), 50);
      const signer = accounts[0];
      if (signer && sourceIds.authors) {
        const chatter = jetstream.generate(CHATTER_PER_S, (i) => chatterPost(signer.did, i));
        live.push(remembered(chatter, made, (i) => permalink(signer.did, chatterPost(signer.did, i).rkey), true, 'official chatter'));
      }
      if (sourceIds.firehose) {
        const noise = jetstream.generate(NOISE_PER_S, noisePost);
        live.push(remembered(noise, made, (i) => permalink(noisePost(i).did, noisePost(i).rkey), false, 'noise'));
      }
    },
    stop(clock) {
      for (const g of live) g.stop();
      live = [];
      clearInterval(watch);
      if (options.story) tell(clock);
    },
    close() {
      for (const g of live) g.stop();
      clearInterval(watch);
      return jetstream.close();
    },
  };
}

/** A generation whose posts are added to `made` when it stops. */
function remembered(g: Generation, made: MadePost[], url: (i: number) => string, mustStore: boolean, role: string): Generation {
  return {
    made: g.made,
    stop() {
      const n = g.stop();
      for (let i = 0; i < n; i++) made.push({ url: url(i), mustStore, role });
      return n;
    },
  };
}

/** The world's sources that are streams (their state is a cursor, not a poll). */
export const isStream = (s: Pick<Source, 'kind'>) => s.kind === 'bluesky-stream';
