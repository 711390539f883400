// What a CLI command needs from the outside world, injectable so commands are testable as plain functions.
import { fstatSync, statSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { isatty } from 'node:tty';
import { printable } from '../shared/escape.ts';

/** Where a command writes: process.stdout/stderr, a test's stream, or a DescriptorWriter. */
export interface OutStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
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

/**
 * Writes to a descriptor (1 or 2) synchronously, as Node's own process.stdout/stderr do for files, pipes and terminals on
 * Linux, without building Node's stream stack for them (~8 ms of every start). A descriptor that would block
 * (EAGAIN: someone made it non-blocking) hands the rest, in order, to process.stdout/stderr; a reader that went
 * away (EPIPE: `jit-gpg … | head`) ends the output, as it would end the stream's.
 */
export class DescriptorWriter implements OutStream {
  private tty: boolean | undefined;
  private readonly fd: number;
  private readonly fallback: () => OutStream;
  private stream: OutStream | undefined;
  private closed = false;

  constructor(fd: number, fallback: () => OutStream) {
    this.fd = fd;
    this.fallback = fallback;
  }

  /**
   * Whether the descriptor is a terminal, asked on first use. Only a character device can be one, and node:tty (which
   * loads the network stack: ~5 ms) is loaded only for a character device that is not /dev/null: pipes, files and
   * the output of a benchmark or a hook that discards it never load it.
   */
  get isTTY(): boolean {
    if (this.tty === undefined) {
      try {
        const st = fstatSync(this.fd);
        this.tty = st.isCharacterDevice() && !isDevNull(st.rdev) && isatty(this.fd);
      } catch {
        this.tty = false;
      }
    }
    return this.tty;
  }

  /** Whether everything written so far is on the descriptor (none of it went to the stream, which writes later). */
  get settled(): boolean {
    return this.stream === undefined;
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.stream) return Boolean(this.stream.write(chunk));
    if (this.closed) return false;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        this.stream = this.fallback();
        return Boolean(this.stream.write(bytes.subarray(done)));
      }
      if (code === 'EPIPE') {
        this.closed = true;
        return false;
      }
      throw e;
    }
    return true;
  }
}

/** Whether a character device's number is /dev/null's (never a terminal). */
function isDevNull(rdev: number): boolean {
  try {
    return statSync('/dev/null').rdev === rdev;
  } catch {
    return false;
  }
}

/** The process's own I/O; `settled()` tells whether all output so far is written (see DescriptorWriter.settled). */
export function processIO(): CliIO & { settled(): boolean } {
  const stdout = new DescriptorWriter(1, () => process.stdout);
  const stderr = new DescriptorWriter(2, () => process.stderr);
  return {
    stdout,
    stderr,
    settled: () => stdout.settled && stderr.settled,
    // Node builds process.stdin on first access (a stream, ~5 ms): only commands that read it pay.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    get isTTY() {
      return stderr.isTTY;
    },
  };
}

/**
 * Writes one line of text that may carry untrusted parts (paths, config values, git output, error messages):
 * escaped by printable (escape.ts), so it stays one line and the runner parses no command from it when the CLI runs
 * in a workflow step.
 */
export function writeLine(stream: OutStream, line: string): void {
  stream.write(`${printable(line)}\n`);
}
