// The most text one item may bring, title and text together: a longer item is refused (recorded
// as failed, never retried), so that no text can stall the daemon (see extract/bound.ts).

/** Title and text together. The longest news articles run to about 120,000 characters of text. */
export const MAX_ITEM_CHARS = 200_000;

/** Why an item is over the bound, or undefined. */
export function oversize(item: { text: string; title?: string | undefined }): string | undefined {
  const size = item.text.length + (item.title?.length ?? 0);
  return size > MAX_ITEM_CHARS
    ? `text is ${size.toLocaleString('en-US')} characters; the limit is ${MAX_ITEM_CHARS.toLocaleString('en-US')}`
    : undefined;
}
