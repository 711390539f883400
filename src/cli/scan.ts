// `jit-gpg scan`: placeholder until the scan command lands; keeps the dispatcher honest (exit 2, clear message).
import { type CliIO, UsageError } from './io.ts';

export async function scanCommand(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write('Usage: jit-gpg scan ... (not available in this build yet)\n');
    return 0;
  }
  throw new UsageError('scan: not available in this build yet');
}
