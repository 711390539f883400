// Deterministic pseudo-random bytes for the rules' fake example values. Not cryptographic, and deliberately so:
// the catalogue builds some examples when it loads, and a hash per 32 bytes (plus loading node:crypto) was a
// measurable part of every scan's start-up. FNV-1a of the seed starts a mulberry32 stream.
export function seededBytes(seed: string, length: number): Buffer {
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193);
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 4) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const word = (t ^ (t >>> 14)) >>> 0;
    for (let k = 0; k < 4 && i + k < length; k++) out[i + k] = word >>> (8 * k);
  }
  return out;
}
