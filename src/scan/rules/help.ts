// The built-in rules' help texts in a bundle. scripts/bundle.mjs ships the rule modules without them
// (scripts/rule-examples.mjs says why) and writes them, from src/, to dist/rules-help.json, read here the first time
// a report asks for a built-in rule's help. From src/ every rule has its own and nothing is read.
import { readFileSync } from 'node:fs';
import type { Rule } from '../types.ts';

/** The file's name, at the root of dist/ (a bundle sits one or two directories below it). */
export const HELP_FILE = 'rules-help.json';

const loaded = new Map<string, Record<string, unknown>>();

/**
 * The rule's help text: its own, or for a built-in rule in a bundle the one in the help file beside the bundle
 * (`from`: the bundle's URL). A missing or damaged file is an error that says what to do, never an empty help.
 */
export function ruleHelp(rule: Pick<Rule, 'id' | 'help'>, from: string | URL = import.meta.url): string {
  if (rule.help !== undefined) return rule.help;
  const key = String(from);
  let texts = loaded.get(key);
  if (!texts) {
    texts = readHelp(from);
    loaded.set(key, texts);
  }
  const text = texts[rule.id];
  if (typeof text !== 'string') throw new Error(`${HELP_FILE} has no help for the rule ${rule.id}: reinstall jit-gpg`);
  return text;
}

function readHelp(from: string | URL): Record<string, unknown> {
  for (const dir of ['./', '../', '../../']) {
    let text: string;
    try {
      text = readFileSync(new URL(`${dir}${HELP_FILE}`, from), 'utf8');
    } catch {
      continue;
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${HELP_FILE} is damaged (${(e as Error).message}): reinstall jit-gpg`);
    }
  }
  throw new Error(`${HELP_FILE} was not found beside the bundle (${String(from)}): reinstall jit-gpg`);
}
