// From the provider input and the provider-specific inputs to a provider object. The action's inputs and the CLI's
// flags have the same names (`vault-url` / `--vault-url`), so both adapters pass a name → value record and get the
// same checks: missing or conflicting inputs are refused before any network call, naming the input.
import { resolve } from 'node:path';
import { excerpt } from '../../shared/escape.ts';
import type { HttpClient } from '../../shared/http.ts';
import type { RetryOptions } from '../../shared/retry.ts';
import { DEFAULT_AUDIENCE } from '../oidc.ts';
import { createAwsKmsProvider } from './aws-kms.ts';
import { createAwsSecretsManagerProvider } from './aws-secrets-manager.ts';
import { gcpDefaultAudience } from './gcp.ts';
import { createGcpKmsProvider } from './gcp-kms.ts';
import { createGcpSecretManagerProvider } from './gcp-secret-manager.ts';
import { AZURE_AUDIENCE } from './azure.ts';
import { createAzureKeyVaultProvider } from './azure-key-vault.ts';
import { createAzureKeyVaultSecretProvider } from './azure-key-vault-secret.ts';
import type { SignProvider } from './types.ts';
import { createVaultProvider, type VaultSession } from './vault.ts';
import { createVaultTransitProvider } from './vault-transit.ts';

/** Every provider the contract names. */
export const PROVIDER_NAMES = [
  'vault',
  'vault-transit',
  'aws-kms',
  'gcp-kms',
  'azure-key-vault',
  'aws-secrets-manager',
  'gcp-secret-manager',
  'azure-key-vault-secret',
] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The providers this build implements. */
export const AVAILABLE_PROVIDERS = [
  'vault',
  'vault-transit',
  'aws-kms',
  'aws-secrets-manager',
  'gcp-kms',
  'gcp-secret-manager',
  'azure-key-vault',
  'azure-key-vault-secret',
] as const;
export type AvailableProvider = (typeof AVAILABLE_PROVIDERS)[number];

export const REMOTE_SIGNERS: readonly ProviderName[] = ['vault-transit', 'aws-kms', 'gcp-kms', 'azure-key-vault'];

/** Inputs without defaults that select or address a key service; each belongs to some providers only. */
export const SERVICE_INPUTS = [
  'vault-url',
  'vault-role',
  'vault-secret',
  'vault-namespace',
  'vault-ca-cert',
  'key',
  'public-key',
  'secret',
  'aws-role-arn',
  'aws-region',
  'gcp-workload-identity-provider',
  'gcp-service-account',
  'azure-client-id',
  'azure-tenant-id',
] as const;
export type ServiceInput = (typeof SERVICE_INPUTS)[number];

/** Inputs each provider requires, and the further ones it accepts. */
const SPEC: Record<AvailableProvider, { required: ServiceInput[]; optional: ServiceInput[] }> = {
  vault: { required: ['vault-url', 'vault-role', 'vault-secret'], optional: ['vault-namespace', 'vault-ca-cert'] },
  'vault-transit': {
    required: ['vault-url', 'vault-role', 'key', 'public-key'],
    optional: ['vault-namespace', 'vault-ca-cert'],
  },
  'aws-kms': { required: ['key', 'public-key', 'aws-role-arn'], optional: ['aws-region'] },
  'aws-secrets-manager': { required: ['secret', 'aws-role-arn'], optional: ['aws-region'] },
  'gcp-kms': { required: ['key', 'public-key', 'gcp-workload-identity-provider'], optional: ['gcp-service-account'] },
  'gcp-secret-manager': { required: ['secret', 'gcp-workload-identity-provider'], optional: ['gcp-service-account'] },
  'azure-key-vault': { required: ['key', 'public-key', 'azure-client-id', 'azure-tenant-id'], optional: [] },
  'azure-key-vault-secret': { required: ['secret', 'azure-client-id', 'azure-tenant-id'], optional: [] },
};

export class ProviderInputError extends Error {
  override name = 'ProviderInputError';
  /** The input (action) or flag without dashes (CLI) at fault. */
  input: string;
  constructor(input: string, message: string) {
    super(message);
    this.input = input;
  }
}

export type ProviderInputs = Partial<
  Record<
    | ServiceInput
    | 'vault-auth-mount'
    | 'vault-transit-mount'
    | 'vault-key-field'
    | 'vault-passphrase-field'
    | 'audience',
    string
  >
>;

/**
 * Checks the provider's inputs: the provider is available, what it needs is set, nothing that belongs to another
 * provider is set. `except` lists inputs a caller checks itself (e.g. public-key when it is not needed).
 */
export function checkProviderInputs(
  provider: string,
  values: ProviderInputs,
  options: { exempt?: readonly ServiceInput[] } = {},
): AvailableProvider {
  if (!(PROVIDER_NAMES as readonly string[]).includes(provider)) {
    // at most 4 characters of the value: an input may hold a secret pasted into the wrong field
    throw new ProviderInputError('provider', `must be one of ${PROVIDER_NAMES.join(', ')} (got ${excerpt(provider)})`);
  }
  if (!(AVAILABLE_PROVIDERS as readonly string[]).includes(provider)) {
    throw new ProviderInputError(
      'provider',
      `${provider} is not available in this version of jit-gpg; use one of ${AVAILABLE_PROVIDERS.join(', ')}`,
    );
  }
  const p = provider as AvailableProvider;
  const spec = SPEC[p];
  const exempt = new Set(options.exempt ?? []);
  for (const name of spec.required) {
    if (!exempt.has(name) && !values[name]?.trim()) {
      throw new ProviderInputError(name, `is required with provider ${p}`);
    }
  }
  for (const name of SERVICE_INPUTS) {
    if (values[name]?.trim() && !spec.required.includes(name) && !spec.optional.includes(name) && !exempt.has(name)) {
      const users = AVAILABLE_PROVIDERS.filter(
        (q) => SPEC[q].required.includes(name) || SPEC[q].optional.includes(name),
      );
      throw new ProviderInputError(
        name,
        `is not used by provider ${p}${users.length ? ` (it belongs to ${users.join(', ')})` : ''}: remove it or change provider`,
      );
    }
  }
  return p;
}

/** The OIDC audience a provider's service expects by default; an explicit `audience` wins. */
export function defaultAudience(provider: AvailableProvider, values: ProviderInputs = {}): string {
  if (provider.startsWith('gcp-')) return gcpDefaultAudience(values['gcp-workload-identity-provider'] ?? '');
  if (provider.startsWith('azure-')) return AZURE_AUDIENCE;
  return provider.startsWith('aws-') ? 'sts.amazonaws.com' : DEFAULT_AUDIENCE;
}

export interface ProviderContext {
  /** Relative paths (vault-ca-cert) resolve against this directory. */
  baseDir: string;
  env?: Readonly<Record<string, string | undefined>>;
  allowInsecureHttp: boolean;
  http?: HttpClient;
  retry?: RetryOptions;
  log: (message: string) => void;
  mask?: (secret: string) => void;
  /** Vault: right after login (post-step state), and once the token is revoked. */
  onVaultSession?: (session: VaultSession) => void;
  onVaultSessionEnd?: () => void;
}

/** Builds the provider (checks its inputs first). Makes no network call. */
export function createProvider(provider: string, values: ProviderInputs, ctx: ProviderContext): SignProvider {
  const p = checkProviderInputs(provider, values, { exempt: ['public-key'] });
  const v = (name: keyof ProviderInputs) => values[name]?.trim() ?? '';
  const common = {
    ...(ctx.http ? { http: ctx.http } : {}),
    ...(ctx.retry ? { retry: ctx.retry } : {}),
    log: ctx.log,
    ...(ctx.mask ? { mask: ctx.mask } : {}),
    allowInsecureHttp: ctx.allowInsecureHttp,
  };
  const vault = {
    url: v('vault-url'),
    role: v('vault-role'),
    ...(v('vault-auth-mount') ? { authMount: v('vault-auth-mount') } : {}),
    ...(v('vault-namespace') ? { namespace: v('vault-namespace') } : {}),
    ...(v('vault-ca-cert') ? { caCertPath: resolve(ctx.baseDir, v('vault-ca-cert')) } : {}),
    ...(ctx.onVaultSession ? { onSession: ctx.onVaultSession } : {}),
    ...(ctx.onVaultSessionEnd ? { onSessionEnd: ctx.onVaultSessionEnd } : {}),
  };
  const aws = { roleArn: v('aws-role-arn'), region: v('aws-region'), ...(ctx.env ? { env: ctx.env } : {}) };
  const gcp = {
    workloadIdentityProvider: v('gcp-workload-identity-provider'),
    ...(v('gcp-service-account') ? { serviceAccount: v('gcp-service-account') } : {}),
    ...(ctx.env ? { env: ctx.env } : {}),
  };
  const azure = {
    clientId: v('azure-client-id'),
    tenantId: v('azure-tenant-id'),
    ...(ctx.env ? { env: ctx.env } : {}),
  };
  switch (p) {
    case 'vault':
      return createVaultProvider({
        ...common,
        ...vault,
        secret: v('vault-secret'),
        ...(v('vault-key-field') ? { keyField: v('vault-key-field') } : {}),
        ...(v('vault-passphrase-field') ? { passphraseField: v('vault-passphrase-field') } : {}),
      });
    case 'vault-transit':
      return createVaultTransitProvider({
        ...common,
        ...vault,
        key: v('key'),
        ...(v('vault-transit-mount') ? { transitMount: v('vault-transit-mount') } : {}),
      });
    case 'aws-kms':
      return createAwsKmsProvider({ ...common, ...aws, key: v('key') });
    case 'aws-secrets-manager':
      return createAwsSecretsManagerProvider({
        ...common,
        ...aws,
        secret: v('secret'),
        ...(v('vault-key-field') ? { keyField: v('vault-key-field') } : {}),
        ...(v('vault-passphrase-field') ? { passphraseField: v('vault-passphrase-field') } : {}),
      });
    case 'gcp-kms':
      return createGcpKmsProvider({ ...common, ...gcp, key: v('key') });
    case 'gcp-secret-manager':
      return createGcpSecretManagerProvider({
        ...common,
        ...gcp,
        secret: v('secret'),
        ...(v('vault-key-field') ? { keyField: v('vault-key-field') } : {}),
        ...(v('vault-passphrase-field') ? { passphraseField: v('vault-passphrase-field') } : {}),
      });
    case 'azure-key-vault':
      return createAzureKeyVaultProvider({ ...common, ...azure, key: v('key') });
    case 'azure-key-vault-secret':
      return createAzureKeyVaultSecretProvider({
        ...common,
        ...azure,
        secret: v('secret'),
        ...(v('vault-key-field') ? { keyField: v('vault-key-field') } : {}),
        ...(v('vault-passphrase-field') ? { passphraseField: v('vault-passphrase-field') } : {}),
      });
  }
}
