// The legend: what each status means, and how this tracker confirms a change.
import type { Policy } from '../config/types.js';
import { escapeMarkup as esc } from '../text/markup.js';
import { PARTY_STATUSES } from '../model/party.js';
import { badge } from './html.js';
import { confirmationRule, STATUS_WORDS, statusLabel } from './words.js';

export function legend(t: { policy: Policy }): string {
  const statuses = PARTY_STATUSES.map((s) => `<dt>${badge(s)}</dt><dd>${esc(STATUS_WORDS[s].meaning)}</dd>`).join('');
  return `<h3>What the statuses mean</h3><dl class="legend">${statuses}<dt><span class="badge pressed">${esc(statusLabel('pressed'))}</span></dt><dd>news that a party is being urged to sign; never a status of its own</dd></dl>
<h3>How a change is confirmed</h3><p>${esc(confirmationRule(t.policy))}</p>`;
}
