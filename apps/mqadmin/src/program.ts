// runMqadmin(argv, io): parses the command line with commander, runs one subcommand against a
// NameServer and prints its result as tables (fitted to the terminal) or, with --json, as JSON.
// Returns the exit status; never throws and never prints a stack trace unless --verbose.

import { Command, CommanderError, Option } from 'commander';
import type { CommandOutput, CommandSpec } from './command.js';
import { ALL_COMMANDS } from './commands/index.js';
import { CommandContext } from './context.js';
import { ExitStatus, UsageError, describeError, exitStatusOf } from './errors.js';
import type { CliIo } from './io.js';
import { CommandOptions } from './options.js';
import { toJsonText } from './output/format.js';
import { renderTable } from './output/table.js';
import { fitLines } from './output/text.js';

export async function runMqadmin(argv: readonly string[], io: CliIo, commands: readonly CommandSpec[] = ALL_COMMANDS): Promise<ExitStatus> {
  const verbose = argv.includes('--verbose');
  if (argv.length === 0) {
    io.stdout.write(commandList(commands));
    return ExitStatus.OK;
  }
  let status: ExitStatus = ExitStatus.OK;
  const program = buildProgram(io, commands, (s) => { status = s; });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version end here with code 0; parse errors were already printed by commander
      return err.exitCode === 0 ? ExitStatus.OK : ExitStatus.USAGE;
    }
    io.stderr.write(`mqadmin: ${describeError(err)}\n`);
    if (verbose && err instanceof Error && err.stack !== undefined) io.stderr.write(`${err.stack}\n`);
    return exitStatusOf(err);
  }
}

function buildProgram(io: CliIo, commands: readonly CommandSpec[], setStatus: (s: ExitStatus) => void): Command {
  const program = new Command('mqadmin')
    .description('Apogee mqadmin: the RocketMQ operator command line')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(`mqadmin: ${s.replace(/^error: /, '')}`) })
    .showSuggestionAfterError(true);

  program.command('help [command]').description('list the commands, or show one command\'s options').action((name?: string) => {
    if (name === undefined) {
      io.stdout.write(commandList(commands));
      return;
    }
    const sub = program.commands.find((c) => c.name() === name);
    if (sub === undefined || name === 'help') throw new UsageError(`unknown command ${JSON.stringify(name)}; \`mqadmin help\` lists them`);
    io.stdout.write(sub.helpInformation());
  });

  for (const spec of commands) {
    const sub = program.command(spec.name).description(spec.summary).exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(`mqadmin ${spec.name}: ${s.replace(/^error: /, '')}`) });
    for (const option of spec.options) {
      const built = new Option(option.flags, option.description);
      if (option.required === true) built.makeOptionMandatory(true);
      sub.addOption(built);
    }
    if (!spec.options.some((o) => o.flags.startsWith('-n,'))) sub.option('-n, --namesrvAddr <host:port>', 'NameServer address(es), host:port[;host:port]');
    sub.option('--json', 'print JSON instead of tables').option('--verbose', 'client logs and stack traces on stderr');
    sub.action(async (raw: Record<string, unknown>) => {
      setStatus(await runOne(spec, raw, io));
    });
  }
  return program;
}

async function runOne(spec: CommandSpec, raw: Record<string, unknown>, io: CliIo): Promise<ExitStatus> {
  const json = raw['json'] === true;
  const ctx = new CommandContext(io, {
    namesrvAddr: typeof raw['namesrvAddr'] === 'string' ? raw['namesrvAddr'].trim() : undefined,
    json,
    verbose: raw['verbose'] === true,
  });
  try {
    const output = await spec.run(ctx, new CommandOptions(raw));
    print(output, ctx, json);
    return output.exitStatus ?? ExitStatus.OK;
  } finally {
    await ctx.close();
  }
}

function print(output: CommandOutput, ctx: CommandContext, json: boolean): void {
  if (json) {
    ctx.io.stdout.write(toJsonText(output.json));
    return;
  }
  for (const block of output.blocks) {
    if (typeof block !== 'string') {
      ctx.io.stdout.write(renderTable(block, ctx.width));
      continue;
    }
    const text = fitLines(block, ctx.width);
    ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** `mqadmin` / `mqadmin help`: every command with its summary, as RocketMQ's mqadmin lists them. */
export function commandList(commands: readonly CommandSpec[]): string {
  const nameWidth = Math.max(20, ...commands.map((c) => c.name.length));
  const lines = ['The most commonly used mqadmin commands are:'];
  for (const spec of [...commands].sort((a, b) => a.name.localeCompare(b.name))) lines.push(`   ${spec.name.padEnd(nameWidth)} ${spec.summary}`);
  lines.push(`   ${'help'.padEnd(nameWidth)} List the commands, or show one command's options`);
  lines.push('', "See 'mqadmin help <command>' for more information on a specific command.");
  return `${lines.join('\n')}\n`;
}
