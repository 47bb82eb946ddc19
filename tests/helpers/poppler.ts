// Runs Debian poppler-utils / NSS tools on bytes written to a temp file (installed by
// scripts/ensure-system-deps.sh).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './minutes-signing';

export function writeTemp(bytes: Uint8Array, name = 'file.pdf'): string {
  const file = path.join(tempDir('hop-so-pdf-'), name);
  fs.writeFileSync(file, bytes);
  return file;
}

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** pdfsig exits non-zero when a signature is invalid; we want its report either way. */
export function pdfsig(file: string, nssDir?: string): string {
  const r = spawnSync('pdfsig', nssDir ? ['-nssdir', `sql:${nssDir}`, file] : [file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

export function pdftotext(file: string, args: string[] = []): string {
  return run('pdftotext', [...args, file, '-']);
}

/** Collapses whitespace so phrases that wrap across lines still match. */
export function flat(s: string): string {
  return s.replace(/\s+/g, ' ');
}
