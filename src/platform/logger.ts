import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs; secrets that may appear in request data are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'aura' },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
