import { describe, expect, it } from 'vitest';
import { publisherOf } from '../../src/text/publisher.js';

describe('publisherOf', () => {
  it('counts a site by its registrable domain, from a host, a URL or a link', () => {
    expect(publisherOf('news.bbc.co.uk')).toBe('bbc.co.uk');
    expect(publisherOf('https://www.reuters.com/technology/x')).toBe('reuters.com');
    expect(publisherOf(new URL('https://www.bbc.co.uk/news'))).toBe('bbc.co.uk');
    expect(publisherOf(new URL('https://edition.cnn.com/2026/x'))).toBe('cnn.com');
  });

  it('keeps an account as it is, without its "@"', () => {
    expect(publisherOf('@someone.bsky.social')).toBe('someone.bsky.social');
    expect(publisherOf('someone.bsky.social')).toBe('someone.bsky.social');
    expect(publisherOf('did:plc:abc123')).toBe('did:plc:abc123');
    expect(publisherOf(new URL('https://someone.bsky.social/'))).toBe('someone.bsky.social');
  });

  it('keeps a host with no registrable domain, and a plain name, as they are', () => {
    expect(publisherOf(new URL('http://127.0.0.1:8080/feed.xml'))).toBe('127.0.0.1');
    expect(publisherOf(new URL('http://localhost/feed'))).toBe('localhost');
    expect(publisherOf('config')).toBe('config');
  });

  it('gives the same answer asked again about its own answer, so a source, a replay line and the store agree', () => {
    for (const from of [new URL('https://news.bbc.co.uk/x'), new URL('https://alice.bsky.social'), new URL('http://127.0.0.1:3000/'), 'wire.example.co.uk', 'did:plc:x']) {
      const once = publisherOf(from);
      expect(publisherOf(once), String(from)).toBe(once);
    }
  });
});
