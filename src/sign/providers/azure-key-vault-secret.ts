// Azure Key Vault secrets as a key store: the armored key (or a JSON secret holding it and its passphrase) is read
// into memory with a Key Vault access token from the job's OIDC token (azure.ts), which is dropped right after.
//
//   GET {secret id}?api-version=7.4 -> {value, id, attributes}; value: armored key, base64 of it, or JSON fields
// The identity needs secrets/get ("Key Vault Secrets User").
import { keyFromSecretText } from './aws-secrets-manager.ts';
import {
  type AzureOptions,
  azureLogin,
  checkAzureInputs,
  parseVaultObjectUrl,
  vaultErrorMessage,
  vaultRequest,
} from './azure.ts';
import { type KeyMaterial, type KeyStoreProvider, ProviderError } from './types.ts';

const PROVIDER = 'azure-key-vault-secret';

export interface AzureKeyVaultSecretOptions extends Omit<AzureOptions, 'provider'> {
  /** Secret id URL: https://NAME.vault.azure.net/secrets/NAME[/VERSION]. */
  secret: string;
  keyField?: string;
  passphraseField?: string;
}

export function createAzureKeyVaultSecretProvider(options: AzureKeyVaultSecretOptions): KeyStoreProvider {
  if (!options.secret.trim())
    throw new ProviderError(PROVIDER, 'config', 'secret is required (https://NAME.vault.azure.net/secrets/NAME)');
  const target = parseVaultObjectUrl(PROVIDER, options.secret, 'secrets', 'secret', options);
  const azure = { ...options, provider: PROVIDER };
  checkAzureInputs(azure);
  const mask = options.mask ?? (() => {});

  return {
    kind: 'key-store',
    name: PROVIDER,
    label: 'Azure Key Vault',
    async fetchKey(idToken: string): Promise<KeyMaterial> {
      const session = await azureLogin(idToken, azure, target.scope);
      let body: Record<string, unknown>;
      try {
        const out = await vaultRequest(session, azure, 'Azure Key Vault get secret', target.url);
        if (!out.ok) {
          if (out.error.status === 404) {
            throw new ProviderError(
              PROVIDER,
              'not-found',
              `Azure Key Vault has no secret ${target.url} (${out.error.code}): check secret`,
              out.error.status,
            );
          }
          throw vaultErrorMessage(
            session,
            'Azure Key Vault get secret',
            out.error,
            'secret permission Get',
            'Key Vault Secrets User',
            target.url,
          );
        }
        body = out.body;
      } finally {
        session.release();
      }
      if (typeof body.value !== 'string' || body.value.trim() === '')
        throw new ProviderError(PROVIDER, 'field-missing', `the secret ${target.url} has no value`);
      mask(body.value);
      const { armoredKey, passphrase } = keyFromSecretText(PROVIDER, body.value, `the secret ${target.url}`, options);
      mask(armoredKey);
      if (passphrase) mask(passphrase);
      const id = typeof body.id === 'string' ? body.id : target.url;
      const metadata: Record<string, string | number> = {};
      const version = id.split('/')[5];
      if (version) metadata.version = version;
      const attributes = (body.attributes ?? {}) as Record<string, unknown>;
      if (typeof attributes.created === 'number')
        metadata.created_time = new Date(attributes.created * 1000).toISOString();
      return {
        armoredKey,
        ...(passphrase ? { passphrase } : {}),
        release: async () => {},
        released: () => true,
        source: `azure-key-vault-secret ${id.slice(0, 300)}`,
        metadata,
        identity: session.identity,
      };
    },
  };
}
