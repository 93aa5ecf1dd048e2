/**
 * Operator CLI: `npm run cli -- <command> [options]` (usage below, or `--help`). Works on the
 * same directory as the server, and while it runs: DATA_DIR's SQLite file (WAL mode, busy
 * timeout), or PostgreSQL when DATABASE_URL is set (then the token secret is the cluster's too).
 * Every Directory method is one transaction, so the rules it enforces (one owner at least,
 * invite limits) hold whichever process writes.
 *
 * Tokens and invite codes are secrets: printed only as the result of the command that made them,
 * never logged. Exit status: 0 done, 1 bad input or refused, 2 usage.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { loadAuthSecret, loadSharedAuthSecret } from './auth/secret.ts';
import { CliError, COMMON_OPTIONS, optionLabel, parseOptions, UsageError } from './cli/args.ts';
import { DATA_COMMANDS, type DataCommand } from './cli/backup.ts';
import { COMMANDS, type Command, type Output } from './cli/commands.ts';
import { printable } from './cli/format.ts';
import { directoryPath, readConfig, type Config } from './config.ts';
import type { Directory } from './directory/directory.ts';
import { PgDirectory } from './directory/pgDirectory.ts';
import { SqliteDirectory } from './directory/sqliteDirectory.ts';

const EXIT_ERROR = 1;
const EXIT_USAGE = 2;
const INVOCATION = 'npm run cli --';

type AnyCommand = Command | DataCommand;
const ALL_COMMANDS: AnyCommand[] = [...COMMANDS, ...DATA_COMMANDS];
const isDataCommand = (command: AnyCommand): command is DataCommand => (DATA_COMMANDS as AnyCommand[]).includes(command);

function usage(): string {
  const width = Math.max(...ALL_COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${INVOCATION} <command> [options]`,
    '',
    'Manage the communities in DATA_DIR (default ./data), or in PostgreSQL when DATABASE_URL is set',
    '(and DATABASE_SCHEMA, as the server has them); safe while the server runs.',
    '',
    'Commands:',
    ...ALL_COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.synopsis}`.trimEnd()),
    '',
    `Every command takes --json (one JSON document on stdout) and --help. Exit status: 0 done, 1 error, 2 usage.`,
    '',
  ].join('\n');
}

function commandUsage(command: AnyCommand): string {
  const options = Object.entries({ ...command.options, ...COMMON_OPTIONS });
  const labels = options.map(([name, spec]) => optionLabel(name, spec));
  const width = Math.max(...labels.map((label) => label.length));
  return [
    `Usage: ${INVOCATION} ${command.name} ${command.synopsis} [--json]`.replace(/ +/g, ' '),
    '',
    command.summary,
    '',
    'Options:',
    ...options.map(([, spec], i) => `  ${labels[i]!.padEnd(width)}  ${spec.help}`),
    '',
  ].join('\n');
}

/** The command named by the first one or two words, or 'help' when the words ask for usage. */
function findCommand(argv: string[]): { command: AnyCommand; rest: string[] } | 'help' {
  const [first, second] = argv;
  const isHelp = (word: string | undefined): boolean => word === '--help' || word === '-h' || word === 'help';
  if (first === undefined || isHelp(first)) return 'help';
  const group = ALL_COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (group.length > 0) {
    if (isHelp(second)) return 'help';
    const subcommands = group.map((c) => c.name.split(' ')[1]).join(', ');
    if (second === undefined) throw new UsageError(`'${first}' needs a subcommand: ${subcommands}`);
    const command = group.find((c) => c.name === `${first} ${second}`);
    if (!command) throw new UsageError(`unknown command '${first} ${second}' (${first} takes: ${subcommands})`);
    return { command, rest: argv.slice(2) };
  }
  const command = ALL_COMMANDS.find((c) => c.name === first);
  if (!command) throw new UsageError(`unknown command '${first}'`);
  return { command, rest: argv.slice(1) };
}

interface OpenedDirectory {
  directory: Directory;
  /** The secret the server signs with: AUTH_SECRET, else the one kept beside this directory. */
  authSecret(): Promise<Uint8Array>;
}

/**
 * The server's directory, chosen as app.ts chooses it. A command other than `community create`
 * where there is no directory yet is almost surely a wrong DATA_DIR or DATABASE_SCHEMA: refused,
 * before anything is created.
 */
async function openDirectory(config: Config, create: boolean): Promise<OpenedDirectory> {
  const fromEnv = process.env.AUTH_SECRET;
  if (config.databaseUrl) {
    const { databaseUrl, databaseSchema: schema } = config;
    if (!create && !await PgDirectory.exists(databaseUrl, { schema })) {
      throw new CliError(`no Guildhall directory in PostgreSQL${schema ? ` schema ${schema}` : ''}: `
        + `set DATABASE_URL and DATABASE_SCHEMA to the server's, or create a community first`);
    }
    const directory = await PgDirectory.open(databaseUrl, { schema });
    return { directory, authSecret: () => loadSharedAuthSecret(directory, fromEnv) };
  }
  const path = directoryPath(config.dataDir);
  if (create) mkdirSync(config.dataDir, { recursive: true });
  else if (!existsSync(path)) {
    throw new CliError(`no Guildhall directory at ${path}: set DATA_DIR to the server's data directory, or create a community first`);
  }
  return { directory: new SqliteDirectory(path), authSecret: async () => loadAuthSecret(config.dataDir, fromEnv) };
}

async function execute(command: AnyCommand, args: string[]): Promise<number> {
  const { values, help } = parseOptions(args, command.options);
  if (help) {
    process.stdout.write(commandUsage(command));
    return EXIT_USAGE;
  }
  if (isDataCommand(command)) return print(await command.run(readConfig(), values), values.json === true);
  const { directory, authSecret } = await openDirectory(readConfig(), command.createsData === true);
  let output: Output;
  try {
    let secret: Promise<Uint8Array> | undefined;
    output = await command.run({ options: values, directory, authSecret: () => (secret ??= authSecret()) });
  } finally {
    await directory.close();
  }
  return print(output, values.json === true);
}

function print(output: Output, json: boolean): number {
  process.stdout.write(json ? `${JSON.stringify(output.json, null, 2)}\n` : output.text);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let command: AnyCommand | undefined;
  try {
    const found = findCommand(argv);
    if (found === 'help') {
      process.stdout.write(usage());
      return EXIT_USAGE;
    }
    command = found.command;
    return await execute(found.command, found.rest);
  } catch (error) {
    // Only the message: a stack would be noise to an operator, and nothing here needs one.
    const message = printable(error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${message}\n\n${command ? commandUsage(command) : usage()}`);
      return EXIT_USAGE;
    }
    process.stderr.write(`error: ${message}\n`);
    return EXIT_ERROR;
  }
}

// exitCode rather than exit(): stdout is flushed before the process ends.
void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
