// `mode: auto`: decide what to scan from the GitHub event that started the job. Pure: the caller reads
// GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH (see readEvent) and hands them in.
import { readFileSync } from 'node:fs';

export type PlannedMode = 'worktree' | 'diff' | 'history' | 'none';

export interface ScanPlan {
  /** `none`: nothing to scan (empty range); a clean no-op, never an error. */
  mode: PlannedMode;
  /** Exclusive base of the range. For a new branch, a ref (e.g. `origin/main`) or several `^`-free refs to exclude. */
  base?: string;
  head?: string;
  /**
   * For a new branch: the commits to scan are those reachable from `head` and not from any of these refs
   * (the default branch, as the remote-tracking ref and as the plain name; whichever resolves).
   */
  exclude?: string[];
  /** When `base` cannot be found even after fetching (a force-push whose old tip is gone): exclude these instead. */
  fallbackExclude?: string[];
  /** One line for the log explaining the choice (or why nothing is scanned). */
  notice?: string;
}

export interface GitHubEvent {
  name: string;
  payload: Record<string, unknown>;
}

const ZERO_SHA = /^0+$/;

function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function str(obj: unknown, ...path: string[]): string | undefined {
  const v = get(obj, ...path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Reads the event the runner describes in GITHUB_EVENT_NAME / GITHUB_EVENT_PATH; undefined outside Actions. */
export function readEvent(env: NodeJS.ProcessEnv = process.env): GitHubEvent | undefined {
  const name = env.GITHUB_EVENT_NAME;
  if (!name) return undefined;
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { name, payload: {} };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the event payload at GITHUB_EVENT_PATH=${path}: ${(err as Error).message}`);
  }
  try {
    const payload = JSON.parse(text) as unknown;
    return {
      name,
      payload: payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {},
    };
  } catch (err) {
    throw new Error(`the event payload at ${path} is not JSON: ${(err as Error).message}`);
  }
}

/**
 * Picks the scan for an event. `env.fallbackMode` (`worktree` default, or `history`) is what events without a
 * commit range (workflow_dispatch, schedule, ...) scan.
 */
export function planScan(
  event: GitHubEvent | undefined,
  env: { fallbackMode?: 'worktree' | 'history'; remote?: string } = {},
): ScanPlan {
  const fallback = env.fallbackMode ?? 'worktree';
  const remote = env.remote ?? 'origin';
  if (!event) return { mode: fallback, notice: `no GitHub event: scanning the ${fallback}` };
  const p = event.payload;
  switch (event.name) {
    case 'pull_request':
    case 'pull_request_target': {
      const base = str(p, 'pull_request', 'base', 'sha');
      const head = str(p, 'pull_request', 'head', 'sha');
      if (!base || !head) {
        throw new Error(
          `${event.name} event without pull_request.base.sha/head.sha: cannot tell which commits to scan`,
        );
      }
      if (base === head) return { mode: 'none', base, head, notice: `pull request has no commits (${short(base)})` };
      const num = get(p, 'pull_request', 'number') ?? get(p, 'number');
      return {
        mode: 'diff',
        base,
        head,
        notice: `pull request${typeof num === 'number' ? ` #${num}` : ''}: scanning lines added in ${short(base)}..${short(head)}`,
      };
    }
    case 'push': {
      const before = str(p, 'before');
      const after = str(p, 'after');
      if (!after || ZERO_SHA.test(after)) {
        return { mode: 'none', notice: `push deleted ${str(p, 'ref') ?? 'a ref'}: nothing to scan` };
      }
      if (before === after)
        return { mode: 'none', base: before, head: after, notice: `push with no new commits (${short(after)})` };
      if (!before || ZERO_SHA.test(before)) {
        const def = str(p, 'repository', 'default_branch');
        const ref = str(p, 'ref');
        if (!def || ref === `refs/heads/${def}`) {
          // A new default branch (first push to the repository): every commit is new.
          return {
            mode: 'history',
            head: after,
            notice: `first push of ${ref ?? 'the default branch'}: scanning all of its commits`,
          };
        }
        return {
          mode: 'diff',
          head: after,
          exclude: [`refs/remotes/${remote}/${def}`, `refs/heads/${def}`],
          notice: `new branch ${ref ?? ''}: scanning commits not on ${def}`.replace('  ', ' '),
        };
      }
      const forced = get(p, 'forced') === true;
      const def = str(p, 'repository', 'default_branch');
      return {
        mode: 'diff',
        base: before,
        head: after,
        ...(def ? { fallbackExclude: [`refs/remotes/${remote}/${def}`, `refs/heads/${def}`] } : {}),
        notice: `push${forced ? ' (forced)' : ''}: scanning lines added in ${short(before)}..${short(after)}`,
      };
    }
    case 'merge_group': {
      const base = str(p, 'merge_group', 'base_sha');
      const head = str(p, 'merge_group', 'head_sha');
      if (!base || !head) throw new Error('merge_group event without merge_group.base_sha/head_sha');
      if (base === head) return { mode: 'none', base, head, notice: `merge group has no commits (${short(base)})` };
      return {
        mode: 'diff',
        base,
        head,
        notice: `merge group: scanning lines added in ${short(base)}..${short(head)}`,
      };
    }
    default:
      return { mode: fallback, notice: `${event.name} event: scanning the ${fallback}` };
  }
}

function short(sha: string | undefined): string {
  return sha ? sha.slice(0, 12) : '?';
}

/**
 * Events whose head a pull request's author controls: its config must not decide what the scan may ignore, and its
 * cache scope is one the pull request's own workflows can write.
 */
export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target', 'merge_group'];

export function isPullRequestEvent(name: string | undefined): boolean {
  return name !== undefined && PULL_REQUEST_EVENTS.includes(name);
}

/**
 * The commit a pull request (or merge group) is based on, whose config is trusted; undefined for other events.
 * A pull-request event without a well-formed base SHA throws: the config cannot be trusted then.
 */
export function trustedBaseSha(event: GitHubEvent | undefined): string | undefined {
  if (!event || !isPullRequestEvent(event.name)) return undefined;
  const base =
    event.name === 'merge_group'
      ? str(event.payload, 'merge_group', 'base_sha')
      : str(event.payload, 'pull_request', 'base', 'sha');
  if (!base || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(base)) {
    throw new Error(`${event.name} event without a base commit SHA: cannot read the trusted config from the base`);
  }
  return base;
}
