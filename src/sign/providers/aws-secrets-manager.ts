// AWS Secrets Manager as a key store: the armored key (or a JSON secret holding it) is read into memory with
// 15-minute role credentials from the job's OIDC token, which are dropped right after the read.
//
//   SecretString: the armored key (or base64 of it), or JSON {"<key field>": "...", "<passphrase field>": "..."}
//   SecretBinary: the key, binary or armored
// The role needs secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its KMS key if customer-managed).
import { decodeKeyValue } from './vault.ts';
import { type AwsOptions, assumeRole, awsErrorMessage, awsJson, checkAwsInputs } from './aws.ts';
import { type KeyMaterial, type KeyProvider, ProviderError } from './types.ts';

const PROVIDER = 'aws-secrets-manager';

export interface AwsSecretsManagerOptions extends Omit<AwsOptions, 'provider'> {
  /** Secret name or ARN. */
  secret: string;
  keyField?: string;
  passphraseField?: string;
}

/** The key and passphrase from a secret value: JSON fields, or the whole value as the key. */
export function keyFromSecretText(
  provider: string,
  text: string,
  where: string,
  fields: { keyField?: string; passphraseField?: string },
): { armoredKey: string; passphrase?: string } {
  const keyField = fields.keyField || 'private_key';
  const passphraseField = fields.passphraseField || 'passphrase';
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(trimmed) as Record<string, unknown>;
    } catch {
      throw new ProviderError(provider, 'bad-key', `${where} starts with "{" but is not valid JSON`);
    }
    const raw = obj[keyField];
    if (typeof raw !== 'string' || raw.trim() === '') {
      throw new ProviderError(
        provider,
        'field-missing',
        `${where} has no field "${keyField}" (vault-key-field); fields present: ${Object.keys(obj).sort().join(', ') || 'none'}`,
      );
    }
    const pass = obj[passphraseField];
    return {
      armoredKey: decodeKeyValue(raw, keyField),
      ...(typeof pass === 'string' && pass !== '' ? { passphrase: pass } : {}),
    };
  }
  return { armoredKey: decodeKeyValue(trimmed, 'SecretString') };
}

export function createAwsSecretsManagerProvider(options: AwsSecretsManagerOptions): KeyProvider {
  const secret = options.secret.trim();
  if (!secret) throw new ProviderError(PROVIDER, 'config', 'secret is required (a Secrets Manager secret name or ARN)');
  if (secret.length > 2048 || /[\s\x00-\x1f]/.test(secret))
    throw new ProviderError(PROVIDER, 'config', 'secret must be a secret name or ARN');
  const arnRegion = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):/.exec(secret)?.[1];
  if (arnRegion && options.region.trim() && arnRegion !== options.region.trim()) {
    throw new ProviderError(
      PROVIDER,
      'config',
      `secret is in ${arnRegion} but aws-region is ${options.region.trim()}: make them agree`,
    );
  }
  const aws = { ...options, provider: PROVIDER, region: options.region.trim() || arnRegion || '' };
  checkAwsInputs(aws);
  const mask = options.mask ?? (() => {});

  return {
    kind: 'key-store',
    name: PROVIDER,
    label: 'AWS Secrets Manager',
    async fetchKey(idToken: string): Promise<KeyMaterial> {
      const session = await assumeRole(idToken, aws);
      let value: {
        SecretString?: unknown;
        SecretBinary?: unknown;
        ARN?: unknown;
        VersionId?: unknown;
        CreatedDate?: unknown;
      };
      try {
        const out = await awsJson(
          session,
          'secretsmanager',
          'secretsmanager.GetSecretValue',
          { SecretId: secret },
          'AWS Secrets Manager GetSecretValue',
        );
        if (!out.ok) {
          if (out.error.type === 'ResourceNotFoundException') {
            throw new ProviderError(
              PROVIDER,
              'not-found',
              `AWS Secrets Manager has no secret "${secret}" in ${session.region}: check secret and aws-region`,
              out.error.status,
            );
          }
          throw awsErrorMessage(
            session,
            'AWS Secrets Manager GetSecretValue',
            out.error,
            'secretsmanager:GetSecretValue',
            secret,
          );
        }
        value = out.body;
      } finally {
        session.release();
      }
      const text =
        typeof value.SecretString === 'string'
          ? value.SecretString
          : typeof value.SecretBinary === 'string'
            ? Buffer.from(value.SecretBinary, 'base64').toString('latin1')
            : undefined;
      if (text === undefined || text.trim() === '')
        throw new ProviderError(PROVIDER, 'field-missing', `the secret "${secret}" has no value`);
      mask(text);
      const where = `the secret "${secret}"`;
      const { armoredKey, passphrase } =
        typeof value.SecretString === 'string'
          ? keyFromSecretText(PROVIDER, text, where, options)
          : {
              armoredKey: decodeKeyValue(
                Buffer.from(String(value.SecretBinary), 'base64').toString('base64'),
                'SecretBinary',
              ),
            };
      mask(armoredKey);
      if (passphrase) mask(passphrase);
      const metadata: Record<string, string | number> = {};
      if (typeof value.VersionId === 'string') metadata.version = value.VersionId;
      if (typeof value.CreatedDate === 'number')
        metadata.created_time = new Date(value.CreatedDate * 1000).toISOString();
      return {
        armoredKey,
        ...(passphrase ? { passphrase } : {}),
        release: async () => {},
        released: () => true,
        source: `aws-secrets-manager ${typeof value.ARN === 'string' ? value.ARN : secret}`,
        metadata,
        identity: session.assumedRoleArn,
      };
    },
  };
}
