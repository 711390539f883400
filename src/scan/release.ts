// Frees a buffer's memory now rather than at some later garbage collection. A worker inflates archive entries of
// up to the max file size one after another; left to the collector, dead entries pile up (V8 counts them as external
// memory and collects for it only every few dozen MiB) and the allocator keeps that high-water mark as resident
// memory. Freed as soon as they are scanned, a worker holds the archive and the one entry being scanned.

/** `ArrayBuffer.prototype.transfer` (ES2024; Node >= 21): detaching a buffer releases its memory at once. */
type Detachable = ArrayBuffer & { transfer?: (length?: number) => ArrayBuffer };

/**
 * Releases the memory under `buf`. The caller vouches that nothing else uses that memory: `buf` was allocated for
 * it alone (a read, an inflate's output), it is not a view into a larger buffer others see. After the call `buf`
 * reads as empty. A no-op for a view that does not start at its memory's start (a tar entry inside its tar: never
 * ours to free), for memory that cannot be detached (Node's shared pool slab for small buffers, wasm memory), and
 * where the runtime lacks `transfer` (Node 20).
 */
export function releaseBuffer(buf: Uint8Array): void {
  const ab = buf.buffer as Detachable;
  if (buf.byteOffset !== 0 || buf.byteLength === 0 || !(ab instanceof ArrayBuffer) || !ab.transfer) return;
  try {
    ab.transfer(0);
  } catch {
    // Not detachable (Node marks its pool slab so): left to the collector.
  }
}

/**
 * Detaches one empty buffer. V8 compiles typed-array code on the premise that no buffer was ever detached in this
 * thread; the first releaseBuffer() ends that premise and throws away every optimized function built on it (mid-scan,
 * in every worker). Called once where an engine is set up, before any scanning code is hot, the premise never holds.
 */
export function settleDetaching(): void {
  (new ArrayBuffer(1) as Detachable).transfer?.(0);
}
