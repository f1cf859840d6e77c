// Runtime settings: the command line and the environment (env.ts), typed and defaulted, joined
// with pactwatch.yaml. Each part is checked when a command asks for it, so a value that only the
// daemon reads (PACTWATCH_PORT) never stops `status`.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { PUBLISH_MODES, type PublishMode } from '../model/alert.js';
import type { Env } from './env.js';
import type { Config, Settings as FileSettings } from './types.js';

export const DEFAULT_CONFIG_DIR = 'config';
export const DEFAULT_DB_PATH = 'data/pactwatch.db';
/** Bluesky's public service: where posts go and searches are asked, unless BSKY_SERVICE says otherwise. */
export const DEFAULT_BSKY_SERVICE = 'https://bsky.social';
export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_LOG_LEVEL = 'info';
/**
 * Work in flight at SIGTERM gets this long before it is cut short; with the moment it takes to
 * settle after that, the daemon is gone within 8 s (a container's stop timeout is 10 s).
 */
export const DEFAULT_STOP_GRACE_SECONDS = 5;

/** Where a command finds its config and database, and the environment it was started in. Reading it cannot fail. */
export interface Runtime {
  configDir: string;
  dbPath: string;
  env: Env;
}

/** Flag, then environment variable, then default. */
export function runtimeOf(flags: { config?: string | undefined; db?: string | undefined }, env: Env): Runtime {
  return { configDir: flags.config ?? env.configDir ?? DEFAULT_CONFIG_DIR, dbPath: flags.db ?? env.dbPath ?? DEFAULT_DB_PATH, env };
}

/** Bluesky's service and the account to use there. */
export interface BlueskyAccess {
  service: string;
  identifier?: string | undefined;
  password?: string | undefined;
}

export interface BlueskySettings {
  /** BSKY_SERVICE, default the public service. */
  service: string;
  /**
   * The environment names an account to post as: an identifier and an app password (or a file
   * holding one). Said without reading the file: a file that cannot be read is still meant to post.
   */
  configured: boolean;
  /** The service and credentials; BSKY_APP_PASSWORD_FILE is read here, when a client is built. */
  access(): BlueskyAccess;
}

/** What the app is built with: pactwatch.yaml's settings, with the environment's overrides and credentials. */
export interface AppSettings {
  dbPath: string;
  /** PACTWATCH_PUBLISH_MODE, else pactwatch.yaml's publish.mode. */
  publishMode: PublishMode;
  /** PACTWATCH_ALLOW_PRIVATE_NETWORK: every fetch may reach internal addresses. */
  allowPrivateNetwork: boolean;
  bluesky: BlueskySettings;
  publish: FileSettings['publish'];
  fetch: FileSettings['fetch'];
  retention: FileSettings['retention'];
}

/** The app's settings; a bad PACTWATCH_PUBLISH_MODE or PACTWATCH_ALLOW_PRIVATE_NETWORK is bad config. */
export function appSettings(config: Config, runtime: Runtime): AppSettings {
  const { env } = runtime;
  return {
    dbPath: runtime.dbPath,
    publishMode: publishModeOf(env.publishMode ?? config.settings.publish.mode),
    allowPrivateNetwork: allowPrivateNetworkOf(env),
    bluesky: blueskySettings(env),
    publish: config.settings.publish,
    fetch: config.settings.fetch,
    retention: config.settings.retention,
  };
}

function publishModeOf(mode: string): PublishMode {
  if (!(PUBLISH_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError([{ file: 'PACTWATCH_PUBLISH_MODE', message: `"${mode}" is not one of ${PUBLISH_MODES.join(', ')}` }]);
  }
  return mode as PublishMode;
}

/** 1 or true lets every fetch reach internal addresses; unset, 0 or false does not. */
function allowPrivateNetworkOf(env: Env): boolean {
  const value = env.allowPrivateNetwork?.toLowerCase();
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError([{ file: 'PACTWATCH_ALLOW_PRIVATE_NETWORK', message: `"${env.allowPrivateNetwork}" is not one of 1, true, 0, false` }]);
}

export function blueskySettings(env: Env): BlueskySettings {
  const service = env.bskyService ?? DEFAULT_BSKY_SERVICE;
  return {
    service,
    configured: env.bskyIdentifier !== undefined && (env.bskyAppPassword !== undefined || env.bskyAppPasswordFile !== undefined),
    access() {
      let password = env.bskyAppPassword;
      if (password === undefined && env.bskyAppPasswordFile !== undefined) {
        try {
          password = readFileSync(env.bskyAppPasswordFile, 'utf8').trim();
        } catch (err) {
          throw new ConfigError([{ file: env.bskyAppPasswordFile, message: `BSKY_APP_PASSWORD_FILE cannot be read: ${(err as Error).message}` }]);
        }
      }
      return { service, identifier: env.bskyIdentifier, password };
    },
  };
}

/** What the daemon serves on, how it logs and how long it lets work finish when stopped. */
export interface DaemonSettings {
  /** PACTWATCH_PORT (0: any free port). */
  port: number;
  /** PACTWATCH_HOST. */
  host: string;
  /** PACTWATCH_STOP_GRACE_SECONDS, in ms. */
  stopGraceMs: number;
  /** LOG_LEVEL: one of pino's levels. */
  logLevel: string;
}

export function daemonSettings(env: Env): DaemonSettings {
  return { stopGraceMs: stopGraceMs(env), port: portOf(env), host: env.host ?? DEFAULT_HOST, logLevel: logLevelOf(env) };
}

/** pino's levels: an unknown name would stop it with a stack trace. */
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function logLevelOf(env: Env): string {
  const level = env.logLevel ?? DEFAULT_LOG_LEVEL;
  if (!LOG_LEVELS.includes(level)) throw new ConfigError([{ file: 'LOG_LEVEL', message: `"${level}" is not one of ${LOG_LEVELS.join(', ')}` }]);
  return level;
}

function stopGraceMs(env: Env): number {
  if (env.stopGraceSeconds === undefined) return DEFAULT_STOP_GRACE_SECONDS * 1000;
  const seconds = Number(env.stopGraceSeconds);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new ConfigError([{ file: 'PACTWATCH_STOP_GRACE_SECONDS', message: `"${env.stopGraceSeconds}" is not a number of seconds (0 or more)` }]);
  }
  return seconds * 1000;
}

function portOf(env: Env): number {
  const port = Number(env.port ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError([{ file: 'PACTWATCH_PORT', message: `"${env.port}" is not a port number (0 to 65535)` }]);
  }
  return port;
}

/**
 * Where `pactwatch health` asks, as host:port: the daemon's address as the environment gives it,
 * unchecked (a bad one simply does not answer). A daemon on every interface is asked on loopback.
 */
export function healthAddress(env: Env): string {
  const host = env.host === undefined || env.host === '0.0.0.0' ? DEFAULT_HOST : env.host;
  return `${host}:${env.port ?? DEFAULT_PORT}`;
}

export function healthUrl(env: Env): string {
  return `http://${healthAddress(env)}/healthz`;
}
