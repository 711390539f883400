// A stand-in for GitHub's cache service, v2 protocol, as `@actions/cache` 6 speaks it (read from
// node_modules/@actions/cache/lib: cache.js, internal/shared/cacheTwirpClient.js, internal/uploadUtils.js,
// internal/downloadUtils.js). It serves on 127.0.0.1:
//
//   (JSON with proto field names, as the generated client sends and accepts them)
//   POST /twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry          {key, version}
//        → {ok, signed_upload_url} (ok false + message when the key/version is already taken, as GitHub does)
//   POST /twirp/…/FinalizeCacheEntryUpload                                            {key, version, size_bytes}
//        → {ok, entry_id}
//   POST /twirp/…/GetCacheEntryDownloadURL                                            {key, restore_keys, version}
//        → {ok, signed_download_url, matched_key}: exact key first, then each restore key as a prefix (newest first),
//          only entries of the same version and readable scope
//   Blob URLs (Azure Storage shapes, as the Azure SDK's BlockBlobClient uses them):
//     PUT  <blob>                    single-shot upload (x-ms-blob-type: BlockBlob) → 201
//     PUT  <blob>?comp=block&blockid  stage a block → 201;  PUT <blob>?comp=blocklist (XML) → 201
//     HEAD <blob>                    properties (Content-Length, x-ms-blob-type, ETag) → 200
//     GET  <blob>                    download, honouring `x-ms-range`/`Range` → 200/206
//
// Twirp calls need `Authorization: Bearer <token>` (ACTIONS_RUNTIME_TOKEN). Scopes: entries are written to the
// server's `writeScope` and read from `readScopes` (like a pull request reading its own and the base branch's), so
// tests can show that a pull request's cache is not read by others. `calls` records what was asked, `entries()`
// what is stored; `tamper()` rewrites a stored archive (a poisoning attempt for the validation tests).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  scope: string;
  data?: Buffer;
  finalized: boolean;
  createdAt: number;
  size?: number;
}

export interface CacheServiceV2 {
  url: string;
  token: string;
  /** Environment for @actions/cache. */
  env: Record<string, string>;
  calls: string[];
  entries(): CacheEntry[];
  /** Where new entries go and what lookups may read (default scope `refs/heads/main` for both). */
  setScopes(write: string, read: string[]): void;
  tamper(key: string, fn: (archive: Buffer) => Buffer): void;
  close(): Promise<void>;
}

const PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';

export async function startCacheServiceV2(options: { token?: string } = {}): Promise<CacheServiceV2> {
  const token = options.token ?? `rt-${randomBytes(12).toString('hex')}`;
  const entries: CacheEntry[] = [];
  const blocks = new Map<number, Map<string, Buffer>>();
  const calls: string[] = [];
  let writeScope = 'refs/heads/main';
  let readScopes = ['refs/heads/main'];
  let nextId = 1;
  let base = '';

  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const twirpError = (res: http.ServerResponse, status: number, code: string, msg: string): void =>
    json(res, status, { code, msg });
  const azureHeaders = (extra: Record<string, string | number> = {}): Record<string, string | number> => ({
    'x-ms-request-id': randomBytes(8).toString('hex'),
    'x-ms-version': '2025-01-05',
    date: new Date().toUTCString(),
    ...extra,
  });
  const blobUrl = (e: CacheEntry, kind: 'up' | 'down'): string =>
    `${base}/devstoreaccount1/actions-cache/${e.id}-${kind}?sv=2025-01-05&sig=${randomBytes(6).toString('hex')}`;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', base);
      try {
        if (url.pathname.startsWith(PREFIX)) {
          const method = url.pathname.slice(PREFIX.length);
          calls.push(method);
          if (req.method !== 'POST') return twirpError(res, 405, 'bad_route', 'POST only');
          if (req.headers.authorization !== `Bearer ${token}`)
            return twirpError(res, 401, 'unauthenticated', 'bad token');
          const msg = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
          const key = String(msg.key ?? '');
          const version = String(msg.version ?? '');
          if (!key || !version) return twirpError(res, 400, 'invalid_argument', 'key and version are required');
          if (method === 'CreateCacheEntry') {
            if (entries.some((e) => e.key === key && e.version === version && e.scope === writeScope)) {
              return json(res, 200, { ok: false, message: `cache entry with key ${key} already exists` });
            }
            const e: CacheEntry = {
              id: nextId++,
              key,
              version,
              scope: writeScope,
              finalized: false,
              createdAt: Date.now(),
            };
            entries.push(e);
            return json(res, 200, { ok: true, signed_upload_url: blobUrl(e, 'up') });
          }
          if (method === 'FinalizeCacheEntryUpload') {
            const e = entries.find(
              (x) => x.key === key && x.version === version && x.scope === writeScope && !x.finalized,
            );
            if (!e?.data) return json(res, 200, { ok: false, message: 'no upload to finalize' });
            e.finalized = true;
            e.size = Number(msg.size_bytes ?? msg.sizeBytes ?? e.data.length);
            return json(res, 200, { ok: true, entry_id: String(e.id) });
          }
          if (method === 'GetCacheEntryDownloadURL') {
            const readable = entries
              .filter((e) => e.finalized && e.version === version && readScopes.includes(e.scope))
              .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
            // The client sends proto field names (toJson with useProtoFieldName); camelCase accepted too.
            const rk = msg.restore_keys ?? msg.restoreKeys;
            const restoreKeys = Array.isArray(rk) ? (rk as string[]) : [];
            // Like GitHub: the current scope is searched first, then the others, for the key then each prefix.
            let hit = readable.find((e) => e.key === key);
            for (const prefix of restoreKeys) hit ??= readable.find((e) => e.key.startsWith(prefix));
            if (!hit) return json(res, 200, { ok: false, signed_download_url: '', matched_key: '' });
            return json(res, 200, { ok: true, signed_download_url: blobUrl(hit, 'down'), matched_key: hit.key });
          }
          return twirpError(res, 404, 'bad_route', `no handler for ${method}`);
        }
        // Blob routes.
        const m = /^\/devstoreaccount1\/actions-cache\/(\d+)-(up|down)$/.exec(url.pathname);
        if (!m || !url.searchParams.get('sig')) {
          res.writeHead(404, azureHeaders({ 'x-ms-error-code': 'ResourceNotFound' }));
          return res.end();
        }
        const e = entries.find((x) => x.id === Number(m[1]));
        if (!e) {
          res.writeHead(404, azureHeaders({ 'x-ms-error-code': 'BlobNotFound' }));
          return res.end();
        }
        calls.push(`${req.method} blob${url.searchParams.get('comp') ? `?comp=${url.searchParams.get('comp')}` : ''}`);
        if (m[2] === 'up' && req.method === 'PUT') {
          if (e.finalized) {
            res.writeHead(409, azureHeaders({ 'x-ms-error-code': 'BlobImmutable' }));
            return res.end();
          }
          const comp = url.searchParams.get('comp');
          if (comp === 'block') {
            const id = url.searchParams.get('blockid') ?? '';
            if (!blocks.has(e.id)) blocks.set(e.id, new Map());
            blocks.get(e.id)!.set(id, body);
          } else if (comp === 'blocklist') {
            const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(
              (x) => x[1] ?? '',
            );
            const staged = blocks.get(e.id) ?? new Map<string, Buffer>();
            e.data = Buffer.concat(ids.map((id) => staged.get(id) ?? Buffer.alloc(0)));
            blocks.delete(e.id);
          } else {
            e.data = body;
          }
          res.writeHead(
            201,
            azureHeaders({
              etag: `"0x${e.id.toString(16)}"`,
              'last-modified': new Date().toUTCString(),
              'content-length': 0,
            }),
          );
          return res.end();
        }
        if (m[2] === 'down' && (req.method === 'HEAD' || req.method === 'GET')) {
          const data = e.data ?? Buffer.alloc(0);
          const common = {
            'x-ms-blob-type': 'BlockBlob',
            etag: `"0x${e.id.toString(16)}"`,
            'last-modified': new Date(e.createdAt).toUTCString(),
            'accept-ranges': 'bytes',
            'content-type': 'application/octet-stream',
          };
          const range = String(req.headers['x-ms-range'] ?? req.headers.range ?? '');
          const r = /^bytes=(\d+)-(\d*)$/.exec(range);
          if (req.method === 'GET' && r) {
            const start = Number(r[1]);
            const end = r[2] ? Math.min(Number(r[2]), data.length - 1) : data.length - 1;
            const part = data.subarray(start, end + 1);
            res.writeHead(
              206,
              azureHeaders({
                ...common,
                'content-length': part.length,
                'content-range': `bytes ${start}-${end}/${data.length}`,
              }),
            );
            return res.end(part);
          }
          res.writeHead(200, azureHeaders({ ...common, 'content-length': data.length }));
          return res.end(req.method === 'GET' ? data : undefined);
        }
        res.writeHead(405, azureHeaders());
        res.end();
      } catch (err) {
        twirpError(res, 500, 'internal', (err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    token,
    env: { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: `${base}/`, ACTIONS_RUNTIME_TOKEN: token },
    calls,
    entries: () => entries.map((e) => ({ ...e })),
    setScopes(write, read) {
      writeScope = write;
      readScopes = read;
    },
    tamper(key, fn) {
      const e = entries.find((x) => x.key === key);
      if (!e?.data) throw new Error(`no entry ${key}`);
      e.data = fn(e.data);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
