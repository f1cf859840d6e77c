import { describe, expect, it } from 'vitest';
import { htmlText, loadPage, MAX_HTML_DEPTH, nestingDepth, tidyText } from '../../src/http/html.js';

describe('nestingDepth', () => {
  it('measures sloppy real markup as browsers nest it: void elements, inferred end tags, raw text, comments', () => {
    expect(nestingDepth('<div>' + '<br><img src=x><input>'.repeat(5000) + '</div>')).toBe(1);
    expect(nestingDepth('<ul>' + '<li>x'.repeat(5000) + '</ul>')).toBe(2);
    expect(nestingDepth('<div>' + '<p>x'.repeat(5000) + '</div>')).toBe(2);
    expect(nestingDepth('<table>' + '<tr><td>a<td>b'.repeat(5000) + '</table>')).toBe(3);
    expect(nestingDepth('<script>' + '"<div>"'.repeat(5000) + '</script><div></div>')).toBe(1);
    expect(nestingDepth('<!--' + '<div>'.repeat(5000) + '--><p>')).toBe(1);
    expect(nestingDepth('<svg>' + '<path/>'.repeat(5000) + '</svg>')).toBe(1);
    expect(nestingDepth('<b><i>x</b></i>'.repeat(5000))).toBe(2);
  });

  it('is not fooled into counting too little: <div/>, stray end tags, ">" in quotes, "<!-->"', () => {
    expect(nestingDepth('<div/>'.repeat(2000))).toBeGreaterThan(MAX_HTML_DEPTH);
    expect(nestingDepth('<div></x>'.repeat(2000))).toBeGreaterThan(MAX_HTML_DEPTH);
    expect(nestingDepth(`<a title='x>' <script>` + '<div>'.repeat(2000))).toBeGreaterThan(MAX_HTML_DEPTH);
    expect(nestingDepth('<!-->' + '<div>'.repeat(2000))).toBeGreaterThan(MAX_HTML_DEPTH);
  });

  it('stops counting past the limit', () => {
    expect(nestingDepth('<div>'.repeat(100_000))).toBe(MAX_HTML_DEPTH + 1);
  });
});

describe('reading HTML', () => {
  it('a page nested deeper than the limit is not parsed; a real one is, without its scripts', () => {
    expect(loadPage('<div>'.repeat(MAX_HTML_DEPTH + 1))).toBeUndefined();
    expect(loadPage('<h2>Title<script>alert(1)</script></h2>')!('h2').text()).toBe('Title');
  });

  it('the text of a fragment too deep to parse keeps its words', () => {
    expect(htmlText('<div>'.repeat(5000) + 'Meta &amp; more' + '</div>'.repeat(5000))).toBe('Meta & more');
    expect(htmlText('Caf&eacute;   <b>talk</b>')).toBe('Café talk');
  });

  it('a text loses the controls and bidi overrides that would make it show other than it reads', () => {
    expect(tidyText('Meta \u202Esngis\u202C the\u0007 agreement\u0000')).toBe('Meta sngis the agreement');
    expect(tidyText('\u2067Isolated\u2069 \u202Aembedded\u202C\u007F')).toBe('Isolated embedded');
    expect(htmlText('<b>Meta</b> &#x202E;sngis&#x202C; it')).toBe('Meta sngis it');
  });

  it('tags are stripped in one pass, even with many "<" and no ">" (a tag never closed drops what follows, as browsers do)', () => {
    expect(htmlText('a<p>b</p>c')).toBe('a\n\nb\n\nc');
    expect(htmlText('x<p'.repeat(200_000))).toBe('x');
    expect(htmlText('a < b, 3<4; '.repeat(50_000))).toBe('a < b, 3<4;'.concat(' a < b, 3<4;'.repeat(49_999)));
  });
});
