// Images for tests, made here with resvg, and checks on images read back from a PDS.
import { Resvg } from '@resvg/resvg-js';

/** Noise compresses badly: a PNG of it is big for its size, as a photograph is. */
export function noisePng(width: number, height: number): Buffer {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><filter id="n"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2"/></filter><rect width="100%" height="100%" filter="url(#n)"/></svg>`;
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng());
}

/** Whether resvg draws anything from this PNG (it draws nothing from one it cannot decode). */
export function decodes(png: Buffer): boolean {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><image width="64" height="64" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const pixels = new Resvg(svg, { font: { loadSystemFonts: false } }).render().pixels;
  return pixels.some((v, i) => i % 4 === 3 && v !== 0);
}

/** Width and height from a PNG's IHDR chunk, read without the code under test; undefined if not a PNG. */
export function pngSize(png: Buffer): [number, number] | undefined {
  if (!png.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) return undefined;
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}
