// The normalized item every source emits, and how far its source is believed (DESIGN.md "Source").

/** How far a source is believed (DESIGN.md "Corroboration"). */
export const TRUST_TIERS = ['official', 'press', 'social'] as const;
export type Trust = (typeof TRUST_TIERS)[number];

/** The parties an official source speaks for: some by id, or all of them (the agency that runs the agreement). */
export type SpeaksFor = 'all' | string[];

/** A normalized item from any source. */
export interface Item {
  /** The source's own id for it (GUID, post URI, replay line id). */
  id: string;
  sourceId: string;
  url?: string | undefined;
  /** An aggregator's permalink when `url` is the original article. */
  via?: string | undefined;
  title?: string | undefined;
  text: string;
  author?: string | undefined;
  publishedAt?: Date | undefined;
  fetchedAt: Date;
  trust: Trust;
  publisher: string;
  speaksFor: SpeaksFor | null;
  /** The trackers its source (or the configured account that posted it) is about: see ExtractInput.about. */
  about?: string[] | undefined;
  /**
   * What the fetched feed or page was decoded as (utf-8, windows-1252, …); absent for items
   * that came from no fetched body (replay, Bluesky). An article's page fetched for its text
   * is decoded on its own and not recorded here.
   */
  encoding?: string | undefined;
  /** Made up (a demo or test story, from a replay line): it never causes a post to Bluesky. */
  fictional?: boolean | undefined;
  /**
   * The languages a Bluesky post says it is in (its record's `langs`, read by text/langs.ts:
   * lower-case BCP-47 tags, at most three, never empty); absent for every other item.
   */
  langs?: string[] | undefined;
}

/** The trackers `sources` are about together (the source that read an item, the account that posted it), or undefined for none. */
export function aboutOf(...sources: ({ about?: string[] | undefined } | undefined)[]): string[] | undefined {
  const ids = new Set(sources.flatMap((s) => s?.about ?? []));
  return ids.size > 0 ? [...ids] : undefined;
}
