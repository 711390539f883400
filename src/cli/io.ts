// What a CLI command needs from the outside world, injectable so commands are testable as plain functions.
import type { Readable, Writable } from 'node:stream';
import { printable } from '../shared/escape.ts';

export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  isTTY: boolean;
}

/** Exit codes are part of the contract: 0 clean, 1 findings (or failed verification), 2 usage or config error. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A usage or configuration error: printed as one clear line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Node builds process.stdin on first access (a stream, ~5 ms): only commands that read it pay.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/**
 * Writes one line of text that may carry untrusted parts (paths, config values, git output, error messages):
 * escaped by printable (escape.ts), so it stays one line and the runner parses no command from it when the CLI runs
 * in a workflow step.
 */
export function writeLine(stream: Writable, line: string): void {
  stream.write(`${printable(line)}\n`);
}
