/**
 * A level-triggered wake-up for one watcher: any number of wake() calls between two waits
 * collapse into one, so a watcher's state stays constant however fast its session is written.
 * fail() ends the watcher with an error at its next wait.
 */
export class Wakeup {
  private pending = false;
  private failure: Error | null = null;
  private resolve: (() => void) | null = null;

  wake(): void {
    this.pending = true;
    this.resolve?.();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.resolve?.();
  }

  /** Resolves at the next wake (at once if one came since the last wait); throws after fail(). */
  async wait(): Promise<void> {
    if (!this.pending && !this.failure) await new Promise<void>((resolve) => (this.resolve = resolve));
    this.resolve = null;
    if (this.failure) throw this.failure;
    this.pending = false;
  }
}
