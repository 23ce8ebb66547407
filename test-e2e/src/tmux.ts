// Runs a command in a real terminal: a detached tmux session of a given size. The pane is read
// with wrapped lines joined (capture-pane -J), so a line the program printed wider than the
// terminal shows up as one long line instead of being hidden by the terminal's own wrapping.
import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const DONE_MARK = '__APOGEE_TMUX_DONE__';

export interface TerminalRun {
  /** the pane's lines up to the exit marker, wrapped lines joined, trailing blanks trimmed */
  lines: string[];
  exitStatus: number;
}

/** tmux on a private server socket with no user config, so the machine's tmux setup cannot interfere. */
function tmux(socket: string, args: readonly string[]): Promise<{ stdout: string }> {
  return execFileAsync('tmux', ['-L', socket, '-f', '/dev/null', ...args]);
}

export async function hasTmux(): Promise<boolean> {
  try {
    await execFileAsync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}

/** Runs `shellCommand` (sh syntax) in a `columns` × `rows` tmux pane and waits until it exits. */
export async function runInTerminal(shellCommand: string, opts: { columns: number; rows?: number; timeoutMs?: number; cwd?: string }): Promise<TerminalRun> {
  const socket = `apogee-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const session = 'run';
  const script = `${shellCommand}; echo "${DONE_MARK}$?"; sleep 600`;
  await tmux(socket, ['new-session', '-d', '-s', session, '-x', String(opts.columns), '-y', String(opts.rows ?? 100), ...(opts.cwd === undefined ? [] : ['-c', opts.cwd]), script]);
  try {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      const { stdout } = await tmux(socket, ['capture-pane', '-p', '-J', '-S', '-', '-t', session]);
      const lines = stdout.split('\n').map((l) => l.trimEnd());
      const doneAt = lines.findIndex((l) => l.startsWith(DONE_MARK));
      if (doneAt >= 0) return { lines: lines.slice(0, doneAt), exitStatus: Number(lines[doneAt]!.slice(DONE_MARK.length)) };
      if (Date.now() > deadline) throw new Error(`tmux: ${shellCommand} did not finish in time; pane:\n${lines.join('\n')}`);
      await delay(200);
    }
  } finally {
    await tmux(socket, ['kill-server']).catch(() => undefined);
  }
}
