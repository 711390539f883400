// Archives scanned inside: zip and its kin (jar, war, whl, nupkg, apk, docx…: recognised by magic, not name), tar,
// and gzip (tar.gz, tgz, plain .gz). Inner paths read `outer.zip!dir/file`, nested `a.zip!b.tgz!c.env`.
//
// Nothing is written to disk and nothing is trusted from the headers: every inflate runs with `maxOutputLength`,
// so a zip bomb (huge ratio, overlapping entries, deep nesting, thousands of entries) ends in a warning, not an
// out-of-memory crash. Limits: nesting depth, entries, expanded bytes per entry and per outer archive, and ratio.
import { gunzipSync, inflateRawSync, constants as zlibConstants } from 'node:zlib';
import { releaseBuffer } from './release.ts';
import type { ScanItem } from './sources/types.ts';

export interface ArchiveLimits {
  /** Archives inside archives: 1 = only the outer archive's entries (default 3). */
  maxDepth: number;
  /** Entries (files) per outer archive, nested ones included (default 10,000). */
  maxEntries: number;
  /** Expanded bytes per outer archive, nested ones included (default 128 MiB). */
  maxTotal: number;
  /** Largest entry read, and largest a plain `.gz` may expand to (default 10 MiB, the scanner's max file size). */
  maxEntrySize: number;
  /** Expansion ratio beyond which an entry is refused (only checked above 1 MiB of output; default 200). */
  maxRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 3,
  maxEntries: 10_000,
  maxTotal: 128 * 1024 * 1024,
  maxEntrySize: 10 * 1024 * 1024,
  maxRatio: 200,
};

export type ArchiveKind = 'zip' | 'tar' | 'gzip';

/** What kind of archive `data` is, by its magic bytes (the name only breaks ties: `.gz` without a tar inside). */
export function archiveKind(data: Buffer): ArchiveKind | undefined {
  if (
    data.length >= 4 &&
    data[0] === 0x50 &&
    data[1] === 0x4b &&
    (data[2] === 3 || data[2] === 5) &&
    (data[3] === 4 || data[3] === 6)
  ) {
    return 'zip';
  }
  if (data.length >= 18 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 8) return 'gzip';
  if (data.length >= 512 && data.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}

/** Names worth a look even before reading them (for sources that must choose what to read). */
export const ARCHIVE_NAME = /\.(zip|jar|war|ear|aar|whl|egg|nupkg|apk|ipa|vsix|xpi|crx|tar|tgz|gz|tbz|gem)$/i;

export interface ArchiveEntry {
  /** `outer!inner`, nested `a.zip!b.tgz!c.env`. */
  path: string;
  data: Buffer;
}

interface Budget {
  entries: number;
  bytes: number;
  warned: Set<string>;
  /** Frees a buffer this walk inflated once the walk is past it (ArchiveOptions.transient), else nothing. */
  done: (buf: Buffer) => void;
}

export interface ArchiveOptions {
  limits?: Partial<ArchiveLimits>;
  onWarning?: (message: string) => void;
  /**
   * The consumer is done with each entry before it asks for the next (it scans it and lets it go): what the walk
   * inflated is then freed as soon as the walk moves past it (release.ts): an entry when the next is asked for, a
   * nested archive or a tar's gzip when its entries are done. Without it, entries stay valid (tests collect them).
   */
  transient?: boolean;
}

/**
 * The files inside an archive (recursively, to `maxDepth`), lazily: memory holds the outer archive plus the entry
 * being scanned. Non-archives yield nothing. Corrupt or over-limit content becomes a warning naming the path.
 */
export function* archiveEntries(data: Buffer, path: string, options: ArchiveOptions = {}): Generator<ArchiveEntry> {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  const warn = options.onWarning ?? (() => {});
  const budget: Budget = {
    entries: 0,
    bytes: 0,
    warned: new Set(),
    done: options.transient ? releaseBuffer : () => {},
  };
  yield* expand(data, path, 1, limits, budget, warn);
}

/** Inner items of an archive item, carrying the item's commit/author/date. */
export function* archiveItems(item: ScanItem, data: Buffer, options: ArchiveOptions = {}): Generator<ScanItem> {
  for (const entry of archiveEntries(data, item.path, options)) {
    const out: ScanItem = { path: entry.path, source: { kind: 'bytes', data: entry.data } };
    if (item.commit !== undefined) out.commit = item.commit;
    if (item.author !== undefined) out.author = item.author;
    if (item.date !== undefined) out.date = item.date;
    yield out;
  }
}

function* expand(
  data: Buffer,
  path: string,
  depth: number,
  limits: ArchiveLimits,
  budget: Budget,
  warn: (m: string) => void,
): Generator<ArchiveEntry> {
  const kind = archiveKind(data);
  if (!kind) return;
  let inner: Generator<ArchiveEntry>;
  try {
    if (kind === 'zip') inner = zipEntries(data, path, limits, budget, warn);
    else if (kind === 'tar') inner = tarEntries(data, path, budget, limits, warn);
    else inner = gzipEntries(data, path, limits, budget, warn);
    for (const entry of inner) {
      if (archiveKind(entry.data)) {
        if (depth >= limits.maxDepth) {
          warn(`${entry.path}: archive nested deeper than ${limits.maxDepth} levels, not opened (limit: depth)`);
          continue;
        }
        yield* expand(entry.data, entry.path, depth + 1, limits, budget, warn);
        continue;
      }
      yield entry;
    }
  } catch (err) {
    if (err instanceof LimitReached) {
      if (!budget.warned.has(err.message)) warn(err.message);
      budget.warned.add(err.message);
      if (depth > 1) throw err; // stop the whole outer archive
      return;
    }
    warn(`${path}: cannot read the ${kind} archive (${(err as Error).message}); its contents were not scanned`);
  }
}

class LimitReached extends Error {}

function takeEntry(path: string, size: number, limits: ArchiveLimits, budget: Budget, outer: string): void {
  budget.entries++;
  if (budget.entries > limits.maxEntries) {
    throw new LimitReached(
      `${outer}: more than ${limits.maxEntries} entries; the rest were not scanned (limit: entries)`,
    );
  }
  if (budget.bytes + size > limits.maxTotal) {
    throw new LimitReached(
      `${outer}: expands to more than ${mib(limits.maxTotal)} (at ${path}); the rest was not scanned (limit: total size, zip bomb?)`,
    );
  }
  budget.bytes += size;
}

function mib(n: number): string {
  return `${Math.round((n / 1048576) * 10) / 10} MiB`;
}

/** Output cap for one inflate: the entry limit, what is left of the total, and the ratio. */
function outputCap(compressed: number, limits: ArchiveLimits, budget: Budget): { cap: number; byRatio: boolean } {
  const byRatio = Math.max(1024 * 1024, compressed * limits.maxRatio);
  const cap = Math.min(limits.maxEntrySize, limits.maxTotal - budget.bytes, byRatio);
  return { cap: Math.max(0, cap), byRatio: byRatio < limits.maxEntrySize && byRatio <= limits.maxTotal - budget.bytes };
}

/**
 * zlib options that inflate into one buffer of the expected size (when the header's size is plausible): the result is
 * a view from the start of that buffer, nothing else sees (freed once scanned, release.ts), with no 16 KiB chunks to
 * concatenate and collect. One byte more than expected: zlib allocates another whole chunk whenever the output fills
 * its chunk exactly. A wrong size only costs the default path (more chunks, concatenated); the output cap still
 * bounds it.
 */
function sized(expected: number | undefined, cap: number): { maxOutputLength: number; chunkSize?: number } {
  const maxOutputLength = cap + 1 > 0x7fffffff ? 0x7fffffff : Math.max(1, cap);
  if (expected === undefined || expected < 16 * 1024 || expected > cap) return { maxOutputLength };
  return { maxOutputLength, chunkSize: expected + 1 };
}

function inflateCapped(
  comp: Buffer,
  fn: typeof inflateRawSync,
  where: string,
  outer: string,
  limits: ArchiveLimits,
  budget: Budget,
  warn: (m: string) => void,
  expected?: number,
): Buffer | undefined {
  const { cap, byRatio } = outputCap(comp.length, limits, budget);
  try {
    return fn(comp, sized(expected, cap));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      if (budget.bytes + cap >= limits.maxTotal) {
        throw new LimitReached(
          `${outer}: expands to more than ${mib(limits.maxTotal)} (at ${where}); the rest was not scanned (limit: total size, zip bomb?)`,
        );
      }
      if (byRatio) {
        warn(
          `${where}: expands more than ${limits.maxRatio}:1 (${mib(comp.length)} compressed), not scanned (limit: ratio, zip bomb?)`,
        );
      } else {
        warn(`${where}: larger than ${mib(limits.maxEntrySize)} expanded, not scanned (limit: entry size)`);
      }
      return undefined;
    }
    warn(`${where}: cannot inflate (${(err as Error).message}), not scanned`);
    return undefined;
  }
}

// ---- zip ------------------------------------------------------------------------------------------------------------

function* zipEntries(
  data: Buffer,
  path: string,
  limits: ArchiveLimits,
  budget: Budget,
  warn: (m: string) => void,
): Generator<ArchiveEntry> {
  // End of central directory: the last PK\5\6 within 64 KiB + 22 bytes of the end.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  let count = data.readUInt16LE(eocd + 10);
  let cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    // Zip64: the locator sits just before the EOCD and points at the zip64 EOCD record.
    const loc = eocd - 20;
    if (loc < 0 || data.readUInt32LE(loc) !== 0x07064b50) throw new Error('zip64 locator missing');
    const rec = Number(data.readBigUInt64LE(loc + 8));
    if (rec + 56 > data.length || data.readUInt32LE(rec) !== 0x06064b50) throw new Error('zip64 record missing');
    count = Number(data.readBigUInt64LE(rec + 32));
    cdOffset = Number(data.readBigUInt64LE(rec + 48));
  }
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50)
      throw new Error(`central directory entry ${k + 1} is corrupt`);
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    let compSize = data.readUInt32LE(p + 20);
    let size = data.readUInt32LE(p + 24);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    let local = data.readUInt32LE(p + 42);
    const name = data.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const extra = data.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (size === 0xffffffff || compSize === 0xffffffff || local === 0xffffffff) {
      const z = zip64Extra(extra, size === 0xffffffff, compSize === 0xffffffff, local === 0xffffffff);
      size = z.size ?? size;
      compSize = z.compSize ?? compSize;
      local = z.local ?? local;
    }
    if (name.endsWith('/')) continue;
    const where = `${path}!${name}`;
    if (flags & 1) {
      warn(`${where}: encrypted zip entry, not scanned`);
      continue;
    }
    if (method !== 0 && method !== 8) {
      warn(`${where}: zip compression method ${method} is not supported, not scanned`);
      continue;
    }
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) {
      warn(`${where}: local header is corrupt, not scanned`);
      continue;
    }
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const comp = data.subarray(start, Math.min(data.length, start + compSize));
    let content: Buffer | undefined;
    if (method === 0) {
      if (comp.length > limits.maxEntrySize) {
        warn(`${where}: larger than ${mib(limits.maxEntrySize)}, not scanned (limit: entry size)`);
        continue;
      }
      content = comp;
    } else {
      // Declared sizes are only used to refuse early; the cap on the inflate is what bounds the output.
      if (size > 1024 * 1024 && size > compSize * limits.maxRatio) {
        warn(
          `${where}: declares ${mib(size)} from ${mib(compSize)} (more than ${limits.maxRatio}:1), not scanned (limit: ratio, zip bomb?)`,
        );
        continue;
      }
      if (size > limits.maxEntrySize) {
        warn(`${where}: larger than ${mib(limits.maxEntrySize)} expanded, not scanned (limit: entry size)`);
        continue;
      }
      content = inflateCapped(comp, inflateRawSync, where, path, limits, budget, warn, size);
      if (!content) continue;
    }
    takeEntry(where, content.length, limits, budget, path);
    yield { path: where, data: content };
    // Scanned, or expanded when it was an archive itself. A stored entry is a view into the zip: not ours to free.
    if (method !== 0) budget.done(content);
  }
}

function zip64Extra(
  extra: Buffer,
  wantSize: boolean,
  wantComp: boolean,
  wantLocal: boolean,
): { size?: number; compSize?: number; local?: number } {
  let q = 0;
  while (q + 4 <= extra.length) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 1) {
      let r = q + 4;
      const out: { size?: number; compSize?: number; local?: number } = {};
      if (wantSize && r + 8 <= q + 4 + len) {
        out.size = Number(extra.readBigUInt64LE(r));
        r += 8;
      }
      if (wantComp && r + 8 <= q + 4 + len) {
        out.compSize = Number(extra.readBigUInt64LE(r));
        r += 8;
      }
      if (wantLocal && r + 8 <= q + 4 + len) out.local = Number(extra.readBigUInt64LE(r));
      return out;
    }
    q += 4 + len;
  }
  return {};
}

// ---- tar and gzip -----------------------------------------------------------------------------------------------------

function tarNumber(field: Buffer): number {
  if (field[0]! & 0x80) {
    // base-256 (GNU) for sizes over 8 GiB
    let v = 0;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i]!;
    return v;
  }
  const s = field.toString('latin1').replace(/\0.*$/s, '').trim();
  return s === '' ? 0 : Number.parseInt(s, 8);
}

function cstr(b: Buffer): string {
  const z = b.indexOf(0);
  return (z < 0 ? b : b.subarray(0, z)).toString('utf8');
}

function* tarEntries(
  data: Buffer,
  path: string,
  budget: Budget,
  limits: ArchiveLimits,
  warn: (m: string) => void,
): Generator<ArchiveEntry> {
  let p = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (p + 512 <= data.length) {
    const h = data.subarray(p, p + 512);
    if (h.every((b) => b === 0)) break;
    const size = tarNumber(h.subarray(124, 136));
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad size in header at ${p}`);
    const type = String.fromCharCode(h[156] || 0x30);
    const body = data.subarray(p + 512, Math.min(data.length, p + 512 + size));
    p += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = cstr(body);
      continue;
    }
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) paxPath = m[1];
      continue;
    }
    if (type === 'g') continue;
    let name = paxPath ?? longName;
    if (!name) {
      const prefix = h.subarray(257, 262).toString('latin1') === 'ustar' ? cstr(h.subarray(345, 500)) : '';
      name = prefix ? `${prefix}/${cstr(h.subarray(0, 100))}` : cstr(h.subarray(0, 100));
    }
    longName = undefined;
    paxPath = undefined;
    if (type !== '0' && type !== '7') continue; // regular files only (no links, devices, dirs)
    const where = `${path}!${name.replace(/^\.\//, '')}`;
    if (size > limits.maxEntrySize) {
      warn(`${where}: larger than ${mib(limits.maxEntrySize)}, not scanned (limit: entry size)`);
      continue;
    }
    takeEntry(where, body.length, limits, budget, path);
    yield { path: where, data: body };
  }
}

// Names that say "a tar inside": their gzip may expand up to the archive's total limit (the tar's entries are each
// checked on their own). Any other gzip is one file (`x.json.gz`) unless its first bytes are a tar header.
const TAR_GZ_NAME = /\.(tgz|taz|tar\.gz)$/i;

/** The first bytes a gzip expands to (enough to see a tar header), or an empty buffer if that fails. */
function gunzipHead(data: Buffer): Buffer {
  try {
    // A truncated stream with a sync flush yields what it holds so far; 4 KiB of deflate expands to at most ~4 MiB.
    return gunzipSync(data.subarray(0, 4096), {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: 8 * 1024 * 1024,
    });
  } catch {
    return Buffer.alloc(0);
  }
}

function* gzipEntries(
  data: Buffer,
  path: string,
  limits: ArchiveLimits,
  budget: Budget,
  warn: (m: string) => void,
): Generator<ArchiveEntry> {
  // A tar inside: the whole tar is in memory while its entries are scanned, so it counts against the total once (its
  // entries are views into it), capped like any inflate. A plain .gz is one file: a file is only scanned up to the
  // entry size (the scanner's max file size), so its inflate stops there instead of expanding it whole to drop it.
  let tarInside = TAR_GZ_NAME.test(path);
  if (!tarInside) {
    const head = gunzipHead(data);
    tarInside = archiveKind(head) === 'tar';
    releaseBuffer(head); // only ever seen here
  }
  const { cap, byRatio } = outputCap(
    data.length,
    tarInside ? { ...limits, maxEntrySize: limits.maxTotal } : limits,
    budget,
  );
  const tooLarge = () => {
    const why = byRatio
      ? `more than ${limits.maxRatio}:1 (limit: ratio, zip bomb?)`
      : tarInside || cap < limits.maxEntrySize
        ? `beyond ${mib(cap)} (limit: total size)`
        : `beyond ${mib(cap)}, more than a scanned file may hold (limit: entry size)`;
    warn(`${path}: gzip expands ${why}, not scanned`);
  };
  // ISIZE, the trailer's size (mod 2^32) of the last member, is a lower bound of the expanded size: above the cap,
  // the gzip is refused without inflating (like a zip entry's declared size); otherwise it sizes the output buffer.
  const isize = data.readUInt32LE(data.length - 4);
  if (isize > cap) {
    tooLarge();
    return;
  }
  let out: Buffer;
  try {
    // The inflate stops (and throws) as soon as its output passes the cap: never more than the cap in memory.
    out = gunzipSync(data, sized(isize, cap));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      tooLarge();
      return;
    }
    throw err;
  }
  if (archiveKind(out) === 'tar') {
    yield* tarEntries(out, path, budget, limits, warn);
    budget.done(out); // its entries were views into it: all done
    return;
  }
  // A plain .gz: one file, named without the suffix.
  const base = path.slice(path.lastIndexOf('!') + 1).replace(/^.*\//, '');
  const inner = base.replace(/\.t?gz$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : '')) || 'data';
  takeEntry(`${path}!${inner}`, out.length, limits, budget, path);
  yield { path: `${path}!${inner}`, data: out };
  budget.done(out);
}
