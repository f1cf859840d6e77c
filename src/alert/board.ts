// The status board as an image: an SVG drawn with the project's own font (DejaVu Sans, in
// assets/fonts) and rendered to PNG by resvg, with alt text that lists every party's status.
// Without a font resvg draws no text at all, silently; so the font files are part of the package.
import { Resvg } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Board } from '../model/alert.js';
import type { PartyStatus } from '../model/party.js';
import { escapeMarkup } from '../text/markup.js';

export interface BoardRow {
  name: string;
  status: PartyStatus;
}

function fontDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'assets/fonts')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'assets/fonts');
}

const COLOURS: Record<PartyStatus, string> = {
  signed: '#1a7f37',
  negotiating: '#9a6700',
  holdout: '#cf222e',
  declined: '#82071e',
  withdrawn: '#8250df',
  unknown: '#6e7781',
};

export function boardSvg(title: string, rows: BoardRow[], asOf: string): string {
  const width = 800;
  const rowHeight = 44;
  const height = 110 + rows.length * rowHeight + 40;
  const body = rows
    .map((r, i) => {
      const y = 110 + i * rowHeight;
      return [
        `<text x="40" y="${y + 28}" font-size="24" fill="#24292f">${escapeMarkup(r.name)}</text>`,
        `<rect x="520" y="${y + 6}" width="240" height="32" rx="16" fill="${COLOURS[r.status]}"/>`,
        `<text x="640" y="${y + 29}" font-size="20" font-weight="bold" fill="#ffffff" text-anchor="middle">${r.status}</text>`,
      ].join('');
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="40" y="60" font-size="30" font-weight="bold" fill="#24292f">${escapeMarkup(title)}</text>`,
    `<text x="40" y="92" font-size="18" fill="#57606a">as of ${escapeMarkup(asOf)}</text>`,
    body,
    `<text x="40" y="${height - 16}" font-size="14" fill="#57606a">pactwatch</text>`,
    '</svg>',
  ].join('');
}

export function renderBoard(title: string, rows: BoardRow[], asOf: string): Board {
  const dir = fontDir();
  const svg = boardSvg(title, rows, asOf);
  const resvg = new Resvg(svg, {
    font: {
      fontFiles: [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')],
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
    },
  });
  const image = resvg.render();
  const alt = `${title}, as of ${asOf}: ${rows.map((r) => `${r.name} ${r.status}`).join('; ')}.`;
  return { png: Buffer.from(image.asPng()), alt, width: image.width, height: image.height };
}
