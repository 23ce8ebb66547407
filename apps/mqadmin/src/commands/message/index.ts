// Message lookup, printing, sending and consuming commands, and statsAll.
import type { CommandSpec } from '../../command.js';

export const MESSAGE_COMMANDS: readonly CommandSpec[] = [];
