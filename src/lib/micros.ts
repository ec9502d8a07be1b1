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
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
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
  const fraction = m[7];
  const micros = fraction ? Number(fraction.length >= 6 ? fraction.slice(0, 6) : fraction.padEnd(6, '0')) : 0;
  const seconds = daysSinceEpoch(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  return seconds * 1_000_000 + micros;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar, in arithmetic (H. Hinnant's
 * days_from_civil): every timestamp of an ingest batch comes through here, and building Date
 * objects for it cost more than the rest of the parse.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
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
