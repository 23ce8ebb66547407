// Apogee's mqadmin as an operator runs it: a real process started from source
// (`node --conditions=@apogee/source --import tsx apps/mqadmin/src/cli.ts …`).
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export const MQADMIN_APP_DIR = path.join(REPO_ROOT, 'apps', 'mqadmin');

/** Shell-quotes one argument for sh. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** The sh command line that runs Apogee's mqadmin with `args` (run it with cwd MQADMIN_APP_DIR). */
export function mqadminShellCommand(args: readonly string[]): string {
  return [process.execPath, '--conditions=@apogee/source', '--import', 'tsx', 'src/cli.ts', ...args].map(shellQuote).join(' ');
}
