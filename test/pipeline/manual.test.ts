import { describe, expect, it } from 'vitest';
import { setStatus } from '../../src/pipeline/manual.js';
import { freshApp } from '../helpers/ledger.js';

describe('setStatus', () => {
  it("records a maintainer's correction with who and why, and alerts", () => {
    const app = freshApp();
    const { transition, alert } = setStatus(app, {
      tracker: 'caisi',
      party: 'amazon',
      status: 'signed',
      evidence: 'https://www.aboutamazon.com/news/caisi',
      note: 'announced on the company blog',
      actor: 'maintainer',
      at: new Date('2026-11-27T00:00:00Z'),
    });
    expect(transition).toMatchObject({ kind: 'manual', from: 'unknown', to: 'signed', actor: 'maintainer', note: 'announced on the company blog' });
    expect(app.store.alert(alert!)!.text).toMatch(/Amazon has signed.*Correction by the maintainers: announced on the company blog.*https:\/\/www\.aboutamazon\.com\/news\/caisi$/);
  });
});
