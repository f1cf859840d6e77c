import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { charsetOf, decodeBody, repairXml, windows1252Controls } from '../../src/http/decode.js';

const xml = (body: string, declaration = '') => `<?xml version="1.0"${declaration}?><rss version="2.0"><channel><item><title>t</title><description>${body}</description></item></channel></rss>`;
/** Bytes in `encoding`, by iconv (the encoders Node lacks). */
const encode = (text: string, encoding: string) => execFileSync('iconv', ['-f', 'utf-8', '-t', encoding], { input: text });

describe('charsetOf', () => {
  it('reads a charset quoted, single-quoted or bare, among other parameters', () => {
    expect(charsetOf('application/xml; charset="koi8-r"')).toBe('koi8-r');
    expect(charsetOf("application/xml; charset='windows-1251'")).toBe('windows-1251');
    expect(charsetOf('application/atom+xml;type=feed;CHARSET=big5')).toBe('big5');
    expect(charsetOf('application/xml')).toBeUndefined();
  });
});

describe('decodeBody', () => {
  it('Content-Type before the XML declaration, unless the bytes are not valid in it', () => {
    const cyrillic = encode(xml('Министерство торговли объявило о соглашении', ' encoding="koi8-r"'), 'windows-1251');
    expect(decodeBody(cyrillic, 'application/xml; charset=windows-1251')).toMatchObject({ encoding: 'windows-1251', text: expect.stringContaining('Министерство') });
    const latin = encode(xml('Café Zürich', ' encoding="windows-1252"'), 'windows-1252');
    expect(decodeBody(latin, 'application/xml; charset=utf-8')).toMatchObject({ encoding: 'windows-1252', text: expect.stringContaining('Café Zürich') });
  });

  it('UTF-8 bytes are UTF-8 when either declaration says so, whatever the server adds', () => {
    const body = Buffer.from(xml('Café “quoted”', ' encoding="utf-8"'));
    expect(decodeBody(body, 'text/xml; charset=iso-8859-1')).toMatchObject({ encoding: 'utf-8', text: expect.stringContaining('Café “quoted”') });
  });

  it('detects what nothing declares: Japanese, Chinese and Russian legacy encodings', () => {
    const cases: [string, string, string][] = [
      ['米商務省の人工知能標準・イノベーションセンターは、メタ社が事前テスト協定に署名したと発表した。同社はこれまで唯一の未署名企業だった。', 'SHIFT_JIS', 'shift_jis'],
      ['米商務省の人工知能標準・イノベーションセンターは、メタ社が事前テスト協定に署名したと発表した。同社はこれまで唯一の未署名企業だった。', 'EUC-JP', 'euc-jp'],
      ['美国商务部人工智能标准与创新中心宣布，Meta公司已签署发布前测试协议。该公司此前是唯一未签署的大型实验室。', 'GBK', 'gbk'],
      ['美國商務部人工智慧標準與創新中心宣布，Meta公司已簽署發布前測試協議。該公司此前是唯一未簽署的大型實驗室。', 'BIG5', 'big5'],
      ['Министерство торговли США объявило, что компания Meta подписала соглашение о предварительном тестировании моделей.', 'KOI8-R', 'koi8-r'],
    ];
    for (const [text, iconvName, encoding] of cases) {
      const got = decodeBody(encode(xml(text), iconvName), 'application/xml');
      expect(got, iconvName).toEqual({ encoding, text: xml(text) });
    }
  });

  it('UTF-8 with stray windows-1252 bytes is read part by part, never as U+FFFD', () => {
    const body = Buffer.concat([Buffer.from(xml('UTF-8 Café, then ')), Buffer.from([0x63, 0x61, 0x66, 0xe9])]);
    const got = decodeBody(body, 'application/xml');
    expect(got.text).toContain('UTF-8 Café, then');
    expect(got.text).toMatch(/café$/);
    expect(got.text).not.toContain('\uFFFD');
  });

  it('C1 controls read as windows-1252 reads those bytes', () => {
    expect(windows1252Controls('Meta\u0092s \u0093plan\u0094 \u0096 explained\u0085')).toBe('Meta’s “plan” – explained…');
  });
});

describe('repairXml', () => {
  it('a vertical tab or form feed becomes the space it stands for; a terminal escape goes whole', () => {
    expect(repairXml('<t>Vertical\u000Btab and form\u000Cfeed</t>')).toBe('<t>Vertical tab and form feed</t>');
    expect(repairXml('<t>Meta signs the\u001B[31m agreement\u001B[0m, \u001Bbare</t>')).toBe('<t>Meta signs the agreement, bare</t>');
    expect(repairXml('<t>Null\u0000 bell\u0007</t>')).toBe('<t>Null bell</t>');
  });
});
