import pino from 'pino';

/**
 * The hub's structured JSON logger. Personal data and secrets are never passed to it: callers
 * log ids, counts and reasons, not record contents; the redact list is a second line of defence.
 */
export const logger = pino({
  level: process.env.MDM_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: 'mdm-hub' },
  redact: {
    paths: ['*.password', '*.apiKey', '*.authorization', '*.secret', 'req.headers.authorization', 'databaseUrl'],
    censor: '***',
  },
});

export type Logger = typeof logger;
