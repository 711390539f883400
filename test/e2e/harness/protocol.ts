// The runner's text protocols, as pure functions: file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE) and
// workflow commands on stdout (`::name k=v,k2=v2::message`), with the runner's escaping rules.

/**
 * Parses a file command file: `name=value` lines, or the multi-line form `name<<DELIM`, value lines, `DELIM`.
 * Throws like the runner does on an unterminated heredoc or a line that is neither form.
 */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = line.indexOf('<<');
    const equals = line.indexOf('=');
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!delimiter) throw new Error(`file command: empty delimiter for "${name}"`);
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`file command: "${name}" is missing its closing delimiter ${delimiter}`);
      out[name] = value.join('\n');
    } else if (equals > 0) {
      out[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new Error(`file command: invalid line "${line}"`);
    }
  }
  return out;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');
}

/** Commands the runner has registered (anything else after `::` is plain output), plus the active stop token. */
export const RUNNER_COMMANDS: readonly string[] = [
  'add-mask',
  'add-matcher',
  'remove-matcher',
  'add-path',
  'set-env',
  'set-output',
  'save-state',
  'echo',
  'debug',
  'notice',
  'warning',
  'error',
  'group',
  'endgroup',
  'stop-commands',
];

/** Splits printed output into lines as the runner reads them (StreamReader.ReadLine: `\r\n`, `\n` or a lone `\r`). */
export function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Parses one stdout line as the runner does (ActionCommand.TryParseV2): after leading whitespace, `::`, the command
 * info up to the next `::` (name, then a space and `k=v` properties split on `,`), then the data. Only registered
 * command names (and `extra`, e.g. the active stop token) are commands; anything else is plain output.
 */
export function parseWorkflowCommand(line: string, extra: readonly string[] = []): WorkflowCommand | undefined {
  const trimmed = line.trimStart();
  if (!trimmed.startsWith('::')) return undefined;
  const end = trimmed.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = trimmed.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!RUNNER_COMMANDS.includes(command) && !extra.includes(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { command, properties, message: unescapeData(trimmed.slice(end + 2)) };
}

/**
 * The legacy form the runner still parses anywhere in a line (ActionCommand.TryParse): `##[name props]data`, with a
 * registered name. Returns the command name, or undefined.
 */
export function parseLegacyCommand(line: string): string | undefined {
  let at = line.indexOf('##[');
  while (at >= 0) {
    const close = line.indexOf(']', at);
    if (close < 0) return undefined;
    const info = line.slice(at + 3, close);
    const space = info.indexOf(' ');
    const name = space < 0 ? info : info.slice(0, space);
    if (RUNNER_COMMANDS.includes(name)) return name;
    at = line.indexOf('##[', at + 3);
  }
  return undefined;
}

/**
 * Lines of printed output that the runner would parse as a command the project did not mean to issue: any line
 * with the legacy `##[` form that is not itself a `::` command, and any `::` command whose name is not one of `own` (the commands the action itself issues). A line
 * inside a `::stop-commands::` block is never a command, as the runner does it.
 */
export function foreignCommands(
  raw: string,
  own: readonly string[] = ['error', 'warning', 'notice', 'group', 'endgroup', 'debug', 'add-mask'],
): string[] {
  const found: string[] = [];
  let stop: string | undefined;
  for (const line of runnerLines(raw)) {
    if (stop !== undefined) {
      if (parseWorkflowCommand(line, [stop])?.command === stop) stop = undefined;
      continue;
    }
    const cmd = parseWorkflowCommand(line);
    // The runner tries the legacy form only on a line that is not a `::` command (ActionCommandManager).
    if (!cmd) {
      if (line.includes('##[')) found.push(line);
      continue;
    }
    if (cmd.command === 'stop-commands' && !own.includes('stop-commands')) found.push(line);
    else if (cmd.command === 'stop-commands') stop = cmd.message;
    else if (!own.includes(cmd.command)) found.push(line);
  }
  return found;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

export function toAnnotation(cmd: WorkflowCommand): Annotation | undefined {
  if (cmd.command !== 'error' && cmd.command !== 'warning' && cmd.command !== 'notice') return undefined;
  const p = cmd.properties;
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const a: Annotation = { level: cmd.command, message: cmd.message };
  if (p.file !== undefined) a.file = p.file;
  if (p.title !== undefined) a.title = p.title;
  const line = num(p.line);
  if (line !== undefined) a.line = line;
  const endLine = num(p.endLine);
  if (endLine !== undefined) a.endLine = endLine;
  const col = num(p.col);
  if (col !== undefined) a.col = col;
  const endColumn = num(p.endColumn);
  if (endColumn !== undefined) a.endColumn = endColumn;
  return a;
}

/**
 * The runner's secret masker: every registered value, and each trimmed line of a multi-line value, prints as
 * `***` from the moment it is registered. Longer values are replaced first so a value containing another is
 * masked whole.
 */
export class SecretMasker {
  #values = new Set<string>();

  add(value: string): void {
    if (value.trim() === '') return;
    this.#values.add(value);
    if (/[\r\n]/.test(value)) {
      for (const part of value.split(/\r?\n/)) if (part.trim()) this.#values.add(part.trim());
    }
  }

  get values(): string[] {
    return [...this.#values].sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join('***');
    return out;
  }
}

/**
 * Which known secrets survive in `text`: the whole value, and each trimmed line of a multi-line value that is
 * long enough to be meaningful on its own (armor lines such as `-----END…-----` are public framing, not secret).
 */
export function findLeaks(text: string, secrets: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    const parts = /[\r\n]/.test(secret)
      ? secret
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l.length >= 8 && !/^-----(BEGIN|END) /.test(l) && !/^[A-Za-z-]+: /.test(l))
      : [secret];
    for (const p of parts) if (p && text.includes(p)) leaks.push(p);
  }
  return leaks;
}
