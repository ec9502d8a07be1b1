/**
 * How what a client says about a session combines with what is stored. Shared by batch upserts
 * and implicit creation, so a session reads the same whichever way it was described.
 */
import type { Micros } from '../../lib/micros.js';
import type { SessionIndexRows, SessionRow } from './write-ops.js';

export interface SessionDescription {
  key: string;
  name: string | null;
  agentName: string | null;
  tags: string[];
  metadata: Record<string, unknown> | null;
  startedAtUs: Micros | null;
}

/**
 * Given tags are added, given metadata keys merged (shallowly, the given value winning), and
 * name and agent set only while still empty. Returns whether anything changed.
 */
export function mergeDescription(row: SessionRow, description: SessionDescription, agentId: number | null): boolean {
  let changed = false;
  const newTags = description.tags.filter((tag) => !row.tags.includes(tag));
  if (newTags.length > 0) {
    row.tags = [...row.tags, ...newTags];
    changed = true;
  }
  if (description.metadata && Object.keys(description.metadata).length > 0) {
    row.metadata = { ...row.metadata, ...description.metadata };
    changed = true;
  }
  if (row.name == null && description.name != null) {
    row.name = description.name;
    changed = true;
  }
  if (row.agentId == null && agentId != null) {
    row.agentId = agentId;
    changed = true;
  }
  return changed;
}

/** Several descriptions of one key in one batch fold into one, in the order they were given. */
export function foldDescriptions(first: SessionDescription, next: SessionDescription): SessionDescription {
  return {
    key: first.key,
    name: first.name ?? next.name,
    agentName: first.agentName ?? next.agentName,
    tags: [...new Set([...first.tags, ...next.tags])],
    metadata: first.metadata || next.metadata ? { ...first.metadata, ...next.metadata } : null,
    startedAtUs: first.startedAtUs ?? next.startedAtUs,
  };
}

/**
 * LIKE gives %, _ and (on PostgreSQL) \ special meanings, and Prisma's `contains` escapes none of
 * them, while SQLite has no default escape character. So the stored text and the search term both
 * map them to control characters that LIKE takes literally.
 */
const LIKE_SPECIALS: Record<string, string> = { '%': '\u0001', _: '\u0002', '\\': '\u0003' };

/** Lower-cased, with LIKE's special characters made literal: apply to stored text and terms alike. */
export function foldForSearch(text: string): string {
  return text.toLowerCase().replace(/[%_\\]/g, (special) => LIKE_SPECIALS[special]!);
}

/** What case-insensitive search matches: the name and the key. */
export function sessionSearchText(session: Pick<SessionRow, 'name' | 'key'>): string {
  return foldForSearch(`${session.name ?? ''}\n${session.key}`);
}

/** endedAt (or lastEventAt while running) minus startedAt; null while there is neither. */
export function sessionDurationUs(session: Pick<SessionRow, 'startedAtUs' | 'endedAtUs' | 'lastEventAtUs'>): Micros | null {
  const end = session.endedAtUs ?? session.lastEventAtUs;
  return end === null ? null : end - session.startedAtUs;
}

/** Canonical JSON of a metadata value that filters can match, or null for objects and arrays. */
export function metadataFilterValue(value: unknown): string | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? JSON.stringify(value) : null;
}

/** The side-table rows that describe a session's tags and metadata as they now are. */
export function sessionIndexRows(session: SessionRow): Pick<SessionIndexRows, 'tags' | 'metadata'> {
  return {
    tags: session.tags.map((tag) => ({ sessionId: session.id, tag })),
    metadata: Object.entries(session.metadata ?? {}).map(([key, value]) => ({
      sessionId: session.id,
      key,
      value: metadataFilterValue(value),
    })),
  };
}
