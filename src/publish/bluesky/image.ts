// Fits an image into Bluesky's blob cap: reads its size from its header, and scales a too-large
// one down with resvg (which decodes PNG, JPEG and GIF, not WebP), re-encoded as PNG.
import { renderAsync } from '@resvg/resvg-js';

/** Bluesky refuses a post whose image or link-card thumbnail blob is over this size. */
export const MAX_IMAGE_BYTES = 1_000_000;
/**
 * An image with more pixels than this is not decoded: a small file can declare a huge canvas,
 * and decoding takes four bytes a pixel.
 */
export const MAX_SOURCE_PIXELS = 40_000_000;

export interface ImageSize {
  mimeType: 'image/png' | 'image/jpeg' | 'image/gif';
  width: number;
  height: number;
}

export interface FittedImage {
  bytes: Buffer;
  mimeType: string;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

/** A JPEG start-of-frame marker, which carries the size (DHT, JPG and DAC share the range). */
const isStartOfFrame = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** The type and size an image's header declares, or undefined for anything but PNG, JPEG or GIF. */
export function imageSize(bytes: Buffer): ImageSize | undefined {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString('latin1', 12, 16) === 'IHDR') {
    return { mimeType: 'image/png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) {
    return { mimeType: 'image/gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 <= bytes.length) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1]!;
      // Fill bytes, and markers that stand alone without a length.
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      if (isStartOfFrame(marker)) return { mimeType: 'image/jpeg', height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
      if (marker === 0xd9 || marker === 0xda) return undefined; // the image data began before any frame header
      i += 2 + bytes.readUInt16BE(i + 2);
    }
  }
  return undefined;
}

/** Draws `bytes` at width × height; undefined when resvg could not decode it (it then draws nothing). */
async function render(bytes: Buffer, size: ImageSize, width: number, height: number): Promise<Buffer | undefined> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<image width="${width}" height="${height}" preserveAspectRatio="none" href="data:${size.mimeType};base64,${bytes.toString('base64')}"/></svg>`;
  let image: Awaited<ReturnType<typeof renderAsync>>;
  try {
    image = await renderAsync(svg, { font: { loadSystemFonts: false }, logLevel: 'off' });
  } catch {
    return undefined; // the card keeps its title and description without the picture
  }
  const pixels = image.pixels;
  for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha] !== 0) return image.asPng();
  return undefined;
}

/**
 * `bytes` scaled down, keeping its aspect ratio, to at most `maxSide` pixels a side and at most
 * `maxBytes`, as PNG. Undefined when it is not a PNG, JPEG or GIF, has too many pixels, cannot
 * be decoded, or stays too big. Call it only for an image over the cap: one within it is better
 * sent as it is.
 */
export async function shrinkImage(bytes: Buffer, maxBytes: number, maxSide = Infinity): Promise<FittedImage | undefined> {
  const size = imageSize(bytes);
  if (!size || size.width < 1 || size.height < 1 || size.width * size.height > MAX_SOURCE_PIXELS) return undefined;
  // A PNG's size is roughly proportional to its pixel count, so start from the input's size
  // (a JPEG comes out bigger as PNG: the loop corrects that) and a few tries suffice.
  let scale = Math.min(1, maxSide / Math.max(size.width, size.height), Math.sqrt(maxBytes / bytes.length) * 0.9);
  for (let attempt = 0; attempt < 5; attempt++) {
    const width = Math.max(1, Math.round(size.width * scale));
    const height = Math.max(1, Math.round(size.height * scale));
    const png = await render(bytes, size, width, height);
    if (!png) return undefined;
    if (png.length <= maxBytes) return { bytes: png, mimeType: 'image/png', width, height };
    scale *= Math.sqrt(maxBytes / png.length) * 0.9;
  }
  return undefined;
}
