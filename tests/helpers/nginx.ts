// nginx in front of test servers, with the shipped deploy/nginx.conf: the same upstream, location
// and WebSocket settings, only its addresses made local (the upstream's ports become the test
// servers', TLS on 443 becomes plain HTTP on a free loopback port, the port-80 redirect goes).
// Started by the test itself with its own prefix dir (`nginx -p DIR -c DIR/nginx.conf`).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server-process';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NGINX = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

export interface Nginx {
  url: string;
  /** the http{} body actually served, for diagnostics */
  config: string;
  stop: () => Promise<void>;
}

/** deploy/nginx.conf with test addresses: what is served is what ships, minus TLS. */
export function testSiteConfig(upstreamPorts: number[], listenPort: number): string {
  let site = fs.readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');
  const servers = upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n');
  // the upstream's server lines (the first one takes the list, the others go)
  let first = true;
  site = site.replace(/^ {4}server 127\.0\.0\.1:\d+[^\n]*;\n/gm, () => (first ? ((first = false), `${servers}\n`) : ''));
  if (first) throw new Error('deploy/nginx.conf: no upstream server lines found');
  // the HTTP→HTTPS redirect server
  site = site.replace(/server \{[^{}]*return 301[^{}]*\}\n/, '');
  site = site
    .replace(/^ {4}listen 443 ssl http2;$/m, `    listen 127.0.0.1:${listenPort};`)
    .replace(/^ {4}listen \[::\]:443[^\n]*\n/m, '')
    .replace(/^ {4}ssl_[^\n]*\n/gm, '');
  if (!site.includes(`listen 127.0.0.1:${listenPort};`) || /ssl_|return 301/.test(site))
    throw new Error('deploy/nginx.conf: unexpected shape');
  return site;
}

export async function startNginx(upstreamPorts: number[]): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-nginx-'));
  const port = await freePort();
  const site = testSiteConfig(upstreamPorts, port);
  const tmp = (n: string) => path.join(dir, n);
  const conf = [
    // as root nginx would switch its workers to `nobody`, who cannot write the temp dirs here
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    'worker_processes 1;',
    `error_log ${tmp('error.log')} warn;`,
    `pid ${tmp('nginx.pid')};`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log off;`,
    `  client_body_temp_path ${tmp('body')}; proxy_temp_path ${tmp('proxy')}; fastcgi_temp_path ${tmp('fastcgi')};`,
    `  uwsgi_temp_path ${tmp('uwsgi')}; scgi_temp_path ${tmp('scgi')};`,
    site,
    '}',
  ].join('\n');
  fs.writeFileSync(tmp('nginx.conf'), conf);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', tmp('nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `nginx exited (${child.exitCode}): ${stderr}${fs.existsSync(tmp('error.log')) ? fs.readFileSync(tmp('error.log'), 'utf8') : ''}`,
      );
    try {
      await fetch(`${url}/api/health`);
      break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    config: site,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGQUIT');
      }),
  };
}
