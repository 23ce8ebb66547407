// What a subcommand is: its name, one-line summary, RocketMQ-compatible options and a run
// function that returns both what to print and what `--json` prints. Commands never write to
// the streams themselves (except progress, through the context), so one renderer serves all.

import type { ExitStatus } from './errors.js';
import type { CommandContext } from './context.js';
import type { CommandOptions } from './options.js';
import type { Table } from './output/table.js';

export interface OptionSpec {
  /** commander flags, RocketMQ's short and long names: `-t, --topic <topic>` or `-o, --order <true|false>` */
  readonly flags: string;
  readonly description: string;
  readonly required?: boolean;
}

/** A block of text output: plain lines or a table fitted to the terminal. */
export type OutputBlock = string | Table;

export interface CommandOutput {
  /** what `--json` prints (Maps become objects) */
  readonly json: unknown;
  /** what is printed otherwise, in order */
  readonly blocks: readonly OutputBlock[];
  /** non-zero when part of the work failed although the command ran to its end */
  readonly exitStatus?: ExitStatus;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  run(ctx: CommandContext, options: CommandOptions): Promise<CommandOutput>;
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

/** Common RocketMQ option specs, written once. */
export const Opt = {
  topic: (required = true): OptionSpec => ({ flags: '-t, --topic <topic>', description: 'topic name', required }),
  group: (required = true): OptionSpec => ({ flags: '-g, --consumerGroup <group>', description: 'consumer group name', required }),
  cluster: (required = false): OptionSpec => ({ flags: '-c, --clusterName <cluster>', description: 'cluster name', required }),
  brokerAddr: (required = false): OptionSpec => ({ flags: '-b, --brokerAddr <host:port>', description: 'broker address', required }),
} as const;
