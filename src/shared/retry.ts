// Retries with jittered exponential backoff and labelled messages
// ("attempt 2 of 5 failed: connection reset; retrying in 1.3 s"). `sleep` and `random` are injectable so tests
// run instantly and deterministically. The helper never logs by itself: callers pass `onRetry`.

export interface RetryInfo {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  attempts: number;
  error: unknown;
  delayMs: number;
  /** Ready-made log line, prefixed with the label when one is given. */
  message: string;
}

export interface RetryOptions {
  /** Total attempts, including the first (default 5). */
  attempts?: number;
  /** Backoff before the second attempt, doubled each time (default 500 ms). */
  baseMs?: number;
  /** Ceiling for one delay (default 10 s). */
  maxMs?: number;
  /** Whether an error deserves another attempt (default: every error). */
  isRetryable?: (error: unknown) => boolean;
  onRetry?: (info: RetryInfo) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1) (default Math.random). */
  random?: () => number;
  /** Prefix for messages, e.g. "OIDC token request". */
  label?: string;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delay before the attempt after `attempt` (1-based): the exponential step capped at maxMs, with "equal jitter"
 * (half fixed, half random) so the logged delay stays meaningful while parallel jobs spread out.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random) {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A server-provided hint (Retry-After) carried on an error as `retryAfterMs`. */
function retryAfterOf(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'retryAfterMs' in error) {
    const v = (error as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  }
  return undefined;
}

/**
 * Runs `fn` until it succeeds, the error is not retryable, or attempts run out; then rethrows the last error
 * unchanged (callers add context). `fn` receives the 1-based attempt number.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 10_000;
  const isRetryable = options.isRetryable ?? (() => true);
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const prefix = options.label ? `${options.label}: ` : '';
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      let delayMs = backoffDelay(attempt, baseMs, maxMs, random);
      const hinted = retryAfterOf(error);
      if (hinted !== undefined) delayMs = Math.min(maxMs, Math.max(delayMs, hinted));
      const message = `${prefix}attempt ${attempt} of ${attempts} failed: ${errorMessage(error)}; retrying in ${formatSeconds(delayMs)}`;
      options.onRetry?.({ attempt, attempts, error, delayMs, message });
      await sleep(delayMs);
    }
  }
}
