// The one way to print text that came from outside (file names, file contents, archive entries, config keys,
// rule titles, server responses). The runner parses every line a step prints: a line starting with `::` (after
// leading whitespace) is a workflow command, and the legacy `##[` form is recognised anywhere in a line. Only the
// project's own commands may reach it; everything else goes through one of these functions.
import { randomBytes } from 'node:crypto';

/** Workflow-command data (the part after the second `::`): escaped exactly as the runner unescapes it. */
export function commandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow-command property value (`file=…,title=…`): data escaping plus the property separators. */
export function commandProperty(text: string): string {
  return commandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// Code points a terminal or the log viewer would act on or render misleadingly: C0 controls, DEL, C1 controls,
// the line and paragraph separators, zero-width and direction marks, bidi embeddings/overrides/isolates, BOM,
// and lone surrogates (which are not text at all).
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// What JSON.stringify leaves as it is but `printable` would escape (its C0 escapes and newlines are structural).
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

function escapeUnsafe(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  // One byte in UTF-8 (C0, DEL): `\xNN` is both the code point and the byte. Everything else by code point.
  return code <= 0x7f ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

// A `:` first on the line (after whitespace) could start a command once a caller puts another `:` before or after
// it; `##[` is the legacy command prefix, parsed anywhere in a line.
const LEADING_COLON = /^(\s*):/;
const LEGACY_PREFIX = /##\[/g;

function neutralise(text: string): string {
  return text.replace(LEADING_COLON, '$1\\x3a').replace(LEGACY_PREFIX, '#\\x23[');
}

/**
 * Untrusted text for a plain log line: one line, control and invisible characters shown as `\n`, `\xNN`,
 * `\uNNNN`, and nothing the runner would parse as a command. Idempotent, so a whole line built from already
 * printable parts may be passed again. Backslashes are kept as they are (for readability); use `displayPath` where
 * the display must be lossless.
 */
export function printable(text: string): string {
  return neutralise(text.replace(UNSAFE, escapeUnsafe));
}

/**
 * A lossless display name for a path given as bytes (names need not be UTF-8) or as a string: valid UTF-8 is shown
 * as text, each byte that is not part of a valid sequence as `\xNN`, unsafe code points as in `printable`, and a
 * backslash as `\\`, so different names never display the same. Safe on a plain line and inside command data.
 */
export function displayPath(name: Buffer | string): string {
  if (typeof name !== 'string') {
    // Valid UTF-8 (nearly every name) takes the string path; only other bytes are decoded one sequence at a time.
    const text = name.toString('utf8');
    if (Buffer.byteLength(text) === name.length && Buffer.from(text, 'utf8').equals(name)) return displayPath(text);
    return neutralise(decodeBytesLossless(name));
  }
  return neutralise(name.replace(/\\/g, '\\\\').replace(UNSAFE, escapeUnsafe));
}

// Decodes strictly: every maximal valid UTF-8 sequence is kept (escaped where unsafe), every other byte is `\xNN`.
function decodeBytesLossless(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = validSequenceLength(bytes, i);
    if (length === 0) {
      out += `\\x${hex(bytes[i] as number, 2)}`;
      i += 1;
      continue;
    }
    const ch = bytes.toString('utf8', i, i + length);
    out += ch === '\\' ? '\\\\' : ch.replace(UNSAFE, escapeUnsafe);
    i += length;
  }
  return out;
}

// Length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), or 0.
function validSequenceLength(b: Buffer, i: number): number {
  const b0 = b[i] as number;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) =>
    i + k < b.length && (b[i + k] as number) >= lo && (b[i + k] as number) <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** A token for `::stop-commands::`: unguessable, so text inside the block cannot end it. */
export function stopToken(): string {
  return `jit-gpg-${randomBytes(16).toString('hex')}`;
}

/**
 * A block of untrusted text the log must show as it is (for instance a command's own output): wrapped in the
 * runner's `::stop-commands::TOKEN` … `::TOKEN::` pair, so no line inside is parsed as a command. Line breaks the
 * runner would split on are kept; returns the whole block, ending in a newline.
 */
export function verbatimBlock(text: string, token: string = stopToken()): string {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('a stop-commands token must be 16+ word characters');
  if (text.includes(token)) return verbatimBlock(text, stopToken());
  const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  return `::stop-commands::${token}\n${body}::${token}::\n`;
}

/**
 * JSON text (a report a later step may print) with nothing the runner or a terminal acts on: the legacy `##[`
 * prefix and the code points `printable` escapes are written as `\uNNNN` JSON escapes, so the value is unchanged.
 * JSON.stringify already escapes C0 controls and lone surrogates, and no line of its output starts with `::`.
 */
export function jsonSafe(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`).replace(LEGACY_PREFIX, '#\\u0023[');
}

/**
 * At most the first four characters of a value read from a file, for an error or warning about it: enough to
 * recognise it, never a whole token (a secret put in the wrong field must not reach the log). Quoted and printable.
 */
export function excerpt(value: string, max = 4): string {
  const chars = [...value];
  const head = chars.slice(0, max).join('');
  return `"${printable(head)}${chars.length > max ? `…" (${chars.length} characters)` : '"'}`;
}
