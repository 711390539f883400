// `jit-gpg scan -`: whatever is piped in (logs, a diff), scanned as the path `-`, read with a bound.
import { closeSync, constants, createReadStream, fstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Socket } from 'node:net';
import { displayPath } from '../../shared/escape.ts';
import type { ScanItem } from './types.ts';

export const STDIN_LIMIT = 256 * 1024 * 1024;

/** The stream's chunks until it ends or `limit` bytes were read (then a warning; the rest is not read). */
export async function* stdinChunks(
  stream: NodeJS.ReadableStream,
  opts: { limit?: number; onWarning?: (m: string) => void; name?: string } = {},
): AsyncGenerator<Buffer> {
  const limit = opts.limit ?? STDIN_LIMIT;
  const name = opts.name ?? '-';
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (total + buf.length > limit) {
      buf = buf.subarray(0, limit - total);
      if (buf.length) yield buf;
      opts.onWarning?.(
        `${name}: input is larger than ${Math.round(limit / 1048576)} MiB; only the first part was scanned (the scan is incomplete)`,
      );
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

/** A named path that cannot be scanned as a stream (a FIFO nobody writes to). */
export class NamedInputError extends Error {
  override name = 'NamedInputError';
}

/**
 * A named path that is not a regular file (`/dev/stdin`, a process substitution, a FIFO, a device), opened to be
 * read to its end like stdin (the caller applies the same cap). Opened without blocking: a FIFO with no writer is an
 * error naming it, never a hang.
 */
export async function openNamedInput(abs: string, name: string): Promise<NodeJS.ReadableStream> {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    // `/dev/stdin` (`/proc/self/fd/N`) of a socket cannot be opened again: read that descriptor, never closing it.
    const own = (e as NodeJS.ErrnoException).code === 'ENXIO' ? ownDescriptor(abs) : undefined;
    if (own === undefined) throw e;
    return createReadStream('', { fd: own, autoClose: false });
  }
  const st = fstatSync(fd);
  if (!st.isFIFO() && !st.isSocket()) {
    // A device (or anything else that blocks the ordinary way): plain reads, bounded by the caller's cap.
    closeSync(fd);
    return createReadStream(abs);
  }
  const probe = Buffer.allocUnsafe(64 * 1024);
  let first: Buffer | undefined;
  try {
    const n = readSync(fd, probe, 0, probe.length, null);
    if (n === 0) {
      closeSync(fd);
      throw new NamedInputError(
        `${displayPath(name)}: a FIFO with no writer (or nothing written to it): nothing to scan; start the writer ` +
          'first, or pipe the data to `jit-gpg scan -`',
      );
    }
    first = Buffer.from(probe.subarray(0, n));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
      if (e instanceof NamedInputError) throw e;
      closeSync(fd);
      throw e;
    }
  }
  // A writer is there: libuv reads the non-blocking pipe as a stream.
  const pipe = new Socket({ fd, readable: true, writable: false });
  const { Readable } = await import('node:stream'); // only here: the stream stack is ~4 ms of every start
  return Readable.from(
    (async function* () {
      if (first) yield first;
      for await (const chunk of pipe) yield chunk as Buffer;
    })(),
  );
}

/** N when `path` is (a link chain to) this process's `/proc/self/fd/N` or `/dev/fd/N`. */
function ownDescriptor(path: string): number | undefined {
  let p = path;
  for (let i = 0; i < 8; i++) {
    const m = /^\/(?:proc\/self\/fd|dev\/fd)\/(\d+)$/.exec(p) ?? (p === '/dev/stdin' ? ['', '0'] : null);
    if (m) return Number(m[1]);
    try {
      p = resolve(dirname(p), readlinkSync(p));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
