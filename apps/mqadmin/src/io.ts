// Where a run of mqadmin reads its environment and writes its output. The CLI passes the
// process's streams; tests pass in-memory ones.

export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Width tables are fitted to: the terminal's, else $COLUMNS, else unlimited (piped output keeps whole values). */
export function outputWidth(io: CliIo): number {
  if (io.stdout.isTTY === true && io.stdout.columns !== undefined && io.stdout.columns > 0) return io.stdout.columns;
  const columns = Number(io.env['COLUMNS']);
  return Number.isInteger(columns) && columns > 0 ? columns : Number.POSITIVE_INFINITY;
}

/** Collects output in memory (tests, and callers embedding the CLI). */
export class BufferedOutput implements OutputStream {
  private readonly chunks: string[] = [];

  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}

  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }

  get text(): string {
    return this.chunks.join('');
  }
}
