/**
 * Time as integer microseconds since the Unix epoch, read without allocating: `performance.now()`
 * has sub-microsecond resolution and never goes back, `Date` has neither. The offset to the wall
 * clock is re-read from time to time (off the hot path), so a long-lived process follows NTP
 * corrections instead of drifting with the monotonic clock.
 */

let offsetMs = performance.timeOrigin;

/** Now, in microseconds since the epoch (an integer; exact in a double until the year 2255). */
export function nowMicros(): number {
  return Math.floor((offsetMs + performance.now()) * 1000);
}

/** Re-anchors the clock to the wall clock when they have drifted more than `toleranceMs` apart. */
export function resyncClock(toleranceMs = 20): void {
  const drift = Date.now() - (offsetMs + performance.now());
  if (drift > toleranceMs || drift < -toleranceMs) offsetMs += drift;
}

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** RFC 3339 in UTC with exactly six fractional digits, as the server's DateTime prints. */
export function formatMicros(micros: number): string {
  const second = Math.floor(micros / 1_000_000);
  if (second !== cachedSecond) {
    // Events come in runs within the same second: the date part is formatted once per second.
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    cachedSecond = second;
  }
  const fraction = micros - second * 1_000_000;
  return `${cachedPrefix}.${String(fraction).padStart(6, '0')}Z`;
}
