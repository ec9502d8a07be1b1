/**
 * Instants as integer microseconds since the Unix epoch: what the DateTime scalar carries and
 * what the database stores. Up to year 2255 they stay below 2^53, so a JS number holds them
 * exactly and arithmetic on them needs no BigInt.
 */

export type Micros = number;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 date-time with any offset and up to 9 fractional digits; null if invalid. */
export function parseRfc3339(text: string): Micros | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // Digits past the sixth are nanoseconds: dropped, as the contract keeps microseconds.
  const micros = m[7] ? Number(m[7].slice(0, 6).padEnd(6, '0')) : 0;
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  // Date.UTC maps years 0-99 to 1900-1999; build the date from parts to keep the year exact.
  const date = new Date(epochMs);
  if (year < 100) date.setUTCFullYear(date.getUTCFullYear() - 1900);
  return date.getTime() * 1000 + micros;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The minute formatted last: the instants of one response mostly share their minute. */
let formattedMinute = Number.NaN;
let formattedPrefix = '';

/** UTC, 'Z' suffix, exactly six fractional digits. */
export function formatRfc3339(micros: Micros): string {
  const minute = Math.floor(micros / 60_000_000);
  if (minute !== formattedMinute) {
    formattedMinute = minute;
    formattedPrefix = new Date(minute * 60_000).toISOString().slice(0, -7); // yyyy-mm-ddThh:mm:
  }
  const withinMinute = micros - minute * 60_000_000; // 0 to 59,999,999
  const second = Math.floor(withinMinute / 1_000_000);
  const fraction = withinMinute - second * 1_000_000;
  return `${formattedPrefix}${second < 10 ? '0' : ''}${second}.${fraction < 100_000 ? String(fraction).padStart(6, '0') : fraction}Z`;
}

export function microsFromDate(date: Date): Micros {
  return date.getTime() * 1000;
}

let lastNow = 0;
/** The server clock in microseconds, strictly increasing within this process. */
export function nowMicros(): Micros {
  const wall = Math.round((performance.timeOrigin + performance.now()) * 1000);
  lastNow = wall > lastNow ? wall : lastNow + 1;
  return lastNow;
}

export const MICROS_PER_MS = 1000;
