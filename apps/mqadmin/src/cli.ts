// `mqadmin <command> [options]`: the process entry. Exit status 0 ok, 1 failed, 2 bad usage.

import { runMqadmin } from './program.js';

// `mqadmin … | head`: the reader went away; stop quietly instead of dying on an unhandled EPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const status = await runMqadmin(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = status;
