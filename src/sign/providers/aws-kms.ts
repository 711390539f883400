// AWS KMS as a remote signer: the asymmetric key never leaves KMS; each signature is one kms:Sign call.
//
//   1. STS AssumeRoleWithWebIdentity with the job's OIDC token    -> 15-minute role credentials (aws.ts)
//   2. TrentService.GetPublicKey {KeyId}                            -> key ARN, SPKI public key, KeySpec, algorithms
//   3. TrentService.Sign per digest, on the ARN step 2 returned (an alias re-pointed mid-run cannot swap the key):
//        RSA:     RSASSA_PKCS1_V1_5_SHA_<n>, MessageType DIGEST
//        ECDSA:   ECDSA_SHA_256 (P-256) / ECDSA_SHA_384 (P-384), MessageType DIGEST  (DER signature)
//        Ed25519: ED25519_SHA_512 with MessageType RAW: the OpenPGP digest is the message (pure Ed25519, never
//                 ED25519_PH_SHA_512, which GnuPG cannot verify)
// The role needs kms:GetPublicKey and kms:Sign on the key, nothing else.
import type { HashName } from '../packet.ts';
import { RemoteKeyError, servicePublicKey } from '../remote-key.ts';
import { type AwsOptions, assumeRole, awsErrorMessage, awsJson, checkAwsInputs } from './aws.ts';
import { ProviderError, type RemoteSignerProvider, type RemoteSigningSession } from './types.ts';

const PROVIDER = 'aws-kms';
const KEY_ID =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|alias\/[\w/_-]+)|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/_-]+)$/;

export interface AwsKmsOptions extends Omit<AwsOptions, 'provider'> {
  /** Key id, key ARN, alias/NAME or alias ARN. */
  key: string;
}

export function createAwsKmsProvider(options: AwsKmsOptions): RemoteSignerProvider {
  const key = options.key.trim();
  if (!key)
    throw new ProviderError(PROVIDER, 'config', 'key is required (a KMS key id, key ARN, alias/NAME or alias ARN)');
  if (!KEY_ID.test(key))
    throw new ProviderError(
      PROVIDER,
      'config',
      `key "${options.key}" is not a KMS key id, key ARN, alias/NAME or alias ARN`,
    );
  const arnRegion = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(key)?.[1];
  if (arnRegion && options.region.trim() && arnRegion !== options.region.trim()) {
    throw new ProviderError(
      PROVIDER,
      'config',
      `key is in ${arnRegion} but aws-region is ${options.region.trim()}: make them agree`,
    );
  }
  const aws = { ...options, provider: PROVIDER, region: options.region.trim() || arnRegion || '' };
  checkAwsInputs(aws);
  const log = options.log ?? (() => {});

  return {
    kind: 'remote-signer',
    name: PROVIDER,
    label: 'AWS KMS',
    async connect(idToken: string): Promise<RemoteSigningSession> {
      const session = await assumeRole(idToken, aws);
      try {
        const pub = await awsJson(session, 'kms', 'TrentService.GetPublicKey', { KeyId: key }, 'AWS KMS GetPublicKey');
        if (!pub.ok) {
          if (pub.error.type === 'NotFoundException') {
            throw new ProviderError(
              PROVIDER,
              'not-found',
              `AWS KMS has no key "${key}" in ${session.region} (${pub.error.message}): check key and aws-region`,
              pub.error.status,
            );
          }
          throw awsErrorMessage(session, 'AWS KMS GetPublicKey', pub.error, 'kms:GetPublicKey', key);
        }
        const arn = typeof pub.body.KeyId === 'string' ? pub.body.KeyId : '';
        const spec = String(pub.body.KeySpec ?? pub.body.CustomerMasterKeySpec ?? '');
        if (pub.body.KeyUsage !== 'SIGN_VERIFY') {
          throw new ProviderError(
            PROVIDER,
            'bad-key',
            `KMS key ${arn || key} has KeyUsage ${String(pub.body.KeyUsage)}; create a SIGN_VERIFY key`,
          );
        }
        if (!arn || typeof pub.body.PublicKey !== 'string')
          throw new ProviderError(
            PROVIDER,
            'bad-response',
            'AWS KMS GetPublicKey: no KeyId or PublicKey in the answer',
          );
        let publicKey: ReturnType<typeof servicePublicKey>;
        try {
          publicKey = servicePublicKey(Buffer.from(pub.body.PublicKey, 'base64'));
        } catch (e) {
          if (e instanceof RemoteKeyError)
            throw new ProviderError(PROVIDER, 'bad-key', `KMS key ${arn} (${spec}): ${e.message}`);
          throw e;
        }
        const offered = Array.isArray(pub.body.SigningAlgorithms) ? pub.body.SigningAlgorithms.map(String) : [];
        const algorithmFor = (hash: HashName) =>
          publicKey.type === 'rsa'
            ? `RSASSA_PKCS1_V1_5_SHA_${hash.slice(3)}`
            : publicKey.type === 'ed25519'
              ? 'ED25519_SHA_512'
              : `ECDSA_SHA_${hash.slice(3)}`;
        const sign = async (digest: Uint8Array, hash: HashName): Promise<Uint8Array> => {
          const algorithm = algorithmFor(hash);
          if (offered.length && !offered.includes(algorithm)) {
            throw new ProviderError(
              PROVIDER,
              'bad-key',
              `KMS key ${arn} (${spec}) does not offer ${algorithm} (it offers ${offered.join(', ')})`,
            );
          }
          const out = await awsJson(
            session,
            'kms',
            'TrentService.Sign',
            {
              KeyId: arn,
              Message: Buffer.from(digest).toString('base64'),
              MessageType: publicKey.type === 'ed25519' ? 'RAW' : 'DIGEST',
              SigningAlgorithm: algorithm,
            },
            'AWS KMS Sign',
          );
          if (!out.ok) {
            if (out.error.type === 'DisabledException' || out.error.type === 'KMSInvalidStateException') {
              throw new ProviderError(
                PROVIDER,
                'bad-key',
                `KMS key ${arn} cannot sign now (${out.error.type}: ${out.error.message}): enable it`,
                out.error.status,
              );
            }
            throw awsErrorMessage(session, 'AWS KMS Sign', out.error, 'kms:Sign', arn);
          }
          if (typeof out.body.Signature !== 'string' || out.body.KeyId !== arn) {
            throw new ProviderError(
              PROVIDER,
              'bad-response',
              'AWS KMS Sign: the answer carries no signature by the key that was read',
            );
          }
          // RSA: the signature integer; ECDSA: DER; Ed25519: R‖S (the session contract's encodings, as KMS returns them)
          return Buffer.from(out.body.Signature, 'base64');
        };
        log(`Connected to AWS KMS key ${arn} (${spec})`);
        return {
          publicKey: publicKey.keyObject,
          ...(publicKey.type === 'ecdsa-p384' ? { hashes: ['sha384'] as const } : {}),
          sign,
          async release() {
            session.release();
          },
          released: () => session.credentials === undefined,
          source: `aws-kms ${arn}`,
          metadata: { keySpec: spec },
          identity: session.assumedRoleArn,
        };
      } catch (e) {
        session.release();
        throw e;
      }
    },
  };
}
