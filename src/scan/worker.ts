// A scan worker: compiles the policy once, then reads and scans the files (or transferred bytes) of each batch it
// is sent, opening archives itself (item.ts). Returns findings without secrets; a file that fails becomes a warning
// naming it, never its contents.
import { parentPort, workerData } from 'node:worker_threads';
import { type EngineOptions, ScanEngine } from './engine.ts';
import { globMatcher } from './glob.ts';
import { scanBatch } from './batch.ts';
import type { ItemPolicy } from './item.ts';
import { prepareRegexEngine } from './regex/index.ts';
import {
  ENTRIES_HANDED_OUT,
  HAND_OUT_ARCHIVES_FROM,
  itemToWire,
  type PoolInit,
  rulesFromWire,
  transferable,
  type WireBatch,
  type WireItem,
  type WireSpawn,
} from './pool.ts';
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

// Entries of a large archive go back to the pool while another thread waits for work (PoolInit.idle) and fewer than
// ENTRIES_HANDED_OUT KiB of them wait to be scanned (counted pool-wide), in messages of up to SPAWN_BYTES;
// otherwise this worker scans them itself.
const handedOut = init.handedOut ? new Int32Array(init.handedOut) : undefined;
const idle = init.idle ? new Int32Array(init.idle) : undefined;
const SPAWN_BYTES = 1024 * 1024;
let spawn: { items: WireItem[]; transfer: ArrayBuffer[]; bytes: number } = { items: [], transfer: [], bytes: 0 };
const flushSpawn = () => {
  if (spawn.items.length === 0) return;
  parentPort!.postMessage({ type: 'spawn', items: spawn.items } satisfies WireSpawn, spawn.transfer);
  spawn = { items: [], transfer: [], bytes: 0 };
};
if (handedOut) {
  itemPolicy.handOut = {
    from: HAND_OUT_ARCHIVES_FROM,
    take: (entry: ScanItem) => {
      if (idle && Atomics.load(idle, 0) === 0) return false; // no thread waits: scanned here, still in cache
      if (Atomics.load(handedOut, 0) >= ENTRIES_HANDED_OUT) return false;
      if (entry.source.kind !== 'bytes') return false;
      const d = entry.source.data;
      const size = d.length;
      const kib = Math.ceil(size / 1024) || 1;
      Atomics.add(handedOut, 0, kib);
      // archive.ts frees the entry as soon as its walk moves on (release.ts): the memory is moved out of it first
      // (the release then finds it empty), or copied when it is a view into the archive (a stored entry).
      const ab = d.buffer as ArrayBuffer & { transfer?: () => ArrayBuffer };
      const data = !transferable(d) ? copyOf(d) : ab.transfer ? Buffer.from(ab.transfer(), 0, size) : d;
      const w = itemToWire({ ...entry, source: { kind: 'bytes', data } }, spawn.transfer);
      w.handedOut = kib;
      spawn.items.push(w);
      spawn.bytes += size;
      if (spawn.bytes >= SPAWN_BYTES) flushSpawn();
      return true;
    },
  };
}
parentPort!.postMessage({ type: 'ready', engine: engine.name, warnings: initWarnings });

parentPort!.on('message', (batch: WireBatch) => {
  // What each item hands out goes before the batch's result.
  const result = scanBatch(engine, batch.id, batch.items, itemPolicy, { handedOut, afterItem: flushSpawn });
  parentPort!.postMessage(result);
});

/** A copy in memory of its own (transferable, never Node's shared pool slab). */
function copyOf(d: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(d.length);
  d.copy(out);
  return out;
}
