/** Structured JSON logs (pino). Secrets never reach a log line: see the redaction paths. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'sightline' },
    redact: { paths: ['authorization', 'headers.authorization', 'secret', '*.secret'], censor: '[redacted]' },
  });
}
