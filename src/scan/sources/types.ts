// What a source hands the engine: bytes (or a file to read) with a location. Git modes produce `bytes` items
// whose data is the concatenation of added lines, with `lineMap` giving each data line's line in the file.

export interface ScanItem {
  /** Relative to the scan root, `/` separators; `-` for stdin. */
  path: string;
  /**
   * `file`: the engine (a worker) reads it. `bytes`: scan() may transfer `data`'s memory to a worker when the Buffer
   * owns its whole ArrayBuffer (or all of it but the last byte: pool.ts, transferable), which leaves it empty here: a
   * source must not use `data`, or that memory, after yielding the item.
   */
  // absPath is bytes when the name is not valid UTF-8 (worktree.ts). No size: the listing did not stat the file (a
  // directory walk knows a regular file from its directory entry); where it is read, item.ts checks what it is and
  // its size, as the listing would have (item.ts, scanUnstated).
  source: { kind: 'file'; absPath: string | Buffer; size?: number } | { kind: 'bytes'; data: Buffer };
  /** When data is a concatenation of selected lines (git diff added lines): lineMap[i] = 1-based file line of data line i. */
  lineMap?: Uint32Array;
  commit?: string;
  author?: string;
  date?: string;
}
