import { describe, expect, it } from 'vitest';
import { canonicalUrl, registrableDomain } from '../../src/text/urls.js';

describe('canonicalUrl', () => {
  it('drops tracking parameters, fragments, AMP forms, www and trailing slashes', () => {
    const canonical = 'https://nytimes.com/2026/11/20/tech/meta-caisi.html';
    for (const variant of [
      'https://www.nytimes.com/2026/11/20/tech/meta-caisi.html',
      'http://nytimes.com/2026/11/20/tech/meta-caisi.html?utm_source=twitter&utm_medium=social',
      'https://nytimes.com/2026/11/20/tech/meta-caisi.html#comments',
      'https://nytimes.com/2026/11/20/tech/meta-caisi.html?fbclid=abc123',
      'https://nytimes.com/2026/11/20/tech/meta-caisi.amp.html',
      'https://WWW.NYTIMES.COM:443/2026/11/20/tech/meta-caisi.html',
    ]) {
      expect(canonicalUrl(variant), variant).toBe(canonical);
    }
    expect(canonicalUrl('https://example.com/news/story/amp/')).toBe('https://example.com/news/story');
    expect(canonicalUrl('https://amp.example.com/news/story/?amp=1')).toBe('https://example.com/news/story');
    expect(canonicalUrl('https://example.com/news/story/')).toBe('https://example.com/news/story');
  });

  it('keeps parameters that name the article, in a stable order', () => {
    expect(canonicalUrl('https://example.com/a?b=2&id=7&utm_campaign=x')).toBe('https://example.com/a?b=2&id=7');
    expect(canonicalUrl('https://example.com/a?id=7&b=2')).toBe('https://example.com/a?b=2&id=7');
  });

  it('gives the forms stored by earlier versions, so existing databases still dedupe', () => {
    // Outputs of the first implementation (URL setters); the stored canonical URLs are these.
    for (const [raw, canonical] of [
      ['http://user:pw@Example.COM:8080/a/b/?utm_source=x&b=2&a=1#top', 'https://example.com/a/b?a=1&b=2'],
      ['https://www.amp.example.com/news/amp/story.amp.html', 'https://example.com/news/story.html'],
      ['https://example.com/?', 'https://example.com'],
      ['https://example.com/?amp=1', 'https://example.com'],
      ['https://example.com//', 'https://example.com'],
      ['https://[::1]/x/', 'https://[::1]/x'],
      ['https://bücher.example/ä?q=a b', 'https://xn--bcher-kva.example/%C3%A4?q=a+b'],
      ['https://www./x', 'https://www./x'],
      ['https://example.com/a?b&a=1', 'https://example.com/a?a=1&b='],
      ['https://example.com/a?q=%2B+x', 'https://example.com/a?q=%2B+x'],
    ]) {
      expect(canonicalUrl(raw), raw).toBe(canonical);
    }
  });

  it('is undefined for what is not an http(s) URL', () => {
    expect(canonicalUrl('not a url')).toBeUndefined();
    expect(canonicalUrl('at://did:plc:x/app.bsky.feed.post/1')).toBeUndefined();
    expect(canonicalUrl(undefined)).toBeUndefined();
  });
});

describe('registrableDomain', () => {
  it('is the domain a publisher registered, public suffixes minded', () => {
    expect(registrableDomain('https://www.bbc.co.uk/news/tech')).toBe('bbc.co.uk');
    expect(registrableDomain('feeds.reuters.com')).toBe('reuters.com');
    expect(registrableDomain('about.fb.com')).toBe('fb.com');
  });
});
