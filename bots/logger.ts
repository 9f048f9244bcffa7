/**
 * The process logger: pino, JSON lines to standard error (standard output belongs to the playground).
 * Known secret-bearing fields are redacted wherever they appear.
 */
import pino from 'pino';
import type { Logger } from '../core/ports.js';

export function createLogger(level: string): Logger & pino.Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['token', '*.token', 'password', '*.password', 'headers.authorization'], censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    pino.destination(2),
  );
}
