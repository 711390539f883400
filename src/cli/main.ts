// `jit-gpg <command>`: dispatch only. Each command lives in its own module and returns its exit code.
import { type CliIO, EXIT, UsageError, writeLine } from './io.ts';

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

const commands: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./scan.ts')).scanCommand,
  sign: async () => (await import('./sign.ts')).signCommand,
  verify: async () => (await import('./verify.ts')).verifyCommand,
  digest: async () => (await import('./digest.ts')).digestCommand,
  key: async () => (await import('./key.ts')).keyCommand,
};

export async function runCli(argv: string[], io: CliIO): Promise<number> {
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
      if (topic && commands[topic]) return await (await commands[topic]())(['--help'], io);
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
    return await (await load())(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      writeLine(io.stderr, `jit-gpg: ${e.message}`);
      return EXIT.usage;
    }
    // Library errors carry actionable messages and never secrets; stack traces only on request.
    writeLine(io.stderr, `jit-gpg: ${(e as Error).message}`);
    if (io.env.JIT_GPG_DEBUG) for (const line of String((e as Error).stack).split('\n')) writeLine(io.stderr, line);
    return EXIT.usage;
  }
}
