// `jit-gpg verify`: placeholder until the verify command lands; keeps the dispatcher honest (exit 2, clear message).
import { type CliIO, UsageError } from './io.ts';

export async function verifyCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write('Usage: jit-gpg verify ... (not available in this build yet)\n');
    return 0;
  }
  throw new UsageError('verify: not available in this build yet');
}
