// The systemd unit (deploy/hopso@.service) runs the server the way `npm start` does: the compiled
// JavaScript with plain node and the same node flags and malloc setting, never a TypeScript
// loader. Checked against package.json's start script, read as the benchmarks read it, so the
// unit, npm start and what the benchmarks measure cannot drift apart.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { npmStart } from '../../bench/lib/server-process';

const unit = fs.readFileSync('deploy/hopso@.service', 'utf8');

describe('deploy/hopso@.service', () => {
  it('starts the compiled server with npm start’s node flags and environment, without tsx', () => {
    const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1];
    expect(exec).not.toMatch(/tsx|\.ts\b/);
    const { env, nodeArgs } = npmStart();
    expect(exec).toBe(['/usr/bin/node', ...nodeArgs, 'dist/server/main.js'].join(' '));
    expect(Object.keys(env).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(env))
      expect(unit).toMatch(new RegExp(`^Environment=.*\\b${name}=${value}\\b`, 'm'));
  });
});
