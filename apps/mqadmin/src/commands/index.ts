// Every mqadmin subcommand, by group.
import type { CommandSpec } from '../command.js';
import { CLUSTER_COMMANDS } from './cluster/index.js';
import { GROUP_COMMANDS } from './group/index.js';
import { MESSAGE_COMMANDS } from './message/index.js';
import { TOPIC_COMMANDS } from './topic/index.js';

export const ALL_COMMANDS: readonly CommandSpec[] = [...CLUSTER_COMMANDS, ...TOPIC_COMMANDS, ...GROUP_COMMANDS, ...MESSAGE_COMMANDS];
