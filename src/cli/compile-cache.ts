// The CLI starts on every pre-commit hook and stdin scan. Node (>= 22.1) can keep the V8 code of the scanner's
// half-megabyte chunk between runs, which skips most of its compile time. The cache lives in the user's own cache
// directory, created private (0700): code read back from it runs, so no other user may write there (a shared
// tmpdir, Node's default, would let one). NODE_COMPILE_CACHE or NODE_DISABLE_COMPILE_CACHE still take precedence.
import { lstatSync, mkdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function enableCliCompileCache(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => { status: number; directory?: string } })
    .enableCompileCache;
  if (!enable || env.NODE_DISABLE_COMPILE_CACHE || env.JIT_GPG_NO_COMPILE_CACHE) return undefined;
  try {
    if (env.NODE_COMPILE_CACHE) return enable().directory;
    const base = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
    const dir = join(base, 'jit-gpg', 'v8-compile-cache');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // A directory someone else owns or may write to (made before us, or a symlink) is not used.
    const st = lstatSync(dir);
    if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || st.mode & 0o022) return undefined;
    return enable(dir).directory;
  } catch {
    return undefined; // no home, a read-only one: start without the cache
  }
}
