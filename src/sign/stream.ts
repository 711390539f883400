// Reads a file once, at native speed and with flat memory, into any number of node:crypto hashes: two fixed
// buffers alternate so the next read runs in the thread pool while this chunk is hashed. Signing (signer.ts) and
// verification (verify.ts) both hash files through this.
import type { Hash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Size of each of the two read buffers. */
export const READ_CHUNK = 1024 * 1024;

/** Streams the file at `path` into every hash given; returns the number of bytes read. */
export async function hashFileInto(path: string, hashes: readonly Hash[]): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const bufs = [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)];
    let which = 0;
    let size = 0;
    let pending = fh.read(bufs[0]!, 0, READ_CHUNK, null);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const buf = bufs[which]!;
      which ^= 1;
      pending = fh.read(bufs[which]!, 0, READ_CHUNK, null);
      const chunk = bytesRead === READ_CHUNK ? buf : buf.subarray(0, bytesRead);
      for (const h of hashes) h.update(chunk);
      size += bytesRead;
    }
    return size;
  } finally {
    await fh.close();
  }
}
