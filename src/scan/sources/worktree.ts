// The files of a checkout: inside a git work tree, what `git ls-files` lists (tracked files with their index mode,
// plus untracked ones, .gitignore respected); a directory walk otherwise. Symlinks are never followed (a link's target is scanned on its
// own when it is inside the tree, and never when it points out of it); they, FIFOs, sockets and devices are counted
// (onSkip), unreadable entries are warnings. Names are bytes: one that is not valid UTF-8 is read by its bytes and
// reported by its lossless display name (escape.ts displayPath).
import { spawn } from 'node:child_process';
import { type Dirent, existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { displayPath } from '../../shared/escape.ts';
import type { ScanItem } from './types.ts';

/** What the listing met and left alone on purpose. */
export type SkipKind = 'symlink' | 'special';

export interface WorktreeOptions {
  onWarning?: (message: string) => void;
  /** Paths (relative, `/`) to leave out; the walk also skips whole directories for which `ignoreDir` says so. */
  ignore?: (path: string) => boolean;
  ignoreDir?: (path: string) => boolean;
  /** `auto` (default): git when the root is inside a work tree; `git`; `walk`. */
  lister?: 'auto' | 'git' | 'walk';
  /** Called for each symlink (never followed) and each FIFO, socket or device (never opened). */
  onSkip?: (kind: SkipKind, path: string) => void;
  /**
   * A walk stats this many regular files (default: all) and yields the rest without a size: their directory entry
   * already says they are regular files, and whoever opens one checks it again (item.ts). From git, a tracked file
   * comes without a size (its index mode says what it is) and an untracked one is stat'ed.
   */
  statFirst?: number;
}

/** A name as listed (bytes): the display path for findings, and what to open. */
interface Name {
  path: string;
  abs: string | Buffer;
}

function nameOf(root: string, rel: Buffer): Name {
  const text = rel.toString('utf8');
  // Invalid UTF-8 decodes to U+FFFD; a name without one round-trips (one with a real U+FFFD takes the byte path).
  if (!text.includes('\ufffd')) return { path: text, abs: join(root, text) };
  return { path: displayPath(rel), abs: Buffer.concat([Buffer.from(`${root}/`), rel]) };
}

/** What git lists in a work tree: tracked files with their index mode, and untracked files it does not ignore. */
interface GitListing {
  /** Index entries at stage 0 (a path in a merge conflict is in `untyped`). */
  tracked: { mode: string; name: Buffer }[];
  /** Paths in a merge conflict, and untracked files: their type is not known from the index. */
  untyped: Buffer[];
}

/** `git ARGS` in `root` (`-z` output) as its entries; `fail` when git could not list, undefined outside a repo. */
function gitEntries(root: string, args: string[]): Promise<Buffer[] | { fail: string } | undefined> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('git', args, {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      });
    } catch {
      resolve(undefined);
      return;
    }
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 4096) err += d.toString();
    });
    child.on('error', () => resolve(undefined)); // git not installed
    child.on('close', (code) => {
      if (code !== 0) {
        resolve(/not a git repository/i.test(err) ? undefined : { fail: err.trim().split('\n')[0] || `exit ${code}` });
        return;
      }
      const all = Buffer.concat(out);
      const entries: Buffer[] = [];
      for (let start = 0; start < all.length; ) {
        let end = all.indexOf(0, start);
        if (end < 0) end = all.length;
        if (end > start) entries.push(all.subarray(start, end));
        start = end + 1;
      }
      resolve(entries);
    });
  });
}

/** One entry of `git ls-files -z -t --stage`: "TAG MODE OBJECT STAGE<TAB>PATH" for a tracked file. */
const STAGED = /^[0-7]{6} [0-9a-f]{40,64} [0-3]$/;

/**
 * The work tree as git lists it, or undefined outside a repository (and when git fails, or prints what this does
 * not understand: a warning, and the directory is walked). One git process lists both: tracked files with their
 * index mode (`--stage`), which tells a symlink or a submodule from a file without an lstat of every path, and
 * untracked files, told apart by their `?` tag (`-t`). Names are bytes: they need not be UTF-8.
 */
async function gitListing(root: string, onWarning?: (m: string) => void): Promise<GitListing | undefined> {
  const entries = await gitEntries(root, ['ls-files', '-z', '-t', '--stage', '--others', '--exclude-standard']);
  if (entries === undefined) return undefined;
  const failed = (why: string) => {
    onWarning?.(`git ls-files failed in ${root} (${why}); walking the directory instead`);
    return undefined;
  };
  if ('fail' in entries) return failed(entries.fail);
  const listing: GitListing = { tracked: [], untyped: [] };
  let conflicted: Buffer | undefined;
  for (const entry of entries) {
    if (entry.length < 3 || entry[1] !== 0x20) return failed('an entry it printed is not understood');
    if (entry[0] === 0x3f /* ? */) {
      listing.untyped.push(entry.subarray(2));
      continue;
    }
    const tab = entry.indexOf(9);
    const name = entry.subarray(tab + 1);
    if (tab < 0 || name.length === 0 || !STAGED.test(entry.toString('latin1', 2, tab))) {
      return failed('an entry it printed is not understood');
    }
    if (entry[tab - 1] === 0x30 /* stage 0 */) listing.tracked.push({ mode: entry.toString('latin1', 2, 8), name });
    else if (!conflicted?.equals(name)) {
      conflicted = name; // stages 1 to 3 of one path come together: it is listed once
      listing.untyped.push(name);
    }
  }
  return listing;
}

/**
 * One lstat, synchronous: a local metadata call costs microseconds, where a promise through the thread pool costs
 * tens of them and a thread hand-off on a busy machine (measured: the walk's CPU time 0.40 s -> 0.23 s on 11k files).
 */
function fileItem(name: Name, opts: WorktreeOptions): ScanItem | undefined {
  const { path, abs: absPath } = name;
  const onWarning = opts.onWarning;
  try {
    const st = lstatSync(absPath);
    // Symlinks are not followed; directories here are submodules (gitlinks).
    if (st.isSymbolicLink()) opts.onSkip?.('symlink', path);
    else if (!st.isFile() && !st.isDirectory()) opts.onSkip?.('special', path);
    if (!st.isFile()) return undefined;
    return { path, source: { kind: 'file', absPath, size: st.size } };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined; // tracked but deleted in the work tree
    onWarning?.(`${path}: cannot stat (${code ?? (e as Error).name})`);
    return undefined;
  }
}

/**
 * Every regular file under root, in sorted order per directory, without following symlinks. Names are listed as
 * text (a Buffer and a concatenation per entry was most of the main thread's time on large trees); a directory
 * holding a name that is not UTF-8 is listed again by bytes, and so is everything under such a name.
 */
export async function* walkFiles(root: string, opts: WorktreeOptions = {}): AsyncGenerator<ScanItem> {
  // A directory relative to root: its text while every name on its path is UTF-8, else its bytes.
  const stack: Array<string | Buffer> = [''];
  let toStat = opts.statFirst ?? Number.POSITIVE_INFINITY;
  const rootBytes = Buffer.from(root);
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const absOf = (rel: string | Buffer): string | Buffer => {
    if (rel.length === 0) return root;
    return typeof rel === 'string' ? `${prefix}${rel}` : Buffer.concat([rootBytes, Buffer.from('/'), rel]);
  };
  // Synchronous listing, like the lstat calls (see fileItem): local metadata calls are cheaper than their promises.
  const list = (dir: string | Buffer): Dirent<string>[] | Dirent<Buffer>[] | NodeJS.ErrnoException => {
    try {
      if (typeof dir === 'string') {
        const named = readdirSync(absOf(dir), { withFileTypes: true });
        if (!named.some((e) => e.name.includes('\ufffd'))) return named;
      }
      return readdirSync(absOf(dir), { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      return e as NodeJS.ErrnoException;
    }
  };
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const listed = list(dir);
    if (!Array.isArray(listed)) {
      opts.onWarning?.(`${dir.length ? displayPath(dir) : '.'}: cannot list directory (${listed.code ?? 'error'})`);
      continue;
    }
    const subdirs: Array<string | Buffer> = [];
    const files: Name[] = [];
    const visit = (ent: Dirent<string> | Dirent<Buffer>, rel: string | Buffer, name: Name) => {
      if (ent.isSymbolicLink()) {
        if (!opts.ignore?.(name.path)) opts.onSkip?.('symlink', name.path);
      } else if (ent.isDirectory()) {
        if (ent.name.toString() !== '.git' && !opts.ignoreDir?.(name.path)) subdirs.push(rel);
      } else if (ent.isFile()) {
        if (!opts.ignore?.(name.path)) files.push(name);
      } else if (!opts.ignore?.(name.path)) {
        opts.onSkip?.('special', name.path);
      }
    };
    if (typeof listed[0]?.name === 'string') {
      // In UTF-8 byte order, as the byte listing is: the same as UTF-16 order unless a name is above U+FFFF.
      const entries = listed as Dirent<string>[];
      if (entries.some((e) => /[\ud800-\udfff]/.test(e.name))) {
        entries.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
      } else entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const base = dir as string;
      for (const ent of entries) {
        const rel = base.length ? `${base}/${ent.name}` : ent.name;
        visit(ent, rel, { path: rel, abs: `${prefix}${rel}` });
      }
    } else {
      const entries = listed as Dirent<Buffer>[];
      entries.sort((a, b) => Buffer.compare(a.name, b.name));
      const base = typeof dir === 'string' ? Buffer.from(dir) : dir;
      for (const ent of entries) {
        const relBytes = base.length ? Buffer.concat([base, Buffer.from('/'), ent.name]) : ent.name;
        const name = nameOf(root, relBytes);
        // A UTF-8 name keeps the text path below it; one that is not stays bytes.
        visit(ent, typeof name.abs === 'string' ? name.path : relBytes, name);
      }
    }
    const stated = Math.min(toStat, files.length);
    toStat -= stated;
    yield* statAll(stated === files.length ? files : files.slice(0, stated), opts);
    for (let i = stated; i < files.length; i++) {
      const { path, abs } = files[i]!;
      yield { path, source: { kind: 'file', absPath: abs } };
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

async function* statAll(paths: Name[], opts: WorktreeOptions): AsyncGenerator<ScanItem> {
  for (const p of paths) {
    const it = fileItem(p, opts);
    if (it) yield it;
  }
}

/**
 * Whether git could find a repository from `root`: GIT_DIR is set, or `root` or a directory above it holds `.git`
 * (a directory, or a file naming one) or looks like a bare repository (HEAD and objects). False means git would
 * answer "not a git repository": `auto` then walks without starting it, which is most of a small scan's time
 * outside a repository (the fork of this process, git's own start, and loading child_process). A superset of git's
 * own search, which also stops at GIT_CEILING_DIRECTORIES and file-system boundaries: when this says true, git
 * decides, as before.
 */
export function mayBeInRepository(root: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.GIT_DIR) return true;
  let dir: string;
  try {
    dir = realpathSync.native(root); // git searches from its working directory, which the kernel gives resolved
  } catch {
    return true; // let git say what is wrong with it
  }
  for (;;) {
    if (existsSync(join(dir, '.git')) || (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')))) {
      return true;
    }
    const up = dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}

/** The work tree's files: git's view when inside a repository, else a walk. */
export async function* worktreeItems(root: string, opts: WorktreeOptions = {}): AsyncGenerator<ScanItem> {
  const lister = opts.lister ?? 'auto';
  const askGit = lister === 'git' || (lister === 'auto' && mayBeInRepository(root));
  const listed = askGit ? await gitListing(root, opts.onWarning) : undefined;
  if (listed === undefined) {
    if (lister === 'git') throw new Error(`${root} is not inside a git work tree`);
    yield* walkFiles(root, opts);
    return;
  }
  if (listed.tracked.length === 0 && listed.untyped.length === 0) {
    // The root is inside a repository that ignores all of it (a build or vendor directory named explicitly): scan
    // what is there rather than nothing, and say so.
    let any = false;
    for await (const it of walkFiles(root, opts)) {
      if (!any) opts.onWarning?.(`${root}: git ignores every file here; scanning the directory as it is`);
      any = true;
      yield it;
    }
    return;
  }
  // A tracked file is left for whoever opens it to check (item.ts), as a walked one is: the index says what it was
  // committed as, and a file swapped for something else since is caught where it is opened.
  for (const { mode, name } of listed.tracked) {
    const n = nameOf(root, name);
    if (opts.ignore?.(n.path)) continue;
    if (mode === '100644' || mode === '100755') yield { path: n.path, source: { kind: 'file', absPath: n.abs } };
    else if (mode === '120000') opts.onSkip?.('symlink', n.path);
    // 160000: a submodule (its files are its own repository's); 040000: a sparse index's directory
  }
  const paths = listed.untyped.map((n) => nameOf(root, n)).filter((n) => !opts.ignore?.(n.path));
  yield* statAll(paths, opts);
}
