// The status page: server-rendered HTML with no external assets, real table markup, readable on
// a phone. Per tracker: parties with a status badge, since when, the evidence; a timeline; then
// the sources' state.
import type { StatusJson } from '../model/status-json.js';
import type { TransitionRow } from '../model/ledger.js';
import { escapeMarkup, webHref } from '../text/markup.js';

const esc = escapeMarkup;
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');
const link = (url: string | null, text: string) => {
  const href = webHref(url);
  return href ? `<a href="${esc(href)}">${esc(text)}</a>` : esc(text);
};

const CSS = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1f2328;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}caption{text-align:left;font-weight:600;padding:.5rem 0}
.badge{display:inline-block;padding:.1rem .6rem;border-radius:1rem;color:#fff;font-weight:600;font-size:.9rem}
.signed{background:#1a7f37}.negotiating{background:#9a6700}.holdout{background:#cf222e}.declined{background:#82071e}.withdrawn{background:#8250df}.unknown{background:#57606a}
.quote{color:#57606a;font-size:.9rem}a{color:#0550ae}
@media (max-width:40rem){td.quote{display:block}}`;

export function statusPage(status: StatusJson, timeline: TransitionRow[], now: Date): string {
  const trackers = status.trackers
    .map((t) => {
      const rows = t.parties
        .map((p) => {
          const e = p.evidence[0];
          const reported = p.reported ? ` <span class="quote">(reported: ${esc(p.reported.status)})</span>` : '';
          return `<tr><th scope="row">${esc(p.name)}</th><td><span class="badge ${esc(p.status)}">${esc(p.status)}</span>${reported}</td><td>${day(p.since)}</td><td class="quote">${e ? `“${esc(e.quote)}” — ${link(e.url, e.publisher)}` : '—'}</td></tr>`;
        })
        .join('');
      const events = timeline
        .filter((x) => x.tracker === t.id && x.kind !== 'seed')
        .slice(-50)
        .reverse()
        .map((x) => `<li><time datetime="${esc(x.at)}">${day(x.at)}</time>: ${esc(x.party)} ${esc(x.from)} → <strong>${esc(x.to)}</strong> <span class="quote">(${esc(x.reason)})</span></li>`)
        .join('');
      return `<section aria-labelledby="t-${esc(t.id)}"><h2 id="t-${esc(t.id)}">${esc(t.name)}</h2>
<table><caption>Who has signed</caption><thead><tr><th scope="col">Party</th><th scope="col">Status</th><th scope="col">Since</th><th scope="col">Evidence</th></tr></thead><tbody>${rows}</tbody></table>
<h3>Timeline</h3>${events ? `<ol reversed>${events}</ol>` : '<p>No changes yet.</p>'}</section>`;
    })
    .join('');
  const sources = status.sources.length
    ? `<table><caption>Sources</caption><thead><tr><th scope="col">Source</th><th scope="col">Kind</th><th scope="col">Last success</th><th scope="col">Last error</th><th scope="col">Next poll</th></tr></thead><tbody>${status.sources
        .map((s) => `<tr><th scope="row">${esc(s.id)}</th><td>${esc(s.kind)}</td><td>${esc(s.lastSuccess ?? 'never')}</td><td>${esc(s.lastError ?? '—')}</td><td>${esc(s.nextPoll ?? '—')}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p>No sources configured.</p>';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>pactwatch: who has signed</title><link rel="alternate" type="application/atom+xml" href="/feed.atom" title="Status changes"><style>${CSS}</style></head>
<body><header><h1>pactwatch</h1><p>Who has signed, with the evidence. Updated ${esc(now.toISOString())}. <a href="/feed.atom">Atom feed</a> · <a href="/api/status.json">JSON</a></p></header>
<main>${trackers}<h2>Sources</h2>${sources}</main></body></html>`;
}
