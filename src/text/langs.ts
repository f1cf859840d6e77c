// A post's language tags (Bluesky's `langs`), read into the one form every source and the store
// use, and the one question the extractor asks of them: can the rules read this post at all?

/** A Bluesky post names at most three languages (the lexicon's maxLength). */
const MAX_TAGS = 3;
/**
 * The shape of a BCP-47 tag, lower-cased: a primary language subtag of 2 to 8 letters, then
 * subtags of 1 to 8 letters or digits. Private-use and grandfathered tags ("x-…", "i-…") have a
 * one-letter primary subtag and name no language a rule file could read, so they are dropped too.
 */
const TAG = /^[a-z]{2,8}(?:-[a-z0-9]{1,8})*$/;
/** RFC 5646's practical length for a tag; longer ones are not tags anyone writes. */
const MAX_TAG_CHARS = 35;

/**
 * The post's tags: trimmed, lower-cased, each once, malformed ones dropped (a post's tags are the
 * writer's, unchecked: a bad one is noise, never an error), the first three kept. None (undefined)
 * when the record has none, or none well-formed: no tags and an empty list mean the same.
 */
export function postLangs(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const tags: string[] = [];
  for (const v of value) {
    if (typeof v !== 'string') continue;
    const tag = v.trim().toLowerCase();
    if (tag.length > MAX_TAG_CHARS || !TAG.test(tag) || tags.includes(tag)) continue;
    tags.push(tag);
    if (tags.length === MAX_TAGS) break;
  }
  return tags.length ? tags : undefined;
}

/** The tags as an Item's field: `{langs}`, or nothing when there are none (an item without the field is read as before). */
export function langsField(value: unknown): { langs?: string[] } {
  const langs = postLangs(value);
  return langs ? { langs } : {};
}

/** The language a tag names, without region or script: "pt" of "pt-br". */
export function primaryTag(tag: string): string {
  const dash = tag.indexOf('-');
  return dash < 0 ? tag : tag.slice(0, dash);
}

/**
 * Why the rules cannot read a post tagged `langs`, or undefined when they can: none of its
 * primary subtags is one the language file reads (`read`). A post with no tags is read, as every
 * feed and web item is.
 */
export function unreadLanguages(read: ReadonlySet<string>, langs: readonly string[] | undefined): string | undefined {
  if (!langs || langs.length === 0 || langs.some((l) => read.has(primaryTag(l)))) return undefined;
  return `the post is tagged ${langs.join(', ')}; the rules read ${[...read].join(', ')}`;
}
