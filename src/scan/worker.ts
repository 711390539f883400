// A scan worker: compiles the policy once, then reads and scans the files (or transferred bytes) of each batch it
// is sent. Returns findings without secrets; a file that fails becomes a warning naming it, never its contents.
import { parentPort, workerData } from 'node:worker_threads';
import { type EngineOptions, emptyEngineStats, ScanEngine } from './engine.ts';
import { type PoolInit, type WireBatch, type WireResult, rulesFromWire } from './pool.ts';

const init = workerData as PoolInit;
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
parentPort!.postMessage({ type: 'ready', engine: engine.name, warnings: initWarnings });

parentPort!.on('message', (batch: WireBatch) => {
  const stats = emptyEngineStats();
  const result: WireResult = { type: 'result', id: batch.id, findings: [], stats, warnings: [] };
  for (const item of batch.items) {
    const meta = { path: item.path, lineMap: item.lineMap, commit: item.commit, author: item.author, date: item.date };
    try {
      const found =
        item.kind === 'file'
          ? engine.scanFile(item.absPath!, meta, stats)
          : engine.scanBytes(Buffer.from(item.data!.buffer, item.data!.byteOffset, item.data!.byteLength), meta, stats);
      for (const f of found) result.findings.push(f);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code) stats.unreadable++;
      else stats.failed++;
      result.warnings.push(describeFailure(item.path, e));
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
