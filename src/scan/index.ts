// The scanner's library entry: scan a work tree, stdin or any source of items with a policy, in parallel, and get
// findings in a deterministic order. No @actions imports: the action and the CLI are thin adapters over this.
import { lstatSync } from 'node:fs';
import {
  addEngineStats,
  type EngineOptions,
  type EngineStats,
  emptyEngineStats,
  ScanEngine,
  sortFindings,
} from './engine.ts';
import { groupOccurrences } from './occurrences.ts';
import type { ScanPolicy } from './policy.ts';
import { globMatcher } from './glob.ts';
import { type ItemPolicy, mayBeArchive } from './item.ts';
import { prepareRegexEngine } from './regex/index.ts';
import { RetainedSecrets } from './retained.ts';
import { scanBatch, scanCounted } from './batch.ts';
import { CollectThread } from './collect-thread.ts';
import { HAND_OUT_ARCHIVES_FROM, type PoolInit, rulesToWire, ScanPool, type WireResult } from './pool.ts';
import { stdinChunks } from './sources/stdin.ts';
import type { ScanItem } from './sources/types.ts';
import { worktreeItems } from './sources/worktree.ts';
import {
  COLLECT_AFTER_ITEMS,
  COLLECT_AFTER_MS,
  defaultThreads,
  hasPrewarmedWorker,
  isLargeTree,
  POOL_AFTER_MS,
  resolveWorkerScript,
} from './worker-thread.ts';
import type { Finding, ScanResult, ScanStats } from './types.ts';

/** In-memory bytes (archive entries, git blobs) queued for the workers at most, before the source is paused. */
const MAX_BYTES_IN_FLIGHT = 32 * 1024 * 1024;
/**
 * A batch for a worker: this many items or bytes. Each batch is a message each way and a wake-up of this thread,
 * which shares the cores with the workers; a few MiB is still a small part of a worker's share of a large scan.
 */
const BATCH_ITEMS = 64;
const BATCH_BYTES = 2 * 1024 * 1024;
/**
 * Items of a queued batch this thread takes at a time. It lets the workers' messages in only between its turns, and
 * a batch of files not stat'ed when listed may hold megabytes (a turn of 64 took 85 ms on the bench corpus, while the
 * worker's four batches ran out in 30): a short turn hands the rest of the batch to a worker that runs out.
 */
const CALLER_TAKES = 8;
export type { EngineOptions, ItemMeta, PrefilterMode } from './engine.ts';
export { ScanEngine, sortFindings } from './engine.ts';
export { fingerprint, preview } from './fingerprint.ts';
export { DEFAULT_IGNORE_PATHS, DEFAULT_MAX_FILE_SIZE, defaultPolicy, type ScanPolicy } from './policy.ts';
export { builtinRules } from './rules/index.ts';
export { readStdinItem, stdinChunks } from './sources/stdin.ts';
export type { ScanItem } from './sources/types.ts';
export { worktreeItems } from './sources/worktree.ts';

export interface ScanOptions {
  /** Root of the work tree (paths in findings are relative to it). */
  root: string;
  /** Scanned as the path `-` (bounded to 256 MiB). With neither `items` nor `stdin`, the work tree is scanned. */
  stdin?: NodeJS.ReadableStream;
  /** How findings in the stream name it: `-` for stdin, the path for a named pipe or device. */
  stdinName?: string;
  /** Custom sources (git modes). Replaces the work tree listing. */
  items?: AsyncIterable<ScanItem>;
  policy: ScanPolicy;
  /** Scanning threads; 1 scans in this thread; default: available cores (at most 8). */
  threads?: number;
  onWarning?: (message: string) => void;
  onProgress?: (p: { items: number; bytes: number }) => void;
  /** Engine tuning (benchmarks, tests). */
  engine?: Pick<EngineOptions, 'prefilter' | 'chunkSize' | 'overlap' | 'margin' | 'decode'>;
  /** Worker script override (default: probed next to this module; or JIT_GPG_SCAN_WORKER). */
  workerScript?: string | URL;
  /**
   * This thread scans beside the workers (the default: one of the `threads`); true leaves every item to them once
   * they start, and waits for them (tests).
   */
  waitForWorkers?: boolean;
  /**
   * A fixed point to start workers at (tests): below these, items are scanned inline without them. Default: when
   * the work tree is large, else once this thread has scanned for a while (worker-thread.ts, POOL_MIN_FILES).
   */
  inlineBelow?: { items: number; bytes: number };
  /** Scan inside zip/jar/whl/tar/tgz (archive.ts); default true. */
  archives?: boolean;
  /** Decode base64/hex/percent-encoded segments and scan them (decode.ts, run by the engine in the workers); default true. */
  decode?: boolean;
  /**
   * Two threads as this thread and the native collector (collect-thread.ts) where the regex engine has one; default
   * true. False: this thread and a worker, as for more threads (tests, benchmarks).
   */
  collectThread?: boolean;
}

/** Globs that name whole directories (`dir/**`), as directory patterns, so a walk can prune them. */
function directoryGlobs(globs: readonly string[]): string[] {
  return globs.filter((g) => g.endsWith('/**') && g.length > 3).map((g) => g.slice(0, -3));
}

const engineCache = new WeakMap<ScanPolicy['rules'], Map<string, ScanEngine>>();

function cachedEngine(policy: ScanPolicy): ScanEngine {
  let byKey = engineCache.get(policy.rules);
  if (!byKey) {
    byKey = new Map();
    engineCache.set(policy.rules, byKey);
  }
  const key = JSON.stringify([
    policy.rules.length,
    policy.allowRegexes,
    policy.stopwords,
    process.env.JIT_GPG_REGEX_ENGINE ?? '',
  ]);
  let engine = byKey.get(key);
  if (!engine) {
    engine = new ScanEngine(policy);
    byKey.set(key, engine);
  }
  return engine;
}

/** Scans bytes synchronously in this thread (tests, small inputs): one finding per secret, deterministic order. */
export function scanBuffer(data: Buffer, path: string, policy: ScanPolicy): Finding[] {
  return sortFindings(groupOccurrences(sortFindings(cachedEngine(policy).scanBytes(data, { path }))));
}

/** Bytes an item holds or names; 0 for a file the listing did not stat (batches then fill up by count). */
function itemSize(item: ScanItem): number {
  return item.source.kind === 'file' ? (item.source.size ?? 0) : item.source.data.length;
}

export async function scan(opts: ScanOptions): Promise<ScanResult> {
  // process.hrtime, not performance.now(): the `performance` global loads perf_hooks (~3 ms of start-up).
  const t0 = process.hrtime.bigint();
  await prepareRegexEngine();
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    opts.onWarning?.(m);
  };
  const policy = opts.policy;
  const ignore = await globMatcher(policy.ignorePaths);
  const ignoreDir = await globMatcher(directoryGlobs(policy.ignorePaths));
  const engineStats: EngineStats = emptyEngineStats();
  let skippedLarge = 0;
  const skips = { symlink: 0, special: 0 };
  let truncated = 0;
  const findings: Finding[] = [];
  const retained = new RetainedSecrets();
  let progressItems = 0;
  const progress = (items: number) => {
    progressItems += items;
    opts.onProgress?.({ items: progressItems, bytes: engineStats.bytes });
  };

  // Compile warnings are the same in every thread: each is reported once.
  const reported = new Set<string>();
  const warnOnce = (m: string) => {
    if (reported.has(m)) return;
    reported.add(m);
    warn(m);
  };
  let inline: ScanEngine | undefined;
  let engineName = '';
  const inlineEngine = (): ScanEngine => {
    if (!inline) {
      inline = new ScanEngine(policy, {
        decode: opts.decode !== false,
        ...opts.engine,
        reportInlineAllowed: policy.inlineAllow === 'report',
        onWarning: warnOnce,
      });
      engineName ||= inline.name;
      // A scan large enough for workers: this thread warms up as they do, so its hot loops are compiled once, not
      // again as the keyword pass switches to WebAssembly (TurboFan compiles in a two-thread scan of the bench's text
      // tree: 60-66 without, 52 with). A small scan (a hook's few files) does not pay for it.
      if (largeTree) inline.warmUp();
    }
    return inline;
  };
  // Archives are opened where the item is scanned (item.ts: a worker, or this thread), within the archive limits;
  // an entry is a file, so the policy's max file size bounds it.
  const itemPolicy: ItemPolicy = {
    archives: opts.archives !== false,
    limits: { maxEntrySize: policy.maxFileSize },
    maxFileSize: policy.maxFileSize,
    ignore,
  };
  const scanInline = (item: ScanItem) => {
    for (const f of scanCounted(inlineEngine(), item, itemPolicy, engineStats, warn)) findings.push(f);
    progress(1);
  };

  // Workers when there is enough to scan and more than one thread; inline otherwise. This thread is one of the
  // `threads`: it lists, and scans the batches the workers have no room for (all of them while the workers boot),
  // so no core waits for a worker to start and the scan's tail is shared. Large archives go to the workers (one that
  // opens such an archive hands its entries out), unless none is ready when the listing ends. `waitForWorkers`
  // (tests) leaves every item to the workers.
  const threads = Math.max(1, Math.floor(opts.threads ?? defaultThreads()));
  const callerScans = !opts.waitForWorkers;
  const limits = opts.inlineBelow;
  let pool: ScanPool | undefined;
  /** Two threads: this one and the native collector, instead of a pool (collect-thread.ts). */
  let collectThread: CollectThread | undefined;
  /** No worker scans (one thread, or none could start): this thread scans what comes, and what is queued. */
  let poolFailed = threads <= 1;
  /** Items listed before the pool is decided on, when only workers scan (a small input runs inline at the end). */
  const held: ScanItem[] = [];
  let seenItems = 0;
  let seenBytes = 0;
  /** A large work tree: workers from the first item. Counted once, when it is first asked. */
  let largeTree: boolean | undefined;
  /** When this thread scanned its first item (hrtime, ms), while no pool is decided on. */
  let inlineSince: number | undefined;
  const nowMs = () => Number(process.hrtime.bigint() / 1_000_000n);
  /** Two threads are this one and the native collector (collect-thread.ts), where the regex engine has one. */
  const collects = (): boolean =>
    threads === 2 &&
    callerScans &&
    opts.collectThread !== false &&
    !hasPrewarmedWorker() && // the caller started the worker it wants
    inlineEngine().regex.createCollector !== undefined;
  /** Whether the scan is large enough for workers: their start costs this thread more than a small scan. */
  const wantPool = (): boolean => {
    if (limits) return seenItems >= limits.items || seenBytes >= limits.bytes;
    if (collects()) {
      // The native collector starts in no time (its rules compile as they are first needed): no tree to count first.
      if (seenItems >= COLLECT_AFTER_ITEMS) return true;
      return inlineSince !== undefined && nowMs() - inlineSince >= COLLECT_AFTER_MS;
    }
    largeTree ??= !opts.items && !opts.stdin && (hasPrewarmedWorker() || isLargeTree(opts.root));
    if (largeTree) return true;
    return inlineSince !== undefined && nowMs() - inlineSince >= POOL_AFTER_MS;
  };
  const running = new Set<Promise<void>>();
  let batch: ScanItem[] = [];
  let batchBytes = 0;
  // Bytes held in memory by items on their way to a worker (archive entries, git blobs): bounded, so a source that
  // produces faster than the workers scan cannot grow the heap. Files on disk cost nothing until a worker reads them.
  let heldInFlight = 0;
  let poolReady = false;
  let sinceYield = 0;
  /** Settles (never rejects) once the pool has a ready worker or cannot start. */
  let poolStarting: Promise<void> | undefined;
  /** Wakes the scan's tail when a worker hands archive entries out (queued for this thread or another worker). */
  let wake = () => {};

  const startPool = (): void => {
    if (collects()) {
      const engine = inlineEngine();
      const collector = engine.nativeCollector();
      if (collector) {
        const onItem = (found: Finding[], item: boolean) => {
          for (const f of found) findings.push(f);
          if (item) progress(1);
        };
        collectThread = new CollectThread(engine, collector, itemPolicy, engineStats, { onItem, onWarning: warn });
        return;
      }
    }
    // Rules as data for the workers, made only now: a small scan (a pre-commit hook's few files) stays inline.
    const wireRules = rulesToWire(policy.rules);
    if (!wireRules) {
      poolFailed = true; // a rule's validator cannot cross to a worker: this thread scans
      return;
    }
    const script = resolveWorkerScript(opts.workerScript);
    if (!script) {
      warn('scan worker script not found; scanning in one thread');
      poolFailed = true;
      return;
    }
    const init: PoolInit = {
      rules: wireRules,
      allowRegexes: policy.allowRegexes,
      stopwords: policy.stopwords,
      ...(policy.retainSecrets?.length ? { retainSecrets: policy.retainSecrets } : {}),
      items: {
        archives: itemPolicy.archives,
        limits: itemPolicy.limits,
        maxFileSize: itemPolicy.maxFileSize,
        ignorePaths: policy.ignorePaths,
      },
      engine: { decode: opts.decode !== false, ...opts.engine, reportInlineAllowed: policy.inlineAllow === 'report' },
    };
    const workers = callerScans ? threads - 1 : threads;
    // Entries a worker hands out of a large archive: queued by the pool already, collected like any batch.
    const onSpawn = (_spawned: unknown, result: Promise<WireResult>) => {
      track(result, 0, 0);
      wake();
    };
    const p = new ScanPool(script, workers, init, warnOnce, onSpawn, { callerScans });
    pool = p;
    poolStarting = p.start().then(
      () => {
        poolReady = true;
        engineName = p.engineName;
      },
      (e) => {
        // What was queued for the workers is scanned here (take()); so is everything after.
        if (!p.isClosed) warn(`${(e as Error).message}; scanning in one thread`);
        poolFailed = true;
        return p.close();
      },
    );
  };
  /** A batch's result, once it comes: its findings, warnings and counts join the scan's. */
  const track = (result: Promise<WireResult>, items: number, inMemory: number): void => {
    const done: Promise<void> = result.then((r) => {
      running.delete(done);
      heldInFlight -= inMemory;
      for (const f of r.findings) findings.push(f);
      if (r.retained) retained.add(r.retained);
      for (const w of r.warnings) warn(w);
      addEngineStats(engineStats, r.stats);
      progress(items);
    });
    running.add(done);
  };
  /**
   * Scans here a batch queued for the workers: one they have no room for (or, with `any`, one only a worker should
   * take: none is ready). False when there is none. Then lets the workers' messages in.
   */
  const scanQueued = async (any: boolean): Promise<boolean> => {
    const taken = pool?.take(any, CALLER_TAKES);
    if (!taken) return false;
    taken.settle(
      scanBatch(inlineEngine(), taken.batch.id, taken.batch.items, itemPolicy, { handedOut: pool!.handedOut }),
    );
    await new Promise((r) => setImmediate(r));
    return true;
  };
  const submit = async (items: ScanItem[], workersOnly: boolean): Promise<void> => {
    const inMemory = items.reduce((n, it) => n + (it.source.kind === 'bytes' ? it.source.data.length : 0), 0);
    heldInFlight += inMemory;
    track(pool!.submit(items, workersOnly), items.length, inMemory);
    // What the workers have no room for, this thread scans. Bounded memory either way: never more than
    // MAX_BYTES_IN_FLIGHT held, nor (when only the workers scan) more than a few batches queued per worker.
    for (;;) {
      if ((callerScans || poolFailed) && (await scanQueued(poolFailed))) continue;
      const full = heldInFlight > MAX_BYTES_IN_FLIGHT || (!callerScans && pool!.pending > pool!.size * 6);
      if (!full || running.size === 0) return;
      await Promise.race(poolReady || poolFailed ? running : [...running, poolStarting]);
    }
  };
  const flushBatch = async (): Promise<void> => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    batchBytes = 0;
    await submit(items, false);
  };
  /** An archive a worker should open (HAND_OUT_ARCHIVES_FROM or more): a file is stat'ed only when named as one. */
  const isLargeArchive = (item: ScanItem): boolean => {
    if (!mayBeArchive(item.path, 0, itemPolicy)) return false;
    const src = item.source;
    let size: number;
    if (src.kind === 'bytes') size = src.data.length;
    else {
      try {
        size = src.size ?? lstatSync(src.absPath).size;
      } catch {
        return false; // gone or unreadable: item.ts says so, wherever it is scanned
      }
    }
    return size >= HAND_OUT_ARCHIVES_FROM && mayBeArchive(item.path, size, itemPolicy);
  };
  const send = async (item: ScanItem): Promise<void> => {
    if (poolFailed) return scanInline(item);
    // A large archive is a batch of its own, for a worker: one that opens it hands its entries out to whichever
    // thread waits for work, where this thread would scan all of it while the others wait.
    if (isLargeArchive(item)) return submit([item], callerScans);
    if (callerScans && !poolReady) {
      // The workers are still starting: this thread scans, and lets their 'ready' in now and then.
      scanInline(item);
      if (++sinceYield % 16 === 0) await new Promise((r) => setImmediate(r));
      return;
    }
    batch.push(item);
    batchBytes += itemSize(item);
    if (batch.length >= BATCH_ITEMS || batchBytes >= BATCH_BYTES) await flushBatch();
  };
  const dispatch = async (item: ScanItem): Promise<void> => {
    if (collectThread) return collectThread.add(item);
    if (poolFailed) return scanInline(item);
    if (!pool) {
      seenItems++;
      seenBytes += itemSize(item);
      // A large archive is never scanned inline while the collector could share it (it may be most of the scan).
      if (!wantPool() && !(collects() && isLargeArchive(item))) {
        if (!callerScans) {
          held.push(item);
          return;
        }
        inlineSince ??= nowMs();
        return scanInline(item);
      }
      startPool();
      const started = collectThread as CollectThread | undefined; // set by startPool()
      if (started) return started.add(item);
      for (const it of held.splice(0)) await send(it);
    }
    await send(item);
  };

  const accept = (item: ScanItem): boolean => {
    if (item.path !== '-' && ignore(item.path)) return false;
    const size = itemSize(item);
    // An archive may be larger than the max file size: its entries are what the limit applies to (item.ts). A file
    // the listing did not stat is checked where it is opened (item.ts), with the same count.
    if (
      item.path !== '-' &&
      size > policy.maxFileSize &&
      !(item.source.kind === 'file' && mayBeArchive(item.path, size, itemPolicy))
    ) {
      skippedLarge++;
      return false;
    }
    return true;
  };

  const source =
    opts.items ??
    (opts.stdin
      ? undefined
      : worktreeItems(opts.root, {
          onWarning: warn,
          ignore,
          ignoreDir,
          onSkip: (kind) => skips[kind]++,
          // A fixed `inlineBelow` counts bytes, up to its first `limits.items` files; past those (and otherwise) the
          // walk leaves the stat to whoever opens the file (one system call fewer per file on this thread).
          statFirst: threads > 1 && limits ? limits.items : 0,
        }));
  try {
    if (source) {
      // Archives are opened and encoded segments decoded where the item is scanned (item.ts, engine.ts).
      for await (const item of source) if (accept(item)) await dispatch(item);
    }
    collectThread?.finish();
    // Whatever was held back (a small input) runs inline.
    if (!pool) {
      poolFailed = true;
      for (const it of held.splice(0)) scanInline(it);
    }
    if (pool) {
      await flushBatch();
      // The tail: this thread scans what is queued (archives too when no worker is ready: it does not wait for one
      // to boot) and waits for the rest. A batch may hand out archive entries before its result comes: those
      // batches join `running` meanwhile, and wake it.
      while (running.size > 0) {
        const any = poolFailed || (callerScans && pool.readyWorkers === 0);
        if ((callerScans || poolFailed) && (await scanQueued(any))) continue;
        const woken = new Promise<void>((r) => {
          wake = r;
        });
        pool.setCallerWaiting(callerScans && !poolFailed);
        await Promise.race([...running, woken, ...(poolReady || poolFailed ? [] : [poolStarting])]);
        pool.setCallerWaiting(false);
      }
    }
  } finally {
    // Also when a source fails midway: no worker outlives the scan. One still starting is not waited for.
    const p = pool as ScanPool | undefined;
    if (p && !poolReady) await p.close();
    if (poolStarting) await poolStarting;
    await p?.close();
  }

  if (opts.stdin) {
    const stdinName = opts.stdinName ?? '-';
    const stream = inlineEngine().openStream({ path: stdinName }, engineStats);
    const onCut = (m: string) => {
      truncated++;
      warn(m);
    };
    for await (const chunk of stdinChunks(opts.stdin, { onWarning: onCut, name: stdinName })) stream.write(chunk);
    for (const f of stream.end()) findings.push(f);
    progress(1);
  }
  if (inline) retained.add(inline.takeRetained());

  // One finding per (rule, secret): the first occurrence, with every other place in `locations` (git sources regroup
  // by commit order themselves). Deterministic order.
  const unique = sortFindings(groupOccurrences(sortFindings(findings)));
  const stats: ScanStats = {
    files: engineStats.files,
    bytes: engineStats.bytes,
    skippedBinary: engineStats.skippedBinary,
    skippedLarge: skippedLarge + engineStats.skippedLarge,
    ...(skips.symlink + engineStats.skippedSymlinks
      ? { skippedSymlinks: skips.symlink + engineStats.skippedSymlinks }
      : {}),
    ...(skips.special ? { skippedSpecial: skips.special } : {}),
    ...(engineStats.skippedArchive ? { skippedArchive: engineStats.skippedArchive } : {}),
    ...(truncated ? { truncated } : {}),
    unreadable: engineStats.unreadable,
    failed: engineStats.failed,
    durationMs: Math.round(Number(process.hrtime.bigint() - t0) / 1e6),
    engine: engineName || inlineEngine().name,
  };
  const result: ScanResult = { findings: unique, stats, warnings, staleBaseline: [] };
  if (policy.retainSecrets?.length) result.secrets = retained;
  return result;
}
