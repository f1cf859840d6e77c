import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageSize, shrinkImage } from '../../../src/publish/bluesky/image.js';
import { FIXTURES } from '../../helpers/repo.js';
import { decodes, noisePng, pngSize } from '../../helpers/images.js';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'images', name));

describe('image sizes from headers', () => {
  it('reads PNG, baseline and progressive JPEG and GIF sizes, and nothing from other bytes', () => {
    expect(imageSize(noisePng(30, 20))).toEqual({ mimeType: 'image/png', width: 30, height: 20 });
    expect(imageSize(fixture('photo-400x300.jpg'))).toEqual({ mimeType: 'image/jpeg', width: 400, height: 300 });
    expect(imageSize(fixture('progressive-400x300.jpg'))).toEqual({ mimeType: 'image/jpeg', width: 400, height: 300 });
    expect(imageSize(fixture('chart-200x150.gif'))).toEqual({ mimeType: 'image/gif', width: 200, height: 150 });
    expect(imageSize(Buffer.from('<html>not an image</html>'))).toBeUndefined();
    expect(imageSize(fixture('photo-400x300.jpg').subarray(0, 40))).toBeUndefined();
  });
});

describe('shrinking an image to a byte cap', () => {
  it('scales a too-big PNG down to the cap and the longest side, keeping its aspect ratio', async () => {
    const big = noisePng(600, 315);
    expect(big.length).toBeGreaterThan(200_000);
    const small = (await shrinkImage(big, 200_000, 500))!;
    expect(small.bytes.length).toBeLessThanOrEqual(200_000);
    expect(small.mimeType).toBe('image/png');
    const [width, height] = pngSize(small.bytes)!;
    expect([width, height]).toEqual([small.width, small.height]);
    expect(width).toBeLessThanOrEqual(500);
    expect(Math.abs(width / height - 600 / 315)).toBeLessThan(0.02);
    expect(decodes(small.bytes)).toBe(true);
  });

  it('decodes JPEG and GIF too, and gives PNG', async () => {
    for (const [name, ratio] of [['photo-400x300.jpg', 4 / 3], ['progressive-400x300.jpg', 4 / 3], ['chart-200x150.gif', 4 / 3]] as const) {
      const small = (await shrinkImage(fixture(name), 4_000))!;
      expect(small, name).toBeDefined();
      expect(small.bytes.length).toBeLessThanOrEqual(4_000);
      const [width, height] = pngSize(small.bytes)!;
      expect(Math.abs(width / height - ratio)).toBeLessThan(0.05);
      expect(decodes(small.bytes)).toBe(true);
    }
  });

  it('gives up on bytes it cannot decode, and on a canvas too large to decode safely', async () => {
    const header = noisePng(40, 30).subarray(0, 33);
    expect(await shrinkImage(Buffer.concat([header, Buffer.alloc(5_000, 7)]), 1_000)).toBeUndefined();
    const huge = Buffer.from(header);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    expect(await shrinkImage(huge, 1_000)).toBeUndefined();
    expect(await shrinkImage(Buffer.from('RIFF....WEBPVP8 '), 1_000)).toBeUndefined();
  });
});
