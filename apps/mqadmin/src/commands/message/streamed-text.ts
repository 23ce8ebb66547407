// Text printed as it is produced (printMsg, whose range may hold more messages than fit in
// memory). It clears the progress bar before each write so that the two do not mix on a
// terminal; it waits for a buffering stream (a slow pipe) to drain, so memory stays bounded; and
// it notices a reader that went away (`| head`: EPIPE), after which the command stops reading.
// With --json nothing is written here: the JSON document is printed whole at the end.

import type { CommandContext } from '../../context.js';
import type { OutputStream } from '../../io.js';
import type { Progress } from '../../output/progress.js';
import { fitLines } from '../../output/text.js';

/** What a Node stream offers beyond OutputStream (the in-memory test streams have none of it). */
type EventfulStream = OutputStream & {
  once?: (event: 'drain' | 'error' | 'close', listener: () => void) => unknown;
  off?: (event: 'drain' | 'error' | 'close', listener: () => void) => unknown;
};

const EVENTS_ENDING_A_WAIT = ['drain', 'close', 'error'] as const;

export class StreamedText {
  private readonly stdout: EventfulStream;
  private isClosed = false;
  private readonly onError = (): void => {
    this.isClosed = true;
  };

  constructor(
    private readonly ctx: CommandContext,
    private readonly progress: Progress,
  ) {
    this.stdout = ctx.io.stdout as EventfulStream;
    this.stdout.once?.('error', this.onError);
  }

  /** The reader went away: nothing more will be shown. */
  get closed(): boolean {
    return this.isClosed;
  }

  async write(lines: readonly string[]): Promise<void> {
    if (this.ctx.settings.json || lines.length === 0 || this.isClosed) return;
    this.progress.finish();
    if (this.stdout.write(`${fitLines(lines.join('\n'), this.ctx.width)}\n`) === false && typeof this.stdout.once === 'function') {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          for (const event of EVENTS_ENDING_A_WAIT) this.stdout.off?.(event, done);
          resolve();
        };
        for (const event of EVENTS_ENDING_A_WAIT) this.stdout.once!(event, done);
      });
    }
  }

  /** Stops listening to the stream. */
  close(): void {
    this.stdout.off?.('error', this.onError);
  }
}
