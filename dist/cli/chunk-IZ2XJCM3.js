import {
  require_node_net
} from "./chunk-RTIGXEMI.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-UB53VF2P.js";

// builtin:node:http
var require_node_http = __commonJS({
  "builtin:node:http"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:http");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:https
var require_node_https = __commonJS({
  "builtin:node:https"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:https");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// builtin:node:tls
var require_node_tls = __commonJS({
  "builtin:node:tls"(exports, module) {
    var loaded;
    var load = () => loaded ??= __require("node:tls");
    module.exports = Object.create(new Proxy({}, { get: (_, name) => load()[name] }));
  }
});

// src/shared/http.ts
var import_node_http = __toESM(require_node_http(), 1);
var import_node_https = __toESM(require_node_https(), 1);
var import_node_net = __toESM(require_node_net(), 1);
var import_node_tls = __toESM(require_node_tls(), 1);
var DEFAULT_TIMEOUT_MS = 1e4;
var DEFAULT_MAX_BYTES = 1024 * 1024;
var TRANSIENT_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "TIMEOUT"
]);
var TLS_CODES = /* @__PURE__ */ new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO"
]);
var HttpError = class extends Error {
  name = "HttpError";
  /** Node's error code (ECONNRESET, ...), or TIMEOUT, TOO_LARGE, TLS. */
  code;
  retryable;
  /** The TLS verification code when code is TLS. */
  tlsCode;
  constructor(message, code, retryable, tlsCode) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    if (tlsCode) this.tlsCode = tlsCode;
  }
};
function safeUrl(url) {
  try {
    const u = new URL(String(url));
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
function isTransientStatus(status) {
  return status >= 500 || status === 429 || status === 408;
}
function retryAfterMs(headers, now = Date.now()) {
  const raw = headers["retry-after"];
  if (typeof raw !== "string" || raw.trim() === "") return void 0;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1e3;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? void 0 : Math.max(0, at - now);
}
function describeNetworkError(err, where) {
  const code = err.code ?? "UNKNOWN";
  if (TLS_CODES.has(code) || /certificate|self[- ]signed|SSL|TLS/i.test(err.message)) {
    return new HttpError(`TLS verification failed for ${where} (${code}): ${err.message}`, "TLS", false, code);
  }
  const what = {
    ECONNRESET: "connection reset",
    ECONNREFUSED: "connection refused",
    ETIMEDOUT: "connection timed out",
    EPIPE: "connection closed while sending",
    EAI_AGAIN: "DNS lookup failed temporarily",
    ENOTFOUND: "host not found"
  };
  const text = what[code] ?? err.message;
  return new HttpError(`${text} (${code}) at ${where}`, code, TRANSIENT_CODES.has(code));
}
function envValue(env, lower) {
  return (env[lower] || env[lower.toUpperCase()] || "").trim();
}
var bareHost = (host) => host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
function isLoopbackHost(hostname) {
  const h = bareHost(hostname);
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if ((0, import_node_net.isIP)(h) === 4) return h.startsWith("127.");
  if ((0, import_node_net.isIP)(h) === 6) return h === "::1" || /^(0{1,4}:){7}0{0,3}1$/.test(h) || h === "0:0:0:0:0:0:0:1";
  return false;
}
function defaultPort(u) {
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}
function splitEntry(entry) {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (v6) return v6[2] ? { host: v6[1], port: Number(v6[2]) } : { host: v6[1] };
  if ((0, import_node_net.isIP)(entry.split("/")[0]) === 6) return { host: entry };
  const m = /^(.*):(\d+)$/.exec(entry);
  return m ? { host: m[1], port: Number(m[2]) } : { host: entry };
}
function bypassedBy(entry, host, port) {
  if (entry === "*") return true;
  const { host: raw, port: entryPort } = splitEntry(entry);
  if (entryPort !== void 0 && entryPort !== port) return false;
  const e = bareHost(raw).replace(/^\*?\./, "");
  if (!e) return false;
  const family = (0, import_node_net.isIP)(host);
  const cidr = /^(.+)\/(\d{1,3})$/.exec(e);
  if (cidr && (0, import_node_net.isIP)(cidr[1])) {
    if (!family) return false;
    const entryFamily = (0, import_node_net.isIP)(cidr[1]) === 4 ? "ipv4" : "ipv6";
    const bits = Number(cidr[2]);
    if (bits > (entryFamily === "ipv4" ? 32 : 128)) return false;
    const list = new import_node_net.BlockList();
    list.addSubnet(cidr[1], bits, entryFamily);
    return list.check(host, family === 4 ? "ipv4" : "ipv6");
  }
  if ((0, import_node_net.isIP)(e)) {
    if (!family) return false;
    const list = new import_node_net.BlockList();
    list.addAddress(e, (0, import_node_net.isIP)(e) === 4 ? "ipv4" : "ipv6");
    return list.check(host, family === 4 ? "ipv4" : "ipv6");
  }
  if (family) return false;
  return host === e || host.endsWith(`.${e}`);
}
function proxyFor(url, env = process.env) {
  let u;
  try {
    u = new URL(String(url));
  } catch {
    return void 0;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return void 0;
  const value = envValue(env, u.protocol === "https:" ? "https_proxy" : "http_proxy");
  if (!value) return void 0;
  const host = bareHost(u.hostname);
  if (!host || isLoopbackHost(host)) return void 0;
  const port = defaultPort(u);
  const noProxy = envValue(env, "no_proxy");
  for (const entry of noProxy.split(/[\s,]+/)) {
    if (entry && bypassedBy(entry.toLowerCase(), host, port)) return void 0;
  }
  const proxy = parseProxyUrl(value, u.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY");
  return proxy;
}
function parseProxyUrl(value, variable) {
  let proxy;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new HttpError(`${variable} is not a valid proxy URL (expected http://host:port)`, "EINVAL", false);
  }
  if (proxy.protocol !== "http:" && proxy.protocol !== "https:") {
    throw new HttpError(
      `${variable}: proxy scheme ${proxy.protocol} is not supported (use an http:// or https:// proxy)`,
      "EINVAL",
      false
    );
  }
  return proxy;
}
function safeProxy(proxy) {
  return proxy.origin;
}
function proxyAuthorization(proxy) {
  if (!proxy.username && !proxy.password) return void 0;
  const decode = (s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `Basic ${Buffer.from(`${decode(proxy.username)}:${decode(proxy.password)}`).toString("base64")}`;
}
function proxyStatusError(status, proxy, where) {
  const fix = status === 407 ? proxy.username ? ": the proxy refused the credentials in the proxy URL; check the user and password in HTTPS_PROXY/HTTP_PROXY" : ": the proxy wants credentials; put them in the proxy URL (http://user:password@proxy:port)" : status === 403 ? ": the proxy does not allow this destination; ask for it to be allowed or add the host to NO_PROXY" : "";
  return new HttpError(
    `proxy ${safeProxy(proxy)} answered HTTP ${status} for ${where}${fix}`,
    status === 407 ? "PROXY_AUTH" : `PROXY_${status}`,
    isTransientStatus(status)
  );
}
function createHttpClient(options = {}) {
  return (request) => send(request, options.env ?? process.env);
}
var httpRequest = (request) => send(request, process.env);
function send(request, env) {
  let url;
  try {
    url = new URL(String(request.url));
  } catch {
    return Promise.reject(new HttpError("invalid URL (expected https://host[:port]/path)", "EINVAL", false));
  }
  const where = safeUrl(url);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const headers = { ...request.headers };
  if (request.body !== void 0) headers["content-length"] = String(Buffer.byteLength(request.body));
  const isHttps = url.protocol === "https:";
  if (!isHttps && url.protocol !== "http:") {
    return Promise.reject(
      new HttpError(`unsupported URL scheme ${url.protocol} (use https:// or http://)`, "EINVAL", false)
    );
  }
  let proxy;
  try {
    proxy = proxyFor(url, env);
  } catch (e) {
    return Promise.reject(e);
  }
  const method = request.method ?? "GET";
  return new Promise((resolve, reject) => {
    let settled = false;
    const live = [];
    const fail = (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const r of live) r.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () => fail(
        new HttpError(
          `no answer from ${where}${proxy ? ` through proxy ${safeProxy(proxy)}` : ""} within ${timeoutMs / 1e3} s`,
          "TIMEOUT",
          true
        )
      ),
      timeoutMs
    );
    const onResponse = (res) => {
      live.push(res);
      if (proxy && !isHttps && res.statusCode === 407) {
        fail(proxyStatusError(407, proxy, where));
        return;
      }
      const declared = Number(res.headers["content-length"] ?? "0");
      if (declared > maxBytes) {
        fail(new HttpError(`response from ${where} is larger than ${maxBytes} bytes`, "TOO_LARGE", false));
        return;
      }
      const chunks = [];
      let size = 0;
      res.on("data", (chunk) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new HttpError(`response from ${where} is larger than ${maxBytes} bytes`, "TOO_LARGE", false));
          return;
        }
        chunks.push(chunk);
      });
      res.on("error", (err) => fail(describeNetworkError(err, where)));
      res.on("aborted", () => fail(new HttpError(`connection reset (ECONNRESET) at ${where}`, "ECONNRESET", true)));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const data = Buffer.concat(chunks, size);
        resolve(
          request.binary ? { status: res.statusCode ?? 0, headers: res.headers, body: "", data } : { status: res.statusCode ?? 0, headers: res.headers, body: data.toString("utf8") }
        );
      });
    };
    const start = (req, at) => {
      live.push(req);
      req.on("error", (err) => fail(describeNetworkError(err, at)));
      if (request.body !== void 0) req.write(request.body);
      req.end();
    };
    if (!proxy) {
      const options = { method, headers, agent: false };
      if (isHttps && request.ca) options.ca = request.ca;
      start((isHttps ? import_node_https.default : import_node_http.default).request(url, options, onResponse), where);
      return;
    }
    const viaProxy = `proxy ${safeProxy(proxy)} (for ${where})`;
    const proxyModule = proxy.protocol === "https:" ? import_node_https.default : import_node_http.default;
    const proxyTarget = { host: bareHost(proxy.hostname), port: defaultPort(proxy), agent: false };
    const auth = proxyAuthorization(proxy);
    if (!isHttps) {
      const proxied = { ...headers, host: url.host };
      if (auth) proxied["proxy-authorization"] = auth;
      start(proxyModule.request({ ...proxyTarget, method, path: url.href, headers: proxied }, onResponse), viaProxy);
      return;
    }
    const authority = `${url.hostname}:${defaultPort(url)}`;
    const connectHeaders = { host: authority };
    if (auth) connectHeaders["proxy-authorization"] = auth;
    const connect = proxyModule.request({
      ...proxyTarget,
      method: "CONNECT",
      path: authority,
      headers: connectHeaders
    });
    connect.on("connect", (res, socket, head) => {
      live.push(socket);
      if (res.statusCode !== 200) {
        fail(proxyStatusError(res.statusCode ?? 0, proxy, where));
        return;
      }
      if (settled) return;
      if (head.length) socket.unshift(head);
      const host = bareHost(url.hostname);
      const tlsOptions = { socket, host };
      if (!(0, import_node_net.isIP)(host)) tlsOptions.servername = host;
      if (request.ca) tlsOptions.ca = request.ca;
      const createConnection = () => {
        const t = import_node_tls.default.connect(tlsOptions);
        live.push(t);
        return t;
      };
      start(import_node_https.default.request(url, { method, headers, createConnection }, onResponse), where);
    });
    live.push(connect);
    connect.on("error", (err) => fail(describeNetworkError(err, viaProxy)));
    connect.end();
  });
}

// src/shared/retry.ts
var defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
function backoffDelay(attempt, baseMs, maxMs, random = Math.random) {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
function formatSeconds(ms) {
  return `${(ms / 1e3).toFixed(1)} s`;
}
function errorMessage(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}
function retryAfterOf(error) {
  if (error && typeof error === "object" && "retryAfterMs" in error) {
    const v = error.retryAfterMs;
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) return v;
  }
  return void 0;
}
async function retry(fn, options = {}) {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 5));
  const baseMs = options.baseMs ?? 500;
  const maxMs = options.maxMs ?? 1e4;
  const isRetryable = options.isRetryable ?? (() => true);
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const prefix = options.label ? `${options.label}: ` : "";
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      let delayMs = backoffDelay(attempt, baseMs, maxMs, random);
      const hinted = retryAfterOf(error);
      if (hinted !== void 0) delayMs = Math.min(maxMs, Math.max(delayMs, hinted));
      const message = `${prefix}attempt ${attempt} of ${attempts} failed: ${errorMessage(error)}; retrying in ${formatSeconds(delayMs)}`;
      options.onRetry?.({ attempt, attempts, error, delayMs, message });
      await sleep(delayMs);
    }
  }
}

export {
  HttpError,
  safeUrl,
  isTransientStatus,
  retryAfterMs,
  isLoopbackHost,
  createHttpClient,
  httpRequest,
  errorMessage,
  retry
};
