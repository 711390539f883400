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

/** Parses one stdout line as a workflow command, or returns undefined when it is plain output. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const m = /^\s*::([A-Za-z][\w-]*)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
  }
  return { command: m[1]!, properties, message: unescapeData(m[3]!) };
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
