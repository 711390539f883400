// Vault / OpenBao transit as a remote signer: the key never leaves Vault; each signature is one transit call.
//
//   1. POST {url}/v1/auth/{mount}/login {role, jwt}            -> a Vault token (vault.ts's vaultLogin)
//   2. GET  {url}/v1/{transit}/keys/{key}                      -> type, latest_version, keys[v].public_key
//   3. POST {url}/v1/{transit}/sign/{key}  per digest           -> "vault:v<N>:<base64>"
//        RSA:     {input, prehashed: true, hash_algorithm, signature_algorithm: pkcs1v15}  (Vault defaults to PSS,
//                 which OpenPGP cannot carry)
//        ECDSA:   {input, prehashed: true, hash_algorithm, marshaling_algorithm: asn1}
//        Ed25519: {input}: the OpenPGP digest is the message (pure Ed25519; prehashed would be Ed25519ph)
//      every call pins key_version to the version whose public key was read, so a rotation mid-run cannot slip
//      another key in
//   4. POST {url}/v1/auth/token/revoke-self                     -> when the job releases the session
//
// A role needs `update` on {transit}/sign/{key} and `read` on {transit}/keys/{key}, nothing else.
import { type HttpClient, httpRequest } from '../../shared/http.ts';
import type { RetryOptions } from '../../shared/retry.ts';
import type { HashName } from '../packet.ts';
import { ed25519FromRaw, RemoteKeyError, servicePublicKey } from '../remote-key.ts';
import { ProviderError, type RemoteSignerProvider, type RemoteSigningSession } from './types.ts';
import {
  flattenVaultError,
  loadCa,
  normalizeVaultUrl,
  openVaultSession,
  nsNote,
  parseJson,
  scrub,
  type VaultConn,
  type VaultSession,
  vaultCall,
  vaultErrors,
} from './vault.ts';

const PROVIDER = 'vault-transit';

export interface VaultTransitOptions {
  url: string;
  role: string;
  /** Transit key name. */
  key: string;
  /** Where transit is mounted (default transit). */
  transitMount?: string;
  authMount?: string;
  namespace?: string;
  caCertPath?: string;
  caCert?: string;
  http?: HttpClient;
  retry?: RetryOptions;
  log?: (message: string) => void;
  mask?: (secret: string) => void;
  onSession?: (session: VaultSession) => void | Promise<void>;
  /** Called once the token is revoked (clear the post step's state). */
  onSessionEnd?: () => void;
  timeoutMs?: number;
  /** Plain http to a non-loopback Vault is refused unless this is set. */
  allowInsecureHttp?: boolean;
}

const VAULT_HASH: Record<HashName, string> = { sha256: 'sha2-256', sha384: 'sha2-384', sha512: 'sha2-512' };
const SEGMENT = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function segment(value: string, input: string): string {
  const v = value.trim().replace(/^\/+|\/+$/g, '');
  if (!SEGMENT.test(v) || v.split('/').some((p) => p === '.' || p === '..')) {
    throw new ProviderError(PROVIDER, 'config', `${input} "${value}" is not a valid Vault path segment`);
  }
  return v;
}

export function createVaultTransitProvider(options: VaultTransitOptions): RemoteSignerProvider {
  const url = normalizeVaultUrl(options.url, { allowInsecureHttp: options.allowInsecureHttp ?? false });
  const role = options.role.trim();
  if (!role) throw new ProviderError(PROVIDER, 'config', 'vault-role is required');
  if (!options.key?.trim()) throw new ProviderError(PROVIDER, 'config', 'key (the transit key name) is required');
  const keyName = segment(options.key, 'key');
  if (keyName.includes('/'))
    throw new ProviderError(PROVIDER, 'config', `key "${options.key}" must be a transit key name, without "/"`);
  const transit = segment(options.transitMount || 'transit', 'vault-transit-mount');
  const mount = segment(options.authMount || 'jwt', 'vault-auth-mount');
  const namespace = options.namespace ? segment(options.namespace, 'vault-namespace') : undefined;
  const log = options.log ?? (() => {});
  const mask = options.mask ?? (() => {});
  const keysPath = `${transit}/keys/${keyName}`;
  const signPath = `${transit}/sign/${keyName}`;

  return {
    kind: 'remote-signer',
    name: PROVIDER,
    label: 'Vault transit',
    async connect(idToken: string): Promise<RemoteSigningSession> {
      const ca = loadCa(options);
      const conn: VaultConn = {
        url,
        namespace,
        ca,
        caCertPath: options.caCertPath,
        http: options.http ?? httpRequest,
        retry: options.retry,
        log,
        timeoutMs: options.timeoutMs,
        secrets: [idToken],
      };
      const { token, policies, session, release, released } = await openVaultSession(
        conn,
        { role, mount, namespace, idToken, mask },
        { caCertPath: options.caCertPath, onSessionEnd: options.onSessionEnd },
      );
      const policyHint = (capability: string, path: string) =>
        `The token from role "${role}" carries the policies [${policies.join(', ')}]; give one of them ` +
        `path "${path}" { capabilities = ["${capability}"] }.`;
      try {
        await options.onSession?.(session);
        const res = await vaultCall(conn, { method: 'GET', path: keysPath, token, label: 'Vault transit key read' });
        const said = scrub(vaultErrors(res.body).map(flattenVaultError).join('; '), conn.secrets);
        if (res.status === 403) {
          throw new ProviderError(
            PROVIDER,
            'permission-denied',
            `Vault denied reading ${keysPath}${nsNote(namespace)} (HTTP 403${said ? `: ${said}` : ''}). ${policyHint('read', keysPath)}`,
            403,
          );
        }
        if (res.status === 404) {
          throw new ProviderError(
            PROVIDER,
            'not-found',
            `no transit key "${keyName}" at ${keysPath}${nsNote(namespace)}: check key and vault-transit-mount`,
            404,
          );
        }
        if (res.status !== 200) {
          throw new ProviderError(
            PROVIDER,
            'bad-response',
            `Vault transit key read: HTTP ${res.status}${said ? `: ${said}` : ''}`,
            res.status,
          );
        }
        const data = (parseJson(res, 'Vault transit key read').data ?? {}) as Record<string, unknown>;
        const type = typeof data.type === 'string' ? data.type : '';
        const version = Number(data.latest_version);
        const versions = (data.keys ?? {}) as Record<string, { public_key?: unknown }>;
        const publicText = versions[String(version)]?.public_key;
        if (data.supports_signing === false) {
          throw new ProviderError(PROVIDER, 'bad-key', `transit key "${keyName}" is a ${type} key, which cannot sign`);
        }
        if (!Number.isInteger(version) || version < 1 || typeof publicText !== 'string' || publicText === '') {
          throw new ProviderError(
            PROVIDER,
            'bad-response',
            `Vault transit key read: no public key for the latest version of "${keyName}"`,
          );
        }
        let publicKey: ReturnType<typeof servicePublicKey>;
        try {
          publicKey = servicePublicKey(
            type === 'ed25519' ? ed25519FromRaw(Buffer.from(publicText, 'base64')) : publicText,
          );
        } catch (e) {
          if (e instanceof RemoteKeyError)
            throw new ProviderError(PROVIDER, 'bad-key', `transit key "${keyName}" (${type}): ${e.message}`);
          throw e;
        }

        const sign = async (digest: Uint8Array, hash: HashName): Promise<Uint8Array> => {
          const body: Record<string, unknown> = { input: Buffer.from(digest).toString('base64'), key_version: version };
          if (publicKey.type === 'rsa') {
            Object.assign(body, { prehashed: true, hash_algorithm: VAULT_HASH[hash], signature_algorithm: 'pkcs1v15' });
          } else if (publicKey.type !== 'ed25519') {
            Object.assign(body, { prehashed: true, hash_algorithm: VAULT_HASH[hash], marshaling_algorithm: 'asn1' });
          }
          const r = await vaultCall(conn, { method: 'POST', path: signPath, token, body, label: 'Vault transit sign' });
          const why = scrub(vaultErrors(r.body).map(flattenVaultError).join('; '), conn.secrets);
          if (r.status === 403) {
            throw new ProviderError(
              PROVIDER,
              'permission-denied',
              `Vault denied signing with ${signPath}${nsNote(namespace)} (HTTP 403${why ? `: ${why}` : ''}). ${policyHint('update', signPath)}`,
              403,
            );
          }
          if (r.status !== 200) {
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              `Vault transit sign: HTTP ${r.status}${why ? `: ${why}` : ''}`,
              r.status,
            );
          }
          const out = (parseJson(r, 'Vault transit sign').data ?? {}) as { signature?: unknown };
          const m = typeof out.signature === 'string' ? /^vault:v(\d+):([A-Za-z0-9+/=_-]+)$/.exec(out.signature) : null;
          if (!m)
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              'Vault transit sign: the answer carries no vault:v<N>: signature',
            );
          if (Number(m[1]) !== version) {
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              `Vault transit signed with key version ${m[1]}, not the version ${version} that was read`,
            );
          }
          // RSA: the signature integer; ECDSA: DER (marshaling asn1); Ed25519: R‖S, as the session contract wants
          return Buffer.from(m[2]!, m[2]!.includes('-') || m[2]!.includes('_') ? 'base64url' : 'base64');
        };
        log(`Connected to Vault transit key ${keysPath} (${type}, version ${version})`);
        return {
          publicKey: publicKey.keyObject,
          ...(publicKey.type === 'ecdsa-p384' ? { hashes: ['sha384', 'sha512'] as const } : {}),
          sign,
          release,
          released,
          source: `vault-transit ${url} ${keysPath}${nsNote(namespace)}`,
          metadata: { type, version, role },
          identity: `Vault role "${role}" on auth/${mount}${nsNote(namespace)} (policies: ${policies.join(', ') || 'none'})`,
        };
      } catch (e) {
        await release();
        throw e;
      }
    },
  };
}
