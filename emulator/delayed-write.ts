/**
 * A write run once, `delayMs` after the first change asks for it, so a burst of changes costs one write
 * (the state file and the request log file). The timer never keeps a finished process alive: stop()
 * writes anyway; a failed write goes to `onError`, since a timer must not throw and kill the process.
 */
export class DelayedWrite {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly write: () => void,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Asks for the write (nothing more when one is already scheduled). */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.write();
      } catch (err) {
        this.onError(err instanceof Error ? err : new Error(String(err)));
      }
    }, this.delayMs);
    this.timer.unref();
  }

  /** Forgets a scheduled write (the caller is writing now). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
