// Progress for long scans: a line every few seconds (commits and MiB done, rate, ETA) and a one-line total.
// The clock and the sink are injected, so tests drive it without waiting.

export interface ProgressSample {
  /** Commits done / in scope (git modes); files for worktree scans. */
  done: number;
  total: number;
  bytes: number;
}

export interface ProgressOptions {
  /** Where lines go (core.info inside a group, stderr on a TTY). */
  log: (line: string) => void;
  /** Minimum time between lines (default 5 s). */
  intervalMs?: number;
  now?: () => number;
  /** `commits` (default) or `files`. */
  unit?: string;
}

export interface Progress {
  update(sample: ProgressSample): void;
  /** The one-line total; `extra` is appended (e.g. "1,200 commits from cache"). */
  finish(extra?: string): string;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

const num = (n: number): string => n.toLocaleString('en-US');

export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => Number(process.hrtime.bigint()) / 1e6);
  const interval = options.intervalMs ?? 5000;
  const unit = options.unit ?? 'commits';
  const start = now();
  let lastLog = start;
  let last: ProgressSample = { done: 0, total: 0, bytes: 0 };
  return {
    update(sample) {
      last = sample;
      const t = now();
      if (t - lastLog < interval) return;
      lastLog = t;
      const elapsed = t - start;
      const rate = sample.bytes / 1048576 / Math.max(elapsed / 1000, 1e-3);
      const pct = sample.total > 0 ? (sample.done / sample.total) * 100 : 0;
      let eta = '';
      if (sample.done > 0 && sample.total > sample.done) {
        eta = `, ETA ${formatDuration((elapsed / sample.done) * (sample.total - sample.done))}`;
      }
      options.log(
        `${num(sample.done)}/${num(sample.total)} ${unit} (${pct.toFixed(1)}%), ${formatBytes(sample.bytes)}, ${rate.toFixed(1)} MiB/s${eta}`,
      );
    },
    finish(extra) {
      const elapsed = now() - start;
      const rate = last.bytes / 1048576 / Math.max(elapsed / 1000, 1e-3);
      const line =
        `scanned ${num(last.total)} ${last.total === 1 ? unit.replace(/s$/, '') : unit}, ${formatBytes(last.bytes)} in ${formatDuration(elapsed)} (${rate.toFixed(1)} MiB/s)` +
        (extra ? `; ${extra}` : '');
      options.log(line);
      return line;
    },
  };
}
