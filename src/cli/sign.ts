// `jit-gpg sign`: the signing action's library outside Actions. The key comes from a file, stdin, or Vault
// (with the runner's OIDC token, or a JWT from another CI system); signatures are verified before success.
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { displayPath, printable } from '../shared/escape.ts';
import { createHttpClient } from '../shared/http.ts';
import { FileReadError, readRegularFile } from '../shared/read-file.ts';
import { type KeySource, runSignJob, SignJobError } from '../sign/job.ts';
import { MAX_KEY_BYTES } from '../sign/key.ts';
import { commonDir } from '../sign/manifest.ts';
import {
  decodeJwtPayload,
  type IdToken,
  type OidcClaims,
  oidcAvailable,
  publicClaims,
  requestIdToken,
} from '../sign/oidc.ts';
import { type HashName, isHashName } from '../sign/packet.ts';
import { ciNotations } from '../sign/provenance.ts';
import { createProvider, defaultAudience, ProviderInputError, type ProviderInputs } from '../sign/providers/select.ts';
import { readPublicKeyInput, remoteSigningKey } from '../sign/remote.ts';
import { parseFlags } from './args.ts';
import { DescriptorError, readCallerDescriptor } from './descriptor.ts';
import { cliReleaseHooks, ReleaseCheckError } from './release-checks.ts';
import { type CliIO, EXIT, UsageError } from './io.ts';

export const SIGN_USAGE = `Usage: jit-gpg sign [options] FILES...

Writes a detached signature next to each file (FILE.asc, or FILE.sig with --no-armor), verifies them, and
prints the key's fingerprint. The key is used in memory and never written anywhere.

Key source (one of):
  --key-file FILE|-          armored (or base64 of armored) private key; - reads stdin
  --provider P               a key service, with a JWT (GitHub OIDC when available, else --jwt-file/--jwt-env):
    vault (default with --vault-url): --vault-url URL --vault-role ROLE --vault-secret PATH [--vault-auth-mount jwt]
        [--vault-namespace NS] [--vault-key-field private_key] [--vault-passphrase-field passphrase]
        [--vault-ca-cert FILE]
    vault-transit: --vault-url URL --vault-role ROLE --key NAME --public-key FILE [--vault-transit-mount transit]
    aws-kms: --key ID|ARN|alias/NAME --public-key FILE --aws-role-arn ARN --aws-region REGION
    aws-secrets-manager: --secret NAME|ARN --aws-role-arn ARN --aws-region REGION
    gcp-kms: --key projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V --public-key FILE
        --gcp-workload-identity-provider projects/N/locations/global/workloadIdentityPools/P/providers/X
        [--gcp-service-account SA@PROJECT.iam.gserviceaccount.com]
    gcp-secret-manager: --secret projects/P/secrets/S[/versions/V] --gcp-workload-identity-provider RESOURCE
        [--gcp-service-account SA]
    azure-key-vault: --key https://V.vault.azure.net/keys/K[/VERSION] --public-key FILE --azure-client-id ID
        --azure-tenant-id TENANT
    azure-key-vault-secret: --secret https://V.vault.azure.net/secrets/S[/VERSION] --azure-client-id ID
        --azure-tenant-id TENANT
    [--audience AUD] [--jwt-file FILE | --jwt-env NAME]
    [--allow-insecure-http]   allow plain http:// to a key service that is not on this machine (labs only)
  Remote signers (vault-transit, aws-kms, gcp-kms, azure-key-vault) keep the key in the service; --public-key is the output of
  \`jit-gpg key export\` and fixes the fingerprint. AWS endpoints follow AWS_ENDPOINT_URL(_KMS|_STS|…), Google ones
  CLOUDSDK_API_ENDPOINT_OVERRIDES_(STS|IAMCREDENTIALS|CLOUDKMS|SECRETMANAGER); the Entra authority follows
  AZURE_AUTHORITY_HOST.

Options:
  --passphrase-fd N          read the passphrase from file descriptor N (e.g. 3<pass.txt)
  --passphrase-env NAME      read the passphrase from environment variable NAME
  --fingerprint FPR          refuse any key or subkey but this one
  --no-armor                 binary .sig signatures instead of armored .asc
  --hash sha256|sha384|sha512   signature hash (default sha256; P-384 keys default to sha384)
  --checksums NAME           write a sha256sum manifest NAME in the deepest directory holding every file, and sign it
  --checksums-merge GLOB     merge sha256sum fragments (from \`jit-gpg digest\` in matrix jobs) into --checksums and
                             sign it once (repeatable; FILES may then be empty); conflicting digests fail (exit 1)
  --no-scan                  do not scan the files for secrets first (by default a finding fails, exit 1, before
                             any key is read)
  --notation NAME@DOMAIN=VALUE   add a notation (repeatable); GitHub Actions provenance is added automatically
  --public-key-out FILE      write the armored public key here
  -h, --help
`;

async function readBounded(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new UsageError(`sign: ${what} is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A passphrase from a descriptor or variable: one trailing newline is dropped (as `gpg --passphrase-fd` does). */
async function readPassphrase(fd: string | undefined, envName: string | undefined, keyOnStdin: boolean, io: CliIO) {
  if (fd !== undefined && envName !== undefined) {
    throw new UsageError('sign: use either --passphrase-fd or --passphrase-env, not both');
  }
  if (fd !== undefined) {
    const n = /^\d{1,9}$/.test(fd) ? Number(fd) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw new UsageError('sign: --passphrase-fd needs a descriptor number, e.g. 3');
    let buf: Buffer;
    if (n === 0) {
      if (keyOnStdin)
        throw new UsageError('sign: the key is read from stdin; pass the passphrase on another descriptor');
      buf = await readBounded(io.stdin, MAX_PASSPHRASE_BYTES, 'the passphrase');
    } else {
      try {
        buf = await readCallerDescriptor(n, {
          flag: '--passphrase-fd',
          maxBytes: MAX_PASSPHRASE_BYTES,
          timeoutMs: PASSPHRASE_TIMEOUT_MS,
        });
      } catch (e) {
        if (e instanceof DescriptorError) throw new UsageError(`sign: ${e.message}`);
        throw e;
      }
    }
    return buf.toString('utf8').replace(/\r?\n$/, '');
  }
  if (envName !== undefined) {
    const value = io.env[envName];
    if (value === undefined) throw new UsageError(`sign: --passphrase-env ${envName}: the variable is not set`);
    return value;
  }
  return undefined;
}

const MAX_PASSPHRASE_BYTES = 64 * 1024;
const MAX_JWT_BYTES = 64 * 1024;

/** A file named on the command line: a regular file under the cap, or a usage error naming it (never its content). */
function readCliFile(path: string, flag: string, maxBytes: number): Buffer {
  try {
    return readRegularFile(path, { what: `sign: ${flag}`, maxBytes });
  } catch (e) {
    if (e instanceof FileReadError) throw new UsageError(e.message);
    throw e;
  }
}
const PASSPHRASE_TIMEOUT_MS = 30_000;

function parseNotations(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    const name = eq > 0 ? v.slice(0, eq) : '';
    if (!/^[^@=\s]+@[^@=\s]+$/.test(name)) {
      throw new UsageError(`sign: --notation wants NAME@DOMAIN=VALUE (got "${v}")`);
    }
    out[name] = v.slice(eq + 1);
  }
  return out;
}

export async function signCommand(argv: string[], io: CliIO): Promise<number> {
  const { values: f, positionals } = parseFlags('sign', argv, {
    'key-file': { type: 'string' },
    'passphrase-fd': { type: 'string' },
    'passphrase-env': { type: 'string' },
    fingerprint: { type: 'string' },
    'no-armor': { type: 'boolean' },
    hash: { type: 'string' },
    checksums: { type: 'string' },
    'checksums-merge': { type: 'string', multiple: true },
    'no-scan': { type: 'boolean' },
    notation: { type: 'string', multiple: true },
    'public-key-out': { type: 'string' },
    'vault-url': { type: 'string' },
    'vault-role': { type: 'string' },
    'vault-secret': { type: 'string' },
    'vault-auth-mount': { type: 'string' },
    'vault-namespace': { type: 'string' },
    'vault-key-field': { type: 'string' },
    'vault-passphrase-field': { type: 'string' },
    'vault-ca-cert': { type: 'string' },
    ...PROVIDER_FLAGS,
    'allow-insecure-http': { type: 'boolean' },
    audience: { type: 'string' },
    'jwt-file': { type: 'string' },
    'jwt-env': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (f.help) {
    io.stdout.write(SIGN_USAGE);
    return EXIT.ok;
  }
  const mergePatterns = f['checksums-merge'] ?? [];
  if (mergePatterns.length && !f.checksums) {
    throw new UsageError('sign: --checksums-merge needs --checksums NAME, the manifest to merge into');
  }
  if (positionals.length === 0 && mergePatterns.length === 0) {
    throw new UsageError('sign: name at least one file to sign');
  }
  const providerName = f.provider ?? (f['vault-url'] ? 'vault' : undefined);
  if (Boolean(f['key-file']) === Boolean(providerName)) {
    throw new UsageError('sign: give exactly one key source: --key-file FILE|- or --provider P (or --vault-url URL)');
  }
  // progress lines carry file names, user IDs and server text: each line through printable()
  const log = (m: string) => {
    for (const line of m.split(/\r?\n/)) io.stderr.write(`${printable(line)}\n`);
  };
  // the key service's flags first: a missing or conflicting one is refused before anything is read or sent
  const built = providerName ? buildProvider('sign', providerName, f, io, log) : undefined;
  if (f.hash !== undefined && !isHashName(f.hash)) {
    throw new UsageError(`sign: --hash must be sha256, sha384 or sha512 (got "${f.hash}")`);
  }
  const files = positionals.map((p) => resolve(io.cwd, p));
  for (const file of files) {
    const s = await stat(file).catch(() => undefined);
    if (!s?.isFile()) throw new UsageError(`sign: ${file} is not a readable file`);
  }
  const notations = { ...ciNotations(io.env), ...parseNotations(f.notation) };

  const passphrase = await readPassphrase(f['passphrase-fd'], f['passphrase-env'], f['key-file'] === '-', io);
  let key: KeySource;
  let remotePublicKey: string | undefined;
  if (f['key-file']) {
    const armoredKey =
      f['key-file'] === '-'
        ? await readBounded(io.stdin, MAX_KEY_BYTES, 'the key on stdin')
        : readCliFile(resolve(io.cwd, f['key-file']), '--key-file', MAX_KEY_BYTES);
    key = { kind: 'armored', armoredKey, source: f['key-file'] === '-' ? 'stdin' : 'key file' };
  } else {
    if (!built) throw new UsageError('sign: no key source');
    const provider = built.provider;
    if (built.publicKey) remotePublicKey = built.publicKey;
    const audience = f.audience ?? defaultAudience(built.name, built.audienceInputs);
    key = { kind: 'provider', provider, idToken: () => cliJwt(f['jwt-file'], f['jwt-env'], audience, io) };
  }

  const checksumsPath = f.checksums ? join(commonDir(files, io.cwd), basename(f.checksums)) : undefined;
  const release = cliReleaseHooks({
    cwd: io.cwd,
    scan: !f['no-scan'],
    mergePatterns,
    ...(checksumsPath ? { manifestPath: checksumsPath } : {}),
    env: io.env,
    log,
  });
  const result = await runSignJob(
    {
      workspace: io.cwd,
      files,
      key,
      ...(passphrase !== undefined ? { passphrase } : {}),
      ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
      ...(remotePublicKey ? { publicKey: remotePublicKey } : {}),
      armor: !f['no-armor'],
      ...(f.hash ? { hash: f.hash as HashName } : {}),
      notations,
      ...(checksumsPath ? { checksumsPath } : {}),
      ...(f['public-key-out'] ? { publicKeyPath: resolve(io.cwd, f['public-key-out']) } : {}),
      ttl: 300,
    },
    // progress goes to stderr only for key services (as before); the files' lines are printed below
    {
      log: key.kind === 'provider' ? log : () => {},
      remoteKey: (session, armored) => remoteSigningKey(session, armored),
      beforeToken: release.beforeToken,
      ...(release.mergeChecksums ? { mergeChecksums: release.mergeChecksums } : {}),
    },
  );
  if (result.error !== undefined) {
    if (result.error instanceof ReleaseCheckError) {
      io.stderr.write(`jit-gpg: sign: ${printable(result.error.message)}\n`);
      return EXIT.findings;
    }
    if (result.error instanceof SignJobError && result.error.code === 'verify-failed') {
      for (const r of result.verification.filter((v) => !v.valid)) {
        io.stderr.write(
          `jit-gpg: sign: ${displayPath(r.file)}: self-verification failed: ${printable(r.error ?? '')}\n`,
        );
      }
      return EXIT.findings;
    }
    throw result.error;
  }
  const signed = [...result.signed, ...(result.manifest ? [result.manifest] : [])];
  for (const s of signed) {
    io.stdout.write(`signed ${displayPath(s.path)} -> ${displayPath(s.signature)}  sha256:${s.sha256}\n`);
  }
  const k = result.key!;
  io.stdout.write(`key ${k.fingerprint} (${k.algorithmLabel}) ${printable(k.userIds[0] ?? '')}\n`);
  return EXIT.ok;
}

/** The JWT for Vault: a file or variable from the CI system, else the GitHub runner's OIDC token. */
export async function cliJwt(
  file: string | undefined,
  envName: string | undefined,
  audience: string | undefined,
  io: CliIO,
  command = 'sign',
): Promise<IdToken> {
  const fromText = (text: string): IdToken => {
    const token = text.trim();
    let claims: OidcClaims = {};
    try {
      claims = publicClaims(decodeJwtPayload(token));
    } catch {
      // not a JWT: the key service will say so
    }
    return { token, claims };
  };
  if (file) return fromText(readCliFile(resolve(io.cwd, file), '--jwt-file', MAX_JWT_BYTES).toString('utf8'));
  if (envName) {
    const v = io.env[envName];
    if (!v) throw new UsageError(`${command}: --jwt-env ${envName}: the variable is not set`);
    return fromText(v);
  }
  if (!oidcAvailable(io.env)) {
    throw new UsageError(
      `${command}: the key service needs a JWT: pass --jwt-file/--jwt-env, or run in GitHub Actions with \`permissions: id-token: write\``,
    );
  }
  return requestIdToken({
    env: io.env,
    http: createHttpClient({ env: io.env }),
    ...(audience ? { audience } : {}),
  });
}

/** The key-service flags `sign` and `key export` share (named as the action's inputs). */
export const PROVIDER_FLAGS = {
  provider: { type: 'string' },
  key: { type: 'string' },
  'public-key': { type: 'string' },
  secret: { type: 'string' },
  'vault-transit-mount': { type: 'string' },
  'aws-role-arn': { type: 'string' },
  'aws-region': { type: 'string' },
  'gcp-workload-identity-provider': { type: 'string' },
  'gcp-service-account': { type: 'string' },
  'azure-client-id': { type: 'string' },
  'azure-tenant-id': { type: 'string' },
} as const;

const SERVICE_FLAGS = [
  'vault-url',
  'vault-role',
  'vault-secret',
  'vault-auth-mount',
  'vault-namespace',
  'vault-key-field',
  'vault-passphrase-field',
  'vault-ca-cert',
  'vault-transit-mount',
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

/** The provider for the flags given (checked: missing and conflicting flags are usage errors naming the flag). */
export function buildProvider(
  command: string,
  name: string,
  f: Partial<Record<(typeof SERVICE_FLAGS)[number] | 'allow-insecure-http', string | boolean | undefined>>,
  io: CliIO,
  log: (m: string) => void,
  options: { publicKey?: boolean } = { publicKey: true },
) {
  const values: ProviderInputs = {};
  for (const flag of SERVICE_FLAGS) {
    const v = f[flag];
    if (typeof v === 'string' && v.trim() !== '') values[flag] = v;
  }
  if (options.publicKey === false && values['public-key']) {
    throw new UsageError(`${command}: --public-key is not used here (key export makes it)`);
  }
  try {
    const provider = createProvider(name, values, {
      baseDir: io.cwd,
      env: io.env,
      allowInsecureHttp: Boolean(f['allow-insecure-http']),
      http: createHttpClient({ env: io.env }),
      log,
    });
    if (provider.kind === 'remote-signer' && options.publicKey !== false && !values['public-key']) {
      throw new ProviderInputError(
        'public-key',
        `is required with provider ${name} (the output of \`jit-gpg key export\`)`,
      );
    }
    const publicKey = values['public-key'] ? readPublicKeyInput(values['public-key'], io.cwd) : undefined;
    return {
      provider,
      publicKey,
      name: provider.name as Parameters<typeof defaultAudience>[0],
      audienceInputs: values,
    };
  } catch (e) {
    if (e instanceof ProviderInputError) {
      throw new UsageError(`${command}: ${e.input === 'provider' ? '--provider' : `--${e.input}`} ${e.message}`);
    }
    throw e;
  }
}
