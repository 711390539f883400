// How a scan worker thread is started (its heap, environment and script), when a scan is large enough for workers,
// and the workers the CLI may start before it has loaded the scanner: one per scanning thread beside its own. Each
// boots (Node's own start-up, the worker bundle, the regex engine) while this thread loads the scanner and the
// config; the pool adopts them and sends each the policy by message. A scan that stays inline never adopts them,
// and drops them.
// Kept apart from pool.ts, which imports the rule catalogue: the CLI loads this before the scanner.
import { type Dirent, existsSync, readdirSync } from 'node:fs';
// A namespace import: Node 20 has no getCompileCacheDir, and a named import of it would fail to link there.
import * as nodeModule from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker's V8 heap. Its young generation is small: a worker's allocations die young (per-window candidates,
 * per-item findings) and it holds little (the compiled policy), so a small nursery costs no measurable CPU, while
 * V8's default (its new space grew to 16 MiB in each worker on the bench corpus) is resident memory in every worker
 * and lets dead buffers (zlib's chunks, small entries) wait for a collection that only comes when it fills.
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 } as const;

/**
 * The workers' environment: this process's, plus the V8 compile cache when this thread has one (the CLI enables it:
 * src/cli/compile-cache.ts). module.enableCompileCache() covers only the thread that calls it; a worker started with
 * NODE_COMPILE_CACHE loads its bundle from the cache instead of compiling it (~25 ms per worker). Node reports the
 * cache's per-version subdirectory, and adds that subdirectory itself to what NODE_COMPILE_CACHE names: its parent.
 */
export function workerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const dir = nodeModule.getCompileCacheDir?.();
  return dir && !env.NODE_COMPILE_CACHE ? { ...env, NODE_COMPILE_CACHE: dirname(dir) } : env;
}

/**
 * When scan() starts workers (unless told a fixed `inlineBelow`): at once for a work tree of at least POOL_MIN_FILES
 * files (hasFiles), else once this thread has scanned for POOL_AFTER_MS. A worker's start costs this thread too (on
 * the 2-core build machine, a 500-file tree took 366 ms with a worker against 239 ms without, and the worker only
 * paid from about 4,000 files of the bench corpus, 0.75 s of scanning): a smaller scan is over before it helps.
 */
export const POOL_MIN_FILES = 4000;
export const POOL_AFTER_MS = 500;
/**
 * When scan() starts the native collector for two threads (collect-thread.ts): after this many items, or this long
 * scanning in this thread alone. A scan of a few dozen files (a pre-commit hook's) is over in milliseconds: the
 * collector's tables and arenas would cost it more than a second thread gives back.
 */
export const COLLECT_AFTER_ITEMS = 128;
export const COLLECT_AFTER_MS = 50;
/**
 * hasFiles() reads at most this many directories (20-80 us each: 30-40 ms in all on the bench corpus, from a cold
 * start); a tree with more counts as large.
 */
const COUNT_MAX_DIRS = 512;

/**
 * Whether `root` holds at least `n` files, counted breadth-first (readdir only, no stat), leaving out `.git` and
 * `node_modules` as the scan does; a tree of more than COUNT_MAX_DIRS directories counts as large.
 */
export function hasFiles(root: string, n: number): boolean {
  // Paths joined by hand: path.join normalizes each one, and called for every directory it made V8 compile path's
  // helpers with TurboFan while the workers boot (~17 ms of compiler time on the bench corpus).
  const dirs = [root.endsWith('/') ? root.slice(0, -1) || '/' : root];
  let files = 0;
  for (let i = 0; i < dirs.length; i++) {
    if (i === COUNT_MAX_DIRS) return true;
    let entries: Dirent[];
    try {
      entries = readdirSync(dirs[i]!, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile() && ++files >= n) return true;
      if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') {
        dirs.push(dirs[i] === '/' ? `/${e.name}` : `${dirs[i]}/${e.name}`);
      }
    }
  }
  return false;
}

const largeTrees = new Map<string, boolean>();

/** Whether the tree at `root` gets workers from its start (hasFiles, POOL_MIN_FILES); counted once per process. */
export function isLargeTree(root: string): boolean {
  let large = largeTrees.get(root);
  if (large === undefined) {
    large = hasFiles(root, POOL_MIN_FILES);
    largeTrees.set(root, large);
  }
  return large;
}

/** Default pool size: the available cores, at most 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * The worker script: an explicit override (option or JIT_GPG_SCAN_WORKER), else the first that exists of
 * `./worker.ts` (sources), `./worker.js` (dist/scan/main.js), `./scan/worker.js` (dist/cli.js),
 * `../scan/worker.js` (another dist/ subdirectory), `../../scan/worker.js` (a chunk in dist/scan/chunks/ or
 * dist/sign/chunks/), relative to this module.
 */
export function resolveWorkerScript(override?: string | URL, base: string | URL = import.meta.url): URL | undefined {
  const explicit = override ?? process.env.JIT_GPG_SCAN_WORKER;
  if (explicit) {
    const url =
      explicit instanceof URL ? explicit : /^file:/.test(explicit) ? new URL(explicit) : new URL(`file://${explicit}`);
    return existsSync(fileURLToPath(url)) ? url : undefined;
  }
  for (const candidate of [
    './worker.ts',
    './worker.js',
    './scan/worker.js',
    '../scan/worker.js',
    '../../scan/worker.js',
  ]) {
    const url = new URL(candidate, base);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** A scan worker on `script`; without `init`, it waits for the policy as its first message (see prewarmWorker). */
export function startScanWorker(script: URL, init?: unknown): Worker {
  return new Worker(script, {
    workerData: init ?? null,
    stdout: false,
    stderr: false,
    resourceLimits: WORKER_RESOURCE_LIMITS,
    env: workerEnv(),
  });
}

interface Prewarmed {
  worker: Worker;
  script: string;
  failed: boolean;
  onEnd: () => void;
}
let prewarmed: Prewarmed[] = [];

/**
 * Starts scan workers ahead of the pool, up to `count` in all (the pool's size): a worker takes ~120 ms of
 * CPU to boot, load the scanner and warm its engine up, and started with the pool, every worker spent that while the
 * listing had found work for it already. They do not keep the process alive, and one that fails while it waits is
 * only marked: the pool then starts a fresh one.
 */
export function prewarmWorker(script: URL, count = 1): void {
  while (prewarmed.length < count) {
    const worker = startScanWorker(script);
    const entry: Prewarmed = { worker, script: script.href, failed: false, onEnd: () => {} };
    entry.onEnd = () => {
      entry.failed = true;
    };
    worker.unref();
    worker.on('error', entry.onEnd);
    worker.on('exit', entry.onEnd);
    prewarmed.push(entry);
  }
}

/** Whether a prewarmed worker waits to be adopted (the CLI found a large tree: scan() need not count it again). */
export function hasPrewarmedWorker(): boolean {
  return prewarmed.some((e) => !e.failed);
}

/** A prewarmed worker for `script`, each once, ref'ed again; undefined when there is none left or it failed. */
export function adoptPrewarmedWorker(script: URL): Worker | undefined {
  const at = prewarmed.findIndex((e) => e.script === script.href);
  if (at < 0) return undefined;
  const [entry] = prewarmed.splice(at, 1);
  if (entry!.failed) return undefined;
  entry!.worker.off('error', entry!.onEnd);
  entry!.worker.off('exit', entry!.onEnd);
  entry!.worker.ref();
  return entry!.worker;
}

/**
 * Stops the prewarmed workers nobody adopted (the scan ran inline, or never ran). The CLI does not wait for them to
 * end; the promise (how many were stopped, once they have ended) is for whoever wants to; undefined when none lived.
 */
export function dropPrewarmedWorker(): Promise<number> | undefined {
  const live = prewarmed.filter((e) => !e.failed);
  prewarmed = [];
  if (live.length === 0) return undefined;
  return Promise.all(live.map((e) => e.worker.terminate())).then(() => live.length);
}
