import {
  PROVIDER_FLAGS,
  bindRemoteKey,
  buildProvider,
  cliJwt,
  defaultAudience,
  exportPublicKey
} from "./chunk-MJORDEZH.js";
import "./chunk-IZ2XJCM3.js";
import {
  writePublicFile
} from "./chunk-JZO76TXC.js";
import "./chunk-4PPAEHMD.js";
import "./chunk-AM6LXS76.js";
import {
  EXIT,
  UsageError,
  parseFlags
} from "./chunk-C6T3TIBE.js";
import "./chunk-OCLRRPSL.js";
import "./chunk-6YLAXRWA.js";
import "./chunk-RTIGXEMI.js";
import "./chunk-T5EDXOGP.js";
import {
  printable
} from "./chunk-XP3VH5XU.js";
import "./chunk-UB53VF2P.js";

// src/cli/key.ts
import { resolve } from "node:path";
var KEY_USAGE = `Usage: jit-gpg key export --provider P [provider options] --uid "Name <email>" --created ISO-8601

Prints the armored OpenPGP public key of a remote signing key (vault-transit, aws-kms, gcp-kms, azure-key-vault): a v4 key created exactly
at --created with exactly the --uid user ID, self-certified by the key service. The same key and --created always
give the same fingerprint. Give the output to the sign action's \`public-key\` input (or --public-key).

Provider options (as for \`jit-gpg sign\`):
  vault-transit: --vault-url URL --vault-role ROLE --key NAME [--vault-transit-mount transit] [--vault-auth-mount jwt]
                 [--vault-namespace NS] [--vault-ca-cert FILE]
  aws-kms:       --key ID|ARN|alias/NAME --aws-role-arn ARN --aws-region REGION
  gcp-kms:       --key projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V
                 --gcp-workload-identity-provider RESOURCE [--gcp-service-account SA]
  azure-key-vault: --key https://V.vault.azure.net/keys/K[/VERSION] --azure-client-id ID --azure-tenant-id TENANT
  [--audience AUD] [--jwt-file FILE | --jwt-env NAME] [--allow-insecure-http]

Options:
  --uid "Name <email>"     the user ID (one printable line)
  --created ISO-8601       the key's creation time, e.g. 2026-01-01T00:00:00Z (whole seconds; not in the future)
  --output FILE            write the key here instead of stdout
  -h, --help
`;
function parseCreated(value, now = /* @__PURE__ */ new Date()) {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(v)) {
    throw new UsageError(
      `key export: --created must be ISO-8601 with a zone, e.g. 2026-01-01T00:00:00Z (got "${printable(v)}")`
    );
  }
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) throw new UsageError(`key export: --created is not a valid date ("${printable(v)}")`);
  if (d.getTime() > now.getTime() + 6e4) {
    throw new UsageError("key export: --created is in the future: signatures made before it would be refused");
  }
  if (d.getTime() < Date.UTC(1971, 0, 1)) throw new UsageError("key export: --created is before 1971");
  return new Date(Math.floor(d.getTime() / 1e3) * 1e3);
}
async function keyCommand(argv, io) {
  const [sub, ...rest] = argv;
  if (sub === void 0 || sub === "--help" || sub === "-h" || sub === "help") {
    io.stdout.write(KEY_USAGE);
    return sub === void 0 ? EXIT.usage : EXIT.ok;
  }
  if (sub !== "export") throw new UsageError(`key: unknown subcommand '${printable(sub)}' (expected export)`);
  const { values: f, positionals } = parseFlags("key export", rest, {
    ...PROVIDER_FLAGS,
    "vault-url": { type: "string" },
    "vault-role": { type: "string" },
    "vault-auth-mount": { type: "string" },
    "vault-namespace": { type: "string" },
    "vault-ca-cert": { type: "string" },
    "allow-insecure-http": { type: "boolean" },
    audience: { type: "string" },
    "jwt-file": { type: "string" },
    "jwt-env": { type: "string" },
    uid: { type: "string" },
    created: { type: "string" },
    output: { type: "string" },
    help: { type: "boolean", short: "h" }
  });
  if (f.help) {
    io.stdout.write(KEY_USAGE);
    return EXIT.ok;
  }
  if (positionals.length) throw new UsageError(`key export: unexpected argument '${printable(positionals[0])}'`);
  if (!f.provider) throw new UsageError("key export: --provider is required (vault-transit, aws-kms or gcp-kms)");
  if (!f.uid) throw new UsageError('key export: --uid "Name <email>" is required');
  if (!f.created) throw new UsageError("key export: --created ISO-8601 is required (it is part of the fingerprint)");
  const created = parseCreated(f.created);
  const log = (m) => io.stderr.write(`${printable(m)}
`);
  const { provider, audienceInputs } = buildProvider("key export", f.provider, f, io, log, { publicKey: false });
  if (provider.kind !== "remote-signer") {
    throw new UsageError(`key export: --provider ${provider.name} holds an exported key; export it with gpg instead`);
  }
  const audience = f.audience ?? defaultAudience(provider.name, audienceInputs);
  const idToken = await cliJwt(f["jwt-file"], f["jwt-env"], audience, io, "key export");
  const session = await provider.connect(idToken.token);
  let armored;
  let fingerprint;
  try {
    const key = bindRemoteKey(session, { created });
    fingerprint = key.fingerprint;
    armored = (await exportPublicKey(key, f.uid)).armored;
  } finally {
    await session.release();
  }
  if (f.output) await writePublicFile(resolve(io.cwd, f.output), armored);
  else io.stdout.write(armored);
  log(`key ${fingerprint} created ${created.toISOString()} from ${session.source}`);
  return EXIT.ok;
}
export {
  KEY_USAGE,
  keyCommand,
  parseCreated
};
