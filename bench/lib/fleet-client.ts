// Parent side of a client fleet (bench/lib/fleet.ts), each in its own process.
import path from 'node:path';
import { ChildRpc } from './rpc';
import { ROOT } from './server-process';

export class Fleet {
  private constructor(private readonly rpc: ChildRpc) {}

  static start(name = 'fleet'): Fleet {
    return new Fleet(ChildRpc.start(path.join(ROOT, 'bench/lib/fleet.ts'), name));
  }

  call<T>(cmd: string, args: unknown = {}, timeoutMs?: number): Promise<T> {
    return this.rpc.call<T>(cmd, args, timeoutMs);
  }

  get pid(): number {
    return this.rpc.child.pid ?? 0;
  }

  async stop(): Promise<void> {
    try {
      await this.rpc.call('close', {}, 10_000);
    } catch {
      /* exiting anyway */
    }
    await this.rpc.stop();
  }
}

export interface CommandResult {
  sentAt: number;
  ackAt: number;
  ack: { ok: boolean; seq?: number; error?: { code: string; message: string } };
}

/** The chair starts the demo meeting and shows the document (needed before page.set). */
export async function startMeeting(
  url: string,
  s: { meetingId: string; documentId: string; cookies: Record<string, string> },
): Promise<void> {
  const f = Fleet.start('fleet-setup');
  try {
    await f.call('writers', { url, cookies: [s.cookies.chair], meetingId: s.meetingId });
    for (const [type, payload] of [
      ['meeting.start', {}],
      ['document.show', { documentId: s.documentId }],
    ] as const) {
      const r = await f.call<CommandResult>('command', {
        writer: 0,
        id: `setup-${type}-${Date.now()}`,
        meetingId: s.meetingId,
        type,
        payload,
      });
      if (!r.ack.ok && r.ack.error?.code !== 'CONFLICT') throw new Error(`${type} refused: ${JSON.stringify(r.ack.error)}`);
    }
  } finally {
    await f.stop();
  }
}
