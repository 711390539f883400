// Phase 1 of the engine: one pass of a keyword Aho-Corasick automaton over the raw bytes (case-insensitive for
// ASCII), built once from every rule's keywords. A full DFA table (256 columns per state) keeps the inner loop to
// one typed-array load per byte; a negative entry marks a state that ends at least one keyword.

export class KeywordPrefilter {
  /** Keyword bytes (lowercase), by keyword id. */
  readonly keywords: Buffer[];
  /** `state * 256 + byte` → next state * 256, negated when the next state ends a keyword. */
  readonly delta: Int32Array;
  /** Keyword ids ending at each state (its own and those of its suffix states), indexed by `state`. */
  readonly outputs: Int32Array[];
  readonly states: number;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords.map((k) => Buffer.from(k.toLowerCase(), 'utf8'));
    // Trie.
    const gotoMaps: Array<Map<number, number>> = [new Map()];
    const own: number[][] = [[]];
    this.keywords.forEach((kw, id) => {
      if (kw.length === 0) return;
      let s = 0;
      for (const b of kw) {
        let next = gotoMaps[s]!.get(b);
        if (next === undefined) {
          next = gotoMaps.length;
          gotoMaps.push(new Map());
          own.push([]);
          gotoMaps[s]!.set(b, next);
        }
        s = next;
      }
      own[s]!.push(id);
    });
    const n = gotoMaps.length;
    this.states = n;
    const delta = new Int32Array(n * 256);
    const fail = new Int32Array(n);
    const outputs: Int32Array[] = new Array(n);
    const outLists: number[][] = own.map((o) => o.slice());
    // BFS: delta[s][c] = goto(s, c) if defined, else delta[fail(s)][c]. Uppercase ASCII follows lowercase.
    const order: number[] = [0];
    for (let head = 0; head < order.length; head++) {
      const s = order[head]!;
      const row = s * 256;
      const frow = fail[s]! * 256;
      for (let c = 0; c < 256; c++) {
        const lc = c >= 0x41 && c <= 0x5a ? c + 32 : c;
        const g = gotoMaps[s]!.get(lc);
        if (g !== undefined) {
          if (c === lc) {
            fail[g] = s === 0 ? 0 : Math.abs(delta[frow + lc]!) >> 8;
            order.push(g);
          }
          delta[row + c] = g * 256;
        } else {
          delta[row + c] = s === 0 ? 0 : Math.abs(delta[frow + c]!);
        }
      }
    }
    // Outputs inherit along failure links (BFS order guarantees the fail state is complete first).
    for (const s of order) {
      if (s !== 0) for (const id of outLists[fail[s]!]!) outLists[s]!.push(id);
      outputs[s] = Int32Array.from(outLists[s]!);
    }
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i]!;
      if (t !== 0 && outputs[t >> 8]!.length > 0) delta[i] = -t;
    }
    this.delta = delta;
    this.outputs = outputs;
  }

  /** Calls `onHit(keywordId, end)` for every keyword occurrence ending at byte `end` (exclusive) in input[start, end). */
  scan(input: Uint8Array, onHit: (keyword: number, end: number) => void, start = 0, end = input.length): void {
    const delta = this.delta;
    const outputs = this.outputs;
    let s = 0;
    for (let i = start; i < end; i++) {
      const t = delta[s + input[i]!]!;
      if (t < 0) {
        s = -t;
        const out = outputs[s >> 8]!;
        for (let k = 0; k < out.length; k++) onHit(out[k]!, i + 1);
      } else s = t;
    }
  }

  /** Whether any keyword occurs in the input. */
  test(input: Uint8Array): boolean {
    const delta = this.delta;
    let s = 0;
    for (let i = 0; i < input.length; i++) {
      const t = delta[s + input[i]!]!;
      if (t < 0) return true;
      s = t;
    }
    return false;
  }
}
