// The scan action's incremental cache: moves the state file (src/scan/cache.ts) through @actions/cache. Everything
// that decides what a restored state means lives in the library; this adapter only restores, reads, writes, saves.
// A cache problem never fails the scan: it means a full scan (restore) or no cache next time (save), with a line
// in the log saying why. See src/scan/cache.ts for the trust model.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildState, type CacheMode, cacheKeys, checkState, MAX_STATE_BYTES, serializeState } from '../scan/cache.ts';

export interface ScanCacheContext {
  mode: CacheMode;
  /** policyHash(policy, scannerVersion, {config…}) */
  policyHash: string;
  scannerVersion: string;
  /** Makes the saved key unique (GitHub cache entries are immutable): e.g. head sha + run id + attempt. */
  unique: string;
  /** Directory for the state file; it must be the same path in every run (default $RUNNER_TEMP/jit-gpg-scan-cache). */
  dir?: string;
}

export interface RestoreResult {
  /** Commits a valid restored state vouches for; undefined → full scan. */
  commits?: Set<string>;
  matchedKey?: string;
  /** One line for the log. */
  message: string;
}

export interface SaveResult {
  saved: boolean;
  key: string;
  message: string;
}

function stateDir(ctx: ScanCacheContext): string {
  return ctx.dir ?? join(process.env.RUNNER_TEMP || tmpdir(), 'jit-gpg-scan-cache');
}

function stateFile(ctx: ScanCacheContext): string {
  return join(stateDir(ctx), `state-${ctx.mode}.json`);
}

// @actions/cache, with the storage client and HTTP stack it brings, is most of the scan action's bundle: loaded only
// when a git-mode scan restores or saves its state (never on pull requests), in a chunk of its own (bundle.mjs).
let actionsCache: Promise<typeof import('@actions/cache')> | undefined;
const loadCache = () => (actionsCache ??= import('@actions/cache'));

export async function cacheAvailable(): Promise<boolean> {
  try {
    return (await loadCache()).isFeatureAvailable();
  } catch {
    return false;
  }
}

export async function restoreScanCache(ctx: ScanCacheContext): Promise<RestoreResult> {
  if (!(await cacheAvailable())) return { message: 'cache: the cache service is not available here; full scan' };
  const dir = stateDir(ctx);
  const file = stateFile(ctx);
  rmSync(dir, { recursive: true, force: true }); // never read a state this run did not restore
  mkdirSync(dir, { recursive: true });
  const keys = cacheKeys(ctx.mode, ctx.policyHash, ctx.unique);
  let matchedKey: string | undefined;
  try {
    matchedKey = await (await loadCache()).restoreCache([dir], keys.key, keys.restoreKeys);
  } catch (err) {
    return { message: `cache: restore failed (${(err as Error).message}); full scan` };
  }
  if (!matchedKey) return { message: 'cache: no entry for these rules yet; full scan' };
  let text: Buffer;
  try {
    if (statSync(file).size > MAX_STATE_BYTES)
      return { matchedKey, message: `cache: ${matchedKey} is too large; ignored, full scan` };
    text = readFileSync(file);
  } catch {
    return { matchedKey, message: `cache: ${matchedKey} holds no scan state; ignored, full scan` };
  }
  const check = checkState(text, { scannerVersion: ctx.scannerVersion, policyHash: ctx.policyHash, mode: ctx.mode });
  if (!check.ok) return { matchedKey, message: `cache: ${matchedKey} ignored (${check.reason}); full scan` };
  return {
    commits: check.commits,
    matchedKey,
    message: `cache: restored ${matchedKey}: ${check.commits.size.toLocaleString('en-US')} commits already scanned under these rules`,
  };
}

/**
 * Saves the commits this run covered plus those the restored state vouched for. Call only after a clean scan
 * (isCleanForCache): a state must never vouch for commits with findings.
 */
export async function saveScanCache(
  ctx: ScanCacheContext,
  commits: Iterable<string>,
  restored?: Set<string>,
): Promise<SaveResult> {
  const keys = cacheKeys(ctx.mode, ctx.policyHash, ctx.unique);
  if (!(await cacheAvailable()))
    return { saved: false, key: keys.key, message: 'cache: the cache service is not available here; not saved' };
  const all = new Set(restored ?? []);
  for (const c of commits) all.add(c);
  const state = buildState({
    scannerVersion: ctx.scannerVersion,
    policyHash: ctx.policyHash,
    mode: ctx.mode,
    commits: all,
  });
  const dir = stateDir(ctx);
  mkdirSync(dir, { recursive: true });
  writeFileSync(stateFile(ctx), serializeState(state));
  try {
    const id = await (await loadCache()).saveCache([dir], keys.key);
    if (id === -1)
      return { saved: false, key: keys.key, message: `cache: ${keys.key} was not saved (see the warning above)` };
    return {
      saved: true,
      key: keys.key,
      message: `cache: saved ${keys.key} (${state.commits.length.toLocaleString('en-US')} commits)`,
    };
  } catch (err) {
    return { saved: false, key: keys.key, message: `cache: save failed (${(err as Error).message})` };
  }
}
