// The logger's options, one object for the server (main.ts), the app's default (app.ts) and the
// test that checks the logs hold no secrets: what is tested is what runs.
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Paths pino replaces with "[Redacted]" wherever a request or its body is logged. */
export const LOG_REDACT = ['req.headers.cookie', 'req.headers.authorization', 'req.body.password'];

/** `pretty`: readable lines for a human at a terminal (pino-pretty); JSON otherwise. */
export function loggerOptions(config: Config, opts: { pretty?: boolean } = {}): LoggerOptions {
  return {
    level: config.logLevel,
    redact: LOG_REDACT,
    ...(opts.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
}
