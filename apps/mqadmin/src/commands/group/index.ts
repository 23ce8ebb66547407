// Consumer/producer group, offset and connection commands.
import type { CommandSpec } from '../../command.js';

export const GROUP_COMMANDS: readonly CommandSpec[] = [];
