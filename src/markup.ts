// Escaping text for HTML, XML and SVG alike (the status page, the Atom feed, the status board).

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeMarkup(text: string | null | undefined): string {
  return (text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
