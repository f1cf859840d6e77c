// Reading a replay file as lines: a chunk at a time, each line's text, byte offset, length and
// number, without holding the file; and the errors that name the file when reading fails.
import { readSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** How much of the file is read at a time. */
export const CHUNK = 1 << 20;

export function cannotRead(file: string, e: unknown): UsageError {
  return new UsageError(`cannot read ${file}: ${(e as Error).message}`);
}

export function changed(file: string, line: number, why: string): UsageError {
  return new UsageError(`${file}: line ${line} changed while it was replayed${why ? `: ${why}` : ''}`);
}

/** The file's lines, read a chunk at a time: each line's text, byte offset and length, and number. */
export function* lines(fd: number, from = 0, to = Infinity): Generator<{ text: string; offset: number; length: number; number: number }> {
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  // The file offset of buf[0].
  let base = from;
  let number = 0;
  for (;;) {
    const read = readSync(fd, buf, filled, buf.length - filled, base + filled);
    filled += read;
    const view = buf.subarray(0, filled);
    let start = 0;
    for (let nl = view.indexOf(10); nl !== -1; nl = view.indexOf(10, start)) {
      if (base + start >= to) return;
      yield { text: decode(view, start, nl, base + start), offset: base + start, length: nl - start, number: ++number };
      start = nl + 1;
    }
    if (read === 0) {
      if (start < filled && base + start < to) yield { text: decode(view, start, filled, base + start), offset: base + start, length: filled - start, number: ++number };
      return;
    }
    // The unfinished line moves to the front; a line longer than the buffer doubles it.
    buf.copy(buf, 0, start, filled);
    base += start;
    filled -= start;
    if (filled === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
  }
}

/** Where the first line that starts at or after `position` starts (the file's size if none does). */
export function lineStartFrom(fd: number, position: number): number {
  if (position <= 0) return 0;
  const buf = Buffer.allocUnsafe(64 << 10);
  for (let at = position - 1; ; at += buf.length) {
    const read = readSync(fd, buf, 0, buf.length, at);
    const nl = buf.subarray(0, read).indexOf(10);
    if (nl !== -1) return at + nl + 1;
    if (read < buf.length) return at + read;
  }
}

/** A line's text; a byte-order mark at the start of the file is not part of it. */
function decode(buf: Buffer, start: number, end: number, fileOffset: number): string {
  return buf.toString('utf8', start + bomLength(buf, start, fileOffset), end);
}

/** 3 for the UTF-8 byte-order mark at the start of the file, else 0. */
export function bomLength(buf: Buffer, start: number, fileOffset: number): number {
  return fileOffset === 0 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf ? 3 : 0;
}
