/**
 * Operator CLI: `npm run cli -- <command> [options]` (usage below, or `--help`). Works on the
 * same DATA_DIR as the server, and while it runs: the directory is SQLite in WAL mode with a busy
 * timeout, and every Directory method is one transaction, so the rules it enforces (one owner at
 * least, invite limits) hold whichever process writes.
 *
 * Tokens and invite codes are secrets: printed only as the result of the command that made them,
 * never logged. Exit status: 0 done, 1 bad input or refused, 2 usage.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { loadAuthSecret } from './auth/secret.ts';
import { CliError, COMMON_OPTIONS, optionLabel, parseOptions, UsageError } from './cli/args.ts';
import { COMMANDS, type Command, type Output } from './cli/commands.ts';
import { printable } from './cli/format.ts';
import { directoryPath, readConfig } from './config.ts';
import { SqliteDirectory } from './directory/sqliteDirectory.ts';

const EXIT_ERROR = 1;
const EXIT_USAGE = 2;
/** The file startGuildhall (app.ts) opens in DATA_DIR. */
const INVOCATION = 'npm run cli --';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${INVOCATION} <command> [options]`,
    '',
    'Manage the communities in DATA_DIR (default ./data); safe while the server runs.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.synopsis}`.trimEnd()),
    '',
    `Every command takes --json (one JSON document on stdout) and --help. Exit status: 0 done, 1 error, 2 usage.`,
    '',
  ].join('\n');
}

function commandUsage(command: Command): string {
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
function findCommand(argv: string[]): { command: Command; rest: string[] } | 'help' {
  const [first, second] = argv;
  const isHelp = (word: string | undefined): boolean => word === '--help' || word === '-h' || word === 'help';
  if (first === undefined || isHelp(first)) return 'help';
  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (group.length > 0) {
    if (isHelp(second)) return 'help';
    const subcommands = group.map((c) => c.name.split(' ')[1]).join(', ');
    if (second === undefined) throw new UsageError(`'${first}' needs a subcommand: ${subcommands}`);
    const command = group.find((c) => c.name === `${first} ${second}`);
    if (!command) throw new UsageError(`unknown command '${first} ${second}' (${first} takes: ${subcommands})`);
    return { command, rest: argv.slice(2) };
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) throw new UsageError(`unknown command '${first}'`);
  return { command, rest: argv.slice(1) };
}

/** A command other than `community create` on a DATA_DIR without a directory is almost surely a wrong DATA_DIR. */
function openDirectory(dataDir: string, create: boolean): SqliteDirectory {
  const path = directoryPath(dataDir);
  if (create) mkdirSync(dataDir, { recursive: true });
  else if (!existsSync(path)) {
    throw new CliError(`no Guildhall directory at ${path}: set DATA_DIR to the server's data directory, or create a community first`);
  }
  return new SqliteDirectory(path);
}

async function execute(command: Command, args: string[]): Promise<number> {
  const { values, help } = parseOptions(args, command.options);
  if (help) {
    process.stdout.write(commandUsage(command));
    return EXIT_USAGE;
  }
  const { dataDir } = readConfig();
  const directory = openDirectory(dataDir, command.createsData === true);
  let output: Output;
  try {
    let secret: Uint8Array | undefined;
    output = await command.run({
      options: values,
      directory,
      authSecret: () => (secret ??= loadAuthSecret(dataDir, process.env.AUTH_SECRET)),
    });
  } finally {
    await directory.close();
  }
  process.stdout.write(values.json === true ? `${JSON.stringify(output.json, null, 2)}\n` : output.text);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let command: Command | undefined;
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
