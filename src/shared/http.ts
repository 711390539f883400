// A small HTTP client on node:http/node:https: bounded responses (1 MiB), a deadline per request (10 s), an
// optional private CA, one fresh connection per request (nothing lingers to keep the process alive), and errors
// that say whether they are worth retrying. Messages name the origin and path only, never the query, headers or
// body, so nothing secret can leak through them.
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** PEM text of extra trusted CA certificates (added to Node's default roots). */
  ca?: string;
  /** Deadline for the whole exchange (default 10 s). */
  timeoutMs?: number;
  /** Largest accepted response body (default 1 MiB). */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** Connection-level failures worth another attempt. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'TIMEOUT',
]);

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** A failure below HTTP (no status) or a response that broke our bounds. */
export class HttpError extends Error {
  override name = 'HttpError';
  /** Node's error code (ECONNRESET, ...), or TIMEOUT, TOO_LARGE, TLS. */
  code: string;
  retryable: boolean;
  /** The TLS verification code when code is TLS. */
  tlsCode?: string;
  constructor(message: string, code: string, retryable: boolean, tlsCode?: string) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    if (tlsCode) this.tlsCode = tlsCode;
  }
}

/** origin + path: what messages may show of a URL. */
export function safeUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** 5xx, 429 and 408 are transient; every other status is an answer. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** Retry-After in ms (seconds or an HTTP date), if present and sane. */
export function retryAfterMs(headers: http.IncomingHttpHeaders, now = Date.now()): number | undefined {
  const raw = headers['retry-after'];
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function describeNetworkError(err: NodeJS.ErrnoException, where: string): HttpError {
  const code = err.code ?? 'UNKNOWN';
  if (TLS_CODES.has(code) || /certificate|self[- ]signed|SSL|TLS/i.test(err.message)) {
    return new HttpError(`TLS verification failed for ${where} (${code}): ${err.message}`, 'TLS', false, code);
  }
  const what: Record<string, string> = {
    ECONNRESET: 'connection reset',
    ECONNREFUSED: 'connection refused',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed while sending',
    EAI_AGAIN: 'DNS lookup failed temporarily',
    ENOTFOUND: 'host not found',
  };
  const text = what[code] ?? err.message;
  return new HttpError(`${text} (${code}) at ${where}`, code, TRANSIENT_CODES.has(code));
}

/** The default client: node:http for http:, node:https for https:. */
export const httpRequest: HttpClient = (request) => {
  const url = new URL(String(request.url));
  const where = safeUrl(url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') {
    return Promise.reject(
      new HttpError(`unsupported URL scheme ${url.protocol} (use https:// or http://)`, 'EINVAL', false),
    );
  }
  const options: https.RequestOptions = {
    method: request.method ?? 'GET',
    headers,
    agent: false,
  };
  if (isHttps && request.ca) options.ca = request.ca;

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: HttpError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const req = (isHttps ? https : http).request(url, options, (res) => {
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        fail(new HttpError(`response from ${where} is larger than ${maxBytes} bytes`, 'TOO_LARGE', false));
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new HttpError(`response from ${where} is larger than ${maxBytes} bytes`, 'TOO_LARGE', false));
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err: NodeJS.ErrnoException) => fail(describeNetworkError(err, where)));
      res.on('aborted', () => fail(new HttpError(`connection reset (ECONNRESET) at ${where}`, 'ECONNRESET', true)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(
      () => fail(new HttpError(`no answer from ${where} within ${timeoutMs / 1000} s`, 'TIMEOUT', true)),
      timeoutMs,
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // Node reports a connection dropped before any response as "socket hang up" with ECONNRESET.
      fail(describeNetworkError(err, where));
    });
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
};

/** Whether an error from an HttpClient is a transient connection failure. */
export function isTransientNetworkError(error: unknown): boolean {
  return error instanceof HttpError && error.retryable;
}
