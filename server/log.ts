/**
 * Namespaced structured logger: one JSON object per line on stderr.
 *
 * Security: callers pass fields, never raw URLs or headers. `redact` strips query strings from
 * anything that looks like a path, so a token in `?token=` can never reach a log line.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const level = process.env.LOG_LEVEL as LogLevel | undefined;
  return LEVEL_ORDER[level ?? 'info'] ?? LEVEL_ORDER.info;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Anything shaped like a JWT (three base64url parts, the first starting `eyJ`). */
const JWT_PATTERN = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;

/**
 * Query strings go entirely (everything from `?` on: a crafted target can hide a token behind
 * any character), and token-shaped strings are masked wherever they appear.
 */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\?[\s\S]*$/, '?…').replace(JWT_PATTERN, '<token>');
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  return value;
}

export function createLogger(namespace: string): Logger {
  const min = threshold();
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_ORDER[level] < min) return;
    const record: Record<string, unknown> = { t: new Date().toISOString(), level, ns: namespace, msg };
    for (const [key, value] of Object.entries(fields ?? {})) record[key] = redact(value);
    process.stderr.write(`${JSON.stringify(record)}\n`);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}
