// Phase 1 of the engine: one pass of a keyword Aho-Corasick automaton over the raw bytes (case-insensitive for
// ASCII), built once from every rule's keywords, as a full DFA over byte classes: bytes that occur in no keyword
// share one column (ASCII letters fold to lowercase), so a row is ~40 entries instead of 256. The table is built
// once a scan is large enough to pay for it (a small one walks the trie and its failure links instead) and stays in
// cache while scanning. One table load per byte; a negative entry marks a state that ends at least one keyword.
//
// The pass runs in a few dozen bytes of WebAssembly (hand-assembled below) when the runtime has it: the loop is
// bound by the latency of the dependent table loads, and WebAssembly's loads make it ~1.6x faster than the same
// loop in JS (measured: 505 vs 310 MiB/s on the bench corpus, 375 keywords). Plain JS is the fallback.

const WASM_AFTER = 1024 * 1024;
/**
 * Bytes the trie walk scans before the full table is built. The table is a row of every state's transitions, built
 * with a native copy per state (~3 ms for the built-in keywords, before the JIT has warmed up): a one-file scan (a
 * pre-commit hook, stdin) never needs it; a larger scan builds it once it has walked this much.
 */
const WALK_BYTES = 64 * 1024;

export class KeywordPrefilter {
  /** Byte length of each keyword (lowercase UTF-8), by keyword id. */
  readonly keywordLengths: Int32Array;
  /** Byte to its column in `delta`: 0 for bytes in no keyword, ASCII uppercase as lowercase. */
  readonly classOf: Uint8Array;
  /** Columns per row of `delta`. */
  readonly classes: number;
  /** Keyword ids ending at each state (its own, then its suffix states'): `outIds[outStart[s] .. outStart[s + 1])`. */
  readonly outIds: Int32Array;
  readonly outStart: Int32Array;
  readonly states: number;
  // The trie (each state's children as a linked list: first child, next sibling, the edge's class), each state's
  // failure state, whether it ends a keyword, and the states in breadth-first order.
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly edgeClass: Int32Array;
  private readonly fail: Int32Array;
  private readonly endsKeyword: Uint8Array;
  private readonly order: Int32Array;
  private table: Int32Array | undefined;

  // Built with flat typed arrays only (no Map or array per state): this runs once per process and per worker,
  // before the JIT has warmed up, so it is start-up time.
  constructor(keywords: readonly string[]) {
    // All keywords in one encoded buffer (one allocation, index loops: no iterator per keyword before the JIT).
    const lower = keywords.map((k) => k.toLowerCase());
    const joined = lower.join('');
    const bytes = Buffer.from(joined, 'utf8');
    const ascii = bytes.length === joined.length; // then a keyword's bytes are its characters
    const ends = new Int32Array(lower.length + 1);
    for (let i = 0; i < lower.length; i++) {
      ends[i + 1] = ends[i]! + (ascii ? lower[i]!.length : Buffer.byteLength(lower[i]!, 'utf8'));
    }
    const lengths = new Int32Array(lower.length);
    for (let i = 0; i < lower.length; i++) lengths[i] = ends[i + 1]! - ends[i]!;
    this.keywordLengths = lengths;
    // Lowercased UTF-8 never holds A-Z, 0xC0, 0xC1 or 0xF5-0xFF: at most 217 byte values, so class ids fit a byte.
    const classOf = new Uint8Array(256);
    let classes = 1;
    for (let i = 0; i < bytes.length; i++) if (classOf[bytes[i]!] === 0) classOf[bytes[i]!] = classes++;
    for (let b = 0x41; b <= 0x5a; b++) classOf[b] = classOf[b + 32]!;
    const maxStates = bytes.length + 1;
    // `own[s]`: the keyword ending at s, or -1 (keywords are distinct).
    const firstChild = new Int32Array(maxStates).fill(-1);
    const nextSibling = new Int32Array(maxStates).fill(-1);
    const edgeClass = new Int32Array(maxStates);
    const own = new Int32Array(maxStates).fill(-1);
    let n = 1;
    for (let id = 0; id < lower.length; id++) {
      if (ends[id] === ends[id + 1]) continue;
      let s = 0;
      for (let i = ends[id]!; i < ends[id + 1]!; i++) {
        const c = classOf[bytes[i]!]!;
        let child = firstChild[s]!;
        while (child >= 0 && edgeClass[child] !== c) child = nextSibling[child]!;
        if (child < 0) {
          child = n++;
          edgeClass[child] = c;
          nextSibling[child] = firstChild[s]!;
          firstChild[s] = child;
        }
        s = child;
      }
      if (own[s] === -1) own[s] = id;
    }
    this.firstChild = firstChild;
    this.nextSibling = nextSibling;
    this.edgeClass = edgeClass;
    this.classOf = classOf;
    this.classes = classes;
    this.states = n;
    // BFS: a child's failure state is where its parent's failure state goes on the same class (shallower states
    // are complete first). A state ends a keyword if it or its failure chain does.
    const fail = new Int32Array(n);
    const endsKeyword = new Uint8Array(n);
    const order = new Int32Array(n);
    this.fail = fail;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const s = order[head]!;
      for (let g = firstChild[s]!; g >= 0; g = nextSibling[g]!) {
        const f = s === 0 ? 0 : this.next(fail[s]!, edgeClass[g]!);
        fail[g] = f;
        endsKeyword[g] = own[g]! >= 0 || endsKeyword[f] ? 1 : 0;
        order[tail++] = g;
      }
    }
    this.endsKeyword = endsKeyword;
    this.order = order;
    // Outputs: a state's own keyword, then its failure state's outputs (complete first: BFS order).
    const count = new Int32Array(n);
    for (let i = 1; i < n; i++) {
      const s = order[i]!;
      count[s] = (own[s]! >= 0 ? 1 : 0) + count[fail[s]!]!;
    }
    const outStart = new Int32Array(n + 1);
    for (let s = 0; s < n; s++) outStart[s + 1] = outStart[s]! + count[s]!;
    const outIds = new Int32Array(outStart[n]!);
    for (let i = 1; i < n; i++) {
      const s = order[i]!;
      let at = outStart[s]!;
      if (own[s]! >= 0) outIds[at++] = own[s]!;
      outIds.copyWithin(at, outStart[fail[s]!]!, outStart[fail[s]! + 1]!);
    }
    this.outIds = outIds;
    this.outStart = outStart;
  }

  /** The trie's transition from state s on a byte class, following failure links (the walk, and the BFS above). */
  private next(s: number, c: number): number {
    const { firstChild, nextSibling, edgeClass, fail } = this;
    for (;;) {
      let child = firstChild[s]!;
      while (child >= 0 && edgeClass[child] !== c) child = nextSibling[child]!;
      if (child >= 0) return child;
      if (s === 0) return 0;
      s = fail[s]!;
    }
  }

  /**
   * `state * classes + class` to the next state * classes, negated when the next state ends a keyword: the full
   * table, built on first use.
   */
  get delta(): Int32Array {
    this.table ??= this.fillTable(new Int32Array(this.states * this.classes), 1);
    return this.table;
  }

  /**
   * Writes the full table into `out` (`states * classes` entries), each next state as `state * classes * unit`: 1
   * for `delta`, 4 for the WebAssembly loop's byte offsets (written in its memory directly: no second table to
   * convert). A state's row is its failure state's row (complete already: shallower; copied natively, a row at a
   * time), then its own edges.
   */
  fillTable(out: Int32Array, unit: number): Int32Array {
    const { classes, states, order, fail, firstChild, nextSibling, edgeClass, endsKeyword } = this;
    const step = classes * unit;
    for (let i = 0; i < states; i++) {
      const s = order[i]!;
      const row = s * classes;
      if (s !== 0) out.copyWithin(row, fail[s]! * classes, (fail[s]! + 1) * classes);
      for (let g = firstChild[s]!; g >= 0; g = nextSibling[g]!) {
        out[row + edgeClass[g]!] = endsKeyword[g] ? -(g * step) : g * step;
      }
    }
    return out;
  }

  /** Hits of the last findHits(): `hits[2k]` = end (exclusive) of a keyword, `hits[2k + 1]` = its DFA state. */
  hits: Int32Array = new Int32Array(1024);
  private wasm: WasmScanner | undefined | null;
  /** Bytes scanned in JS (the walk, then the table loop); WebAssembly takes over past WASM_AFTER. */
  private scannedInJs = 0;

  /**
   * Every position where at least one keyword ends, into `hits` (see there); returns how many. The keywords ending
   * there are `outIds[outStart[state] .. outStart[state + 1])`.
   */
  findHits(input: Uint8Array): number {
    // Setting up WebAssembly (module, memory, a copy of the table) costs ~10 ms, more than the JS loop spends on a
    // MiB: a scan of a few small files (a pre-commit hook) never pays it, a large scan switches after its first MiB.
    if (this.wasm === undefined) {
      this.scannedInJs += input.length;
      if (this.table === undefined && this.scannedInJs <= WALK_BYTES) return this.walk(input);
      if (this.scannedInJs > WASM_AFTER) this.wasm = WasmScanner.create(this);
    }
    if (this.wasm) return this.wasm.findHits(input, this);
    const { delta, classOf, classes } = this;
    let hits = this.hits;
    let n = 0;
    let s = 0;
    for (let i = 0; i < input.length; i++) {
      const t = delta[s + classOf[input[i]!]!]!;
      if (t < 0) {
        s = -t;
        if (n + 2 > hits.length) hits = this.growHits(n + 2);
        hits[n] = i + 1;
        hits[n + 1] = s / classes;
        n += 2;
      } else s = t;
    }
    return n >> 1;
  }

  /** findHits over the trie and its failure links, without the table: the same hits, for small inputs. */
  private walk(input: Uint8Array): number {
    const { classOf, endsKeyword } = this;
    let hits = this.hits;
    let n = 0;
    let s = 0;
    for (let i = 0; i < input.length; i++) {
      const c = classOf[input[i]!]!;
      s = c === 0 ? 0 : this.next(s, c); // a byte in no keyword leads back to the root
      if (endsKeyword[s]) {
        if (n + 2 > hits.length) hits = this.growHits(n + 2);
        hits[n] = i + 1;
        hits[n + 1] = s;
        n += 2;
      }
    }
    return n >> 1;
  }

  /** Makes room for at least `need` entries in `hits`, keeping what is there. */
  growHits(need: number): Int32Array {
    let size = this.hits.length;
    while (size < need) size *= 2;
    const next = new Int32Array(size);
    next.set(this.hits);
    this.hits = next;
    return next;
  }

  /** Calls `onHit(keywordId, end)` for every keyword occurrence ending at byte `end` (exclusive) in input[start, end). */
  scan(input: Uint8Array, onHit: (keyword: number, end: number) => void, start = 0, end = input.length): void {
    const n = this.findHits(input.subarray(start, end));
    const { hits, outIds, outStart } = this;
    for (let h = 0; h < n; h++) {
      const state = hits[2 * h + 1]!;
      for (let k = outStart[state]!; k < outStart[state + 1]!; k++) onHit(outIds[k]!, start + hits[2 * h]!);
    }
  }

  /** Whether any keyword occurs in the input. */
  test(input: Uint8Array): boolean {
    return this.findHits(input) > 0;
  }

  /** Force the plain-JS loop (tests compare both). */
  disableWasm(): void {
    this.wasm = null;
  }

  get usesWasm(): boolean {
    if (this.wasm === undefined) this.wasm = WasmScanner.create(this);
    return this.wasm !== null;
  }
}

// The WebAssembly loop, equivalent to findHits' JS loop:
//   (func $scan (param $data $len $table $out $cap $i $s i32) (result i32) (local $t $n i32)
//     block loop
//       br_if 1 (i32.ge_u $i $len)
//       $t = i32.load($table + $s + (i32.load8_u offset=16 (i32.load8_u($data + $i)) << 2))
//       if (i32.lt_s $t 0)
//         $s = 0 - $t; store out[$n].end = $i + 1 (below: $i, JS adds 1), out[$n].state = $s; $n++
//         if ($n >= $cap) { $i++; br 3 }
//       else $s = $t
//       $i++; br 0
//     end end
//     store [0] = $i, [4] = $s; return $n)
// Memory: [0, 8) resume point, [16, 272) byte classes, then the table (rows of `classes` i32, a state's value is its
// row's byte offset from the table), the input, and the hit buffer.
const L = (n: number) => [0x20, n];
const S = (n: number) => [0x21, n];
const T = (n: number) => [0x22, n];
const C = (n: number) => [0x41, n]; // i32.const for 0 <= n < 64
const [DATA, LEN, TABLE, OUT, CAP, I, ST, TMP, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const BODY = [
  ...[0x01, 0x02, 0x7f], // two i32 locals
  ...[0x02, 0x40, 0x03, 0x40], // block, loop
  ...[...L(I), ...L(LEN), 0x4f, 0x0d, 1],
  ...[...L(TABLE), ...L(ST), 0x6a, ...L(DATA), ...L(I), 0x6a, 0x2d, 0x00, 0x00, 0x2d, 0x00, 0x10],
  ...[...C(2), 0x74, 0x6a, 0x28, 0x02, 0x00, ...T(TMP), ...C(0), 0x48, 0x04, 0x40],
  ...[...C(0), ...L(TMP), 0x6b, ...S(ST)],
  ...[...L(OUT), ...L(N), ...C(3), 0x74, 0x6a, ...L(I), 0x36, 0x02, 0x00],
  ...[...L(OUT), ...L(N), ...C(3), 0x74, 0x6a, ...L(ST), 0x36, 0x02, 0x04],
  ...[...L(N), ...C(1), 0x6a, ...T(N), ...L(CAP), 0x4f, 0x04, 0x40, ...L(I), ...C(1), 0x6a, ...S(I), 0x0c, 3, 0x0b],
  ...[0x05, ...L(TMP), ...S(ST), 0x0b],
  ...[...L(I), ...C(1), 0x6a, ...S(I), 0x0c, 0, 0x0b, 0x0b],
  ...[...C(0), ...L(I), 0x36, 0x02, 0x00, ...C(0), ...L(ST), 0x36, 0x02, 0x04, ...L(N), 0x0b],
];

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length), ...bytes];
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const MODULE = [
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [1, 0x60, 7, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
  ...section(3, [1, 0]),
  ...section(5, [1, 0, 1]),
  ...section(7, [2, ...name('scan'), 0, 0, ...name('mem'), 2, 0]),
  ...section(10, [1, ...leb(BODY.length), ...BODY]),
];
// The compiler's lib has no WebAssembly declarations: the little this uses, typed here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WASM = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

const PAGE = 65536;
const HIT_CAP = 16384;

class WasmScanner {
  private readonly mem: WasmMemory;
  private readonly run: (...args: number[]) => number;
  private readonly rowBytes: number;
  private readonly table = 512;
  private readonly dataAt: number;
  private dataCap = 0;
  private u8!: Uint8Array;
  private i32!: Int32Array;

  static create(pf: KeywordPrefilter): WasmScanner | null {
    try {
      if (!WASM) return null;
      if (compiled === undefined) compiled = new WASM.Module(new Uint8Array(MODULE));
      return compiled ? new WasmScanner(pf, compiled) : null;
    } catch {
      compiled = null;
      return null;
    }
  }

  private constructor(pf: KeywordPrefilter, mod: object) {
    const inst = new WASM!.Instance(mod, {});
    this.mem = inst.exports.mem as WasmMemory;
    this.run = inst.exports.scan as (...args: number[]) => number;
    this.rowBytes = pf.classes * 4;
    this.dataAt = this.table + pf.states * this.rowBytes;
    this.ensure(64 * 1024);
    this.u8.set(pf.classOf, 16);
    // The table, each entry a byte offset (state * classes * 4) as the loop adds it to the table's address.
    pf.fillTable(new Int32Array(this.mem.buffer, this.table, pf.states * pf.classes), 4);
  }

  /** Room for `len` input bytes and the hit buffer after them. */
  private ensure(len: number): void {
    if (len <= this.dataCap) return;
    const cap = (Math.max(len, this.dataCap * 2) + 7) & ~7; // the hit buffer after the input stays 8-aligned
    const need = this.dataAt + cap + HIT_CAP * 8;
    const have = this.mem.buffer.byteLength;
    if (need > have) this.mem.grow(Math.ceil((need - have) / PAGE));
    this.dataCap = cap;
    this.u8 = new Uint8Array(this.mem.buffer);
    this.i32 = new Int32Array(this.mem.buffer);
  }

  findHits(input: Uint8Array, pf: KeywordPrefilter): number {
    this.ensure(input.length);
    const u8 = this.u8;
    const i32 = this.i32;
    u8.set(input, this.dataAt);
    const out = this.dataAt + this.dataCap;
    const outWord = out >> 2;
    const row = this.rowBytes;
    let hits = pf.hits;
    let n = 0;
    let i = 0;
    let s = 0;
    while (i < input.length) {
      const got = this.run(this.dataAt, input.length, this.table, out, HIT_CAP, i, s);
      i = i32[0]!;
      s = i32[1]!;
      if (n + 2 * got > hits.length) hits = pf.growHits(n + 2 * got);
      for (let k = 0; k < got; k++) {
        hits[n++] = i32[outWord + 2 * k]! + 1;
        hits[n++] = i32[outWord + 2 * k + 1]! / row;
      }
    }
    return n >> 1;
  }
}
