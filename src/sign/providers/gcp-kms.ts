// Google Cloud KMS as a remote signer: the asymmetric key version never leaves KMS; each signature is one
// asymmetricSign call.
//
//   1. Google STS token exchange (+ optional service account impersonation)     -> access token (gcp.ts)
//   2. GET  /v1/{key version}/publicKey                 -> pem, algorithm, name, pemCrc32c
//   3. POST /v1/{key version}:asymmetricSign per digest:
//        RSA_SIGN_PKCS1_*_SHA256/SHA512, EC_SIGN_P256_SHA256, EC_SIGN_P384_SHA384: {digest: {sha256|sha512|sha384}}
//          (the key's algorithm fixes the hash, so the OpenPGP signature uses it)
//        EC_SIGN_ED25519: {data}: the OpenPGP digest is the message (pure Ed25519, what GnuPG verifies)
//      with digestCrc32c/dataCrc32c sent, and verifiedDigestCrc32c/verifiedDataCrc32c, signatureCrc32c and name
//      checked on the answer: a corrupted request or answer fails the run instead of making a bad signature.
// The identity needs cloudkms.cryptoKeyVersions.viewPublicKey and .useToSign on the key (roles/cloudkms.signerVerifier).
import type { HashName } from '../packet.ts';
import { RemoteKeyError, servicePublicKey } from '../remote-key.ts';
import { checkGcpInputs, crc32c, crc32cMatches, type GcpOptions, gcpApi, gcpErrorMessage, gcpLogin } from './gcp.ts';
import { ProviderError, type RemoteSignerProvider, type RemoteSigningSession } from './types.ts';

const PROVIDER = 'gcp-kms';
const SEGMENT = '[A-Za-z0-9_-]{1,63}';
const KEY_VERSION = new RegExp(
  `^projects/[a-z0-9.:-]{1,100}/locations/[a-z0-9-]{1,63}/keyRings/${SEGMENT}/cryptoKeys/${SEGMENT}/cryptoKeyVersions/\\d{1,10}$`,
);

/** The hash each supported Cloud KMS signing algorithm fixes; Ed25519 signs the digest bytes as its message. */
const ALGORITHMS: Record<string, HashName | 'pure'> = {
  RSA_SIGN_PKCS1_2048_SHA256: 'sha256',
  RSA_SIGN_PKCS1_3072_SHA256: 'sha256',
  RSA_SIGN_PKCS1_4096_SHA256: 'sha256',
  RSA_SIGN_PKCS1_4096_SHA512: 'sha512',
  EC_SIGN_P256_SHA256: 'sha256',
  EC_SIGN_P384_SHA384: 'sha384',
  EC_SIGN_ED25519: 'pure',
};

export interface GcpKmsOptions extends Omit<GcpOptions, 'provider'> {
  /** projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V */
  key: string;
}

export function createGcpKmsProvider(options: GcpKmsOptions): RemoteSignerProvider {
  const key = options.key.trim().replace(/^\/\/cloudkms\.googleapis\.com\//, '');
  if (!key) {
    throw new ProviderError(
      PROVIDER,
      'config',
      'key is required (projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V)',
    );
  }
  if (!KEY_VERSION.test(key)) {
    throw new ProviderError(
      PROVIDER,
      'config',
      'key is not a Cloud KMS crypto key version resource name ' +
        '(projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V; a key without /cryptoKeyVersions/N is not enough)',
    );
  }
  const gcp = { ...options, provider: PROVIDER };
  checkGcpInputs(gcp);
  const log = options.log ?? (() => {});

  return {
    kind: 'remote-signer',
    name: PROVIDER,
    label: 'Google Cloud KMS',
    async connect(idToken: string): Promise<RemoteSigningSession> {
      const session = await gcpLogin(idToken, gcp);
      try {
        const base = `${session.endpoint('cloudkms')}/v1/${key}`;
        const pub = await gcpApi(session, 'GET', `${base}/publicKey`, undefined, 'Google Cloud KMS getPublicKey');
        if (!pub.ok) {
          if (pub.error.code === 'FAILED_PRECONDITION') {
            throw new ProviderError(
              PROVIDER,
              'bad-key',
              `Cloud KMS key version ${key} has no usable public key (${pub.error.message}): it must be an ` +
                'ASYMMETRIC_SIGN key version in state ENABLED',
              pub.error.status,
            );
          }
          throw gcpErrorMessage(
            session,
            'Google Cloud KMS getPublicKey',
            pub.error,
            'cloudkms.cryptoKeyVersions.viewPublicKey',
            key,
          );
        }
        const pem = pub.body.pem;
        const algorithm = String(pub.body.algorithm ?? '');
        if (typeof pem !== 'string' || (pub.body.name !== undefined && pub.body.name !== key))
          throw new ProviderError(
            PROVIDER,
            'bad-response',
            'Google Cloud KMS getPublicKey: the answer carries no pem for the key version asked for',
          );
        if (!crc32cMatches(pub.body.pemCrc32c, Buffer.from(pem, 'utf8')))
          throw new ProviderError(PROVIDER, 'bad-response', 'Google Cloud KMS getPublicKey: pemCrc32c does not match');
        const mode = ALGORITHMS[algorithm];
        if (!mode) {
          throw new ProviderError(
            PROVIDER,
            'bad-key',
            `Cloud KMS key version ${key} has algorithm ${algorithm || '(none)'}; OpenPGP signing here needs one of ` +
              `${Object.keys(ALGORITHMS).join(', ')}`,
          );
        }
        let publicKey: ReturnType<typeof servicePublicKey>;
        try {
          publicKey = servicePublicKey(pem);
        } catch (e) {
          if (e instanceof RemoteKeyError)
            throw new ProviderError(PROVIDER, 'bad-key', `Cloud KMS key version ${key} (${algorithm}): ${e.message}`);
          throw e;
        }
        const expectedType = algorithm.startsWith('RSA')
          ? 'rsa'
          : algorithm === 'EC_SIGN_P256_SHA256'
            ? 'ecdsa-p256'
            : algorithm === 'EC_SIGN_P384_SHA384'
              ? 'ecdsa-p384'
              : 'ed25519';
        if (publicKey.type !== expectedType)
          throw new ProviderError(
            PROVIDER,
            'bad-response',
            `Google Cloud KMS getPublicKey: a ${publicKey.type} key for algorithm ${algorithm}`,
          );
        const sign = async (digest: Uint8Array, hash: HashName): Promise<Uint8Array> => {
          const bytes = Buffer.from(digest);
          if (mode !== 'pure' && hash !== mode) {
            throw new ProviderError(
              PROVIDER,
              'bad-key',
              `Cloud KMS key version ${key} (${algorithm}) signs ${mode} digests only, not ${hash}`,
            );
          }
          const body =
            mode === 'pure'
              ? { data: bytes.toString('base64'), dataCrc32c: String(crc32c(bytes)) }
              : { digest: { [mode]: bytes.toString('base64') }, digestCrc32c: String(crc32c(bytes)) };
          const out = await gcpApi(session, 'POST', `${base}:asymmetricSign`, body, 'Google Cloud KMS asymmetricSign');
          if (!out.ok) {
            if (out.error.code === 'FAILED_PRECONDITION') {
              throw new ProviderError(
                PROVIDER,
                'bad-key',
                `Cloud KMS key version ${key} cannot sign now (${out.error.message}): enable it`,
                out.error.status,
              );
            }
            throw gcpErrorMessage(
              session,
              'Google Cloud KMS asymmetricSign',
              out.error,
              'cloudkms.cryptoKeyVersions.useToSign',
              key,
            );
          }
          const verified = mode === 'pure' ? out.body.verifiedDataCrc32c : out.body.verifiedDigestCrc32c;
          if (typeof out.body.signature !== 'string' || (out.body.name !== undefined && out.body.name !== key)) {
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              'Google Cloud KMS asymmetricSign: the answer carries no signature by the key version asked for',
            );
          }
          if (verified !== true) {
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              'Google Cloud KMS asymmetricSign: KMS did not confirm the request checksum (the request may have been corrupted)',
            );
          }
          const signature = Buffer.from(out.body.signature, 'base64');
          if (!crc32cMatches(out.body.signatureCrc32c, signature))
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              'Google Cloud KMS asymmetricSign: signatureCrc32c does not match',
            );
          // RSA: the signature integer; ECDSA: DER; Ed25519: R‖S (the session contract's encodings, as KMS returns them)
          return signature;
        };
        log(`Connected to Google Cloud KMS key version ${key} (${algorithm})`);
        return {
          publicKey: publicKey.keyObject,
          ...(mode !== 'pure' ? { hashes: [mode] } : {}),
          sign,
          async release() {
            session.release();
          },
          released: () => session.accessToken === undefined,
          source: `gcp-kms ${key}`,
          metadata: { algorithm },
          identity: session.identity,
        };
      } catch (e) {
        session.release();
        throw e;
      }
    },
  };
}
