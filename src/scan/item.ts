// One item scanned where its bytes are read: a file whose name and magic bytes say archive is read once, opened
// (archive.ts: depth, entry, size and ratio limits) and its entries scanned in its place; a bytes item likewise;
// anything else goes to the engine as it is. The workers call this, and so does scan() for what it scans itself:
// reading, inflating and matching all run where the item is scanned, never where it was listed.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ARCHIVE_NAME, type ArchiveLimits, archiveItems, archiveKind, DEFAULT_ARCHIVE_LIMITS } from './archive.ts';
import type { EngineStats, ItemMeta, ScanEngine } from './engine.ts';
import { releaseBuffer } from './release.ts';
import type { ScanItem } from './sources/types.ts';
import type { Finding } from './types.ts';

export interface ItemPolicy {
  /** Open zip/tar/gzip items and scan their entries (default in scan(): true). */
  archives: boolean;
  /** Archive limits; `maxEntrySize` is the policy's max file size. */
  limits: Partial<ArchiveLimits>;
  maxFileSize: number;
  /** The policy's ignore globs, applied to archive entries (`outer.zip!inner/path`) as to files. */
  ignore: (path: string) => boolean;
  /**
   * A pool worker: offered each entry of an archive of at least `from` bytes; `take` is true when it took the entry
   * to be scanned by another thread (the walk of the archive, its limits and its warnings stay here).
   */
  handOut?: { from: number; take: (entry: ScanItem) => boolean };
}

/** Whether a file of this name and size goes to scanItem even when it is over the max file size. */
export function mayBeArchive(path: string, size: number, policy: Pick<ItemPolicy, 'archives' | 'limits'>): boolean {
  return policy.archives && ARCHIVE_NAME.test(path) && size <= maxTotal(policy.limits);
}

function maxTotal(limits: Partial<ArchiveLimits>): number {
  return limits.maxTotal ?? DEFAULT_ARCHIVE_LIMITS.maxTotal;
}

/** The whole file, at most `cap` bytes (a file that grew past its listed size is cut there, as the engine would). */
function readBounded(absPath: string | Buffer, cap: number): Buffer {
  const fd = openSync(absPath, 'r');
  try {
    return readBoundedFd(fd, fstatSync(fd).size, cap);
  } finally {
    closeSync(fd);
  }
}

function readBoundedFd(fd: number, fileSize: number, cap: number): Buffer {
  return readInto(fd, Math.min(fileSize, cap), Buffer.allocUnsafe);
}

/** Opens without following a symlink, blocking on a FIFO or taking a terminal: what was listed may have changed. */
const OPEN_LISTED = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

export function metaOf(item: Pick<ScanItem, 'path' | 'lineMap' | 'commit' | 'author' | 'date'>): ItemMeta {
  const meta: ItemMeta = { path: item.path };
  if (item.lineMap) meta.lineMap = item.lineMap;
  if (item.commit !== undefined) meta.commit = item.commit;
  if (item.author !== undefined) meta.author = item.author;
  if (item.date !== undefined) meta.date = item.date;
  return meta;
}

/**
 * Scans one item (see the header). Archive warnings (limits, corrupt archives, entries over the max file size)
 * go to `warn`. Throws what reading the file throws (the caller counts it unreadable).
 */
export function scanItem(
  engine: ScanEngine,
  item: ScanItem,
  policy: ItemPolicy,
  stats: EngineStats,
  warn: (message: string) => void,
): Finding[] {
  const src = item.source;
  const unstated = src.kind === 'file' && src.size === undefined;
  if (unstated) return scanUnstated(engine, item, src.absPath, policy, stats, warn);
  if (!policy.archives || item.lineMap) return scanAsIs(engine, item, policy, undefined, stats);
  if (src.kind === 'bytes') return scanAsRead(engine, item, policy, src.data, stats, warn);
  if (!mayBeArchive(item.path, src.size!, policy)) return scanAsIs(engine, item, policy, undefined, stats);
  const data = readBounded(src.absPath, maxTotal(policy.limits));
  try {
    return scanAsRead(engine, item, policy, data, stats, warn);
  } finally {
    releaseBuffer(data); // read here for this scan alone (a bytes item's data belongs to its source)
  }
}

/**
 * A file the listing did not stat (a directory walk knows a regular file from its entry, git's index its mode):
 * checked here as the listing's lstat would have, on the descriptor that is then read. Gone since it was listed:
 * skipped, as lstat skips it. A symlink: not followed, counted as the listing counts one. Otherwise no longer a
 * regular file (a FIFO, a directory: never blocked on): a warning, counted unreadable. Over the max file size and
 * not possibly an archive: counted skippedLarge, not read.
 */
function scanUnstated(
  engine: ScanEngine,
  item: ScanItem,
  absPath: string | Buffer,
  policy: ItemPolicy,
  stats: EngineStats,
  warn: (message: string) => void,
): Finding[] {
  let fd: number;
  try {
    fd = openSync(absPath, OPEN_LISTED);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ELOOP') {
      // A symlink (swapped in since the walk listed it, or where git's index has a file): never followed, and
      // counted as a listed symlink is. Its own target is scanned on its own when it is inside the tree.
      stats.skippedSymlinks++;
      return [];
    }
    throw e; // EACCES and the like: the caller counts it unreadable and names it
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      stats.unreadable++;
      warn(`${item.path}: no longer a regular file; not scanned`);
      return [];
    }
    if (policy.archives && !item.lineMap && mayBeArchive(item.path, st.size, policy)) {
      const data = readBoundedFd(fd, st.size, maxTotal(policy.limits));
      try {
        return scanAsRead(engine, item, policy, data, stats, warn);
      } finally {
        releaseBuffer(data);
      }
    }
    if (st.size > policy.maxFileSize) {
      stats.skippedLarge++;
      return [];
    }
    return engine.scanFd(fd, metaOf(item), stats);
  } finally {
    closeSync(fd);
  }
}

/** What readPlain() leaves to its caller: plain bytes to scan, an archive's entries, or an item done already. */
export type ReadPlain = { data: Buffer } | { archive: ArchiveWalk } | { findings: Finding[] };

/** An archive's entries, walked as scanAsRead() walks them; release() once done (early or not). */
export interface ArchiveWalk {
  entries: Iterable<ScanItem>;
  release(): void;
}

/**
 * scanItem(), for a caller that scans plain bytes elsewhere (collect-thread.ts): the bytes scanItem() would hand the
 * engine as they are come back, copied or read into `alloc(size)`'s buffer; an archive's entries come back to be
 * walked (each entry's bytes are freed as the walk moves on: copy them); anything else (an item skipped, counted or
 * warned about) is done here as scanItem() does it, and its findings come back. Throws what reading throws, as
 * scanItem() does.
 */
export function readPlain(
  item: ScanItem,
  policy: ItemPolicy,
  stats: EngineStats,
  warn: (message: string) => void,
  alloc: (size: number) => Buffer,
): ReadPlain {
  const src = item.source;
  const plain = !policy.archives || item.lineMap !== undefined;
  if (src.kind === 'bytes') {
    if (!plain && archiveKind(src.data)) {
      // The bytes are the source's: nothing to release.
      return { archive: { entries: walkArchive(item, policy, src.data, stats, warn), release: () => {} } };
    }
    return copyPlain(item, src.data, policy, stats, alloc);
  }
  if (src.size !== undefined) {
    if (!plain && mayBeArchive(item.path, src.size, policy)) {
      return readArchive(item, policy, readBounded(src.absPath, maxTotal(policy.limits)), stats, warn, alloc);
    }
    if (src.size > policy.maxFileSize) {
      stats.skippedLarge++;
      return { findings: [] };
    }
    const fd = openSync(src.absPath, 'r');
    try {
      return { data: readInto(fd, fstatSync(fd).size, alloc) };
    } finally {
      closeSync(fd);
    }
  }
  // Not stat'ed when listed: checked on the descriptor that is read, as scanUnstated() checks it.
  let fd: number;
  try {
    fd = openSync(src.absPath, OPEN_LISTED);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { findings: [] };
    if (code === 'ELOOP') {
      stats.skippedSymlinks++;
      return { findings: [] };
    }
    throw e;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      stats.unreadable++;
      warn(`${item.path}: no longer a regular file; not scanned`);
      return { findings: [] };
    }
    if (!plain && mayBeArchive(item.path, st.size, policy)) {
      return readArchive(item, policy, readBoundedFd(fd, st.size, maxTotal(policy.limits)), stats, warn, alloc);
    }
    if (st.size > policy.maxFileSize) {
      stats.skippedLarge++;
      return { findings: [] };
    }
    return { data: readInto(fd, st.size, alloc) };
  } finally {
    closeSync(fd);
  }
}

/** A file read whole because its name says archive: its entries, or (not an archive after all) its bytes. */
function readArchive(
  item: ScanItem,
  policy: ItemPolicy,
  data: Buffer,
  stats: EngineStats,
  warn: (message: string) => void,
  alloc: (size: number) => Buffer,
): ReadPlain {
  if (archiveKind(data)) {
    return { archive: { entries: walkArchive(item, policy, data, stats, warn), release: () => releaseBuffer(data) } };
  }
  try {
    return copyPlain(item, data, policy, stats, alloc);
  } finally {
    releaseBuffer(data);
  }
}

/** scanAsIs() for bytes in memory: over the max file size, counted; else copied into alloc()'s buffer. */
function copyPlain(
  item: ScanItem,
  data: Buffer,
  policy: ItemPolicy,
  stats: EngineStats,
  alloc: (size: number) => Buffer,
): ReadPlain {
  if (data.length > policy.maxFileSize && item.path !== '-') {
    stats.skippedLarge++;
    return { findings: [] };
  }
  const out = alloc(data.length);
  data.copy(out);
  return { data: out };
}

/** The entries of the archive in `data` that the policy does not ignore; its warnings are counted (skippedArchive). */
function walkArchive(
  item: ScanItem,
  policy: ItemPolicy,
  data: Buffer,
  stats: EngineStats,
  warn: (message: string) => void,
): Generator<ScanItem> {
  const limits = { ...policy.limits, maxEntrySize: policy.maxFileSize };
  // Every archive warning is something not opened (a limit, encryption, corruption): counted.
  const onWarning = (m: string) => {
    stats.skippedArchive++;
    warn(m);
  };
  // transient: each entry is scanned (or handed out, or copied) and dropped before the next is asked for, so
  // archive.ts frees what it inflated as soon as it moves on.
  const all = archiveItems(item, data, { limits, onWarning, transient: true });
  function* entries(): Generator<ScanItem> {
    // Entries over the max file size never come out of archive.ts (a warning names them).
    for (const entry of all) if (!policy.ignore(entry.path)) yield entry;
  }
  return entries();
}

/** Up to `size` bytes from the descriptor's start into alloc(size); fewer when the file shrank meanwhile. */
function readInto(fd: number, size: number, alloc: (size: number) => Buffer): Buffer {
  const buf = alloc(size);
  let filled = 0;
  while (filled < size) {
    const n = readSync(fd, buf, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === size ? buf : buf.subarray(0, filled);
}

/** An item whose bytes are in memory: its entries when it is an archive, else the bytes themselves. */
function scanAsRead(
  engine: ScanEngine,
  item: ScanItem,
  policy: ItemPolicy,
  data: Buffer,
  stats: EngineStats,
  warn: (message: string) => void,
): Finding[] {
  if (!archiveKind(data)) return scanAsIs(engine, item, policy, data, stats);
  const found: Finding[] = [];
  const handOut = policy.handOut && data.length >= policy.handOut.from ? policy.handOut.take : undefined;
  for (const entry of walkArchive(item, policy, data, stats, warn)) {
    if (handOut?.(entry)) continue;
    for (const f of engine.scanBytes((entry.source as { data: Buffer }).data, metaOf(entry), stats)) found.push(f);
  }
  return found;
}

/** Not an archive: `data` when it was read already, else the item's source. */
function scanAsIs(
  engine: ScanEngine,
  item: ScanItem,
  policy: ItemPolicy,
  data: Buffer | undefined,
  stats: EngineStats,
): Finding[] {
  const src = item.source;
  const size = data ? data.length : src.kind === 'bytes' ? src.data.length : (src.size ?? 0);
  if (size > policy.maxFileSize && item.path !== '-') {
    // Only an archive-named file over the max size gets here (scan() skips the others): it was not an archive.
    stats.skippedLarge++;
    return [];
  }
  const meta = metaOf(item);
  if (data) return engine.scanBytes(data, meta, stats);
  return src.kind === 'file' ? engine.scanFile(src.absPath, meta, stats) : engine.scanBytes(src.data, meta, stats);
}
