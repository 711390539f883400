import {
  MAX_KEY_BYTES,
  readPublicKeys,
  verifyFile
} from "./chunk-4PPAEHMD.js";
import "./chunk-AM6LXS76.js";
import {
  EXIT,
  UsageError,
  parseFlags
} from "./chunk-C6T3TIBE.js";
import {
  FileReadError,
  readRegularFile
} from "./chunk-T5EDXOGP.js";
import {
  displayPath,
  jsonSafe,
  printable
} from "./chunk-XP3VH5XU.js";
import "./chunk-UB53VF2P.js";

// src/cli/verify.ts
import { resolve } from "node:path";
var VERIFY_USAGE = `Usage: jit-gpg verify --public-key FILE [options] FILES...

Verifies FILE.asc (or FILE.sig) for each file. Exit 0 when every file has a good signature, 1 otherwise.

Options:
  --public-key FILE     armored or binary public key(s)
  --signature FILE      the signature, when verifying one file whose signature is elsewhere
  --fingerprint FPR     only signatures by this key or subkey count
  --json                print results as JSON
  -h, --help
`;
async function verifyCommand(argv, io) {
  const { values: f, positionals } = parseFlags("verify", argv, {
    "public-key": { type: "string" },
    signature: { type: "string" },
    fingerprint: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" }
  });
  if (f.help) {
    io.stdout.write(VERIFY_USAGE);
    return EXIT.ok;
  }
  if (!f["public-key"]) throw new UsageError("verify: --public-key FILE is required");
  if (positionals.length === 0) throw new UsageError("verify: name at least one file to verify");
  if (f.signature && positionals.length > 1) throw new UsageError("verify: --signature goes with exactly one file");
  let keyBytes;
  try {
    keyBytes = readRegularFile(resolve(io.cwd, f["public-key"]), {
      what: "verify: --public-key",
      maxBytes: MAX_KEY_BYTES
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
        ...f.signature ? { signature: resolve(io.cwd, f.signature) } : {},
        ...f.fingerprint ? { fingerprint: f.fingerprint } : {}
      })
    );
  }
  if (f.json) io.stdout.write(`${jsonSafe(JSON.stringify(results, null, 2))}
`);
  else {
    for (const r of results) {
      if (r.valid) {
        io.stdout.write(`good  ${displayPath(r.file)}  by ${r.signerFingerprint} ${printable(r.userIds?.[0] ?? "")}
`);
        for (const [k, v] of Object.entries(r.notations)) io.stdout.write(`      ${printable(k)}=${printable(v)}
`);
        for (const w of r.warnings) io.stdout.write(`      warning: ${printable(w)}
`);
      } else io.stdout.write(`BAD   ${displayPath(r.file)}  ${printable(r.error ?? "")}
`);
    }
  }
  return results.every((r) => r.valid) ? EXIT.ok : EXIT.findings;
}
export {
  VERIFY_USAGE,
  verifyCommand
};
