// Content-addressed file store under DATA_DIR/files. Paths derive only from a validated sha256,
// so no id or filename from outside can point anywhere else.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { rename, rm, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { newId } from '../ids';
import { AppError } from '../errors';

const SHA = /^[0-9a-f]{64}$/;

export class DocumentStore {
  constructor(private readonly dataDir: string) {}

  private get tmpDir() {
    return path.join(this.dataDir, 'tmp');
  }

  pathFor(sha256: string): string {
    if (!SHA.test(sha256)) throw new AppError('INVALID', 'Bad content hash');
    return path.join(this.dataDir, 'files', sha256.slice(0, 2), `${sha256}.pdf`);
  }

  /** Streams an upload to a temp file while hashing it; the caller commits or discards it. */
  async receive(stream: Readable, maxBytes: number): Promise<{ tmpPath: string; sha256: string; size: number }> {
    await mkdir(this.tmpDir, { recursive: true });
    const tmpPath = path.join(this.tmpDir, `${newId()}.upload`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes)
          return cb(new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${Math.round(maxBytes / 1048576)} MB`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, fs.createWriteStream(tmpPath, { flags: 'wx' }));
      // @fastify/multipart truncates silently at its own limit; treat that as too large too.
      if ((stream as Readable & { truncated?: boolean }).truncated) {
        throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${Math.round(maxBytes / 1048576)} MB`);
      }
    } catch (e) {
      await rm(tmpPath, { force: true });
      throw e;
    }
    return { tmpPath, sha256: hash.digest('hex'), size };
  }

  /** Moves a received file into place (a no-op if those bytes are already stored). */
  async commit(tmpPath: string, sha256: string): Promise<void> {
    const dest = this.pathFor(sha256);
    await mkdir(path.dirname(dest), { recursive: true });
    if (await this.has(sha256)) await rm(tmpPath, { force: true });
    else await rename(tmpPath, dest);
  }

  /** A fresh, not yet existing path in the temp dir, for a file the server derives (web copy). */
  async newTmpPath(): Promise<string> {
    await mkdir(this.tmpDir, { recursive: true });
    return path.join(this.tmpDir, `${newId()}.derived`);
  }

  async discard(tmpPath: string): Promise<void> {
    await rm(tmpPath, { force: true });
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathFor(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** Writes bytes made by the server itself (demo seed, exports). */
  async putBytes(bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const dest = this.pathFor(sha256);
    await mkdir(path.dirname(dest), { recursive: true });
    if (!(await this.has(sha256))) {
      const tmp = path.join(path.dirname(dest), `${newId()}.tmp`);
      await fs.promises.writeFile(tmp, bytes);
      await rename(tmp, dest);
    }
    return { sha256, size: bytes.length };
  }
}
