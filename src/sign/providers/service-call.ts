// The HTTP call the cloud providers (AWS, GCP, Azure) share: retried on 429/5xx and connection errors with labelled
// backoff, and every failure turned into a ProviderError whose text carries none of the call's secrets.
import { HttpError, type HttpResponse, isTransientStatus } from '../../shared/http.ts';
import { type RetryOptions, retry } from '../../shared/retry.ts';
import { ProviderError } from './types.ts';

/** A service's text with every secret the call carried replaced by `***`, cut to 600 characters. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out.length > 600 ? `${out.slice(0, 600)}…` : out;
}

class Transient extends Error {
  status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export interface ServiceCallContext {
  provider: string;
  /** How the service is named in errors: `AWS`, `Google`, `Azure`. */
  service: string;
  retry?: RetryOptions;
  log: (message: string) => void;
  secrets: readonly string[];
}

/** Sends (a fresh request each attempt) until an answer that is not transient, or gives up with a ProviderError. */
export async function callService(
  ctx: ServiceCallContext,
  label: string,
  attempt: () => Promise<HttpResponse>,
  isTransient: (res: HttpResponse) => boolean = (res) => isTransientStatus(res.status),
): Promise<HttpResponse> {
  let tried = 0;
  try {
    return await retry(
      async () => {
        tried++;
        const res = await attempt();
        if (isTransient(res)) throw new Transient(`HTTP ${res.status}`, res.status);
        return res;
      },
      {
        attempts: 4,
        ...ctx.retry,
        label,
        isRetryable: (e) => e instanceof Transient || (e instanceof HttpError && e.retryable),
        onRetry: (info) => {
          ctx.log(info.message);
          ctx.retry?.onRetry?.(info);
        },
      },
    );
  } catch (e) {
    const gaveUp = tried > 1 ? ` (gave up after ${tried} attempts)` : '';
    if (e instanceof Transient) {
      throw new ProviderError(
        ctx.provider,
        'unavailable',
        `${label}: ${ctx.service} answered ${e.message}${gaveUp}`,
        e.status,
      );
    }
    if (e instanceof HttpError) {
      throw new ProviderError(
        ctx.provider,
        e.code === 'TLS' ? 'tls' : 'unavailable',
        `${label}: ${scrub(e.message, ctx.secrets)}${gaveUp}`,
      );
    }
    throw e;
  }
}
