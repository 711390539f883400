// A stand-in for the GitHub REST API's releases endpoints, on 127.0.0.1, for the example workflows' "create the
// release" step. Shapes and status codes follow the REST docs (docs.github.com/rest/releases):
//
//   POST /repos/{owner}/{repo}/releases                 {tag_name, name?, body?, draft?, prerelease?} → 201 release
//                                                      422 Validation Failed (already_exists) for a taken tag
//   GET  /repos/{owner}/{repo}/releases/tags/{tag}      200 release | 404 {"message":"Not Found"}
//   POST /repos/{owner}/{repo}/releases/{id}/assets?name=N   raw body (the "uploads" host in real life) → 201 asset
//                                                      422 Validation Failed (already_exists) for a taken name
//   GET  /download/{id}/{name}                          the asset's bytes (browser_download_url)
//
// Every API request needs `Authorization: token|Bearer <token>` with the job's token: else 401 Bad credentials.
// Not implemented: everything else (edits, deletes, paging, generated notes).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  data: Buffer;
}

export interface Release {
  id: number;
  tag_name: string;
  name: string;
  assets: ReleaseAsset[];
}

export interface ReleaseApi {
  url: string;
  /** Releases by tag. */
  releases: Map<string, Release>;
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest/releases';

export async function startReleaseApi(options: { owner: string; repo: string; token: string }): Promise<ReleaseApi> {
  const releases = new Map<string, Release>();
  const requests: ReleaseApi['requests'] = [];
  let nextId = 1000;
  let url = '';
  const prefix = `/repos/${options.owner}/${options.repo}/releases`;

  const releaseJson = (r: Release) => ({
    id: r.id,
    tag_name: r.tag_name,
    name: r.name,
    draft: false,
    prerelease: false,
    html_url: `https://github.com/${options.owner}/${options.repo}/releases/tag/${r.tag_name}`,
    upload_url: `${url}${prefix}/${r.id}/assets{?name,label}`,
    assets: r.assets.map(assetJson),
  });
  const assetJson = (a: ReleaseAsset) => ({
    id: a.id,
    name: a.name,
    size: a.size,
    state: 'uploaded',
    content_type: 'application/octet-stream',
    browser_download_url: `${url}/download/${a.id}/${encodeURIComponent(a.name)}`,
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const send = (status: number, body: unknown, type = 'application/json; charset=utf-8') => {
        requests.push({ method: req.method ?? '', path: u.pathname, status });
        res.writeHead(status, { 'content-type': type });
        res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
      };
      const invalid = (resource: string, field: string) =>
        send(422, {
          message: 'Validation Failed',
          errors: [{ resource, code: 'already_exists', field }],
          documentation_url: DOCS,
        });
      const download = /^\/download\/(\d+)\/([^/]+)$/.exec(u.pathname);
      if (req.method === 'GET' && download) {
        for (const r of releases.values()) {
          const a = r.assets.find((x) => x.id === Number(download[1]));
          if (a) return send(200, a.data, 'application/octet-stream');
        }
        return send(404, { message: 'Not Found', documentation_url: DOCS });
      }
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`) {
        return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
      }
      if (req.method === 'POST' && u.pathname === prefix) {
        let body: { tag_name?: unknown; name?: unknown };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return send(400, { message: 'Problems parsing JSON', documentation_url: DOCS });
        }
        if (typeof body.tag_name !== 'string' || !body.tag_name) {
          return send(422, {
            message: 'Invalid request.\n\n"tag_name" wasn\'t supplied.',
            documentation_url: DOCS,
          });
        }
        if (releases.has(body.tag_name)) return invalid('Release', 'tag_name');
        const r: Release = {
          id: nextId++,
          tag_name: body.tag_name,
          name: typeof body.name === 'string' ? body.name : body.tag_name,
          assets: [],
        };
        releases.set(r.tag_name, r);
        return send(201, releaseJson(r));
      }
      const byTag = new RegExp(`^${prefix}/tags/([^/]+)$`).exec(u.pathname);
      if (req.method === 'GET' && byTag) {
        const r = releases.get(decodeURIComponent(byTag[1]!));
        return r ? send(200, releaseJson(r)) : send(404, { message: 'Not Found', documentation_url: DOCS });
      }
      const upload = new RegExp(`^${prefix}/(\\d+)/assets$`).exec(u.pathname);
      if (req.method === 'POST' && upload) {
        const r = [...releases.values()].find((x) => x.id === Number(upload[1]));
        if (!r) return send(404, { message: 'Not Found', documentation_url: DOCS });
        const name = u.searchParams.get('name');
        if (!name) return send(422, { message: 'Validation Failed', documentation_url: DOCS });
        if (r.assets.some((a) => a.name === name)) return invalid('ReleaseAsset', 'name');
        const data = Buffer.concat(chunks);
        const a: ReleaseAsset = { id: nextId++, name, size: data.length, data };
        r.assets.push(a);
        return send(201, assetJson(a));
      }
      return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    releases,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
