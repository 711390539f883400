// A small HTTP client on node:http/node:https: bounded responses (1 MiB), a deadline per request (10 s), an
// optional private CA, one fresh connection per request (nothing lingers to keep the process alive), and errors
// that say whether they are worth retrying. Messages name the origin and path only, never the query, headers or
// body, so nothing secret can leak through them.
//
// Proxies (self-hosted runners): HTTPS_PROXY/https_proxy for https: URLs, HTTP_PROXY/http_proxy for http: URLs,
// NO_PROXY/no_proxy to bypass, with the semantics of @actions/http-client and curl (see shouldProxy). HTTPS goes
// through an HTTP CONNECT tunnel with TLS (and the private CA) to the origin over it; plain HTTP is sent to the
// proxy as an absolute-URI request. Credentials in the proxy URL become `Proxy-Authorization: Basic` and never
// appear in a message (proxies are shown as origin only).
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type Socket } from 'node:net';
import tls from 'node:tls';

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
  /** Keep the body as bytes in `data` (`body` is then empty): logs and archives, never decoded as a string. */
  binary?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body's bytes, when the request asked for `binary`. */
  data?: Buffer;
}

export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

/** The environment variables the client reads (process.env by default). */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

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

function envValue(env: ProxyEnv, lower: string): string {
  // lower case first, as @actions/http-client and curl do
  return (env[lower] || env[lower.toUpperCase()] || '').trim();
}

const bareHost = (host: string) =>
  host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');

/** localhost, *.localhost, 127.0.0.0/8 and ::1: never proxied (as @actions/http-client). */
export function isLoopbackHost(hostname: string): boolean {
  const h = bareHost(hostname);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || h === '0:0:0:0:0:0:0:1';
  return false;
}

function defaultPort(u: URL): number {
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}

/** Splits a NO_PROXY entry into host and optional port: `host`, `host:port`, `[v6]:port`, bare v6. */
function splitEntry(entry: string): { host: string; port?: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (v6) return v6[2] ? { host: v6[1]!, port: Number(v6[2]) } : { host: v6[1]! };
  if (isIP(entry.split('/')[0]!) === 6) return { host: entry }; // bare IPv6 (maybe CIDR)
  const m = /^(.*):(\d+)$/.exec(entry);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: entry };
}

/** Whether one NO_PROXY entry covers host (lower case, no brackets) on port. */
function bypassedBy(entry: string, host: string, port: number): boolean {
  if (entry === '*') return true;
  const { host: raw, port: entryPort } = splitEntry(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  const e = bareHost(raw).replace(/^\*?\./, '');
  if (!e) return false;
  const family = isIP(host);
  const cidr = /^(.+)\/(\d{1,3})$/.exec(e);
  if (cidr && isIP(cidr[1]!)) {
    if (!family) return false;
    const entryFamily = isIP(cidr[1]!) === 4 ? 'ipv4' : 'ipv6';
    const bits = Number(cidr[2]);
    if (bits > (entryFamily === 'ipv4' ? 32 : 128)) return false;
    const list = new BlockList();
    list.addSubnet(cidr[1]!, bits, entryFamily);
    return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }
  if (isIP(e)) {
    if (!family) return false;
    const list = new BlockList();
    list.addAddress(e, isIP(e) === 4 ? 'ipv4' : 'ipv6');
    return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
  }
  if (family) return false; // a name never matches an IP literal
  return host === e || host.endsWith(`.${e}`);
}

/**
 * The proxy for `url` under `env`, or undefined for a direct connection. HTTPS_PROXY/https_proxy serve https:,
 * HTTP_PROXY/http_proxy serve http: (lower case wins, empty = unset; a value without scheme means http://).
 * Loopback hosts are never proxied. NO_PROXY/no_proxy: comma (or space) separated; `*` bypasses everything;
 * `example.com`, `.example.com` and `*.example.com` match the domain and its subdomains; `host:port` only that
 * port; IP addresses and CIDR ranges (`10.0.0.0/8`, `[::1]`) match IP literals; case-insensitive.
 */
export function proxyFor(url: string | URL, env: ProxyEnv = process.env): URL | undefined {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  const value = envValue(env, u.protocol === 'https:' ? 'https_proxy' : 'http_proxy');
  if (!value) return undefined;
  const host = bareHost(u.hostname);
  if (!host || isLoopbackHost(host)) return undefined;
  const port = defaultPort(u);
  const noProxy = envValue(env, 'no_proxy');
  for (const entry of noProxy.split(/[\s,]+/)) {
    if (entry && bypassedBy(entry.toLowerCase(), host, port)) return undefined;
  }
  const proxy = parseProxyUrl(value, u.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY');
  return proxy;
}

/** Whether a request to `url` goes through a proxy under `env` (pure). */
export function shouldProxy(url: string | URL, env: ProxyEnv = process.env): boolean {
  try {
    return proxyFor(url, env) !== undefined;
  } catch {
    return true; // a proxy is configured but its URL is invalid: the request will say so
  }
}

function parseProxyUrl(value: string, variable: string): URL {
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new HttpError(`${variable} is not a valid proxy URL (expected http://host:port)`, 'EINVAL', false);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new HttpError(
      `${variable}: proxy scheme ${proxy.protocol} is not supported (use an http:// or https:// proxy)`,
      'EINVAL',
      false,
    );
  }
  return proxy;
}

/** The passwords in the proxy variables (as written and decoded), for a runner to mask before anything prints. */
export function proxySecrets(env: ProxyEnv = process.env): string[] {
  const out = new Set<string>();
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    const value = (env[name] ?? '').trim();
    if (!value) continue;
    let u: URL;
    try {
      u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    } catch {
      continue;
    }
    if (!u.password) continue;
    out.add(u.password);
    try {
      out.add(decodeURIComponent(u.password));
    } catch {
      // not percent-encoded
    }
  }
  return [...out];
}

/** What messages may show of a proxy: scheme, host and port (never its credentials). */
export function safeProxy(proxy: URL): string {
  return proxy.origin;
}

function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username && !proxy.password) return undefined;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `Basic ${Buffer.from(`${decode(proxy.username)}:${decode(proxy.password)}`).toString('base64')}`;
}

/** An error the proxy answered (CONNECT refused, 407) or failing to reach it. */
function proxyStatusError(status: number, proxy: URL, where: string): HttpError {
  const fix =
    status === 407
      ? proxy.username
        ? ': the proxy refused the credentials in the proxy URL; check the user and password in HTTPS_PROXY/HTTP_PROXY'
        : ': the proxy wants credentials; put them in the proxy URL (http://user:password@proxy:port)'
      : status === 403
        ? ': the proxy does not allow this destination; ask for it to be allowed or add the host to NO_PROXY'
        : '';
  return new HttpError(
    `proxy ${safeProxy(proxy)} answered HTTP ${status} for ${where}${fix}`,
    status === 407 ? 'PROXY_AUTH' : `PROXY_${status}`,
    isTransientStatus(status),
  );
}

/** A client reading its proxy settings from `env` (default: process.env at the time of each request). */
export function createHttpClient(options: { env?: ProxyEnv } = {}): HttpClient {
  return (request) => send(request, options.env ?? process.env);
}

/** The default client: node:http for http:, node:https for https:, through the proxy the environment names. */
export const httpRequest: HttpClient = (request) => send(request, process.env);

function send(request: HttpRequest, env: ProxyEnv): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(String(request.url));
  } catch {
    return Promise.reject(new HttpError('invalid URL (expected https://host[:port]/path)', 'EINVAL', false));
  }
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
  let proxy: URL | undefined;
  try {
    proxy = proxyFor(url, env);
  } catch (e) {
    return Promise.reject(e);
  }
  const method = request.method ?? 'GET';

  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const live: { destroy(): unknown }[] = [];
    const fail = (err: HttpError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const r of live) r.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () =>
        fail(
          new HttpError(
            `no answer from ${where}${proxy ? ` through proxy ${safeProxy(proxy)}` : ''} within ${timeoutMs / 1000} s`,
            'TIMEOUT',
            true,
          ),
        ),
      timeoutMs,
    );

    const onResponse = (res: http.IncomingMessage) => {
      live.push(res);
      if (proxy && !isHttps && res.statusCode === 407) {
        fail(proxyStatusError(407, proxy, where));
        return;
      }
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        fail(new HttpError(`response from ${where} is larger than ${maxBytes} bytes`, 'TOO_LARGE', false));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new HttpError(`response from ${where} is larger than ${maxBytes} bytes`, 'TOO_LARGE', false));
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
        const data = Buffer.concat(chunks, size);
        resolve(
          request.binary
            ? { status: res.statusCode ?? 0, headers: res.headers, body: '', data }
            : { status: res.statusCode ?? 0, headers: res.headers, body: data.toString('utf8') },
        );
      });
    };

    const start = (req: http.ClientRequest, at: string) => {
      live.push(req);
      // Node reports a connection dropped before any response as "socket hang up" with ECONNRESET.
      req.on('error', (err: NodeJS.ErrnoException) => fail(describeNetworkError(err, at)));
      if (request.body !== undefined) req.write(request.body);
      req.end();
    };

    if (!proxy) {
      const options: https.RequestOptions = { method, headers, agent: false };
      if (isHttps && request.ca) options.ca = request.ca;
      start((isHttps ? https : http).request(url, options, onResponse), where);
      return;
    }

    const viaProxy = `proxy ${safeProxy(proxy)} (for ${where})`;
    const proxyModule = proxy.protocol === 'https:' ? https : http;
    const proxyTarget = { host: bareHost(proxy.hostname), port: defaultPort(proxy), agent: false as const };
    const auth = proxyAuthorization(proxy);

    if (!isHttps) {
      // plain HTTP: the proxy gets the absolute URI
      const proxied: Record<string, string> = { ...headers, host: url.host };
      if (auth) proxied['proxy-authorization'] = auth;
      start(proxyModule.request({ ...proxyTarget, method, path: url.href, headers: proxied }, onResponse), viaProxy);
      return;
    }

    // HTTPS: a CONNECT tunnel, then TLS to the origin (with the private CA) over it
    const authority = `${url.hostname}:${defaultPort(url)}`;
    const connectHeaders: Record<string, string> = { host: authority };
    if (auth) connectHeaders['proxy-authorization'] = auth;
    const connect = proxyModule.request({
      ...proxyTarget,
      method: 'CONNECT',
      path: authority,
      headers: connectHeaders,
    });
    connect.on('connect', (res: http.IncomingMessage, socket: Socket, head: Buffer) => {
      live.push(socket);
      if (res.statusCode !== 200) {
        fail(proxyStatusError(res.statusCode ?? 0, proxy, where));
        return;
      }
      if (settled) return;
      if (head.length) socket.unshift(head);
      const host = bareHost(url.hostname);
      const tlsOptions: tls.ConnectionOptions = { socket, host };
      if (!isIP(host)) tlsOptions.servername = host;
      if (request.ca) tlsOptions.ca = request.ca;
      const createConnection = () => {
        const t = tls.connect(tlsOptions);
        live.push(t);
        return t;
      };
      start(https.request(url, { method, headers, createConnection }, onResponse), where);
    });
    live.push(connect);
    connect.on('error', (err: NodeJS.ErrnoException) => fail(describeNetworkError(err, viaProxy)));
    connect.end();
  });
}

/** Whether an error from an HttpClient is a transient connection failure. */
export function isTransientNetworkError(error: unknown): boolean {
  return error instanceof HttpError && error.retryable;
}
