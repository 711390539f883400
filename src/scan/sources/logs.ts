// `mode: logs`: the logs of a workflow run's completed jobs, fetched one by one from the REST API and scanned whole
// by the same engine and rules (a log is not a file: the max file size does not apply; the download is bounded).
//
// The runner writes every line as `2026-12-05T17:08:26.1234567Z <text>`. The prefix is cut before scanning (so a
// timestamp is never part of a value and columns are those of the line as GitHub shows it) and kept as the line's
// time: a finding belongs to the step whose started_at..completed_at (seconds, as the API gives them) encloses it.
// Steps follow each other, so a line stays with the step before unless that step no longer encloses its time; in
// the one second two steps share, a `##[group]` line (how the runner opens every step) starts the later one.
// `***` is the runner's mask of a registered secret: a candidate containing it is a placeholder to the engine's
// filters, never a finding. Line numbers are lines of that job's log; the job's file is `logs/<job name>.log`.
import type { GitHubClient, WorkflowJob, WorkflowStep } from '../../shared/github.ts';
import type { Finding, LogLocation } from '../types.ts';
import type { ScanItem } from './types.ts';

/** Logs downloaded at once (each held whole in memory until scanned). */
const CONCURRENCY = 4;

/** A log prepared for the engine: prefixes cut, and which step each line belongs to. */
export interface PreparedLog {
  data: Buffer;
  lines: number;
  /** Index into the job's steps (sorted by number) for a 1-based line, or -1 when no step encloses it. */
  stepOf(line: number): number;
  /** 1-based line where each step (by index) first appears. */
  firstLine: Map<number, number>;
}

const D = (b: number) => b >= 0x30 && b <= 0x39;
const num = (buf: Buffer, from: number, len: number) => {
  let n = 0;
  for (let i = from; i < from + len; i++) n = n * 10 + (buf[i]! - 0x30);
  return n;
};

/**
 * The length of a runner timestamp prefix at `at` (`YYYY-MM-DDTHH:MM:SS[.fraction]Z `, the space included), or 0.
 * `sec` receives the time in whole seconds since the epoch.
 */
export function timestampPrefix(buf: Buffer, at: number, end: number, out: { sec: number }): number {
  if (end - at < 20) return 0;
  const b = (i: number) => buf[at + i]!;
  if (
    !(D(b(0)) && D(b(1)) && D(b(2)) && D(b(3)) && b(4) === 0x2d && D(b(5)) && D(b(6)) && b(7) === 0x2d) ||
    !(D(b(8)) && D(b(9)) && b(10) === 0x54 && D(b(11)) && D(b(12)) && b(13) === 0x3a && D(b(14)) && D(b(15))) ||
    !(b(16) === 0x3a && D(b(17)) && D(b(18)))
  ) {
    return 0;
  }
  let i = 19;
  if (b(i) === 0x2e) {
    i++;
    const start = i;
    while (at + i < end && i - start < 9 && D(b(i))) i++;
    if (i === start) return 0;
  }
  if (at + i >= end || b(i) !== 0x5a) return 0; // Z
  i++;
  if (at + i < end) {
    if (b(i) !== 0x20) return 0;
    i++;
  }
  const ms = Date.UTC(
    num(buf, at, 4),
    num(buf, at + 5, 2) - 1,
    num(buf, at + 8, 2),
    num(buf, at + 11, 2),
    num(buf, at + 14, 2),
    num(buf, at + 17, 2),
  );
  out.sec = Math.floor(ms / 1000);
  return i;
}

/** Whether buf[at, at+19) is the date and time in `last` (the previous prefix's). */
function sameSecond(buf: Buffer, at: number, last: Buffer): boolean {
  for (let i = 18; i >= 0; i--) if (buf[at + i] !== last[i]) return false;
  return true;
}

/** The prefix length after a known `YYYY-MM-DDTHH:MM:SS` at `at` (fraction, `Z`, space), or 0. */
function prefixTail(buf: Buffer, at: number, end: number): number {
  let i = at + 19;
  if (buf[i] === 0x2e) {
    const start = ++i;
    while (i < end && i - start < 9 && D(buf[i]!)) i++;
    if (i === start) return 0;
  }
  if (i >= end || buf[i] !== 0x5a) return 0;
  i++;
  if (i < end) {
    if (buf[i] !== 0x20) return 0;
    i++;
  }
  return i - at;
}

const GROUP = Buffer.from('##[group]');

/**
 * Cuts the timestamp prefixes (and a leading BOM) out of `raw` in place and maps lines to steps. Line count and
 * order are unchanged; `data` is a view of `raw`.
 */
export function prepareLog(raw: Buffer, steps: readonly WorkflowStep[]): PreparedLog {
  const span = steps.map((s) => ({
    from: s.startedAt === undefined ? Number.NaN : Math.floor(s.startedAt / 1000),
    to: s.completedAt === undefined ? Number.POSITIVE_INFINITY : Math.floor(s.completedAt / 1000),
  }));
  const encloses = (k: number, t: number) => span[k]!.from <= t && t <= span[k]!.to;
  const runLine: number[] = [];
  const runStep: number[] = [];
  const firstLine = new Map<number, number>();
  let read = raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? 3 : 0;
  let write = 0;
  let line = 0;
  let cur = -1;
  let assigned = -1;
  const ts = { sec: 0 };
  // Consecutive lines mostly share their second: the date and time are parsed again only when they differ.
  const last = Buffer.alloc(19);
  let lastCut = 0;
  while (read < raw.length) {
    line++;
    const nl = raw.indexOf(10, read);
    const end = nl < 0 ? raw.length : nl;
    let cut = 0;
    if (lastCut > 0 && end - read >= lastCut && sameSecond(raw, read, last)) {
      cut = prefixTail(raw, read, end);
    }
    if (cut === 0) {
      cut = timestampPrefix(raw, read, end, ts);
      if (cut > 0) raw.copy(last, 0, read, read + 19);
    }
    lastCut = cut;
    const contentStart = read + cut;
    if (cut > 0 && steps.length > 0) {
      const t = ts.sec;
      let next = -1;
      if (cur >= 0 && encloses(cur, t)) {
        next = cur;
        const opensGroup =
          contentStart + GROUP.length <= end &&
          raw.compare(GROUP, 0, GROUP.length, contentStart, contentStart + GROUP.length) === 0;
        if (opensGroup && cur + 1 < span.length && encloses(cur + 1, t)) next = cur + 1;
      } else {
        for (let k = cur + 1; k < span.length && next < 0; k++) if (encloses(k, t)) next = k;
        for (let k = 0; k <= cur && next < 0; k++) if (encloses(k, t)) next = k;
      }
      if (next >= 0) cur = next;
      if (next !== assigned || runLine.length === 0) {
        runLine.push(line);
        runStep.push(next);
        assigned = next;
      }
      if (next >= 0 && !firstLine.has(next)) firstLine.set(next, line);
    }
    const stop = nl < 0 ? raw.length : nl + 1;
    if (write !== contentStart) raw.copyWithin(write, contentStart, stop);
    write += stop - contentStart;
    read = stop;
  }
  const lines = line;
  return {
    data: raw.subarray(0, write),
    lines,
    firstLine,
    stepOf(l: number) {
      // The last run starting at or before l (lines before any timestamp belong to no step).
      let lo = 0;
      let hi = runLine.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (runLine[mid]! <= l) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? -1 : runStep[lo - 1]!;
    },
  };
}

/** A job's log path: `logs/<job name>.log`, with path separators and control characters replaced. */
export function logPath(name: string): string {
  const safe = name.replace(/[/\\\u0000-\u001f\u007f-\u009f]/g, '_');
  return `logs/${safe}.log`;
}

export interface LogsSourceOptions {
  client: GitHubClient;
  owner: string;
  repo: string;
  runId: number;
  /** GITHUB_SERVER_URL, for the links to each line. */
  serverUrl: string;
  onNotice?: (message: string) => void;
  onWarning?: (message: string) => void;
  maxLogBytes?: number;
}

interface ScannedJob {
  job: WorkflowJob;
  path: string;
  log?: Pick<PreparedLog, 'stepOf' | 'firstLine' | 'lines'>;
}

export interface LogsSource {
  /** What is scanned, in words. */
  describe: string;
  items: () => AsyncIterable<ScanItem>;
  /** Logs that could not be fetched (each named in a warning): the scan is incomplete. */
  readonly failed: number;
  /** Jobs not scanned, with why (still running, skipped). */
  readonly skipped: { job: string; why: string }[];
  readonly jobs: number;
  /** Where a finding (or one of its other places) is: job, step and a link to the line. */
  locate(place: Pick<Finding, 'file' | 'line'>): LogLocation | undefined;
}

/** Lists the run's jobs and prepares the source of their logs. A listing that fails throws (nothing to scan). */
export async function openLogsSource(opts: LogsSourceOptions): Promise<LogsSource> {
  const all = await opts.client.listRunJobs(opts.owner, opts.repo, opts.runId);
  const skipped: { job: string; why: string }[] = [];
  const scanned: ScannedJob[] = [];
  const byPath = new Map<string, ScannedJob>();
  for (const job of all) {
    if (job.status !== 'completed') {
      skipped.push({
        job: job.name,
        why: `${job.status}: its log is not complete yet (the scanning job's own log never is)`,
      });
      continue;
    }
    if (job.conclusion === 'skipped' || (job.steps.length === 0 && job.conclusion === 'cancelled')) {
      skipped.push({ job: job.name, why: `${job.conclusion}: it never ran, so it has no log` });
      continue;
    }
    // Two jobs of one name (or names equal once separators are replaced): the later ones get their id.
    let path = logPath(job.name);
    for (let n = 1; byPath.has(path); n++) path = logPath(`${job.name} (${job.id}${n > 1 ? `-${n}` : ''})`);
    const entry: ScannedJob = { job, path };
    byPath.set(path, entry);
    scanned.push(entry);
  }
  for (const s of skipped) opts.onNotice?.(`job ${JSON.stringify(s.job)} not scanned: ${s.why}`);
  let failed = 0;
  const server = opts.serverUrl.replace(/\/+$/, '');
  const runUrl = `${server}/${encodeURIComponent(opts.owner)}/${encodeURIComponent(opts.repo)}/actions/runs/${opts.runId}`;

  async function fetchOne(entry: ScannedJob): Promise<ScanItem | undefined> {
    try {
      const raw = await opts.client.downloadJobLog(opts.owner, opts.repo, entry.job.id, {
        ...(opts.maxLogBytes ? { maxBytes: opts.maxLogBytes } : {}),
      });
      const prepared = prepareLog(raw, entry.job.steps);
      entry.log = { stepOf: prepared.stepOf, firstLine: prepared.firstLine, lines: prepared.lines };
      return { path: entry.path, source: { kind: 'bytes', data: prepared.data } };
    } catch (e) {
      failed++;
      opts.onWarning?.(`${entry.path}: log not scanned: ${(e as Error).message}`);
      return undefined;
    }
  }

  return {
    describe: `logs of ${scanned.length} completed job${scanned.length === 1 ? '' : 's'} of run ${opts.runId} in ${opts.owner}/${opts.repo}`,
    get failed() {
      return failed;
    },
    skipped,
    jobs: scanned.length,
    items: async function* () {
      // A few downloads in flight; each log is yielded as soon as it is in (scan() bounds what it holds).
      const queue = scanned.slice();
      const running = new Map<number, Promise<{ id: number; item: ScanItem | undefined }>>();
      let next = 0;
      const start = () => {
        const entry = queue.shift();
        if (!entry) return;
        const id = next++;
        running.set(
          id,
          fetchOne(entry).then((item) => ({ id, item })),
        );
      };
      for (let i = 0; i < CONCURRENCY; i++) start();
      while (running.size > 0) {
        const { id, item } = await Promise.race(running.values());
        running.delete(id);
        start();
        if (item) yield item;
      }
    },
    locate(f) {
      const entry = byPath.get(f.file);
      if (!entry) return undefined;
      const { job } = entry;
      const loc: LogLocation = { job: job.name, jobId: job.id, url: `${runUrl}/job/${job.id}` };
      const k = entry.log?.stepOf(f.line) ?? -1;
      const step = k >= 0 ? job.steps[k] : undefined;
      if (step) {
        loc.step = step.name;
        loc.stepNumber = step.number;
        const first = entry.log?.firstLine.get(k) ?? f.line;
        loc.url += `#step:${step.number}:${f.line - first + 1}`;
      }
      return loc;
    },
  };
}
