// A pool of worker_threads that scan batches of items. Whoever scans a batch reads its files (the caller queues
// paths: item.ts opens archives where they are scanned); `bytes` items are transferred when they own their memory,
// copied otherwise. The caller may scan beside the workers (PoolOptions.callerScans): it take()s the batches they
// have no room for. A worker that opens a large archive hands some of its entries back (a 'spawn' message) while
// another thread waits for work, so no thread scans a large archive alone while the others wait (see
// ENTRIES_HANDED_OUT). Results are merged and sorted by the caller, so the order never depends on the thread count
// or on which thread finished first.
import type { Worker } from 'node:worker_threads';
import type { ArchiveLimits } from './archive.ts';
import { addEngineStats, type EngineOptions, type EngineStats, emptyEngineStats } from './engine.ts';
import { builtinRules } from './rules/index.ts';
import type { ScanItem } from './sources/types.ts';
import type { Finding, Rule } from './types.ts';
import { adoptPrewarmedWorker, startScanWorker } from './worker-thread.ts';

/** A rule as it crosses to a worker: data only; a built-in validator is re-attached there by rule id. */
export type WireRule = Omit<Rule, 'validate' | 'examples' | 'help'> & { builtinValidator?: boolean };

export interface PoolInit {
  rules: WireRule[];
  allowRegexes: string[];
  stopwords: string[];
  retainSecrets?: string[];
  /** What item.ts needs besides the engine: archives on or off, their limits, the max file size, ignore globs. */
  items: { archives: boolean; limits: Partial<ArchiveLimits>; maxFileSize: number; ignorePaths: string[] };
  engine: Pick<EngineOptions, 'prefilter' | 'chunkSize' | 'overlap' | 'margin' | 'decode' | 'reportInlineAllowed'>;
  /** One Int32, shared by the pool's workers: KiB of archive entries handed out and not yet scanned. */
  handedOut?: SharedArrayBuffer;
  /** One Int32, kept by the pool: how many scanning threads wait for work (idle workers, the caller in its tail). */
  idle?: SharedArrayBuffer;
}

/**
 * KiB of handed-out archive entries not yet scanned, pool-wide, beyond which a worker scans the next entry of its
 * archive itself: the workers stay busy and the memory held in entries stays bounded, however fast one inflates.
 * A worker hands entries out only while another thread waits for work (PoolInit.idle): an entry scanned where it
 * was inflated is still in that core's cache, and one handed to a busy thread only moves work without sharing it.
 */
export const ENTRIES_HANDED_OUT = 16 * 1024;

/** An archive at least this large has its entries handed out (smaller ones are scanned where they are opened). */
export const HAND_OUT_ARCHIVES_FROM = 4 * 1024 * 1024;

/**
 * Whether `d` can be transferred: it owns its whole ArrayBuffer (never Node's shared pool slab, which only holds
 * buffers under 4 KiB), or all of it but the last byte (an inflated archive entry: archive.ts, sized()).
 */
export function transferable(d: Uint8Array): boolean {
  const spare = d.buffer.byteLength - d.byteLength;
  return (
    d.byteOffset === 0 && d.buffer instanceof ArrayBuffer && (spare === 0 || (spare === 1 && d.byteLength >= 4096))
  );
}

/** An item as it crosses between threads; `transfer` collects the buffers it moves rather than copies. */
export function itemToWire(it: ScanItem, transfer: ArrayBuffer[]): WireItem {
  const w: WireItem = { path: it.path, kind: it.source.kind };
  if (it.source.kind === 'file') {
    w.absPath = it.source.absPath;
    if (it.source.size !== undefined) w.size = it.source.size;
  } else {
    const d = it.source.data;
    if (transferable(d)) {
      transfer.push(d.buffer as ArrayBuffer);
      w.data = d;
    } else w.data = new Uint8Array(d);
  }
  if (it.lineMap) w.lineMap = it.lineMap;
  if (it.commit !== undefined) w.commit = it.commit;
  if (it.author !== undefined) w.author = it.author;
  if (it.date !== undefined) w.date = it.date;
  return w;
}

export function itemFromWire(w: WireItem): ScanItem {
  let source: ScanItem['source'];
  if (w.kind === 'file') {
    // A path that is not UTF-8 arrives as bytes (a structured clone of a Buffer is a plain Uint8Array).
    source = { kind: 'file', absPath: typeof w.absPath === 'string' ? w.absPath : Buffer.from(w.absPath!) };
    if (w.size !== undefined) source.size = w.size; // none: not stat'ed when listed, item.ts checks it
  } else source = { kind: 'bytes', data: Buffer.from(w.data!.buffer, w.data!.byteOffset, w.data!.byteLength) };
  const item: ScanItem = { path: w.path, source };
  if (w.lineMap) item.lineMap = w.lineMap;
  if (w.commit !== undefined) item.commit = w.commit;
  if (w.author !== undefined) item.author = w.author;
  if (w.date !== undefined) item.date = w.date;
  return item;
}

export interface WireItem {
  path: string;
  kind: 'file' | 'bytes';
  absPath?: string | Uint8Array;
  size?: number;
  data?: Uint8Array;
  lineMap?: Uint32Array;
  commit?: string;
  author?: string;
  date?: string;
  /** An archive entry handed out: its KiB, given back to ENTRIES_HANDED_OUT once scanned. */
  handedOut?: number;
}

/** Archive entries a worker hands out, for the pool to spread (see ENTRIES_HANDED_OUT). */
export interface WireSpawn {
  type: 'spawn';
  items: WireItem[];
}

export interface WireBatch {
  id: number;
  items: WireItem[];
}

export interface WireResult {
  type: 'result';
  id: number;
  findings: Finding[];
  stats: EngineStats;
  warnings: string[];
  /** Validated secrets of the policy's retainSecrets rules, by fingerprint (revocation only). */
  retained?: [string, string][];
}

const builtinById = new Map(builtinRules.map((r) => [r.id, r]));

/** Rules as data for a worker, or undefined when one carries a validator a worker cannot rebuild (run inline). */
export function rulesToWire(rules: readonly Rule[]): WireRule[] | undefined {
  const out: WireRule[] = [];
  for (const rule of rules) {
    const { validate, examples: _e, help: _h, ...data } = rule;
    let builtinValidator = false;
    if (validate) {
      if (builtinById.get(rule.id)?.validate !== validate) return undefined;
      builtinValidator = true;
    }
    out.push({ ...data, builtinValidator });
  }
  return out;
}

export function rulesFromWire(rules: readonly WireRule[]): Rule[] {
  return rules.map(({ builtinValidator, ...data }) => {
    const rule: Rule = { ...data, help: '', examples: { tp: [], fp: [] } };
    if (builtinValidator) {
      const v = builtinById.get(rule.id)?.validate;
      if (v) rule.validate = v;
    }
    return rule;
  });
}

/** Two parts of one batch's result as one: findings, warnings and retained secrets joined, counts added. */
function mergeResults(a: WireResult, b: WireResult): WireResult {
  const stats = emptyEngineStats();
  addEngineStats(stats, a.stats);
  addEngineStats(stats, b.stats);
  const merged: WireResult = {
    type: 'result',
    id: a.id,
    findings: [...a.findings, ...b.findings],
    stats,
    warnings: [...a.warnings, ...b.warnings],
  };
  if (a.retained || b.retained) merged.retained = [...(a.retained ?? []), ...(b.retained ?? [])];
  return merged;
}

function failedResult(batch: WireBatch, why: string): WireResult {
  return {
    type: 'result',
    id: batch.id,
    findings: [],
    stats: { ...emptyEngineStats(), failed: batch.items.length },
    warnings: batch.items.map((it) => `${it.path}: scan failed (${why})`),
  };
}

interface Slot {
  worker: Worker;
  inFlight: Map<number, { batch: WireBatch; resolve: (r: WireResult) => void }>;
}

interface Job {
  batch: WireBatch;
  transfer: ArrayBuffer[];
  resolve: (r: WireResult) => void;
  /** Only a worker scans it (an archive: a worker hands its entries out), unless no worker is ready. */
  workersOnly: boolean;
  /** Entries a worker handed out: never sent back to it while the caller scans too. */
  from?: Slot;
}

/** A queued batch taken by the caller to scan itself (src/scan/batch.ts); settle() with its result. */
export interface TakenBatch {
  batch: WireBatch;
  settle: (r: WireResult) => void;
}

export interface PoolOptions {
  /**
   * The caller scans beside the workers: it take()s what they have no room for. Entries a worker hands out then
   * go to another worker or to the caller, never back to that worker, and when no worker is left the queue waits
   * for the caller instead of failing.
   */
  callerScans?: boolean;
}

export class ScanPool {
  readonly size: number;
  engineName = '';
  private readonly script: URL;
  private readonly init: PoolInit;
  private readonly onWarning: (m: string) => void;
  private slots: Slot[] = [];
  /** Every live worker: ready (in `slots`) or still starting. */
  private readonly workers = new Set<Worker>();
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly perWorker = 4;
  private readonly callerScans: boolean;
  /** ENTRIES_HANDED_OUT's counter, shared with the workers. */
  readonly handedOut: Int32Array;
  /** PoolInit.idle: threads that wait for work. */
  private readonly idle: Int32Array;
  private callerWaiting = false;

  /** Called with the archive entries a worker handed out and the result of scanning them (already queued). */
  private readonly onSpawn: (items: WireItem[], result: Promise<WireResult>) => void;

  constructor(
    script: URL,
    size: number,
    init: PoolInit,
    onWarning: (m: string) => void,
    onSpawn: (items: WireItem[], result: Promise<WireResult>) => void = () => {},
    options: PoolOptions = {},
  ) {
    this.script = script;
    this.size = size;
    const handedOut = init.handedOut ?? new SharedArrayBuffer(4);
    const idle = init.idle ?? new SharedArrayBuffer(4);
    this.init = { ...init, handedOut, idle };
    this.handedOut = new Int32Array(handedOut);
    this.idle = new Int32Array(idle);
    this.callerScans = options.callerScans === true;
    this.onWarning = onWarning;
    this.onSpawn = onSpawn;
  }

  /**
   * Spawns the workers and resolves as soon as one has compiled the policy: it starts scanning while the others come
   * up. Rejects when none can start; one that cannot start beside a running one is a warning (the scan goes on with
   * fewer threads).
   */
  async start(): Promise<void> {
    const ready: Promise<string>[] = [];
    for (let i = 0; i < this.size; i++) ready.push(this.spawn());
    try {
      this.engineName = await Promise.any(ready);
    } catch (e) {
      throw (e as AggregateError).errors[0];
    }
    for (const r of ready) {
      r.catch((e) => {
        if (!this.closed) this.onWarning(`${(e as Error).message}; scanning with fewer threads`);
      });
    }
  }

  private spawn(): Promise<string> {
    return new Promise((resolve, reject) => {
      // The worker the CLI started while it loaded the scanner, if any, gets its policy by message.
      const prewarmed = adoptPrewarmedWorker(this.script);
      const worker = prewarmed ?? startScanWorker(this.script, this.init);
      this.workers.add(worker);
      const slot: Slot = { worker, inFlight: new Map() };
      let started = false;
      let dead = false;
      worker.on('message', (msg: { type: 'ready'; engine: string; warnings: string[] } | WireResult | WireSpawn) => {
        // A worker's messages and its error travel apart: a 'ready' can arrive after the error that ended it, and a
        // dead worker taken for ready would be handed batches that never come back.
        if (dead) return;
        if (msg.type === 'spawn') {
          // Before the result of the batch that opened the archive (one port, in order): the caller sees them
          // while it still waits for that batch.
          const moved = [...new Set(msg.items.flatMap((w) => (w.data ? [w.data.buffer as ArrayBuffer] : [])))];
          this.onSpawn(msg.items, this.submitWire(msg.items, moved, false, slot));
          return;
        }
        if (msg.type === 'ready') {
          started = true;
          if (this.closed) {
            // A replacement that came up after close(): not needed.
            void worker.terminate();
            resolve(msg.engine);
            return;
          }
          this.slots.push(slot);
          // Compile warnings are the same in every worker: report them once.
          if (this.slots.length === 1) for (const w of msg.warnings) this.onWarning(w);
          resolve(msg.engine);
          this.pump();
          return;
        }
        const pending = slot.inFlight.get(msg.id);
        if (!pending) return;
        slot.inFlight.delete(msg.id);
        pending.resolve(msg);
        this.pump();
      });
      const fail = (why: string) => {
        if (dead) return;
        dead = true;
        if (!started) {
          started = true;
          reject(new Error(`scan worker did not start (${why})`));
          return;
        }
        this.slots = this.slots.filter((s) => s !== slot);
        this.countIdle();
        // The batch in flight cannot be scanned: name its items, count them unreadable, carry on.
        for (const { batch, resolve: done } of slot.inFlight.values()) done(failedResult(batch, `worker ${why}`));
        slot.inFlight.clear();
        if (this.closed) return;
        this.spawn().catch((e) => {
          this.onWarning((e as Error).message);
          if (this.slots.length === 0 && !this.callerScans) {
            // No worker left: fail what is queued rather than wait forever.
            for (const job of this.queue.splice(0)) job.resolve(failedResult(job.batch, 'no worker'));
          }
        });
      };
      worker.on('error', (e) => fail(e.name || 'error'));
      worker.on('exit', (code) => {
        this.workers.delete(worker);
        // Ended by close() while it started: its start settles all the same.
        if (!started || !this.closed || slot.inFlight.size > 0) fail(`exited with code ${code}`);
      });
      if (prewarmed) prewarmed.postMessage(this.init);
    });
  }

  /** Queues a batch; resolves with its result. `workersOnly`: see Job. */
  submit(items: readonly ScanItem[], workersOnly = false): Promise<WireResult> {
    const transfer: ArrayBuffer[] = [];
    return this.submitWire(
      items.map((it) => itemToWire(it, transfer)),
      transfer,
      workersOnly,
    );
  }

  private submitWire(
    wire: WireItem[],
    transfer: ArrayBuffer[],
    workersOnly: boolean,
    from?: Slot,
  ): Promise<WireResult> {
    return new Promise((resolve) => {
      const job: Job = { batch: { id: this.nextId++, items: wire }, transfer, resolve, workersOnly };
      if (from && this.callerScans) job.from = from;
      this.queue.push(job);
      this.pump();
    });
  }

  /** Workers ready (scanning, or waiting for work). */
  get readyWorkers(): number {
    return this.slots.length;
  }

  /**
   * The first queued batch the workers have no room for, for the caller to scan: a workers-only one too when `any`
   * (no worker is ready, or none will be). Undefined when none waits. At most `max` of its items: the rest stays
   * queued, for a worker that runs out meanwhile or the caller's next turn, and the batch's result is both parts'.
   */
  take(any: boolean, max = Number.POSITIVE_INFINITY): TakenBatch | undefined {
    const at = this.queue.findIndex((j) => any || !j.workersOnly);
    if (at < 0) return undefined;
    const job = this.queue[at]!;
    // Items in memory travel with their buffers: such a batch is taken whole.
    if (job.batch.items.length <= max || job.transfer.length > 0) {
      this.queue.splice(at, 1);
      return { batch: job.batch, settle: job.resolve };
    }
    const whole = job.resolve;
    const parts: WireResult[] = [];
    const settle = (r: WireResult) => {
      parts.push(r);
      if (parts.length === 2) whole(mergeResults(parts[0]!, parts[1]!));
    };
    const head: WireBatch = { id: this.nextId++, items: job.batch.items.slice(0, max) };
    job.batch = { id: this.nextId++, items: job.batch.items.slice(max) };
    job.resolve = settle;
    return { batch: head, settle };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Batches queued or running. */
  get pending(): number {
    let n = this.queue.length;
    for (const s of this.slots) n += s.inFlight.size;
    return n;
  }

  private pump(): void {
    for (let at = 0; at < this.queue.length; ) {
      const job = this.queue[at]!;
      let best: Slot | undefined;
      for (const s of this.slots)
        if (s !== job.from && s.inFlight.size < this.perWorker && (!best || s.inFlight.size < best.inFlight.size))
          best = s;
      if (!best) {
        if (job.from && this.slots.some((s) => s.inFlight.size < this.perWorker)) {
          at++; // handed-out entries only the caller or another worker takes: later jobs may still go
          continue;
        }
        break;
      }
      this.queue.splice(at, 1);
      best.inFlight.set(job.batch.id, { batch: job.batch, resolve: job.resolve });
      best.worker.postMessage(job.batch, job.transfer);
    }
    this.countIdle();
  }

  /** The caller waits for work (the scan's tail) or stops waiting: an idle thread for the workers' hand-outs. */
  setCallerWaiting(waiting: boolean): void {
    this.callerWaiting = waiting;
    this.countIdle();
  }

  private countIdle(): void {
    let n = this.callerWaiting ? 1 : 0;
    for (const s of this.slots) if (s.inFlight.size === 0) n++;
    Atomics.store(this.idle, 0, n);
  }

  /** Ends every worker, those still starting included (the scan may be done before they are ready). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.workers].map((w) => w.terminate()));
    this.slots = [];
  }
}
