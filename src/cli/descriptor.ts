// `--passphrase-fd N`: read a secret from a descriptor the caller opened (`3<pass.txt`, a pipe from a secret
// manager), as gpg does, without ever touching one Node or libuv opened for itself, and without closing N.
//
// Node's own descriptors are event machinery (eventfd, epoll, io_uring: anonymous inodes), self-pipes (both ends
// held by this process, so a read would never see end of file) and /dev/null; a caller's descriptor is a regular
// file or the read end of a pipe or FIFO whose writer is elsewhere. So N is accepted only when it is one of those.
// On Linux N is reopened through /proc/self/fd/N as a new, non-blocking descriptor of our own: reading is bounded
// in size and time, and closing it leaves N exactly as the caller handed it over.
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs';

export class DescriptorError extends Error {
  override name = 'DescriptorError';
}

export interface DescriptorReadOptions {
  /** The flag, for messages (e.g. `--passphrase-fd`). */
  flag: string;
  maxBytes: number;
  /** How long to wait for the writer to finish. */
  timeoutMs: number;
}

function kind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device (a terminal or /dev/null)';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a file or pipe (event machinery of the Node runtime itself)';
}

/** The access mode (O_RDONLY, O_WRONLY, O_RDWR) of a descriptor of this process (Linux /proc; undefined elsewhere). */
function accessMode(fd: number | string): number | undefined {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return flags ? Number.parseInt(flags[1]!, 8) & 3 : undefined;
  } catch {
    return undefined;
  }
}

/** Whether this process itself holds a write end of the pipe that `fd` reads (Linux /proc; false elsewhere). */
export function holdsWriteEnd(fd: number): boolean {
  let target: string;
  try {
    target = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return false;
  }
  if (!target.startsWith('pipe:')) return false;
  for (const name of readdirSync('/proc/self/fd')) {
    if (Number(name) === fd) continue;
    try {
      if (readlinkSync(`/proc/self/fd/${name}`) !== target) continue;
      const access = accessMode(name);
      if (access === constants.O_WRONLY || access === constants.O_RDWR) return true;
    } catch {
      // closed meanwhile (our own readdir's descriptor, for one)
    }
  }
  return false;
}

/** Checks that `fd` is a descriptor the caller could have handed over; returns its stat. Throws DescriptorError. */
export function checkCallerDescriptor(fd: number, flag: string): Stats {
  if (fd === 1 || fd === 2) {
    throw new DescriptorError(`${flag} ${fd} is the standard ${fd === 1 ? 'output' : 'error'}, not a secret to read`);
  }
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch {
    throw new DescriptorError(
      `${flag} ${fd}: no such open descriptor; open it in the calling shell (e.g. \`${fd}<pass.txt\`) or use --passphrase-env`,
    );
  }
  if (!st.isFile() && !st.isFIFO()) {
    throw new DescriptorError(`${flag} ${fd} is ${kind(st)}: pass a file or a pipe the caller opened`);
  }
  if (accessMode(fd) === constants.O_WRONLY) {
    throw new DescriptorError(`${flag} ${fd} is open for writing only (not one the caller opened for reading)`);
  }
  if (st.isFIFO() && holdsWriteEnd(fd)) {
    throw new DescriptorError(
      `${flag} ${fd} is a pipe this process writes to itself (not one the caller opened); reading it would never end`,
    );
  }
  return st;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads what the caller's descriptor `fd` holds, bounded in size and time, never closing `fd`. Throws
 * DescriptorError with a message that names the flag, never the content.
 */
export async function readCallerDescriptor(fd: number, options: DescriptorReadOptions): Promise<Buffer> {
  const { flag, maxBytes } = options;
  if (!Number.isSafeInteger(fd) || fd < 0) throw new DescriptorError(`${flag} needs a descriptor number`);
  const st = checkCallerDescriptor(fd, flag);
  let own: number | undefined;
  if (existsSync(`/proc/self/fd/${fd}`)) {
    try {
      own = openSync(`/proc/self/fd/${fd}`, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    } catch (e) {
      throw new DescriptorError(`${flag} ${fd}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else if (!st.isFile()) {
    throw new DescriptorError(`${flag} ${fd} is a pipe: on this system only a file works; use --passphrase-env`);
  }
  const source = own ?? fd;
  const chunks: Buffer[] = [];
  let size = 0;
  let position = 0;
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (;;) {
      const buf = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1));
      let n: number;
      try {
        // a regular file is read by position (pread): the caller's offset stays where it was
        n = readSync(source, buf, 0, buf.length, st.isFile() ? position : null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
          throw new DescriptorError(`${flag} ${fd}: read failed (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
        }
        if (Date.now() > deadline) {
          throw new DescriptorError(
            `${flag} ${fd}: the writer did not finish within ${Math.round(options.timeoutMs / 1000)} s (close the pipe after writing the passphrase)`,
          );
        }
        await sleep(20);
        continue;
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      size += n;
      position += n;
      if (size > maxBytes) throw new DescriptorError(`${flag} ${fd}: more than ${maxBytes} bytes`);
    }
    return Buffer.concat(chunks);
  } finally {
    if (own !== undefined) closeSync(own); // ours; the caller's `fd` stays open
  }
}
