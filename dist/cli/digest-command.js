import {
  digestFiles,
  formatNamed,
  writePublicFile
} from "./chunk-JZO76TXC.js";
import "./chunk-4PPAEHMD.js";
import "./chunk-AM6LXS76.js";
import {
  EXIT,
  UsageError,
  parseFlags
} from "./chunk-C6T3TIBE.js";
import "./chunk-T5EDXOGP.js";
import "./chunk-XP3VH5XU.js";
import "./chunk-UB53VF2P.js";

// src/cli/digest.ts
import { resolve } from "node:path";
var DIGEST_USAGE = `Usage: jit-gpg digest FILES... [--output NAME.sha256sums]

Writes one sha256sum line per file (names as given, relative to the current directory; names with a backslash
or a line break in sha256sum's escaped form), sorted, for a fan-in job to merge and sign once with
\`jit-gpg sign --checksums SHA256SUMS --checksums-merge 'GLOB'\` (or the action's checksums-merge input).

Options:
  -o, --output FILE    write the fragment here (mode 0644) instead of stdout
  -h, --help
`;
async function digestCommand(argv, io) {
  const { values: f, positionals } = parseFlags("digest", argv, {
    output: { type: "string", short: "o" },
    help: { type: "boolean", short: "h" }
  });
  if (f.help) {
    io.stdout.write(DIGEST_USAGE);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError("digest: name at least one file");
  const output = f.output === void 0 ? void 0 : resolve(io.cwd, f.output);
  if (output !== void 0 && positionals.some((p) => resolve(io.cwd, p) === output)) {
    throw new UsageError("digest: the --output file is also one of the FILES; write the fragment elsewhere");
  }
  let text;
  try {
    text = formatNamed(await digestFiles(positionals, io.cwd));
  } catch (e) {
    throw new UsageError(`digest: ${e.message}`);
  }
  if (output === void 0) io.stdout.write(text);
  else await writePublicFile(output, text);
  return EXIT.ok;
}
export {
  DIGEST_USAGE,
  digestCommand
};
