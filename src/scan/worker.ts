// A scan worker: compiles the policy once, then reads and scans the files (or transferred bytes) of each batch it
// is sent, opening archives itself (item.ts). Returns findings without secrets; a file that fails becomes a warning
// naming it, never its contents.
import { parentPort, workerData } from 'node:worker_threads';
import { type EngineOptions, emptyEngineStats, ScanEngine } from './engine.ts';
import { globMatcher } from './glob.ts';
import { type ItemPolicy, scanItem } from './item.ts';
import { prepareRegexEngine } from './regex/index.ts';
import { type PoolInit, rulesFromWire, type WireBatch, type WireItem, type WireResult } from './pool.ts';
import type { ScanItem } from './sources/types.ts';

await prepareRegexEngine();
// A worker started ahead of the pool (worker-thread.ts) gets its policy as its first message.
const init = ((workerData as PoolInit | null) ??
  (await new Promise((resolve) => parentPort!.once('message', resolve)))) as PoolInit;
const initWarnings: string[] = [];
const options: EngineOptions = { ...init.engine, onWarning: (m) => initWarnings.push(m) };
const engine = new ScanEngine(
  {
    rules: rulesFromWire(init.rules),
    allowRegexes: init.allowRegexes,
    stopwords: init.stopwords,
    ...(init.retainSecrets ? { retainSecrets: init.retainSecrets } : {}),
  },
  options,
);
engine.warmUp();
const itemPolicy: ItemPolicy = {
  archives: init.items.archives,
  limits: init.items.limits,
  maxFileSize: init.items.maxFileSize,
  ignore: await globMatcher(init.items.ignorePaths),
};
parentPort!.postMessage({ type: 'ready', engine: engine.name, warnings: initWarnings });

function fromWire(w: WireItem): ScanItem {
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

parentPort!.on('message', (batch: WireBatch) => {
  const stats = emptyEngineStats();
  const result: WireResult = { type: 'result', id: batch.id, findings: [], stats, warnings: [] };
  const warn = (m: string) => result.warnings.push(m);
  for (const w of batch.items) {
    try {
      for (const f of scanItem(engine, fromWire(w), itemPolicy, stats, warn)) result.findings.push(f);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code) stats.unreadable++;
      else stats.failed++;
      result.warnings.push(describeFailure(w.path, e));
    }
  }
  const retained = engine.takeRetained();
  if (retained.length > 0) result.retained = retained;
  parentPort!.postMessage(result);
});

function describeFailure(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${path}: cannot read (${err.code})` : `${path}: scan failed (${err.name ?? 'error'})`;
}
