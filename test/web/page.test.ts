import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { processItem } from '../../src/pipeline/process.js';
import { setStatus } from '../../src/pipeline/manual.js';
import { atomFeed } from '../../src/web/atom.js';
import { sitePage } from '../../src/web/site.js';
import { relativeText } from '../../src/web/time-words.js';
import { errorInWords } from '../../src/web/words.js';
import type { StreamStatus } from '../../src/model/stream.js';
import { freshApp, item } from '../helpers/ledger.js';
import { streamSource, streamStatus } from '../helpers/stream-status.js';

type App = ReturnType<typeof freshApp>;

async function render(app: App, path: string, now: Date, config: Config = app.config, streams?: () => StreamStatus[]): Promise<string> {
  const page = sitePage(path, config, app.store, 'http://127.0.0.1:8080', () => now, streams);
  if (!page) throw new Error(`no page at ${path}`);
  return String(await page.render());
}

/** The table row of a party on the front page. */
const rowOf = (html: string, name: string) => /<tr><th scope="row">.*?<\/tr>/gs.exec(html.slice(html.indexOf(`>${name}</a></th>`) - 200))?.[0] ?? '';
const sectionOf = (html: string, heading: string) => html.slice(html.indexOf(`<h2>${heading}</h2>`)).split('</section>')[0]!;

describe('evidence links on the status page and in the Atom feed', () => {
  it('link http(s) evidence and never a script URL', async () => {
    const app = freshApp();
    const at = new Date('2026-11-27T00:00:00Z');
    setStatus(app, { tracker: 'caisi', party: 'amazon', status: 'signed', evidence: 'https://www.aboutamazon.com/news/caisi', actor: 'test', at });
    setStatus(app, { tracker: 'caisi', party: 'ssi', status: 'negotiating', evidence: 'javascript:alert(1)', actor: 'test', at });
    processItem(app, item({ text: 'Nvidia has signed the CAISI pre-release testing agreement.', url: 'javascript:alert(2)', trust: 'official', speaksFor: 'all' }));
    processItem(app, item({ text: 'Amazon has signed the CAISI pre-release testing agreement.', url: 'https://www.aboutamazon.com/news/caisi', trust: 'official', speaksFor: 'all' }));
    const pages = [await render(app, '/', at), await render(app, '/p/caisi/ssi', at), await render(app, '/p/caisi/nvidia', at)];
    const feed = atomFeed(app.config, app.store.transitions(), 'http://127.0.0.1:8080', at);
    expect(pages[0]).toContain('href="https://www.aboutamazon.com/news/caisi"');
    expect(pages[2]).toContain('Nvidia has signed');
    expect(feed).toContain('href="https://www.aboutamazon.com/news/caisi"');
    for (const out of [...pages, feed]) expect(out).not.toMatch(/href="javascript:/i);
  });

  it('escapes what a news item says: a quote never becomes markup', async () => {
    const app = freshApp();
    processItem(app, item({ text: 'Amazon has signed the CAISI pre-release testing agreement <script>alert(1)</script>.', trust: 'official', speaksFor: 'all' }));
    const at = new Date('2026-11-27T00:00:00Z');
    for (const path of ['/', '/p/caisi/amazon']) {
      const html = await render(app, path, at);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toMatch(/<script/i);
    }
  });
});

describe('the status page on a fresh install', () => {
  it('shows the seeded 2024 and 2026 signings as history, each citing its official page by publisher name', async () => {
    const app = freshApp();
    const now = new Date('2026-11-27T00:00:00Z');
    const home = await render(app, '/', now);
    expect(home).not.toContain('No changes');
    const recent = home.slice(home.indexOf('<h3>Recent changes</h3>')).split('</ol>')[0]!;
    expect(recent).toMatch(/<time datetime="2024-08-29"[^>]*>29\u00a0Aug\u00a02024<\/time>: <a href="\/p\/caisi\/openai">OpenAI<\/a> <strong>Signed<\/strong>/);
    expect(recent).toMatch(/<time datetime="2026-05"[^>]*>May\u00a02026<\/time>: <a href="\/p\/caisi\/google-deepmind">Google DeepMind<\/a>/);
    const openai = rowOf(home, 'OpenAI');
    expect(openai).toContain('on record from nist.gov when tracking began');
    expect(openai).toContain('>nist.gov</a>');
    expect(openai).toContain('href="https://www.nist.gov/news-events/news/2024/08/us-ai-safety-institute-signs-agreements-regarding-ai-safety-research"');
    expect(home).not.toMatch(/>config</);
    const party = await render(app, '/p/caisi/openai', now);
    const history = sectionOf(party, 'History');
    expect(history).toContain('29\u00a0Aug\u00a02024');
    expect(history).toContain('agreement with the U.S. AI Safety Institute, now CAISI');
    expect(history).toContain('>nist.gov</a>');
  });

  it('shows the tally, the legend, and when the data changed in words with the exact time in a <time> element', async () => {
    const installed = new Date('2026-11-27T10:00:00Z');
    const app = freshApp({ now: () => installed });
    const now = new Date('2026-11-27T10:04:30Z');
    const home = await render(app, '/', now);
    expect(home).toContain('5 of 10 tracked parties have signed.');
    expect(home).toContain('Status updated <time datetime="2026-11-27T10:00:00.000Z" title="27\u00a0Nov\u00a02026,\u00a010:00\u00a0UTC">4\u00a0minutes ago</time>');
    expect(home).toContain('sources not read yet');
    expect(home).toContain('<dt><span class="badge holdout">Not signed</span></dt><dd>has not signed; is not party to it</dd>');
    expect(home).toContain('by an official source (the agency that runs the agreement, or the party&#39;s own announcement), or by reports from at least 2 independent publishers');
    const developers = { ...app.config, settings: { ...app.config.settings, page: { partyNoun: 'developers' } } };
    expect(await render(app, '/', now, developers)).toContain('5 of 10 tracked developers have signed.');
  });

  it('links the Bluesky account only when one is set, and always the Atom feed, with a card for shared links', async () => {
    const app = freshApp();
    const now = new Date('2026-11-27T00:00:00Z');
    const plain = await render(app, '/', now);
    expect(plain).not.toContain('bsky.app');
    expect(plain).toContain('<link rel="alternate" type="application/atom+xml" href="/feed.atom"');
    expect(plain).toContain('<meta property="og:image" content="http://127.0.0.1:8080/board/caisi.png">');
    expect(plain).toContain('<meta property="og:title" content="pactwatch: who has signed">');
    expect(plain).toContain('<a href="/sources">');
    const set = { ...app.config, settings: { ...app.config.settings, page: { partyNoun: 'parties', bluesky: 'pactwatch.bsky.social', url: 'https://status.example/' } } };
    const withAccount = await render(app, '/p/caisi/meta', now, set);
    expect(withAccount).toContain('href="https://bsky.app/profile/pactwatch.bsky.social"');
    expect(withAccount).toContain('<meta property="og:url" content="https://status.example/p/caisi/meta">');
  });
});

describe('the evidence a party page and its row show', () => {
  it('names the source that confirmed the status, the same one its history names, not the newest re-affirmation', async () => {
    const app = freshApp();
    const now = new Date('2026-11-27T00:00:00Z');
    const text = 'Nvidia has signed the CAISI pre-release testing agreement.';
    processItem(app, item({ text, url: 'https://www.reuters.com/a', publisher: 'reuters.com', publishedAt: new Date('2026-11-20T10:00:00Z') }));
    processItem(app, item({ text: 'Nvidia signed the pre-release testing agreement with CAISI on Friday.', url: 'https://www.nytimes.com/b', publisher: 'nytimes.com', publishedAt: new Date('2026-11-20T12:00:00Z') }));
    processItem(app, item({ text: 'Chipmaker Nvidia has joined the CAISI testing agreement, the company said.', url: 'https://www.wsj.com/c', publisher: 'wsj.com', publishedAt: new Date('2026-11-22T12:00:00Z') }));
    const row = rowOf(await render(app, '/', now), 'Nvidia');
    expect(row).toContain('confirmed by 2 independent publishers: reuters.com and nytimes.com');
    expect(row).toContain('href="https://www.reuters.com/a"');
    expect(row).not.toContain('wsj.com');
    const party = await render(app, '/p/caisi/nvidia', now);
    const history = sectionOf(party, 'History');
    expect(history).toContain('20\u00a0Nov\u00a02026');
    expect(history).toContain('confirmed by 2 independent publishers: reuters.com and nytimes.com');
    expect(history.indexOf('reuters.com/a')).toBeLessThan(history.indexOf('nytimes.com/b'));
    expect(sectionOf(party, 'More reports of its status')).toContain('href="https://www.wsj.com/c"');
  });

  it('says a party’s own announcement confirmed it, by its display name', async () => {
    const app = freshApp({ useInitial: false });
    processItem(app, item({ text: 'Today OpenAI signed the CAISI pre-release testing agreement.', url: 'https://openai.com/index/caisi', publisher: 'openai.com', trust: 'official', speaksFor: ['openai'] }));
    const home = await render(app, '/', new Date('2026-11-27T00:00:00Z'));
    expect(rowOf(home, 'OpenAI')).toContain('confirmed by OpenAI&#39;s own announcement (openai.com)');
    expect(home).not.toContain('speaks for');
  });

  it('shows a maintainer’s correction with its URL and note', async () => {
    const app = freshApp();
    const url = 'https://about.fb.com/news/2026/11/meta-joins-caisi-pre-release-testing/';
    setStatus(app, { tracker: 'caisi', party: 'meta', status: 'signed', evidence: url, note: 'confirmed by phone with Meta press office', actor: 'test', at: new Date('2026-11-26T00:00:00Z') });
    const now = new Date('2026-11-27T00:00:00Z');
    expect(rowOf(await render(app, '/', now), 'Meta')).toContain(`corrected by a maintainer, citing fb.com`);
    const party = await render(app, '/p/caisi/meta', now);
    expect(party).toContain(`>${url}</a>`);
    expect(party).toContain('Maintainer’s note: confirmed by phone with Meta press office');
    // Its earlier, seeded status stays in its history.
    expect(sectionOf(party, 'History')).toMatch(/June\u00a02026<\/time>: <strong>Not signed<\/strong>/);
  });

  it('shows what is reported but not confirmed, and why', async () => {
    const app = freshApp();
    processItem(app, item({ text: 'Meta has signed the CAISI pre-release testing agreement, a source said.', url: 'https://www.axios.com/meta', publisher: 'axios.com' }));
    const now = new Date('2026-11-27T00:00:00Z');
    expect(rowOf(await render(app, '/', now), 'Meta')).toContain('Reported, not confirmed: Signed');
    const reported = (await render(app, '/p/caisi/meta', now)).split('<section id="reported">')[1]!.split('</section>')[0]!;
    expect(reported).toContain('1 of the 2 independent publishers needed so far (axios.com)');
    expect(reported).toContain('href="https://www.axios.com/meta"');
  });
});

describe('the sources page', () => {
  it('says each source’s last error in words, beside the message', async () => {
    const app = freshApp();
    const config = { ...app.config, sources: [{ id: 'wire', kind: 'rss' as const, url: 'https://wire.example/feed', trust: 'press' as const, publisher: 'wire.example', where: { file: 't' } }] };
    app.store.saveSourceState({ id: 'wire', kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: '2026-11-26T23:00:00.000Z', lastError: 'HTTP 503; retry after 120 s', lastErrorAt: '2026-11-26T23:50:00.000Z', failures: 1, nextPoll: '2026-11-27T00:02:00.000Z', gone: false, unreliableGuids: null, degraded: null });
    const html = await render(app, '/sources', new Date('2026-11-27T00:00:00Z'), config);
    expect(html).toContain('the site was unavailable (HTTP 503)');
    expect(html).toContain('HTTP 503; retry after 120 s');
    expect(html).toMatch(/<td data-label="Last read"><time [^>]*>1\u00a0hour ago<\/time>/);
    expect(html).toMatch(/<td data-label="Next read"><time [^>]*>in 2\u00a0minutes<\/time>/);
  });

  it('says when a source’s last document could be read only in part, and why', async () => {
    const app = freshApp();
    const config = { ...app.config, sources: [{ id: 'wire', kind: 'rss' as const, url: 'https://wire.example/feed', trust: 'press' as const, publisher: 'wire.example', where: { file: 't' } }] };
    const degraded = 'the document is cut off inside an item: read its 3 complete item(s)';
    app.store.saveSourceState({ id: 'wire', kind: 'rss', url: null, etag: null, lastModified: null, cursor: null, lastSuccess: '2026-11-26T23:00:00.000Z', lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded });
    expect(await render(app, '/sources', new Date('2026-11-27T00:00:00Z'), config)).toContain(`Read in part: ${degraded}`);
  });

  it('words the common errors', () => {
    expect(errorInWords('host not found')).toBe('the site’s name was not found (DNS)');
    expect(errorInWords('HTTP 404')).toBe('the site has no page at that address (HTTP 404)');
    expect(relativeText(new Date('2026-11-27T00:00:00Z'), new Date('2026-11-27T00:00:30Z'))).toBe('just now');
  });
});

describe('the sources page with live streams', () => {
  const now = new Date('2026-11-27T14:00:00Z');
  const rowOfSource = (html: string, id: string) => /<tr><th scope="row">.*?<\/tr>/s.exec(html.slice(html.indexOf(`<th scope="row">${id}<`) - 20))?.[0] ?? '';
  const cell = (row: string, label: string) => new RegExp(`<td data-label="${label}">(.*?)</td>`, 's').exec(row)?.[1] ?? '';

  async function streamRow(status: Partial<StreamStatus>, mode: 'authors' | 'firehose' = 'firehose') {
    const app = freshApp();
    const config = { ...app.config, sources: [streamSource('firehose', mode)] };
    try {
      return rowOfSource(await render(app, '/sources', now, config, () => [streamStatus({ sourceId: 'firehose', ...status })]), 'firehose');
    } finally {
      app.store.db.close();
    }
  }

  it('shows a live firehose stream: its phase, endpoint, events and reconnects since the start, the prefilter’s hit-rate; next read "live"', async () => {
    const row = await streamRow({ endpoint: 'wss://jetstream.example/subscribe', events: 1234, reconnects: 3, prefiltered: 1000, prefilterHits: 12, lastEventAt: '2026-11-27T13:59:58.000Z' });
    expect(row).toContain('wss://jetstream.example/subscribe');
    expect(cell(row, 'Last read')).toMatch(/^<p>live<\/p>/);
    expect(cell(row, 'Last read')).toContain('just now');
    expect(cell(row, 'Last read')).toContain('1,234 events since start');
    expect(cell(row, 'Last read')).toContain('3 reconnects');
    expect(cell(row, 'Last read')).toContain('prefilter hit-rate 1.2% (12 of 1,000 posts)');
    expect(cell(row, 'Next read')).toBe('live');
  });

  it('says how far a catching-up stream is behind, and reads "continuous" rather than a time', async () => {
    const row = await streamRow({ phase: 'catching-up', lagSeconds: 125 });
    expect(cell(row, 'Last read')).toMatch(/^<p>catching up, 2 min behind<\/p>/);
    expect(cell(row, 'Next read')).toBe('continuous');
  });

  it('says when a disconnected stream tries again, and why it stopped, in words', async () => {
    const row = await streamRow({ phase: 'waiting', retryAt: '2026-11-27T14:02:10.000Z', lastError: 'connection refused', reconnects: 1 });
    expect(cell(row, 'Last read')).toMatch(/^<p>reconnecting at <time datetime="2026-11-27T14:02:10.000Z"[^>]*>14:02\u00a0UTC<\/time> after: the server refused the connection<\/p>/);
    expect(cell(row, 'Last read')).toContain(' · 1 reconnect · ');
    expect(cell(row, 'Next read')).toBe('continuous');
  });

  it('says a paused stream is waiting for extraction, and shows no hit-rate for an authors stream', async () => {
    const paused = await streamRow({ paused: true, lagSeconds: 30 }, 'authors');
    expect(cell(paused, 'Last read')).toMatch(/^<p>paused: extraction is behind<\/p>/);
    expect(paused).not.toContain('prefilter');
  });

  it('says on the front page that a stream is read live, though its last event is hours old', async () => {
    const app = freshApp();
    const config = { ...app.config, sources: [streamSource('labs', 'authors')] };
    app.store.saveSourceState({ id: 'labs', kind: 'bluesky-stream', url: null, etag: null, lastModified: null, cursor: '1', lastSuccess: '2026-11-27T09:00:00.000Z', lastError: null, lastErrorAt: null, failures: 0, nextPoll: null, gone: false, unreliableGuids: null, degraded: null });
    const live = await render(app, '/', now, config, () => [streamStatus({ sourceId: 'labs' })]);
    expect(live).toMatch(/sources last read <time [^>]*>5\u00a0hours ago<\/time> · the Bluesky stream is live\./);
    const down = await render(app, '/', now, config, () => [streamStatus({ sourceId: 'labs', phase: 'waiting' })]);
    expect(down).not.toContain('stream is live');
    app.store.db.close();
  });

  it('keeps a stream’s row as it was when the page has no live state (no daemon)', async () => {
    const app = freshApp();
    const config = { ...app.config, sources: [streamSource('firehose')] };
    const row = rowOfSource(await render(app, '/sources', now, config), 'firehose');
    expect(cell(row, 'Last read')).toBe('never');
    expect(cell(row, 'Next read')).toBe('not scheduled yet');
    app.store.db.close();
  });
});
