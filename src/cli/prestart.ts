// `jit-gpg scan`: its scan workers start before the command and the scanner are loaded, so their own start-up
// overlaps this thread's (workers.ts). The arguments are only glanced at here, to tell a directory or git scan with
// more than one thread from a single file, stdin or logs; scan.ts parses them for real. A wrong guess costs a worker
// that is ended unused, or nothing.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultThreads, prestartScanWorkers } from '../scan/workers.ts';

/** Whether `argv` (after `scan`) looks like a scan that will want workers, and how many threads it asks for. */
export function scanThreadsAhead(argv: readonly string[], cwd: string): number {
  let threads = defaultThreads();
  let target = '.';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-' || arg === '-h' || arg === '--help') return 0;
    if (arg.startsWith('-')) {
      // Every scan option but --help takes a value: the next argument, unless given as --name=value.
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (name === '--threads') threads = Number(value);
      if (name === '--mode' && value === 'logs') return 0;
      continue;
    }
    target = arg;
  }
  if (!Number.isSafeInteger(threads) || threads < 2) return 0;
  try {
    return statSync(resolve(cwd, target)).isDirectory() ? threads : 0;
  } catch {
    return 0;
  }
}

export function prestartForScan(argv: readonly string[], cwd: string): void {
  const threads = scanThreadsAhead(argv, cwd);
  if (threads > 1) prestartScanWorkers(threads);
}
