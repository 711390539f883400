// A tiny forward proxy for tests, on 127.0.0.1: HTTP CONNECT tunnels (counted) and absolute-URI requests, with
// optional Basic credentials (407 otherwise). Every host name is mapped to 127.0.0.1, so a test can give its
// services names only the proxy resolves: a request that went around the proxy could not succeed.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

export interface TestProxy {
  url: string;
  /** CONNECT targets (host:port), one per tunnel opened. */
  tunnels: string[];
  /** Absolute URIs of plain-HTTP requests forwarded. */
  forwarded: string[];
  /** Proxy-Authorization headers seen (null when absent). */
  auths: (string | null)[];
  close(): Promise<void>;
}

/** A tiny forward proxy on 127.0.0.1: CONNECT tunnels and absolute-URI requests, every host mapped to 127.0.0.1. */
export async function startProxy(credentials?: { user: string; password: string }): Promise<TestProxy> {
  const expected = credentials
    ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`
    : undefined;
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const auths: (string | null)[] = [];
  const sockets = new Set<net.Socket>();
  const allowed = (req: http.IncomingMessage) => {
    const got = req.headers['proxy-authorization'] ?? null;
    auths.push(got);
    return expected === undefined || got === expected;
  };
  const server = http.createServer((req, res) => {
    if (!allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' });
      res.end();
      return;
    }
    const target = new URL(req.url ?? '');
    forwarded.push(target.href);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = http.request(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: req.method,
        path: target.pathname + target.search,
        headers,
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    tunnels.push(req.url ?? '');
    const port = Number(/:(\d+)$/.exec(req.url ?? '')?.[1] ?? 443);
    const up = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    forwarded,
    auths,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** `http://user:pass@127.0.0.1:PORT` (credentials percent-encoded as users write them). */
export function withCredentials(proxyUrl: string, user: string, password: string): string {
  const u = new URL(proxyUrl);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.href;
}
