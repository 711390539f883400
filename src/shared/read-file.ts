// Reads a file the tool was pointed at (a config, a baseline, a key, a CA bundle) only if it is a regular file under
// a size cap. Opened without blocking and checked on the open descriptor, so a FIFO, a device (a symlink to
// /dev/zero), a directory or a file swapped in after a check each give a clear error naming the file, never a hang
// or an unbounded read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { displayPath } from './escape.ts';

export interface ReadLimits {
  /** Largest accepted size in bytes. */
  maxBytes: number;
  /** What the file is, for messages: 'config file', 'baseline', 'CA certificate'. */
  what: string;
}

/** A file that is not there, not readable, not regular or too large. The message names it (escaped). */
export class FileReadError extends Error {
  override name = 'FileReadError';
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function kind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function openError(e: NodeJS.ErrnoException, label: string): FileReadError {
  const why: Record<string, string> = {
    ENOENT: 'not found',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ELOOP: 'too many levels of symbolic links',
    ENOTDIR: 'a path component is not a directory',
    ENAMETOOLONG: 'name too long',
  };
  return new FileReadError(`${label}: ${why[e.code ?? ''] ?? `cannot open (${e.code ?? 'error'})`}`, e.code ?? 'EIO');
}

/** The file's bytes, or a FileReadError naming it. Follows symlinks; what they lead to must be a regular file. */
export function readRegularFile(path: string, limits: ReadLimits): Buffer {
  const label = `${limits.what} ${displayPath(path)}`;
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw openError(e as NodeJS.ErrnoException, label);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileReadError(`${label} is ${kind(st)}, not a regular file`, 'ENOTREG');
    if (st.size > limits.maxBytes) throw tooLarge(label, limits.maxBytes);
    // Read one byte past the cap: a file that grew since fstat is caught too.
    let buf = Buffer.allocUnsafe(Math.min(st.size, limits.maxBytes) + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, limits.maxBytes + 1));
        buf.copy(grown, 0, 0, length);
        buf = grown;
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limits.maxBytes) throw tooLarge(label, limits.maxBytes);
    }
    return buf.subarray(0, length);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new FileReadError(`${label}: cannot read (${err.code ?? 'error'})`, err.code ?? 'EIO');
  } finally {
    closeSync(fd);
  }
}

function tooLarge(label: string, maxBytes: number): FileReadError {
  return new FileReadError(`${label} is larger than the ${formatBytes(maxBytes)} limit`, 'EFBIG');
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** The file as UTF-8 text (a leading BOM dropped), under the same checks. */
export function readRegularTextFile(path: string, limits: ReadLimits): string {
  const text = readRegularFile(path, limits).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
