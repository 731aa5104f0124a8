import pino, { type Logger } from 'pino';

/**
 * Structured JSON lines (pino). Personal data stays out: log ids and codes, never names,
 * phone numbers or request bodies.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'req.headers.authorization', 'req.headers.cookie', 'totp', '*.totp'], remove: true },
  });
}

export type { Logger };
