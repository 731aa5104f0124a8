import pino, { type DestinationStream, type Logger } from 'pino';
import { loggableError } from './redact';

/**
 * Structured JSON lines (pino). Personal data stays out: log ids and codes, never names,
 * phone numbers or request bodies. Lines go to stdout unless a destination is given (the tests
 * write each test file's lines to a file of its own).
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'req.headers.authorization', 'req.headers.cookie', 'totp', '*.totp'], remove: true },
    // Errors (ours and the Temporal SDK's, under err, error or failure) as type, code and a
    // scrubbed message: an error's properties and message can quote personal data.
    serializers: { err: loggableError, error: loggableError, failure: loggableError },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { DestinationStream, Logger };
