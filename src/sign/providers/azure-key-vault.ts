// Azure Key Vault keys as a remote signer: the key never leaves Key Vault (or its managed HSM); each signature is
// one keys/sign call.
//
//   1. Entra client assertion with the job's OIDC token          -> Key Vault access token (azure.ts)
//   2. GET {key id}?api-version=7.4                               -> JWK (RSA n/e, EC P-256/P-384 x/y) and its kid;
//      without a version in `key`, the current version is resolved here once and pinned for the run
//   3. POST {kid}/sign?api-version=7.4 {alg, value: base64url(digest)} per digest, on the pinned kid:
//        RSA:   RS256 / RS384 / RS512 (PKCS#1 v1.5)
//        ECDSA: ES256 (P-256) / ES384 (P-384); Key Vault returns raw r‖s, converted to DER for the session contract
// Key Vault has no Ed25519 keys. The identity needs keys/get and keys/sign ("Key Vault Crypto User").
import type { JsonWebKey } from 'node:crypto';
import type { HashName } from '../packet.ts';
import { RemoteKeyError, servicePublicKey } from '../remote-key.ts';
import {
  type AzureOptions,
  azureLogin,
  checkAzureInputs,
  parseVaultObjectUrl,
  vaultErrorMessage,
  vaultRequest,
} from './azure.ts';
import { ProviderError, type RemoteSignerProvider, type RemoteSigningSession } from './types.ts';

const PROVIDER = 'azure-key-vault';
const ROLE = 'Key Vault Crypto User';
const PERMISSIONS = 'key permissions Get and Sign';

export interface AzureKeyVaultOptions extends Omit<AzureOptions, 'provider'> {
  /** Key id URL: https://NAME.vault.azure.net/keys/KEY[/VERSION]. */
  key: string;
}

/** IEEE P1363 r‖s (JOSE) to the DER Ecdsa-Sig-Value the session contract carries. */
export function p1363ToDer(raw: Uint8Array): Buffer {
  const half = raw.length / 2;
  const int = (b: Buffer) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    const body = v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const seq = Buffer.concat([int(Buffer.from(raw.subarray(0, half))), int(Buffer.from(raw.subarray(half)))]);
  const len = seq.length < 0x80 ? Buffer.from([seq.length]) : Buffer.from([0x81, seq.length]);
  return Buffer.concat([Buffer.from([0x30]), len, seq]);
}

export function createAzureKeyVaultProvider(options: AzureKeyVaultOptions): RemoteSignerProvider {
  if (!options.key.trim())
    throw new ProviderError(PROVIDER, 'config', 'key is required (https://NAME.vault.azure.net/keys/KEY/VERSION)');
  const target = parseVaultObjectUrl(PROVIDER, options.key, 'keys', 'key', options);
  const azure = { ...options, provider: PROVIDER };
  checkAzureInputs(azure);
  const log = options.log ?? (() => {});

  return {
    kind: 'remote-signer',
    name: PROVIDER,
    label: 'Azure Key Vault',
    async connect(idToken: string): Promise<RemoteSigningSession> {
      const session = await azureLogin(idToken, azure, target.scope);
      try {
        const got = await vaultRequest(session, azure, 'Azure Key Vault get key', target.url);
        if (!got.ok) {
          if (got.error.status === 404) {
            throw new ProviderError(
              PROVIDER,
              'not-found',
              `Azure Key Vault has no key ${target.url} (${got.error.code}: ${got.error.message}): check key`,
              got.error.status,
            );
          }
          throw vaultErrorMessage(session, 'Azure Key Vault get key', got.error, PERMISSIONS, ROLE, target.url);
        }
        const jwk = (got.body.key && typeof got.body.key === 'object' ? got.body.key : {}) as Record<string, unknown>;
        const kid = typeof jwk.kid === 'string' ? jwk.kid : '';
        // the kid must be a version of the key asked for: a version pinned by the input stays pinned
        let pinned: ReturnType<typeof parseVaultObjectUrl> | undefined;
        try {
          pinned = parseVaultObjectUrl(PROVIDER, kid, 'keys', 'the returned kid', options);
        } catch {
          // below: an unreadable kid is a bad answer, not bad configuration
        }
        if (
          !pinned ||
          pinned.origin !== target.origin ||
          pinned.name !== target.name ||
          !pinned.version ||
          (target.version && pinned.version !== target.version)
        ) {
          throw new ProviderError(PROVIDER, 'bad-response', `Azure Key Vault get key: the answer is for another key`);
        }
        const attributes = (got.body.attributes ?? {}) as Record<string, unknown>;
        if (attributes.enabled === false)
          throw new ProviderError(PROVIDER, 'bad-key', `Key Vault key ${pinned.url} is disabled: enable it`);
        const ops = Array.isArray(jwk.key_ops) ? jwk.key_ops.map(String) : [];
        if (ops.length && !ops.includes('sign'))
          throw new ProviderError(
            PROVIDER,
            'bad-key',
            `Key Vault key ${pinned.url} does not permit sign (key_ops: ${ops.join(', ')}): allow the sign operation`,
          );
        const kty = String(jwk.kty ?? '');
        if (/^OKP/.test(kty) || jwk.crv === 'Ed25519')
          throw new ProviderError(
            PROVIDER,
            'bad-key',
            'Azure Key Vault has no Ed25519 keys: use RSA or EC P-256/P-384',
          );
        let publicKey: ReturnType<typeof servicePublicKey>;
        try {
          publicKey = servicePublicKey(jwk as JsonWebKey);
        } catch (e) {
          if (e instanceof RemoteKeyError)
            throw new ProviderError(PROVIDER, 'bad-key', `Key Vault key ${pinned.url} (${kty}): ${e.message}`);
          throw e;
        }
        if (publicKey.type === 'ed25519')
          throw new ProviderError(
            PROVIDER,
            'bad-key',
            'Azure Key Vault has no Ed25519 keys: use RSA or EC P-256/P-384',
          );
        const algorithmFor = (hash: HashName) =>
          publicKey.type === 'rsa' ? `RS${hash.slice(3)}` : publicKey.type === 'ecdsa-p256' ? 'ES256' : 'ES384';
        const sign = async (digest: Uint8Array, hash: HashName): Promise<Uint8Array> => {
          const out = await vaultRequest(session, azure, 'Azure Key Vault sign', `${pinned.url}/sign`, {
            alg: algorithmFor(hash),
            value: Buffer.from(digest).toString('base64url'),
          });
          if (!out.ok)
            throw vaultErrorMessage(session, 'Azure Key Vault sign', out.error, PERMISSIONS, ROLE, pinned.url);
          if (out.body.kid !== pinned.url || typeof out.body.value !== 'string')
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              'Azure Key Vault sign: the answer carries no signature by the key that was read',
            );
          const raw = Buffer.from(out.body.value, 'base64url');
          if (publicKey.type === 'rsa') return raw;
          const size = publicKey.type === 'ecdsa-p256' ? 32 : 48;
          if (raw.length !== 2 * size)
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              `Azure Key Vault sign: an ES signature of ${raw.length} bytes`,
            );
          return p1363ToDer(raw);
        };
        log(`Connected to Azure Key Vault key ${pinned.url} (${kty})`);
        return {
          publicKey: publicKey.keyObject,
          hashes:
            publicKey.type === 'ecdsa-p256'
              ? (['sha256'] as const)
              : publicKey.type === 'ecdsa-p384'
                ? (['sha384'] as const)
                : (['sha256', 'sha384', 'sha512'] as const),
          sign,
          async release() {
            session.release();
          },
          released: () => session.token === undefined,
          source: `azure-key-vault ${pinned.url}`,
          metadata: { keyType: kty, version: pinned.version },
          identity: session.identity,
        };
      } catch (e) {
        session.release();
        throw e;
      }
    },
  };
}
