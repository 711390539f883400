// The files of a checkout: `git ls-files -co --exclude-standard` inside a git work tree (tracked plus untracked,
// .gitignore respected), a directory walk otherwise. Symlinks are never followed (a link's target is scanned on its
// own when it is inside the tree, and never when it points out of it); unreadable entries are warnings.
import { spawn } from 'node:child_process';
import type { Dirent } from 'node:fs';
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ScanItem } from './types.ts';

export interface WorktreeOptions {
  onWarning?: (message: string) => void;
  /** Paths (relative, `/`) to leave out; the walk also skips whole directories for which `ignoreDir` says so. */
  ignore?: (path: string) => boolean;
  ignoreDir?: (path: string) => boolean;
  /** `auto` (default): git when the root is inside a work tree; `git`; `walk`. */
  lister?: 'auto' | 'git' | 'walk';
}

/** `git ls-files -z -co --exclude-standard` run in `root`: paths relative to root, or undefined outside a repo. */
export async function gitListFiles(root: string, onWarning?: (m: string) => void): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('git', ['ls-files', '-z', '-co', '--exclude-standard'], {
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
        if (!/not a git repository/i.test(err) && onWarning) {
          onWarning(
            `git ls-files failed in ${root} (${err.trim().split('\n')[0] ?? `exit ${code}`}); walking the directory instead`,
          );
        }
        resolve(undefined);
        return;
      }
      const text = Buffer.concat(out).toString('utf8');
      resolve(text.split('\0').filter((p) => p.length > 0));
    });
  });
}

/**
 * One lstat, synchronous: a local metadata call costs microseconds, where a promise through the thread pool costs
 * tens of them and a thread hand-off on a busy machine (measured: the walk's main-thread time halved).
 */
function fileItem(root: string, path: string, onWarning?: (m: string) => void): ScanItem | undefined {
  const absPath = join(root, path);
  try {
    const st = lstatSync(absPath);
    // Symlinks are not followed; directories here are submodules (gitlinks).
    if (!st.isFile()) return undefined;
    return { path, source: { kind: 'file', absPath, size: st.size } };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined; // tracked but deleted in the work tree
    onWarning?.(`${path}: cannot stat (${code ?? (e as Error).name})`);
    return undefined;
  }
}

/** Every regular file under root, in sorted order per directory, without following symlinks. */
export async function* walkFiles(root: string, opts: WorktreeOptions = {}): AsyncGenerator<ScanItem> {
  const stack: string[] = [''];
  // Synchronous listing, like the lstat calls (see fileItem): local metadata calls are cheaper than their promises.
  const list = (dir: string): Dirent[] | NodeJS.ErrnoException => {
    try {
      return readdirSync(join(root, dir), { withFileTypes: true });
    } catch (e) {
      return e as NodeJS.ErrnoException;
    }
  };
  while (stack.length > 0) {
    const dir = stack.pop()!;
    const listed = list(dir);
    if (!Array.isArray(listed)) {
      opts.onWarning?.(`${dir || '.'}: cannot list directory (${listed.code ?? 'error'})`);
      continue;
    }
    const entries = listed;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    const files: string[] = [];
    for (const ent of entries) {
      const rel = dir ? `${dir}/${ent.name}` : ent.name;
      if (ent.isSymbolicLink()) continue;
      if (ent.isDirectory()) {
        if (ent.name === '.git' || opts.ignoreDir?.(rel)) continue;
        subdirs.push(rel);
      } else if (ent.isFile()) {
        if (!opts.ignore?.(rel)) files.push(rel);
      }
    }
    yield* statAll(root, files, opts.onWarning);
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

async function* statAll(root: string, paths: string[], onWarning?: (m: string) => void): AsyncGenerator<ScanItem> {
  for (const p of paths) {
    const it = fileItem(root, p, onWarning);
    if (it) yield it;
  }
}

/** The work tree's files: git's view when inside a repository, else a walk. */
export async function* worktreeItems(root: string, opts: WorktreeOptions = {}): AsyncGenerator<ScanItem> {
  const lister = opts.lister ?? 'auto';
  const listed = lister === 'walk' ? undefined : await gitListFiles(root, opts.onWarning);
  if (listed === undefined) {
    if (lister === 'git') throw new Error(`${root} is not inside a git work tree`);
    yield* walkFiles(root, opts);
    return;
  }
  if (listed.length === 0) {
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
  const paths = listed.filter((p) => !opts.ignore?.(p));
  yield* statAll(root, paths, opts.onWarning);
}
