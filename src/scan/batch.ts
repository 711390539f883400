// One batch of items scanned by whichever thread took it: a pool worker, or the thread that lists (scan() scans
// beside its workers). Each item's failure becomes a warning naming it, never its contents; findings, counts and
// warnings come back as one result, as a worker sends it.
import { type EngineStats, emptyEngineStats, type ScanEngine } from './engine.ts';
import { type ItemPolicy, scanItem } from './item.ts';
import { itemFromWire, type WireItem, type WireResult } from './pool.ts';
import type { ScanItem } from './sources/types.ts';
import type { Finding } from './types.ts';

export interface BatchOptions {
  /** The pool's count of handed-out archive entries (KiB), given back as each such entry is scanned. */
  handedOut?: Int32Array;
  /** After each item (a worker sends what the item handed out before the batch's result). */
  afterItem?: () => void;
}

export function scanBatch(
  engine: ScanEngine,
  id: number,
  items: readonly WireItem[],
  policy: ItemPolicy,
  opts: BatchOptions = {},
): WireResult {
  const stats: EngineStats = emptyEngineStats();
  const result: WireResult = { type: 'result', id, findings: [], stats, warnings: [] };
  const warn = (m: string) => result.warnings.push(m);
  for (const w of items) {
    try {
      for (const f of scanCounted(engine, itemFromWire(w), policy, stats, warn)) result.findings.push(f);
    } finally {
      if (w.handedOut !== undefined && opts.handedOut) Atomics.sub(opts.handedOut, 0, w.handedOut);
      opts.afterItem?.();
    }
  }
  const retained = engine.takeRetained();
  if (retained.length > 0) result.retained = retained;
  return result;
}

/**
 * scanItem(), with a failure counted (unreadable for an I/O error, failed otherwise) and named in a warning that
 * says its path and the error's code or name, never a message with contents.
 */
export function scanCounted(
  engine: ScanEngine,
  item: ScanItem,
  policy: ItemPolicy,
  stats: EngineStats,
  warn: (message: string) => void,
): Finding[] {
  try {
    return scanItem(engine, item, policy, stats, warn);
  } catch (e) {
    countFailure(item.path, e, stats, warn);
    return [];
  }
}

/** An item that could not be scanned: counted (unreadable for an I/O error, failed otherwise) and named. */
export function countFailure(path: string, e: unknown, stats: EngineStats, warn: (message: string) => void): void {
  const err = e as NodeJS.ErrnoException;
  if (err.code) stats.unreadable++;
  else stats.failed++;
  warn(err.code ? `${path}: cannot read (${err.code})` : `${path}: scan failed (${err.name ?? 'error'})`);
}
