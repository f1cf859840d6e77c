// The words of an item's address: a story's URL usually carries its headline as a slug
// ("/meta-lone-holdout-white-house-ai-review"), which a reader sees as they open the page.
// Used only as the weakest context: for an item whose own text names no agreement.

/** The slug words of `url`'s path (hyphens and underscores as spaces, file endings and ids dropped), or ''. */
export function addressWords(url: string | undefined): string {
  if (!url) return '';
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return '';
  }
  const words: string[] = [];
  for (const segment of path.split('/')) {
    let s: string;
    try {
      s = decodeURIComponent(segment);
    } catch {
      s = segment;
    }
    s = s.replace(/\.(?:html?|php|aspx?|json)$/i, '');
    // A slug has words; ids, dates and hashes do not.
    const parts = initials(s.split(/[-_+.\s]+/).filter((w) => /^\p{L}[\p{L}'’]*$/u.test(w)));
    // (Two words are a slug too: "/caisi-signatories"; a lone word is a section's name.)
    if (parts.length >= 2) words.push(parts.join(' '));
  }
  return words.join(' ').slice(0, 300);
}

/** Single letters in a row are one abbreviation: a slug writes "U.S." as "u-s" and "U.K." as "u-k". */
function initials(parts: string[]): string[] {
  const out: string[] = [];
  let run = false;
  for (const w of parts) {
    const single = w.length === 1;
    if (single && run) out[out.length - 1] += w;
    else out.push(w);
    run = single;
  }
  return out;
}
