/**
 * The local host's own output: JSON lines on stdout for warnings and errors (the same shape as
 * the functions' Powertools logs, so one `jq` reads both), plain lines for the banner and event
 * summaries. `quiet` silences everything (tests).
 */

export interface HostLog {
  /** A plain line for people (banner, one-line event summaries). */
  line(text: string): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createHostLog(options: { quiet?: boolean | undefined } = {}): HostLog {
  if (options.quiet) {
    const nothing = (): void => undefined;
    return { line: nothing, info: nothing, warn: nothing, error: nothing };
  }
  const json =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      const entry = { level, message, service: 'local-host', timestamp: new Date().toISOString(), ...fields };
      process.stdout.write(`${JSON.stringify(entry, errorReplacer)}\n`);
    };
  return {
    line: (text) => void process.stdout.write(`${text}\n`),
    info: json('INFO'),
    warn: json('WARN'),
    error: json('ERROR'),
  };
}

/** Errors serialize to `{}` by default; keep what helps. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}
