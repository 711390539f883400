// Starting scan workers: where the script is, the limits they run under, and workers started ahead of their scan.
// Kept apart from the pool (pool.ts) and free of the scanner's own modules, so a command can start workers before it
// has loaded the scanner itself (their start-up then overlaps its own).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PoolInit } from './pool.ts';

/**
 * A worker's V8 heap. Its young generation is small: a worker's allocations die young (per-window candidates,
 * per-item findings) and it holds little (the compiled policy), so a small nursery costs no more collecting, while
 * V8's default (16 MiB semi-spaces) is resident memory in every worker and lets dead buffers (inflated archive
 * entries not freed at once, zlib's chunks) wait for a collection that only comes when the nursery fills.
 */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 } as const;

/** Default pool size: the available cores, at most 8. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * The worker script: an explicit override (option or JIT_GPG_SCAN_WORKER), else the first that exists of
 * `./worker.ts` (sources), `./worker.js` (dist/scan/main.js), `./scan/worker.js` (dist/cli.js),
 * `../scan/worker.js` (another dist/ subdirectory), relative to this module.
 */
export function resolveWorkerScript(override?: string | URL, base: string | URL = import.meta.url): URL | undefined {
  const explicit = override ?? process.env.JIT_GPG_SCAN_WORKER;
  if (explicit) {
    const url =
      explicit instanceof URL ? explicit : /^file:/.test(explicit) ? new URL(explicit) : new URL(`file://${explicit}`);
    return existsSync(fileURLToPath(url)) ? url : undefined;
  }
  for (const candidate of ['./worker.ts', './worker.js', './scan/worker.js', '../scan/worker.js']) {
    const url = new URL(candidate, base);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/**
 * Workers started before their scan knows its policy (prestartWorkers): they load and compile the scanner while this
 * thread is still loading, reading the config and listing, then wait for a WireInit. Unreferenced, so they never
 * keep the process alive; a scan takes them (ScanPool) or ends them (discardSpareWorkers).
 */
const spares: Array<{ worker: Worker; script: string; exited: boolean }> = [];

/**
 * Starts `count` workers now, ahead of a scan that will likely want them (a directory or a git range with more than
 * one thread): a worker's start-up (Node's own, loading the bundle, building the rule catalogue) then overlaps the
 * caller's instead of following it. Cheap to get wrong: unused ones are ended by discardSpareWorkers.
 */
export function prestartWorkers(count: number, script?: string | URL): void {
  const url = resolveWorkerScript(script);
  if (!url) return;
  for (let i = spares.filter((s) => s.script === url.href).length; i < count; i++) {
    const spare = { worker: newWorker(url), script: url.href, exited: false };
    spare.worker.unref();
    // A spare that fails to load is only noticed (and replaced) when a scan takes it.
    spare.worker.on('error', () => {});
    spare.worker.on('exit', () => {
      spare.exited = true;
    });
    spares.push(spare);
  }
}

/**
 * Workers worth starting ahead of a scan of `threads` threads: as many as there are cores the starting thread leaves
 * idle (one fewer than the cores), so they never slow down its own start-up, nor a scan that stays small and runs
 * inline; the rest start with the pool as before.
 */
export function prestartScanWorkers(threads: number): void {
  const count = Math.min(Math.floor(threads), availableParallelism() - 1);
  if (threads > 1 && count > 0) prestartWorkers(count);
}

/** A live spare for `script`, taken out of the spares. */
export function takeSpare(script: URL): Worker | undefined {
  for (;;) {
    const i = spares.findIndex((s) => s.script === script.href);
    if (i < 0) return undefined;
    const [spare] = spares.splice(i, 1);
    if (!spare!.exited) return spare!.worker;
  }
}

/** Ends the spares no scan took (a scan small enough to run inline, or one that could not use workers). */
export async function discardSpareWorkers(): Promise<void> {
  await Promise.all(spares.splice(0).map((s) => s.worker.terminate()));
}

export function newWorker(script: URL, workerData?: PoolInit): Worker {
  return new Worker(script, {
    ...(workerData ? { workerData } : {}),
    stdout: false,
    stderr: false,
    resourceLimits: WORKER_RESOURCE_LIMITS,
  });
}
