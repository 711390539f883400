// `jit-gpg <command>`: dispatch only. Each command lives in its own module and returns its exit code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CliIO, EXIT, UsageError, writeLine } from './io.ts';
import { runCachedScript } from './script-cache.ts';

export { VERSION } from '../shared/version.ts';
import { VERSION } from '../shared/version.ts';

export const USAGE = `jit-gpg ${VERSION}: just-in-time GPG signing and secret scanning

Usage:
  jit-gpg scan [PATH|-] [options]     scan a directory, a git range or stdin for hardcoded secrets
  jit-gpg sign [options] FILES...     write detached signatures with a key from a file, stdin or Vault
  jit-gpg verify [options] FILES...   verify detached signatures against a public key
  jit-gpg key export [options]        the OpenPGP public key of a key that stays in its key service
  jit-gpg digest FILES... [-o FILE]   a sha256sum fragment for matrix jobs (merged and signed by one fan-in job)
  jit-gpg help [COMMAND]              show help for a command
  jit-gpg --version

Exit codes: 0 clean/ok, 1 findings or failed verification, 2 usage or configuration error.
Run \`jit-gpg COMMAND --help\` for a command's options.
`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

export interface CliOptions {
  /** The CLI's code cache directory (compile-cache.ts); with it, the bundled scan command runs as a cached script. */
  codeCache?: string | undefined;
}

/** The scan command as one script beside the bundled CLI (dist/cli/scan.cjs; src/ has none). */
const SCAN_SCRIPT = new URL('./cli/scan.cjs', import.meta.url);

/**
 * The scan command from its script; undefined without a cache directory or a script. The code cache is written when
 * the process ends, after a run whose time start-up dominated (scan.ts, `startupBound`): `--help` compiles too little
 * of the command to be worth keeping, a tree scan too much.
 */
function cachedScanCommand(options: CliOptions): Command | undefined {
  if (!options.codeCache || SCAN_SCRIPT.protocol !== 'file:') return undefined;
  const file = fileURLToPath(SCAN_SCRIPT);
  if (!existsSync(file)) return undefined;
  const script = runCachedScript(file, options.codeCache);
  process.once('exit', () => {
    if ((script.exports.startupBound as (() => boolean) | undefined)?.()) script.save();
  });
  return script.exports.scanCommand as Command;
}

const commands: Record<string, (options: CliOptions, argv: string[]) => Promise<Command>> = {
  scan: async (options) => cachedScanCommand(options) ?? (await import('./scan.ts')).scanCommand,
  sign: async () => (await import('./sign.ts')).signCommand,
  verify: async () => (await import('./verify.ts')).verifyCommand,
  digest: async () => (await import('./digest.ts')).digestCommand,
  key: async () => (await import('./key.ts')).keyCommand,
};

export async function runCli(argv: string[], io: CliIO, options: CliOptions = {}): Promise<number> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === '--help' || first === '-h') {
      io.stdout.write(USAGE);
      return first === undefined ? EXIT.usage : EXIT.ok;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (first === 'help') {
      const topic = rest[0];
      if (topic && commands[topic]) return await (await commands[topic](options, ['--help']))(['--help'], io);
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const load = commands[first];
    if (!load) {
      throw new UsageError(
        first.startsWith('-')
          ? `unknown option '${first}' (a command comes first: ${Object.keys(commands).join(', ')}). Run \`jit-gpg --help\`.`
          : `unknown command '${first}' (expected ${Object.keys(commands).join(', ')}). Run \`jit-gpg --help\`.`,
      );
    }
    return await (await load(options, rest))(rest, io);
  } catch (e) {
    // By name too: the scan command's script has its own copy of the class.
    if (e instanceof UsageError || (e as Error | undefined)?.name === 'UsageError') {
      writeLine(io.stderr, `jit-gpg: ${(e as Error).message}`);
      return EXIT.usage;
    }
    // Library errors carry actionable messages and never secrets; stack traces only on request.
    writeLine(io.stderr, `jit-gpg: ${(e as Error).message}`);
    if (io.env.JIT_GPG_DEBUG) for (const line of String((e as Error).stack).split('\n')) writeLine(io.stderr, line);
    return EXIT.usage;
  }
}
