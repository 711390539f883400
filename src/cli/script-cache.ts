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
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The file's first bytes, then the length of the V8 data that follows: a cut-short write is never handed to V8. */
const MAGIC = Buffer.from('jit-gpg code cache 1\n');

export interface CachedScript {
  exports: Record<string, unknown>;
  /** What became of the cache: none found, accepted by V8, or rejected (stale): then save() writes a new one. */
  cache: 'none' | 'accepted' | 'rejected';
  /** Writes the cache (once, after the run) unless V8 accepted the one it read. Never throws. */
  save(): void;
}

export function runCachedScript(file: string, cacheDir: string): CachedScript {
  // The identity and the text from one descriptor: a script replaced meanwhile cannot lend its name to the other's
  // code. Every shipped script is ASCII (scripts/ascii-comments.mjs): read as latin1, it needs no UTF-8 decoding.
  const fd = openSync(file, 'r');
  let source: string;
  let st: BigIntStats;
  try {
    st = fstatSync(fd, { bigint: true });
    source = readFileSync(fd, 'latin1');
  } finally {
    closeSync(fd);
  }
  const name = basename(file).replace(/\.c?js$/, '');
  // This Node's caches of this script share a prefix: a new build's replaces the old (another Node's stay).
  const prefix = `${name}-${process.version}-${process.arch}-`;
  const cacheFile = join(
    cacheDir,
    `${prefix}${[st.size, st.mtimeNs, st.ino].map((n) => n.toString(36)).join('-')}.code`,
  );
  const cachedData = readCache(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
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

/** The V8 data of a cache file, or undefined when there is none or it is not safe or whole. */
function readCache(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || (process.getuid && st.uid !== process.getuid()) || st.mode & 0o022) return undefined;
    const data = readFileSync(fd);
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
