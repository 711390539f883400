// `jit-gpg digest FILES... [--output NAME.sha256sums]`: a sha256sum-format fragment for matrix jobs that build but
// do not sign (no key, no network). Names are as given, relative to the current directory, so the fragment passes
// `sha256sum -c --strict` where it was made; the fan-in job merges fragments with `--checksums-merge`.
import { resolve } from 'node:path';
import { digestFiles, formatNamed } from '../sign/manifest.ts';
import { writePublicFile } from '../sign/signer.ts';
import { parseFlags } from './args.ts';
import { type CliIO, EXIT, UsageError } from './io.ts';

export const DIGEST_USAGE = `Usage: jit-gpg digest FILES... [--output NAME.sha256sums]

Writes one sha256sum line per file (names as given, relative to the current directory; names with a backslash
or a line break in sha256sum's escaped form), sorted, for a fan-in job to merge and sign once with
\`jit-gpg sign --checksums SHA256SUMS --checksums-merge 'GLOB'\` (or the action's checksums-merge input).

Options:
  -o, --output FILE    write the fragment here (mode 0644) instead of stdout
  -h, --help
`;

export async function digestCommand(argv: string[], io: CliIO): Promise<number> {
  const { values: f, positionals } = parseFlags('digest', argv, {
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (f.help) {
    io.stdout.write(DIGEST_USAGE);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('digest: name at least one file');
  const output = f.output === undefined ? undefined : resolve(io.cwd, f.output);
  if (output !== undefined && positionals.some((p) => resolve(io.cwd, p) === output)) {
    throw new UsageError('digest: the --output file is also one of the FILES; write the fragment elsewhere');
  }
  let text: string;
  try {
    text = formatNamed(await digestFiles(positionals, io.cwd));
  } catch (e) {
    throw new UsageError(`digest: ${(e as Error).message}`);
  }
  if (output === undefined) io.stdout.write(text);
  else await writePublicFile(output, text);
  return EXIT.ok;
}
