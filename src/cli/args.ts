// Strict flag parsing on node:util parseArgs: unknown flags and missing values become UsageErrors (exit 2).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs says e.g. "Unknown option '--foo'": keep that, name the command and where help is.
    const reason = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${command}: ${reason}. Run \`jit-gpg ${command} --help\` for usage.`);
  }
}

/** Checks a flag's value against its allowed set. */
export function oneOf<T extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
) {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${command}: --${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}
