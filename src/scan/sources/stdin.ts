// `jit-gpg scan -`: whatever is piped in (logs, a diff), scanned as the path `-`, read with a bound.
import type { ScanItem } from './types.ts';

export const STDIN_LIMIT = 256 * 1024 * 1024;

/** The stream's chunks until it ends or `limit` bytes were read (then a warning; the rest is not read). */
export async function* stdinChunks(
  stream: NodeJS.ReadableStream,
  opts: { limit?: number; onWarning?: (m: string) => void } = {},
): AsyncGenerator<Buffer> {
  const limit = opts.limit ?? STDIN_LIMIT;
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (total + buf.length > limit) {
      buf = buf.subarray(0, limit - total);
      if (buf.length) yield buf;
      opts.onWarning?.(`-: input is larger than ${Math.round(limit / 1048576)} MiB; only the first part was scanned`);
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).pause?.();
      return;
    }
    total += buf.length;
    if (buf.length) yield buf;
  }
}

/** The whole input (bounded) as one `bytes` item, for callers that want an item rather than a stream. */
export async function readStdinItem(
  stream: NodeJS.ReadableStream,
  opts: { limit?: number; onWarning?: (m: string) => void } = {},
): Promise<ScanItem> {
  const parts: Buffer[] = [];
  for await (const b of stdinChunks(stream, opts)) parts.push(b);
  return { path: '-', source: { kind: 'bytes', data: Buffer.concat(parts) } };
}
