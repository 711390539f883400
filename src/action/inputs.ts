// Typed input reading for both actions, in one place. Every error starts with the action's name, names the input,
// shows what it got, and says what to change (google-github-actions/auth style):
//   jit-gpg scan: input `fail-on` must be one of any, validated, none (got "some"); remove it to use the default "any"
import * as core from '@actions/core';

export class InputError extends Error {
  override name = 'InputError';
  input: string;
  constructor(message: string, input: string) {
    super(message);
    this.input = input;
  }
}

/** How an input's raw value is obtained; the default reads `INPUT_<NAME>` through @actions/core. */
export type InputSource = (name: string) => string;

const fromCore: InputSource = (name) => core.getInput(name);

// YAML 1.2 core schema booleans, as @actions/core getBooleanInput accepts them.
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/**
 * A bad value as shown in an error: at most its first 4 characters, then an ellipsis. An input may hold a secret
 * pasted into the wrong field (a token in `ttl`, a password in a URL), and 4 characters identify a typo without
 * giving the secret away.
 */
export function shown(v: string): string {
  const chars = [...v];
  return JSON.stringify(chars.length > 4 ? `${chars.slice(0, 4).join('')}…` : v);
}

export interface Inputs {
  /** The action's name, e.g. `jit-gpg scan`: every error starts with it. */
  readonly action: string;
  /** An InputError for `name` (for checks done by the caller, e.g. a path that does not exist). */
  error(name: string, problem: string): InputError;
  /** Trimmed string; `fallback` when empty; error when required and empty. */
  string(name: string, opts?: { required?: boolean; fallback?: string }): string;
  /** Trimmed string or undefined when empty. */
  optional(name: string): string | undefined;
  /** true/false (YAML 1.2 core forms); `fallback` when empty. */
  boolean(name: string, fallback: boolean): boolean;
  /** One of `allowed`; `fallback` when empty. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T;
  /** An integer within bounds; `fallback` when empty. */
  integer(name: string, opts: { fallback: number; min?: number; max?: number }): number;
  /** Non-empty lines (and, with `commas`, comma-separated items), trimmed; `#` lines are comments. */
  list(name: string, opts?: { commas?: boolean }): string[];
  /** An absolute http(s) URL, or undefined when empty. */
  url(name: string, opts?: { required?: boolean }): string | undefined;
}

export function inputs(action: string, source: InputSource = fromCore): Inputs {
  const raw = (name: string) => (source(name) ?? '').trim();
  const error = (name: string, problem: string) => new InputError(`${action}: input \`${name}\` ${problem}`, name);
  const self: Inputs = {
    action,
    error,
    string(name, opts = {}) {
      const v = raw(name);
      if (v) return v;
      if (opts.required) throw error(name, "is required; set it in the step's `with:`");
      return opts.fallback ?? '';
    },
    optional(name) {
      return raw(name) || undefined;
    },
    boolean(name, fallback) {
      const v = raw(name);
      if (v === '') return fallback;
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      throw error(name, `must be true or false (got ${shown(v)}); remove it to use the default ${fallback}`);
    },
    oneOf(name, allowed, fallback) {
      const v = raw(name);
      if (v === '') return fallback;
      if ((allowed as readonly string[]).includes(v)) return v as (typeof allowed)[number];
      const lower = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
      throw error(
        name,
        `must be one of ${allowed.join(', ')} (got ${shown(v)})` +
          (lower ? `; did you mean "${lower}"?` : `; remove it to use the default "${fallback}"`),
      );
    },
    integer(name, opts) {
      const v = raw(name);
      if (v === '') return opts.fallback;
      const n = /^[+-]?\d+$/.test(v) ? Number(v) : Number.NaN;
      const range =
        opts.min !== undefined && opts.max !== undefined
          ? ` between ${opts.min} and ${opts.max}`
          : opts.min !== undefined
            ? ` of at least ${opts.min}`
            : opts.max !== undefined
              ? ` of at most ${opts.max}`
              : '';
      if (
        !Number.isSafeInteger(n) ||
        (opts.min !== undefined && n < opts.min) ||
        (opts.max !== undefined && n > opts.max)
      ) {
        throw error(
          name,
          `must be an integer${range} (got ${shown(v)}); remove it to use the default ${opts.fallback}`,
        );
      }
      return n;
    },
    list(name, opts = {}) {
      const v = source(name) ?? '';
      const items = v.split(/\r?\n/).flatMap((line) => (opts.commas ? line.split(',') : [line]));
      return items.map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('#'));
    },
    url(name, opts = {}) {
      const v = raw(name);
      if (v === '') {
        if (opts.required) throw error(name, 'is required: the service URL, e.g. https://vault.example.com:8200');
        return undefined;
      }
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        throw error(name, `must be an absolute URL such as https://vault.example.com:8200 (got ${shown(v)})`);
      }
      if (u.username || u.password) {
        // the value is a credential now: not even its first characters are shown
        throw error(
          name,
          'must not contain a user name or password (the value is not shown); remove the part before "@"',
        );
      }
      if (u.protocol !== 'https:' && u.protocol !== 'http:') {
        throw error(name, `must be an http(s) URL (got ${shown(v)})`);
      }
      return v;
    },
  };
  return self;
}
