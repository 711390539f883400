// Secrets the engine handed back for revocation (ScanPolicy.retainSecrets): the one place a secret exists outside
// the engine. Held in a private field; JSON, util.inspect and string conversion show only a count, so a stray log
// line or report cannot carry one.
import { inspect } from 'node:util';

export class RetainedSecrets {
  #byFingerprint = new Map<string, string>();

  add(entries: Iterable<readonly [string, string]>): void {
    for (const [fingerprint, secret] of entries) this.#byFingerprint.set(fingerprint, secret);
  }

  /** The secret of a finding, by its fingerprint. */
  get(fingerprint: string): string | undefined {
    return this.#byFingerprint.get(fingerprint);
  }

  get size(): number {
    return this.#byFingerprint.size;
  }

  toJSON(): { retained: number } {
    return { retained: this.size };
  }

  toString(): string {
    return `[${this.size} retained secrets]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
