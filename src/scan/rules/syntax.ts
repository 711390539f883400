// The value and assignment syntax every rule builds on, in one place so rules cannot drift apart: how a name is
// bounded, how it is assigned (`=`, `:`, `:=`, `=>`, in env, YAML, JSON, code, with the value quoted by `"`, `'` or
// a backtick), and how a token is bounded on either side.

/** A token's left edge: the start of the text or a character that cannot be part of a token. */
export const TOKEN_START = '(?:^|[^A-Za-z0-9_-])';

/** A token's right edge: the end of the text or a character that cannot be part of a token. */
export const TOKEN_END = '(?:[^A-Za-z0-9_-]|$)';

/**
 * An assignment between a name and its value: the name's closing quote, then `=`, `:`, `:=` or `=>`, then the
 * value's opening quote (`"`, `'` or a backtick), with any spacing. `KEY=v`, `key: "v"`, `"key": "v"`, `key := \`v\``,
 * `:key => 'v'`.
 */
export const ASSIGN = String.raw`["'\x60]?\s*(?::=|=>|=|:)\s*["'\x60]?`;

/**
 * A value under a name that mentions the vendor: the vendor's name (case-insensitive), up to 30 name characters
 * (`_API_KEY`, `.token`), an assignment, the value (group 1), and a token edge after it.
 */
export function named(vendor: string, value: string): string {
  // Not a path's segment (`workspace/integrations/discord_webhook: <checksum>`, an i18n lock file's key).
  return String.raw`(?:^|[^/])(?i:${vendor})[\w.-]{0,30}${ASSIGN}(${value})${TOKEN_END}`;
}
