import { pino, type Logger } from 'pino';

/** The one logger of the broker process; modules take named children of it. */
export function createLogger(level: string): Logger {
  return pino({
    name: 'broker',
    level,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'cookie', '*.cookie'], censor: '[redacted]' },
  });
}

export type { Logger };
