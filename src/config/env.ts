// The only reader of process.env: the variables pactwatch knows, as strings (settings.ts types them).

export interface Env {
  configDir?: string | undefined;
  dbPath?: string | undefined;
  logLevel?: string | undefined;
  publishMode?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  /** Seconds the daemon lets in-flight work run after SIGTERM before it cuts it short. */
  stopGraceSeconds?: string | undefined;
  bskyService?: string | undefined;
  bskyIdentifier?: string | undefined;
  bskyAppPassword?: string | undefined;
  bskyAppPasswordFile?: string | undefined;
  allowPrivateNetwork?: string | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const get = (name: string) => (env[name] && env[name]!.trim() !== '' ? env[name]!.trim() : undefined);
  return {
    configDir: get('PACTWATCH_CONFIG'),
    dbPath: get('PACTWATCH_DB'),
    logLevel: get('LOG_LEVEL'),
    publishMode: get('PACTWATCH_PUBLISH_MODE'),
    port: get('PACTWATCH_PORT'),
    host: get('PACTWATCH_HOST'),
    stopGraceSeconds: get('PACTWATCH_STOP_GRACE_SECONDS'),
    bskyService: get('BSKY_SERVICE'),
    bskyIdentifier: get('BSKY_IDENTIFIER'),
    bskyAppPassword: get('BSKY_APP_PASSWORD'),
    bskyAppPasswordFile: get('BSKY_APP_PASSWORD_FILE'),
    allowPrivateNetwork: get('PACTWATCH_ALLOW_PRIVATE_NETWORK'),
  };
}
