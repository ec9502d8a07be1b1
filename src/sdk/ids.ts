/**
 * UUIDv7 (RFC 9562) for event ids and conversation ids. The 12 bits after the version carry the
 * sub-millisecond part of the timestamp (the RFC's method 3), so ids of one session sort like its
 * microsecond timestamps; the last 62 bits are random, drawn from a pooled buffer that one
 * `getRandomValues` call refills every 512 ids.
 */
import { nowMicros } from './clock.js';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function hex16(value: number): string {
  return HEX[(value >>> 8) & 0xff]! + HEX[value & 0xff]!;
}

/** The UUIDv7 of an instant in microseconds since the epoch. */
export function uuidv7(micros: number): string {
  if (poolOffset > pool.length - 8) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const o = poolOffset;
  poolOffset += 8;
  const ms = Math.floor(micros / 1000);
  const subMs = Math.floor(((micros - ms * 1000) * 4096) / 1000); // 0..4095
  const high = Math.floor(ms / 0x10000); // the first 32 of 48 bits
  return (
    hex16(high >>> 16) + hex16(high & 0xffff) + '-' +
    hex16(ms & 0xffff) + '-' +
    hex16(0x7000 | subMs) + '-' +
    HEX[0x80 | (pool[o]! & 0x3f)]! + HEX[pool[o + 1]!]! + '-' +
    HEX[pool[o + 2]!]! + HEX[pool[o + 3]!]! + HEX[pool[o + 4]!]! + HEX[pool[o + 5]!]! + HEX[pool[o + 6]!]! + HEX[pool[o + 7]!]!
  );
}

/**
 * A fresh, unique, time-ordered id (UUIDv7): a conversation id for a one-off run such as a voice
 * call, or any session key.
 */
export function newConversationId(): string {
  const now = nowMicros();
  // Strictly increasing within the process: ids made in the same microsecond still sort in call order.
  lastIdMicros = now > lastIdMicros ? now : lastIdMicros + 1;
  return uuidv7(lastIdMicros);
}

let lastIdMicros = 0;
