// A scan on two threads without a second JavaScript isolate: this thread lists, reads and judges (phases 3 and 4:
// filters, validators, locations, overlaps, decoding), while the native collector (regex/types.ts, NativeCollector;
// scripts/native/collector.cc) runs phases 1 and 2 (the keyword pass, the rules' windows, RE2) and the decoder's
// first pass on a thread of its own. Items are read into batches (arenas of ARENA_BYTES, reused) and queued for it;
// when more are queued than it needs to stay busy, this thread takes the newest back and runs the same native code
// on it itself, so neither thread waits for the other. A worker thread instead boots Node and compiles the engine
// again, which on two cores cost about as much as the second thread gave back (README, Performance).
//
// The findings are the engine's own: the collector computes exactly what ScanEngine.collect() would over the same
// windows (engine.ts windowsOf()), and everything after it runs here as it runs in any scan.
import { countFailure } from './batch.ts';
import type { EngineStats, ItemMeta, ScanEngine } from './engine.ts';
import { looksBinary, utf16ToUtf8 } from './engine.ts';
import { type ItemPolicy, metaOf, type ReadPlain, readPlain } from './item.ts';
import type { NativeCollector } from './regex/index.ts';
import type { ScanItem } from './sources/types.ts';
import type { Finding } from './types.ts';

/** A batch's bytes: large enough that a batch's fixed cost is noise, small enough to share the work finely. */
export const ARENA_BYTES = 512 * 1024;
/** Items larger than an arena get a buffer of their own, sized in steps of this, and the largest few are kept. */
const LARGE_STEP = 1024 * 1024;
const KEEP_LARGE = 2;
/** Items per batch at most (many tiny files: the judging of a batch stays short). */
const BATCH_ITEMS = 128;
/**
 * Batches queued for the collector's thread ahead of the one it works on. A batch filled while more wait is taken
 * back (the newest first) and collected by this thread (the same native code, here): the two threads share the
 * matching as each has time for it, and the collector never runs dry while this thread reads and judges.
 */
const QUEUED = 2;
/** NativeCollector.state(): waiting for the collector's thread; done or failed (its results can be taken). */
const QUEUED_JOB = 0;
const SETTLED_JOB = 2;

interface Entry {
  data: Buffer;
  meta: ItemMeta;
  /** The entry's windows (engine.windowsOf()), a count: its results follow the previous entry's. */
  windows: number;
  /** Judging it completes an item (an archive's entries do not: the archive is the item). */
  item: boolean;
}

interface Batch {
  /** An arena, or a large buffer for an item larger than an arena (alloc()). */
  bytes: Buffer;
  used: number;
  entries: Entry[];
  /** (start, end) pairs into `bytes`, every entry's windows in order. */
  windows: number[];
  /** Its id at the collector, once submitted. */
  job?: number;
}

export interface CollectThreadEvents {
  /** Findings (none for an item skipped or failed); `item`: an item is done (progress), not an archive's entry. */
  onItem: (findings: Finding[], item: boolean) => void;
  onWarning: (message: string) => void;
}

export class CollectThread {
  private readonly engine: ScanEngine;
  private readonly collector: NativeCollector;
  private readonly policy: ItemPolicy;
  private readonly stats: EngineStats;
  private readonly events: CollectThreadEvents;
  /** Arenas free for the next batch, and large buffers (see alloc()). */
  private readonly spare: Buffer[] = [];
  private readonly large: Buffer[] = [];
  private current: Batch;
  /** Batches submitted to the collector and not yet judged, oldest first. */
  private inFlight: Batch[] = [];
  private collectorFailed = false;

  constructor(
    engine: ScanEngine,
    collector: NativeCollector,
    policy: ItemPolicy,
    stats: EngineStats,
    events: CollectThreadEvents,
  ) {
    this.engine = engine;
    this.collector = collector;
    this.policy = policy;
    this.stats = stats;
    this.events = events;
    this.current = this.freshBatch();
  }

  /**
   * Reads the item into the batch being filled (an archive: each of its entries), or counts it here (a skip, an
   * error); judges what the collector is done with.
   */
  add(item: ScanItem): void {
    let read: ReadPlain;
    try {
      read = readPlain(item, this.policy, this.stats, this.events.onWarning, this.alloc);
    } catch (e) {
      this.failed(item.path, e);
      this.events.onItem([], true);
      return;
    }
    if ('findings' in read) {
      this.events.onItem(read.findings, true);
      return;
    }
    if ('data' in read) {
      this.queue(read.data, metaOf(item), true);
      return;
    }
    // An archive counts as one item; its entries are copied as they come (the walk frees each as it moves on).
    try {
      for (const entry of read.archive.entries) {
        const bytes = (entry.source as { data: Buffer }).data;
        const copy = this.alloc(bytes.length);
        bytes.copy(copy);
        this.queue(copy, metaOf(entry), false);
      }
    } catch (e) {
      this.failed(item.path, e);
    } finally {
      read.archive.release();
    }
    this.events.onItem([], true);
  }

  /**
   * Room for `size` bytes in the batch being filled: the rest of its arena, else a fresh batch's (the full one goes
   * to the collector), or for more than an arena holds, a large buffer kept for reuse. Memory is reused, never
   * allocated per item: on this kind of machine a page touched for the first time costs a fault of 12-16 us, more
   * than scanning it.
   */
  private readonly alloc = (size: number): Buffer => {
    if (size > this.current.bytes.length - this.current.used) {
      this.flush();
      if (size > this.current.bytes.length) {
        this.spare.push(this.current.bytes);
        this.current.bytes = this.largeBuffer(size);
      }
    }
    const b = this.current;
    return b.bytes.subarray(b.used, b.used + size);
  };

  /** A buffer of at least `size` bytes: a kept one that fits, else a new one (rounded up, so it fits others). */
  private largeBuffer(size: number): Buffer {
    let at = -1;
    for (let i = 0; i < this.large.length; i++) {
      if (this.large[i]!.length >= size && (at < 0 || this.large[i]!.length < this.large[at]!.length)) at = i;
    }
    if (at >= 0) return this.large.splice(at, 1)[0]!;
    return Buffer.allocUnsafeSlow(Math.ceil(size / LARGE_STEP) * LARGE_STEP);
  }

  /** A batch's buffer, free again: kept for the next batch (at most KEEP_LARGE large ones, the largest). */
  private release(bytes: Buffer): void {
    if (bytes.length === ARENA_BYTES) {
      this.spare.push(bytes);
      return;
    }
    this.large.push(bytes);
    if (this.large.length > KEEP_LARGE) {
      this.large.sort((a, b) => b.length - a.length);
      this.large.length = KEEP_LARGE;
    }
  }

  /** Bytes from alloc(), to be scanned as one entry; `item`: judging it completes an item (not an archive entry). */
  private queue(read: Buffer, meta: ItemMeta, item: boolean): void {
    if (looksBinary(read)) {
      // Counted as binary, nothing to collect (its room in the arena is taken by the next one).
      this.events.onItem(this.engine.scanBytes(read, meta, this.stats), item);
      return;
    }
    let data = read;
    const utf8 = utf16ToUtf8(read);
    if (utf8) {
      data = this.alloc(utf8.length);
      utf8.copy(data);
    }
    const into = this.current;
    const start = data.byteOffset - into.bytes.byteOffset;
    const windows = this.engine.windowsOf(data.length);
    for (let w = 0; w < windows.length; w++) into.windows.push(start + windows[w]!);
    into.entries.push({ data, meta, windows: windows.length / 2, item });
    into.used = start + data.length;
    if (into.used >= ARENA_BYTES || into.entries.length >= BATCH_ITEMS) this.flush();
  }

  /** Everything added is judged. */
  finish(): void {
    this.flush();
    // The tail: this thread takes the newest queued batches back while the collector finishes the oldest.
    while (this.inFlight.length > 0) {
      const queued = this.inFlight.findLast((b) => this.collector.state(b.job!) === QUEUED_JOB);
      if (queued && this.stealAndJudge(queued)) continue;
      const oldest = this.inFlight.shift()!;
      this.judge(oldest, this.take(oldest, true));
    }
  }

  /**
   * Submits the batch being filled; collects the newest queued ones here while more than QUEUED wait; judges what
   * the collector is done with.
   */
  private flush(): void {
    const batch = this.current;
    if (batch.entries.length === 0) return;
    this.current = this.freshBatch();
    if (this.collectorFailed) {
      this.judge(batch, undefined);
      return;
    }
    try {
      batch.job = this.collector.submit(batch.bytes.subarray(0, batch.used), Int32Array.from(batch.windows));
    } catch (e) {
      this.collectorError(e as Error);
      this.judge(batch, undefined);
      return;
    }
    this.inFlight.push(batch);
    for (;;) {
      const queued = this.inFlight.filter((b) => this.collector.state(b.job!) === QUEUED_JOB);
      if (queued.length <= QUEUED || !this.stealAndJudge(queued[queued.length - 1]!)) break;
    }
    const pending: Batch[] = [];
    for (const b of this.inFlight) {
      if (this.collector.state(b.job!) >= SETTLED_JOB) this.judge(b, this.take(b, false));
      else pending.push(b);
    }
    this.inFlight = pending;
  }

  /** Collects a queued batch here and judges it; false when the collector's thread took it first. */
  private stealAndJudge(batch: Batch): boolean {
    let results: Int32Array | null | undefined;
    try {
      results = this.collector.steal(batch.job!);
    } catch (e) {
      this.collectorError(e as Error);
    }
    if (results === null) return false;
    this.inFlight = this.inFlight.filter((b) => b !== batch);
    this.judge(batch, results);
    return true;
  }

  /** The batch's results from the collector; undefined when it failed (the engine then runs phases 1 and 2). */
  private take(batch: Batch, wait: boolean): Int32Array | undefined {
    try {
      return this.collector.take(batch.job!, wait) ?? undefined;
    } catch (e) {
      this.collectorError(e as Error);
      return undefined;
    }
  }

  private collectorError(error: Error): void {
    if (this.collectorFailed) return;
    this.collectorFailed = true;
    this.events.onWarning(`native collector failed (${error.name}); scanning on one thread`);
  }

  /** Phases 3 and 4 of each entry (all of the engine's, when the collector failed); the arena is free again after. */
  private judge(batch: Batch, results: Int32Array | undefined): void {
    let at = 0;
    for (const entry of batch.entries) {
      const from = at;
      if (results) at = skipWindows(results, at, entry.windows);
      try {
        const findings = results
          ? this.engine.scanCollected(entry.data, entry.meta, this.stats, results, from)
          : this.engine.scanBytes(entry.data, entry.meta, this.stats);
        this.events.onItem(findings, entry.item);
      } catch (e) {
        this.failed(entry.meta.path, e);
        this.events.onItem([], entry.item);
      }
    }
    this.release(batch.bytes);
  }

  private failed(path: string, e: unknown): void {
    countFailure(path, e, this.stats, this.events.onWarning);
  }

  private freshBatch(): Batch {
    return { bytes: this.spare.pop() ?? Buffer.allocUnsafeSlow(ARENA_BYTES), used: 0, entries: [], windows: [] };
  }
}

/** Where the results of `windows` windows from `at` end (the layout: NativeCollector). */
export function skipWindows(results: Int32Array, at: number, windows: number): number {
  for (let w = 0; w < windows; w++) {
    at += 1 + 5 * results[at]!;
    at += 1 + 3 * results[at]!;
  }
  return at;
}
