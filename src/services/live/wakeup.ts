/**
 * A level-triggered wake-up for one watcher: any number of wake() calls between two waits
 * collapse into one, so a watcher's state stays constant however fast its session is written.
 * fail() ends the watcher with an error at its next wait; cancel() ends it quietly at once,
 * even while it waits (an async generator's own return() would wait for its next yield).
 */
export class Wakeup {
  private pending = false;
  private cancelled = false;
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

  cancel(): void {
    this.cancelled = true;
    this.resolve?.();
  }

  /**
   * Resolves true at the next wake (at once if one came since the last wait), false once
   * cancelled; throws after fail().
   */
  async wait(): Promise<boolean> {
    if (!this.pending && !this.failure && !this.cancelled) await new Promise<void>((resolve) => (this.resolve = resolve));
    this.resolve = null;
    if (this.cancelled) return false;
    if (this.failure) throw this.failure;
    this.pending = false;
    return true;
  }
}
