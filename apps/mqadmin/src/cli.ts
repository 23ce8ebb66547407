// `mqadmin <command> [options]`: the process entry. Exit status 0 ok, 1 failed, 2 bad usage.

import { runMqadmin } from './program.js';

const status = await runMqadmin(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = status;
