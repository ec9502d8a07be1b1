/**
 * Flush on process exit, where the runtime allows: Node's `beforeExit` fires when the event loop
 * has nothing left to do, so a script that just returns still sends what it buffered (bounded by
 * `exitTimeoutMs`). One listener for every tracker, so many trackers raise no listener warning.
 * A signal or `process.exit()` skips it: call `await tracker.shutdown()` in those paths.
 */

interface ExitAware {
  onBeforeExit(): void;
}

const trackers = new Set<ExitAware>();
let installed = false;

function onBeforeExit(): void {
  for (const tracker of trackers) tracker.onBeforeExit();
}

export function registerExitFlush(tracker: ExitAware): void {
  trackers.add(tracker);
  if (!installed && typeof process !== 'undefined' && typeof process.on === 'function') {
    process.on('beforeExit', onBeforeExit);
    installed = true;
  }
}

export function unregisterExitFlush(tracker: ExitAware): void {
  trackers.delete(tracker);
  if (trackers.size === 0 && installed) {
    process.off('beforeExit', onBeforeExit);
    installed = false;
  }
}
