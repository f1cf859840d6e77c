// Logs: pino JSON on stderr, one child logger per subsystem, secrets redacted by configuration.
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT = ['password', 'appPassword', 'accessJwt', 'refreshJwt', 'authorization', '*.password', '*.accessJwt', '*.refreshJwt', '*.authorization', 'headers.authorization'];

export function createLogger(level = 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, base: { app: 'pactwatch' }, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
