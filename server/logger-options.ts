// The logger's options, one object for the server (main.ts), the app's default (app.ts) and the
// test that checks the logs hold no secrets: what is tested is what runs.
import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Paths pino replaces with "[Redacted]" wherever a request or its body is logged. */
export const LOG_REDACT = ['req.headers.cookie', 'req.headers.authorization', 'req.body.password'];

/** The personal calendar feed's secret is in its path (routes/calendar/feed.ts): never logged. */
export const redactUrlSecrets = (url: string | undefined) => url?.replace(/^(\/api\/calendar\/)[^/?#]+/, '$1[Redacted].ics');

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** `pretty`: readable lines for a human at a terminal (pino-pretty); JSON otherwise. */
export function loggerOptions(config: Config, opts: { pretty?: boolean } = {}): LoggerOptions {
  return {
    level: config.logLevel,
    redact: LOG_REDACT,
    // Fastify's own request serializer, with the URL's secrets masked
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactUrlSecrets(req.url),
        version: req.headers?.['accept-version'] as string | undefined,
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    ...(opts.pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
}
