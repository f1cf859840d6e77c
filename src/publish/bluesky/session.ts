// The publisher's Bluesky account: its app password checked, one client with a deadline on every
// request, a session resumed from the database or made by logging in (within the daily login
// budget), and the account's 'bot' self-label. Tokens live only in the database, never in a log line.
import { AtpAgent } from '@atproto/api';
import { ConfigError } from '../../errors.js';
import type { Store } from '../../store/store.js';
import { fetchWithSignals } from '../../http/stop-signal.js';
import { POINTS, type WriteBudget } from './budget.js';
import type { LoginBudget } from './logins.js';

/** Bluesky app passwords look like xxxx-xxxx-xxxx-xxxx; an account password must never be used. */
export const APP_PASSWORD_SHAPE = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/;

/** A request to Bluesky that takes longer than this has hung: the write is then uncertain. */
export const REQUEST_TIMEOUT_MS = 15_000;

export interface BlueskyCredentials {
  service: string;
  identifier: string;
  password: string;
}

export function checkCredentials(c: BlueskyCredentials): void {
  if (!APP_PASSWORD_SHAPE.test(c.password)) {
    throw new ConfigError([
      { file: 'BSKY_APP_PASSWORD', message: 'is not an app password (xxxx-xxxx-xxxx-xxxx); create one under Settings → Privacy and security → App passwords' },
    ]);
  }
}

/** The request never reached a server: refused, unresolvable or unreachable (somewhere in its causes). */
function neverConnected(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: string }).code;
    if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)) return true;
  }
  return false;
}

export class BlueskySession {
  readonly agent: AtpAgent;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly credentials: BlueskyCredentials,
    private readonly store: Store,
    private readonly logins: LoginBudget,
    options: { fetch: typeof globalThis.fetch; timeoutMs: number; stop?: AbortSignal | undefined },
  ) {
    checkCredentials(credentials);
    this.agent = new AtpAgent({
      service: credentials.service,
      // Every request has a deadline: a PDS that hangs must not hang the publisher.
      // The stop signal ends a request in flight when the daemon stops: the write is then
      // uncertain, and the next start reads it back like any other.
      fetch: fetchWithSignals(options.fetch, () => [AbortSignal.timeout(options.timeoutMs)], options.stop),
      persistSession: (_event, session) => this.store.session.set(session),
    });
  }

  /** The account's DID, once a session is up. */
  get did(): string {
    return this.agent.session!.did;
  }

  /** Resumes the stored session for this account, or logs in (within the daily budget). */
  start(): Promise<void> {
    this.ready ??= (async () => {
      const session = this.store.session.get();
      if (session) {
        const mine = session.handle === this.credentials.identifier || session.did === this.credentials.identifier || session.email === this.credentials.identifier;
        if (mine) {
          try {
            await this.agent.resumeSession(session);
            return;
          } catch {
            // An expired or revoked session: log in again below.
          }
        }
      }
      const counted = this.logins.countLogin();
      try {
        await this.agent.login({ identifier: this.credentials.identifier, password: this.credentials.password });
      } catch (err) {
        if (neverConnected(err)) this.logins.uncountLogin(counted);
        throw err;
      }
    })();
    return this.ready.catch((err) => {
      this.ready = undefined;
      throw err;
    });
  }

  /** Declares the account a bot, once (when `botLabel`): the 'bot' self-label on its profile record. */
  async labelAsBot(budget: WriteBudget, botLabel: boolean): Promise<void> {
    const repo = this.did;
    if (!botLabel || this.store.botLabelled.get() === repo) return;
    let profile: Record<string, unknown> = { $type: 'app.bsky.actor.profile' };
    try {
      profile = (await this.agent.com.atproto.repo.getRecord({ repo, collection: 'app.bsky.actor.profile', rkey: 'self' })).data.value as Record<string, unknown>;
    } catch {
      // No profile yet: create one that says only this.
    }
    const labels = (profile.labels as { values?: { val: string }[] } | undefined)?.values ?? [];
    if (!labels.some((l) => l.val === 'bot')) {
      budget.spend(POINTS.update);
      await this.agent.com.atproto.repo.putRecord({
        repo,
        collection: 'app.bsky.actor.profile',
        rkey: 'self',
        record: { ...profile, labels: { $type: 'com.atproto.label.defs#selfLabels', values: [...labels, { val: 'bot' }] } },
      });
    }
    this.store.botLabelled.set(repo);
  }
}
