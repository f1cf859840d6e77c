// Scare quotes: marks around a word or a few ("voluntary" review, an 'early look' at its models)
// that give the writer's tone, not someone's words. Rules read through them, as a reader does.
// A quotation with a first person in it keeps its marks: quotes.ts reads whose words they are.

// A mark that could open a quotation: after a space, a bracket or a dash, before a letter. (An
// apostrophe, as in "Meta's", opens none, so most texts skip the rewrite.)
const OPENING_MARK = /(?:^|[\s([—])["'][\p{L}\p{N}]/u;
// The marks open after a space, a bracket or a dash and close before a space or punctuation;
// up to four words between, none of them a quotation of its own.
const SCARE = /(^|[\s([—])(["'])([\p{L}\p{N}][\p{L}\p{N}'.&-]*(?: [\p{L}\p{N}][\p{L}\p{N}'.&-]*){0,3})\2(?=[\s.,;:!?)\]]|$)/gu;
const FIRST_PERSON = /(?<![\p{L}\p{N}])(?:we|we're|we've|we'll|our|ours|us|i|i'm|i've|i'll|my|me)(?![\p{L}\p{N}])/iu;

/** `text` with its scare quotes dropped; a text with no mark that could open one is returned as it is. */
export function withoutScareQuotes(text: string): string {
  if (!OPENING_MARK.test(text)) return text;
  return text.replace(SCARE, (whole, before: string, _mark: string, words: string) => (FIRST_PERSON.test(words) ? whole : before + words));
}
