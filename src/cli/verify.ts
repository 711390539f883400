// `jit-gpg verify`: checks detached signatures against a public key, for consumers of signed releases.
import { resolve } from 'node:path';
import { displayPath, jsonSafe, printable } from '../shared/escape.ts';
import { FileReadError, readRegularFile } from '../shared/read-file.ts';
import { MAX_KEY_BYTES } from '../sign/key.ts';
import { readPublicKeys, verifyFile } from '../sign/verify.ts';
import { parseFlags } from './args.ts';
import { type CliIO, EXIT, UsageError } from './io.ts';

export const VERIFY_USAGE = `Usage: jit-gpg verify --public-key FILE [options] FILES...

Verifies FILE.asc (or FILE.sig) for each file. Exit 0 when every file has a good signature, 1 otherwise.

Options:
  --public-key FILE     armored or binary public key(s)
  --signature FILE      the signature, when verifying one file whose signature is elsewhere
  --fingerprint FPR     only signatures by this key or subkey count
  --json                print results as JSON
  -h, --help
`;

export async function verifyCommand(argv: string[], io: CliIO): Promise<number> {
  const { values: f, positionals } = parseFlags('verify', argv, {
    'public-key': { type: 'string' },
    signature: { type: 'string' },
    fingerprint: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (f.help) {
    io.stdout.write(VERIFY_USAGE);
    return EXIT.ok;
  }
  if (!f['public-key']) throw new UsageError('verify: --public-key FILE is required');
  if (positionals.length === 0) throw new UsageError('verify: name at least one file to verify');
  if (f.signature && positionals.length > 1) throw new UsageError('verify: --signature goes with exactly one file');
  let keyBytes: Buffer;
  try {
    keyBytes = readRegularFile(resolve(io.cwd, f['public-key']), {
      what: 'verify: --public-key',
      maxBytes: MAX_KEY_BYTES,
    });
  } catch (e) {
    if (e instanceof FileReadError) throw new UsageError(e.message);
    throw e;
  }
  const keys = await readPublicKeys(keyBytes);
  const results = [];
  for (const p of positionals) {
    results.push(
      await verifyFile({
        publicKey: keys,
        file: resolve(io.cwd, p),
        ...(f.signature ? { signature: resolve(io.cwd, f.signature) } : {}),
        ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}),
      }),
    );
  }
  // file names, user IDs and notations come from outside (the notations from the signature itself)
  if (f.json) io.stdout.write(`${jsonSafe(JSON.stringify(results, null, 2))}\n`);
  else {
    for (const r of results) {
      if (r.valid) {
        io.stdout.write(`good  ${displayPath(r.file)}  by ${r.signerFingerprint} ${printable(r.userIds?.[0] ?? '')}\n`);
        for (const [k, v] of Object.entries(r.notations)) io.stdout.write(`      ${printable(k)}=${printable(v)}\n`);
        for (const w of r.warnings) io.stdout.write(`      warning: ${printable(w)}\n`);
      } else io.stdout.write(`BAD   ${displayPath(r.file)}  ${printable(r.error ?? '')}\n`);
    }
  }
  return results.every((r) => r.valid) ? EXIT.ok : EXIT.findings;
}
