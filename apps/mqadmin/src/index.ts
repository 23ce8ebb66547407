// Public API of @apogee/mqadmin: run the CLI in-process, and the pieces commands are built from.
export { runMqadmin, commandList } from './program.js';
export { ALL_COMMANDS } from './commands/index.js';
export { type CommandSpec, type CommandOutput, type OptionSpec, type OutputBlock, defineCommand } from './command.js';
export { CommandContext } from './context.js';
export { type CliIo, type OutputStream, BufferedOutput, outputWidth } from './io.js';
export { ExitStatus, CommandFailedError, UsageError, describeError } from './errors.js';
export { type Column, type Table, renderTable, ELLIPSIS } from './output/table.js';
export { formatTimestamp, formatDecimal, toJsonText } from './output/format.js';
export { fitLines } from './output/text.js';
export { parseTimestamp } from './options.js';
