// The systemd unit (deploy/hopso@.service) runs the server the way `npm start` does: the compiled
// JavaScript with plain node and the same node flags and malloc setting, never a TypeScript
// loader. Checked against package.json so the two cannot drift apart.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const unit = fs.readFileSync('deploy/hopso@.service', 'utf8');
const start = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start!;

describe('deploy/hopso@.service', () => {
  it('starts the compiled server with npm start’s node flags and environment, without tsx', () => {
    const exec = /^ExecStart=(.*)$/m.exec(unit)?.[1];
    expect(exec).toBeDefined();
    expect(exec).not.toMatch(/tsx|\.ts\b/);
    // npm start: "npm run build && VAR=value node FLAGS dist/server/main.js"
    const npmStart = /(?:^|&&\s*)((?:[A-Z_]+=\S+\s+)*)node\s+(.*)$/.exec(start);
    expect(npmStart).not.toBeNull();
    expect(exec).toBe(`/usr/bin/node ${npmStart![2]}`);
    for (const assignment of npmStart![1]!.trim().split(/\s+/).filter(Boolean))
      expect(unit).toMatch(new RegExp(`^Environment=.*\\b${assignment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'm'));
  });
});
