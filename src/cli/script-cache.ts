// Runs a CommonJS script of the CLI (dist/cli/scan.cjs) through node:vm with a V8 code cache of its own. Node's
// compile cache keeps what V8 compiled when a module was loaded: its top level. Created after a run instead, the
// cache also holds every function that run compiled, so the next one-file scan neither parses nor compiles them
// (about 10 ms of each start). It lives beside Node's, in the directory the CLI checked (src/cli/compile-cache.ts:
// the user's own, 0700); code read back from it runs, so only a regular file the user owns, that no one else may
// write, is read. V8 refuses a cache of another V8 version, other flags or another source length; the file's name
// carries the Node version and the script's size, modification time and inode, so a changed script never meets an
// old cache.
import {
  type BigIntStats,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** A cache is about the size of its script (half a megabyte): a file far larger is not one of ours, and not read. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/** The file's first bytes, then the length of the V8 data that follows: a cut-short write is never handed to V8. */
const MAGIC = Buffer.from('jit-gpg code cache 1\n');

export interface CachedScript {
  exports: Record<string, unknown>;
  /** What became of the cache: none found, accepted by V8, or rejected (stale): then save() writes a new one. */
  cache: 'none' | 'accepted' | 'rejected';
  /** Writes the cache (once, after the run) unless V8 accepted the one it read. Never throws. */
  save(): void;
}

/**
 * How a CommonJS module's text is wrapped to run as a function. The bundle writes dist/cli/scan.cjs wrapped already
 * (scripts/bundle.mjs): V8 then compiles the file's text as it was read, where wrapping it here would hand V8 a
 * concatenation that it copies into one more string of the script's size.
 */
export const SCRIPT_WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'] as const;

export function runCachedScript(file: string, cacheDir: string): CachedScript {
  // The identity and the text from one descriptor: a script replaced meanwhile cannot lend its name to the other's
  // code. Every shipped script is ASCII (scripts/ascii-comments.mjs): read as latin1, it needs no UTF-8 decoding.
  // One buffer takes the script and then the cache (both about half a megabyte): on this kind of machine each page
  // of fresh memory costs a fault of ~15 us, and a second buffer was ~2 ms of every start.
  const fd = openSync(file, 'r');
  let text: string;
  let st: BigIntStats;
  let buffer: Buffer;
  try {
    st = fstatSync(fd, { bigint: true });
    buffer = readWhole(fd, Number(st.size), Buffer.allocUnsafeSlow(Number(st.size)));
    text = buffer.toString('latin1');
  } finally {
    closeSync(fd);
  }
  const [open, close] = SCRIPT_WRAPPER;
  const source = text.startsWith(open) && text.endsWith(close) ? text : `${open}${text}${close}`;
  const name = basename(file).replace(/\.c?js$/, '');
  // This Node's caches of this script share a prefix: a new build's replaces the old (another Node's stay).
  const prefix = `${name}-${process.version}-${process.arch}-`;
  const cacheFile = join(
    cacheDir,
    `${prefix}${[st.size, st.mtimeNs, st.ino].map((n) => n.toString(36)).join('-')}.code`,
  );
  const cachedData = readCache(cacheFile, buffer);
  const script = new Script(source, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const cache = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  );
  let saved = cache === 'accepted';
  return {
    exports: module.exports,
    cache,
    save() {
      if (saved) return;
      saved = true;
      writeCache(cacheDir, cacheFile, prefix, script.createCachedData());
    },
  };
}

/**
 * The V8 data of a cache file (in `spare` when it fits: V8 copies what it takes before the script is made), or
 * undefined when there is none or it is not safe or whole.
 */
function readCache(path: string, spare: Buffer): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || (process.getuid && st.uid !== process.getuid()) || st.mode & 0o022) return undefined;
    if (st.size > MAX_CACHE_BYTES) return undefined;
    const data = readWhole(fd, st.size, st.size <= spare.length ? spare : Buffer.allocUnsafeSlow(st.size));
    const head = MAGIC.length + 4;
    if (data.length < head || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    if (data.readUInt32LE(MAGIC.length) !== data.length - head) return undefined;
    return data.subarray(head);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The first `size` bytes of the file into `into`; fewer only when the file is shorter. */
function readWhole(fd: number, size: number, into: Buffer): Buffer {
  let at = 0;
  while (at < size) {
    const n = readSync(fd, into, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return into.subarray(0, at);
}

/** Written whole under a temporary name, then renamed: a reader sees the old file or the new one. */
function writeCache(dir: string, path: string, prefix: string, data: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(data.length);
    writeFileSync(tmp, Buffer.concat([MAGIC, length, data]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
    // The caches of this script's earlier builds, under this Node, are dead weight now.
    for (const f of readdirSync(dir)) {
      if (f.startsWith(prefix) && f.endsWith('.code') && join(dir, f) !== path) rmSync(join(dir, f), { force: true });
    }
  } catch {
    rmSync(tmp, { force: true });
  }
}
