import { parseArgs } from 'node:util';

/** Bad input or a refused operation: `error: <message>` on stderr, exit 1. */
export class CliError extends Error {}

/** The command line itself is wrong (unknown command or option): usage on stderr, exit 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Placeholder shown in usage, for string options. */
  value?: string;
  required?: boolean;
  help: string;
}

export type Options = Record<string, OptionSpec>;
export type Values = Record<string, string | boolean | undefined>;

/** Options every command takes. */
export const COMMON_OPTIONS: Options = {
  json: { type: 'boolean', help: 'print one JSON document on stdout' },
  help: { type: 'boolean', help: 'show this help' },
};

/**
 * Parses a command's options with node:util parseArgs, checking the tokens ourselves so that each
 * mistake gets a short message: unknown options and stray arguments are usage errors, a missing
 * or dash-leading value (`--name --domain x`, where parseArgs would take `--domain` as the name)
 * is bad input. `help` is true when --help/-h was given; nothing else is checked then.
 */
export function parseOptions(args: string[], specs: Options): { values: Values; help: boolean } {
  const all: Options = { ...specs, ...COMMON_OPTIONS };
  const { values, tokens } = parseArgs({
    args,
    options: Object.fromEntries(Object.entries(all).map(([name, spec]) =>
      [name, name === 'help' ? { type: spec.type, short: 'h' } : { type: spec.type }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) return { values: {}, help: true };
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') throw new UsageError(`unexpected argument '${token.value}'`);
    const spec = Object.hasOwn(all, token.name) ? all[token.name]! : undefined;
    if (!spec) throw new UsageError(`unknown option '${token.rawName}'`);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
    } else if (token.value === undefined || (token.inlineValue === false && token.value.startsWith('-'))) {
      const dashValue = token.value !== undefined && !token.value.startsWith('--');
      const hint = dashValue ? ` (for a value starting with '-', write ${token.rawName}=${token.value})` : '';
      throw new CliError(`${token.rawName} needs a value${hint}`);
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && values[name] === undefined) throw new CliError(`missing --${name}`);
  }
  return { values: values as Values, help: false };
}

export function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flagOption(values: Values, name: string): boolean {
  return values[name] === true;
}

/** A numeric option as a number, or undefined when absent; ranges are left to the schemas. */
export function numberOption(values: Values, name: string): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) throw new CliError(`--${name} must be a number, got '${raw}'`);
  return Number(raw);
}

/** `--community ID`, `[--json]`: the left column of an options list. */
export function optionLabel(name: string, spec: OptionSpec): string {
  return spec.type === 'string' ? `--${name} ${spec.value ?? 'VALUE'}` : `--${name}`;
}
