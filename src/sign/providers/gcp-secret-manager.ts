// Google Secret Manager as a key store: the armored key (or a JSON secret holding it) is read into memory with a
// short-lived access token from the job's OIDC token, which is dropped right after the read.
//
//   GET /v1/projects/P/secrets/S/versions/{latest|N}:access  -> {name, payload: {data: base64, dataCrc32c}}
//   payload: the armored key (or base64 of it), or JSON {"<key field>": "...", "<passphrase field>": "..."}
// The identity needs secretmanager.versions.access on the secret (roles/secretmanager.secretAccessor).
import { keyFromSecretText } from './aws-secrets-manager.ts';
import { checkGcpInputs, crc32cMatches, type GcpOptions, gcpApi, gcpErrorMessage, gcpLogin } from './gcp.ts';
import { type KeyMaterial, type KeyProvider, ProviderError } from './types.ts';

const PROVIDER = 'gcp-secret-manager';
const SECRET = /^projects\/[a-z0-9.:-]{1,100}\/secrets\/[A-Za-z0-9_-]{1,255}(\/versions\/(latest|\d{1,10}))?$/;

export interface GcpSecretManagerOptions extends Omit<GcpOptions, 'provider'> {
  /** projects/P/secrets/S, or projects/P/secrets/S/versions/V (default latest). */
  secret: string;
  keyField?: string;
  passphraseField?: string;
}

export function createGcpSecretManagerProvider(options: GcpSecretManagerOptions): KeyProvider {
  const secret = options.secret.trim();
  if (!secret) throw new ProviderError(PROVIDER, 'config', 'secret is required (projects/P/secrets/S[/versions/V])');
  if (!SECRET.test(secret))
    throw new ProviderError(
      PROVIDER,
      'config',
      'secret is not a Secret Manager secret resource name (projects/P/secrets/S or projects/P/secrets/S/versions/V)',
    );
  const version = secret.includes('/versions/') ? secret : `${secret}/versions/latest`;
  const gcp = { ...options, provider: PROVIDER };
  checkGcpInputs(gcp);
  const mask = options.mask ?? (() => {});

  return {
    kind: 'key-store',
    name: PROVIDER,
    label: 'Google Secret Manager',
    async fetchKey(idToken: string): Promise<KeyMaterial> {
      const session = await gcpLogin(idToken, gcp);
      let body: Record<string, unknown>;
      try {
        const out = await gcpApi(
          session,
          'GET',
          `${session.endpoint('secretmanager')}/v1/${version}:access`,
          undefined,
          'Google Secret Manager access',
        );
        if (!out.ok) {
          if (out.error.code === 'NOT_FOUND' || out.error.status === 404) {
            throw new ProviderError(
              PROVIDER,
              'not-found',
              `Google Secret Manager has no ${version} (${out.error.message}): check secret`,
              out.error.status,
            );
          }
          if (out.error.code === 'FAILED_PRECONDITION') {
            throw new ProviderError(
              PROVIDER,
              'not-found',
              `Google Secret Manager: ${version} cannot be read (${out.error.message}): enable the version`,
              out.error.status,
            );
          }
          throw gcpErrorMessage(
            session,
            'Google Secret Manager access',
            out.error,
            'secretmanager.versions.access',
            version,
          );
        }
        body = out.body;
      } finally {
        session.release();
      }
      const payload = body.payload as Record<string, unknown> | undefined;
      const data = payload && typeof payload.data === 'string' ? Buffer.from(payload.data, 'base64') : undefined;
      if (!data || data.length === 0)
        throw new ProviderError(PROVIDER, 'field-missing', `the secret ${version} has no value`);
      if (!crc32cMatches(payload?.dataCrc32c, data))
        throw new ProviderError(PROVIDER, 'bad-response', 'Google Secret Manager access: dataCrc32c does not match');
      const text = data.toString('utf8');
      mask(text);
      const { armoredKey, passphrase } = keyFromSecretText(PROVIDER, text, `the secret ${version}`, options);
      mask(armoredKey);
      if (passphrase) mask(passphrase);
      const name = typeof body.name === 'string' ? body.name : version;
      return {
        armoredKey,
        ...(passphrase ? { passphrase } : {}),
        release: async () => {},
        released: () => true,
        source: `gcp-secret-manager ${name}`,
        metadata: { version: name.split('/').pop() ?? '' },
        identity: session.identity,
      };
    },
  };
}
