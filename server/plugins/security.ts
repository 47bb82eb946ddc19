// Security headers (with a CSP that lets pdf.js and its worker run) and a CSRF guard: a
// state-changing request whose Origin is another site is refused, on top of SameSite cookies.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '../errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // non-browser clients; browsers always send Origin on cross-site writes
  if (origin === 'null' || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export default fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // 'wasm-unsafe-eval' lets pdf.js compile its WebAssembly decoders (JPEG 2000 and JBIG2
          // scans, ICC colour); it permits WebAssembly only, never JavaScript eval.
          scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
          workerSrc: ["'self'", 'blob:'],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
      hsts: app.config.production,
    });
    await app.register(rateLimit, { global: false });
    app.addHook('onRequest', async (req) => {
      if (SAFE.has(req.method)) return;
      if (!originAllowed(req.headers.origin, req.headers.host)) throw new AppError('BAD_ORIGIN', 'Cross-site request refused');
    });
  },
  { name: 'security', dependencies: ['context'] },
);
