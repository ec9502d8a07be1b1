/**
 * The write path of the contract: ingestBatch, startSession and endSession, each checked by
 * reading back what was stored through `session(key:)` and `Session.events`.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import type {
  EndSessionInput, EventInput, IngestBatchInput, IngestBatchMutation, IngestBatchMutationVariables, IngestSessionQuery,
} from './generated/graphql.js';
import { execute, executeError, request } from './helpers/execute.js';
import { uniqueKey } from './helpers/factories.js';
import { startServer, type TestProject, type TestServer } from './helpers/server.js';

const IngestBatch = graphql(`
  mutation IngestBatch($input: IngestBatchInput!) {
    ingestBatch(input: $input) {
      accepted
      duplicates
      rejected { index eventId code message }
    }
  }
`);

const IngestSession = graphql(`
  query IngestSession($key: String!) {
    session(key: $key) {
      id key name status tags metadata
      agent { name }
      startedAt endedAt lastEventAt durationMs
      eventCount errorCount promptTokens completionTokens costUsd
      events(first: 1000) {
        totalCount
        edges {
          node {
            key type name timestamp status durationMs input metadata model
            promptTokens completionTokens costUsd errorMessage
            session { key }
            parent { key }
            children { key }
          }
        }
      }
    }
  }
`);

const IngestStartSession = graphql(`
  mutation IngestStartSession($input: StartSessionInput!) {
    startSession(input: $input) {
      id key name status tags metadata
      agent { name }
      startedAt endedAt lastEventAt durationMs eventCount
    }
  }
`);

const IngestEndSession = graphql(`
  mutation IngestEndSession($input: EndSessionInput!) {
    endSession(input: $input) {
      id key status startedAt endedAt lastEventAt durationMs
    }
  }
`);

type IngestResult = IngestBatchMutation['ingestBatch'];
type StoredSession = NonNullable<IngestSessionQuery['session']>;
type StoredEvent = StoredSession['events']['edges'][number]['node'];

// A fixed instant well inside the accepted range, so expected timestamps can be written down.
const BASE_US = Date.UTC(2025, 5, 1, 12, 0, 0) * 1000;

/** The contract's output form: UTC, 'Z', exactly six fractional digits. */
function iso(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us - ms * 1000).padStart(3, '0')}Z`;
}

/** Microseconds of a DateTime as the server prints it (checked to be in that form first). */
function micros(text: string): number {
  expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  return Date.parse(`${text.slice(0, 19)}Z`) * 1000 + Number(text.slice(20, 26));
}

/** BASE plus a number of microseconds, in output form. */
const t = (offsetUs: number) => iso(BASE_US + offsetUs);

function ev(sessionKey: string, overrides: Partial<EventInput> = {}): EventInput {
  return { id: randomUUID(), sessionKey, type: 'LOG', timestamp: t(0), ...overrides };
}

/** Sends a batch that must succeed as a request; checks that the result counts the whole batch. */
async function ingest(url: string, key: string, input: IngestBatchInput): Promise<IngestResult> {
  const { ingestBatch } = await execute(url, IngestBatch, { input }, { key });
  expect(ingestBatch.accepted + ingestBatch.duplicates + ingestBatch.rejected.length).toBe(input.events.length);
  return ingestBatch;
}

async function readSession(url: string, project: TestProject, sessionKey: string): Promise<StoredSession | null> {
  const { session } = await execute(url, IngestSession, { key: sessionKey }, { key: project.read });
  return session ?? null;
}

async function readExisting(url: string, project: TestProject, sessionKey: string): Promise<StoredSession> {
  const session = await readSession(url, project, sessionKey);
  if (!session) throw new Error(`session ${sessionKey} was not stored`);
  expect(session.events.totalCount).toBe(session.events.edges.length);
  return session;
}

const eventsOf = (session: StoredSession): StoredEvent[] => session.events.edges.map((edge) => edge.node);
const keysOf = (session: StoredSession): string[] => eventsOf(session).map((event) => event.key);

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

describe('ingestBatch rejections', () => {
  it('rejects each invalid event with INVALID_VALUE at its index and accepts the valid ones around it', async () => {
    const project = await server.newProject();
    const key = uniqueKey('rejections');
    const longId = 'i'.repeat(201);
    const longKey = 'k'.repeat(201);
    const events: EventInput[] = [
      ev(key, { id: 'ok-0', timestamp: t(0) }),
      ev(key, { id: 'neg-prompt', type: 'LLM_CALL', promptTokens: -1 }),
      ev(key, { id: 'neg-completion', type: 'LLM_CALL', completionTokens: -5 }),
      ev(key, { id: 'neg-cost', type: 'LLM_CALL', costUsd: -0.01 }),
      ev(key, { id: 'neg-duration', durationMs: -1 }),
      ev(key, { id: '' }),
      ev('', { id: 'empty-session-key' }),
      ev(key, { id: longId }),
      ev(longKey, { id: 'long-session-key' }),
      ev(key, { id: 'own-parent', parentId: 'own-parent' }),
      ev(key, { id: 'metadata-string', metadata: 'not an object' }),
      ev(key, { id: 'metadata-array', metadata: [1, 2] }),
      ev(key, { id: 'metadata-number', metadata: 42 }),
      ev(key, { id: 'huge-duration', durationMs: 1e308 }),
      ev(key, { id: 'huge-cost', type: 'LLM_CALL', costUsd: 1_000_001 }),
      // Exactly at the length limit, zero counts: valid.
      ev(key, { id: 'x'.repeat(200), timestamp: t(1), promptTokens: 0, completionTokens: 0, costUsd: 0, durationMs: 0 }),
      ev(key, { id: 'ok-last', timestamp: t(2), metadata: { fine: true } }),
    ];
    const result = await ingest(server.url, project.ingest, { events });

    expect(result.accepted).toBe(3);
    expect(result.duplicates).toBe(0);
    const rejections = result.rejected.map(({ index, eventId, code }) => ({ index, eventId, code }));
    // An empty id has nothing to echo: the contract leaves eventId nullable, so null or '' both say so.
    const emptyId = rejections.find((r) => r.index === 5);
    expect([null, '']).toContain(emptyId?.eventId);
    expect(rejections.map((r) => (r.index === 5 ? { ...r, eventId: null } : r))).toEqual([
      { index: 1, eventId: 'neg-prompt', code: 'INVALID_VALUE' },
      { index: 2, eventId: 'neg-completion', code: 'INVALID_VALUE' },
      { index: 3, eventId: 'neg-cost', code: 'INVALID_VALUE' },
      { index: 4, eventId: 'neg-duration', code: 'INVALID_VALUE' },
      { index: 5, eventId: null, code: 'INVALID_VALUE' },
      { index: 6, eventId: 'empty-session-key', code: 'INVALID_VALUE' },
      { index: 7, eventId: longId, code: 'INVALID_VALUE' },
      { index: 8, eventId: 'long-session-key', code: 'INVALID_VALUE' },
      { index: 9, eventId: 'own-parent', code: 'INVALID_VALUE' },
      { index: 10, eventId: 'metadata-string', code: 'INVALID_VALUE' },
      { index: 11, eventId: 'metadata-array', code: 'INVALID_VALUE' },
      { index: 12, eventId: 'metadata-number', code: 'INVALID_VALUE' },
      { index: 13, eventId: 'huge-duration', code: 'INVALID_VALUE' },
      { index: 14, eventId: 'huge-cost', code: 'INVALID_VALUE' },
    ]);
    for (const rejection of result.rejected) expect(rejection.message.length).toBeGreaterThan(0);

    const session = await readExisting(server.url, project, key);
    expect(keysOf(session)).toEqual(['ok-0', 'x'.repeat(200), 'ok-last']);
    expect(session.eventCount).toBe(3);
    expect(session.promptTokens).toBe(0);
    expect(session.costUsd).toBe(0);
    // A rejected event leaves no trace, not even the session its key would have created.
    expect(await readSession(server.url, project, longKey)).toBeNull();
  });

  it('rejects timestamps before 2000 or more than a day ahead with TIMESTAMP_OUT_OF_RANGE, and accepts the edges', async () => {
    const project = await server.newProject();
    const key = uniqueKey('time-range');
    const hour = 3_600_000;
    const events: EventInput[] = [
      ev(key, { id: 'too-early', timestamp: '1999-12-31T23:59:59.999999Z' }),
      ev(key, { id: 'first-instant', timestamp: '2000-01-01T00:00:00Z' }),
      ev(key, { id: 'too-late', timestamp: new Date(Date.now() + 25 * hour).toISOString() }),
      ev(key, { id: 'soon', timestamp: new Date(Date.now() + 23 * hour).toISOString() }),
      ev(uniqueKey('never'), { id: 'too-early-other-session', timestamp: '1999-12-31T00:00:00Z' }),
    ];
    const result = await ingest(server.url, project.ingest, { events });

    expect(result.accepted).toBe(2);
    expect(result.duplicates).toBe(0);
    expect(result.rejected.map(({ index, eventId, code }) => ({ index, eventId, code }))).toEqual([
      { index: 0, eventId: 'too-early', code: 'TIMESTAMP_OUT_OF_RANGE' },
      { index: 2, eventId: 'too-late', code: 'TIMESTAMP_OUT_OF_RANGE' },
      { index: 4, eventId: 'too-early-other-session', code: 'TIMESTAMP_OUT_OF_RANGE' },
    ]);
    const session = await readExisting(server.url, project, key);
    expect(keysOf(session)).toEqual(['first-instant', 'soon']);
    expect(session.startedAt).toBe('2000-01-01T00:00:00.000000Z');
    expect(await readSession(server.url, project, events[4]!.sessionKey)).toBeNull();
  });

  it('rejects an event over SIGHTLINE_MAX_EVENT_BYTES with EVENT_TOO_LARGE and keeps the rest', async () => {
    const small = await startServer({ SIGHTLINE_MAX_EVENT_BYTES: '2000' });
    try {
      const project = await small.newProject();
      const key = uniqueKey('event-size');
      const events: EventInput[] = [
        ev(key, { id: 'small-0', timestamp: t(0), input: { text: 'hello' } }),
        ev(key, { id: 'big-input', timestamp: t(1), input: { text: 'x'.repeat(3000) } }),
        ev(key, { id: 'just-under', timestamp: t(2), input: { text: 'y'.repeat(1500) } }),
        ev(key, { id: 'big-output', timestamp: t(3), output: ['z'.repeat(2500)] }),
        ev(key, { id: 'small-4', timestamp: t(4) }),
      ];
      const result = await ingest(small.url, project.ingest, { events });

      expect(result.accepted).toBe(3);
      expect(result.duplicates).toBe(0);
      expect(result.rejected.map(({ index, eventId, code }) => ({ index, eventId, code }))).toEqual([
        { index: 1, eventId: 'big-input', code: 'EVENT_TOO_LARGE' },
        { index: 3, eventId: 'big-output', code: 'EVENT_TOO_LARGE' },
      ]);
      const session = await readExisting(small.url, project, key);
      expect(keysOf(session)).toEqual(['small-0', 'just-under', 'small-4']);
      expect(eventsOf(session)[1]!.input).toEqual({ text: 'y'.repeat(1500) });
    } finally {
      await small.stop();
    }
  });
});

describe('session counters at their limit', () => {
  it('stop at 2,147,483,647 (a GraphQL Int) instead of failing the batch, on both databases', async () => {
    const project = await server.newProject();
    const key = uniqueKey('saturated');
    const max = 2_147_483_647;
    const result = await ingest(server.url, project.ingest, {
      events: [
        ev(key, { id: 'big-1', type: 'LLM_CALL', promptTokens: max, completionTokens: max - 1, timestamp: t(0) }),
        ev(key, { id: 'big-2', type: 'LLM_CALL', promptTokens: max, completionTokens: 5, timestamp: t(1) }),
      ],
    });
    expect(result).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    const session = await readExisting(server.url, project, key);
    expect([session.eventCount, session.promptTokens, session.completionTokens]).toEqual([2, max, max]);
  });
});

describe('ingestBatch duplicates', () => {
  it('counts an id already stored as a duplicate and does not write it again', async () => {
    const project = await server.newProject();
    const key = uniqueKey('dup-across');
    const original = ev(key, { id: 'evt-1', type: 'LLM_CALL', name: 'original', promptTokens: 10, costUsd: 0.5, timestamp: t(0) });
    expect(await ingest(server.url, project.ingest, { events: [original] })).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    const retry = { ...original, name: 'changed', promptTokens: 99, costUsd: 9, timestamp: t(5_000) };
    expect(await ingest(server.url, project.ingest, { events: [retry] })).toEqual({ accepted: 0, duplicates: 1, rejected: [] });

    const session = await readExisting(server.url, project, key);
    expect(eventsOf(session).map((e) => [e.key, e.name, e.promptTokens, e.costUsd, e.timestamp])).toEqual([
      ['evt-1', 'original', 10, 0.5, t(0)],
    ]);
    expect(session.eventCount).toBe(1);
    expect(session.promptTokens).toBe(10);
    expect(session.costUsd).toBe(0.5);
    expect(session.lastEventAt).toBe(t(0));
  });

  it('keeps the first of two events with the same id in one batch', async () => {
    const project = await server.newProject();
    const key = uniqueKey('dup-within');
    const events: EventInput[] = [
      ev(key, { id: 'twice', type: 'LLM_CALL', name: 'first', promptTokens: 10, completionTokens: 1, timestamp: t(1_000) }),
      ev(key, { id: 'other', timestamp: t(2_000) }),
      ev(key, { id: 'twice', type: 'ERROR', name: 'second', promptTokens: 99, completionTokens: 9, timestamp: t(0) }),
      // A rejected event is not stored, so a later valid one with its id is no duplicate.
      ev(key, { id: 'retried', promptTokens: -1, timestamp: t(3_000) }),
      ev(key, { id: 'retried', promptTokens: 3, timestamp: t(3_000) }),
    ];
    const result = await ingest(server.url, project.ingest, { events });
    expect(result.accepted).toBe(3);
    expect(result.duplicates).toBe(1);
    expect(result.rejected.map(({ index, eventId, code }) => ({ index, eventId, code }))).toEqual([
      { index: 3, eventId: 'retried', code: 'INVALID_VALUE' },
    ]);

    const session = await readExisting(server.url, project, key);
    expect(eventsOf(session).map((e) => [e.key, e.type, e.name, e.status, e.promptTokens, e.timestamp])).toEqual([
      ['twice', 'LLM_CALL', 'first', 'OK', 10, t(1_000)],
      ['other', 'LOG', null, 'OK', null, t(2_000)],
      ['retried', 'LOG', null, 'OK', 3, t(3_000)],
    ]);
    expect(session.eventCount).toBe(3);
    expect(session.errorCount).toBe(0);
    expect(session.promptTokens).toBe(13);
    expect(session.completionTokens).toBe(1);
    // The dropped copy's earlier timestamp must not move the session's start.
    expect(session.startedAt).toBe(t(1_000));
  });

  it('stores two identical 200-event batches sent concurrently exactly once', async () => {
    const project = await server.newProject();
    // Several rounds, to give a race between the two writers more than one chance to show.
    for (let round = 0; round < 5; round++) {
      const key = uniqueKey(`dup-concurrent-${round}`);
      const events: EventInput[] = Array.from({ length: 200 }, (_, i) =>
        ev(key, {
          id: `r${round}-e${i}`,
          type: i % 10 === 0 ? 'ERROR' : 'LLM_CALL',
          timestamp: t(i * 1_000),
          promptTokens: i + 1,
          completionTokens: 2,
          costUsd: 0.25,
        }),
      );
      const [a, b] = await Promise.all([
        ingest(server.url, project.ingest, { events }),
        ingest(server.url, project.ingest, { events }),
      ]);
      expect(a.rejected).toEqual([]);
      expect(b.rejected).toEqual([]);
      expect(a.accepted + b.accepted).toBe(200);
      expect(a.duplicates + b.duplicates).toBe(200);

      const session = await readExisting(server.url, project, key);
      expect(keysOf(session)).toEqual(events.map((e) => e.id));
      expect(session.eventCount).toBe(200);
      expect(session.errorCount).toBe(20);
      expect(session.promptTokens).toBe((200 * 201) / 2);
      expect(session.completionTokens).toBe(400);
      expect(session.costUsd).toBe(50);
      expect(session.startedAt).toBe(t(0));
      expect(session.lastEventAt).toBe(t(199_000));
    }
  });
});

describe('session counters', () => {
  it('equal a recount of the stored events after batches with errors, tokens, costs, duplicates and rejections', async () => {
    const project = await server.newProject();
    const key = uniqueKey('counters');
    const batches: EventInput[][] = [
      [
        ev(key, { id: 'llm-1', type: 'LLM_CALL', timestamp: t(10_000_000), promptTokens: 420, completionTokens: 96, costUsd: 0.1 }),
        ev(key, { id: 'err-default', type: 'ERROR', timestamp: t(11_000_000), errorMessage: 'boom', errorType: 'Timeout' }),
        ev(key, { id: 'tool-failed', type: 'TOOL_CALL', status: 'ERROR', timestamp: t(12_000_000) }),
        ev(key, { id: 'rejected-tokens', type: 'LLM_CALL', promptTokens: -4, timestamp: t(13_000_000) }),
      ],
      [
        ev(key, { id: 'llm-1', type: 'LLM_CALL', timestamp: t(99_000_000), promptTokens: 9999, costUsd: 99 }), // retry
        ev(key, { id: 'llm-2', type: 'LLM_CALL', timestamp: t(14_000_000), promptTokens: 1000, completionTokens: 250, costUsd: 0.2 }),
        ev(key, { id: 'llm-2', type: 'LLM_CALL', timestamp: t(15_000_000), promptTokens: 5, costUsd: 5 }), // in-batch copy
        ev(key, { id: 'err-but-ok', type: 'ERROR', status: 'OK', timestamp: t(16_000_000) }),
        ev(key, { id: 'answer', type: 'ANSWER', status: 'OK', timestamp: t(17_000_000) }),
      ],
      [
        // Earlier than everything so far: the session's start moves back to it.
        ev(key, { id: 'question', type: 'QUESTION', timestamp: t(2_000_001), completionTokens: 7 }),
        ev(key, { id: 'llm-3', type: 'LLM_CALL', status: 'ERROR', timestamp: t(20_500_250), promptTokens: 1, completionTokens: 1, costUsd: 0.3 }),
        ev(key, { id: 'late-out-of-range', timestamp: '1999-01-01T00:00:00Z' }),
      ],
    ];
    const results: IngestResult[] = [];
    for (const events of batches) results.push(await ingest(server.url, project.ingest, { events }));
    expect(results.map((r) => [r.accepted, r.duplicates, r.rejected.length])).toEqual([
      [3, 0, 1],
      [3, 2, 0],
      [2, 0, 1],
    ]);

    const session = await readExisting(server.url, project, key);
    const events = eventsOf(session);
    expect(events.map((e) => [e.key, e.status])).toEqual([
      ['question', 'OK'],
      ['llm-1', 'OK'],
      ['err-default', 'ERROR'],
      ['tool-failed', 'ERROR'],
      ['llm-2', 'OK'],
      ['err-but-ok', 'OK'],
      ['answer', 'OK'],
      ['llm-3', 'ERROR'],
    ]);

    const recount = {
      eventCount: events.length,
      errorCount: events.filter((e) => e.status === 'ERROR').length,
      promptTokens: events.reduce((sum, e) => sum + (e.promptTokens ?? 0), 0),
      completionTokens: events.reduce((sum, e) => sum + (e.completionTokens ?? 0), 0),
      costUsd: events.reduce((sum, e) => sum + (e.costUsd ?? 0), 0),
      startedAtUs: Math.min(...events.map((e) => micros(e.timestamp))),
      lastEventAtUs: Math.max(...events.map((e) => micros(e.timestamp))),
    };
    // The recount itself, pinned, so a wrong listing cannot make both sides agree.
    expect(recount).toEqual({
      eventCount: 8,
      errorCount: 3,
      promptTokens: 1421,
      completionTokens: 354,
      costUsd: recount.costUsd,
      startedAtUs: BASE_US + 2_000_001,
      lastEventAtUs: BASE_US + 20_500_250,
    });
    expect(Math.abs(recount.costUsd - 0.6)).toBeLessThan(1e-9);

    expect(session.eventCount).toBe(recount.eventCount);
    expect(session.errorCount).toBe(recount.errorCount);
    expect(session.promptTokens).toBe(recount.promptTokens);
    expect(session.completionTokens).toBe(recount.completionTokens);
    expect(Math.abs(session.costUsd - recount.costUsd)).toBeLessThan(1e-9);
    expect(session.startedAt).toBe(iso(recount.startedAtUs));
    expect(session.lastEventAt).toBe(iso(recount.lastEventAtUs));
    expect(session.status).toBe('RUNNING');
    expect(session.endedAt).toBeNull();
    expect(session.durationMs).toBeCloseTo((recount.lastEventAtUs - recount.startedAtUs) / 1000, 6);
    expect(session.durationMs).toBeCloseTo(18_500.249, 6);
  });
});

describe('timestamps', () => {
  it('accepts any offset and 0 to 9 fractional digits, and returns UTC with exactly 6 digits', async () => {
    const project = await server.newProject();
    const key = uniqueKey('timestamps');
    const cases: [string, string][] = [
      ['2025-06-01T10:00:00+05:30', '2025-06-01T04:30:00.000000Z'],
      ['2025-06-01T10:00:00.123-08:00', '2025-06-01T18:00:00.123000Z'],
      ['2025-06-01T10:00:00.654321Z', '2025-06-01T10:00:00.654321Z'],
      ['2025-06-01T10:00:00.000001Z', '2025-06-01T10:00:00.000001Z'],
      ['2025-06-01T01:00:00.123456+05:30', '2025-05-31T19:30:00.123456Z'],
      ['2025-06-01T20:00:00.999999-08:00', '2025-06-02T04:00:00.999999Z'],
      // Nanoseconds are dropped, never rounded into the microseconds.
      ['2025-06-01T10:00:01.123456789Z', '2025-06-01T10:00:01.123456Z'],
      ['2025-06-01T10:00:02.000000999+00:00', '2025-06-01T10:00:02.000000Z'],
      // Leap days (2000 by the 400-year rule) and an offset that crosses a year boundary.
      ['2024-02-29T23:59:59.5+01:00', '2024-02-29T22:59:59.500000Z'],
      ['2000-02-29T12:00:00Z', '2000-02-29T12:00:00.000000Z'],
      ['2025-01-01T00:30:00+01:00', '2024-12-31T23:30:00.000000Z'],
    ];
    const events = cases.map(([input], i) => ev(key, { id: `ts-${i}`, timestamp: input }));
    expect(await ingest(server.url, project.ingest, { events })).toEqual({ accepted: cases.length, duplicates: 0, rejected: [] });

    const session = await readExisting(server.url, project, key);
    const stored = new Map(eventsOf(session).map((e) => [e.key, e.timestamp]));
    expect(cases.map((_, i) => stored.get(`ts-${i}`))).toEqual(cases.map(([, output]) => output));
    expect(session.startedAt).toBe('2000-02-29T12:00:00.000000Z');
    expect(session.lastEventAt).toBe('2025-06-02T04:00:00.999999Z');
  });

  it.each([
    ['a month 13', '2026-13-01T00:00:00Z'],
    ['February 30', '2026-02-30T00:00:00Z'],
    ['February 29 of a common year', '2026-02-29T00:00:00Z'],
    ['February 29 of 2100, not a leap year', '2100-02-29T00:00:00Z'],
    ['a word', 'yesterday'],
    ['a number', 1_767_225_600_000],
  ])('refuses a malformed DateTime (%s) whole with BAD_USER_INPUT naming the path', async (_label, timestamp) => {
    const project = await server.newProject();
    const key = uniqueKey('bad-datetime');
    const variables = {
      input: { events: [ev(key, { id: 'valid-before', timestamp: t(0) }), { ...ev(key, { id: 'malformed' }), timestamp }] },
    } as unknown as IngestBatchMutationVariables; // deliberately outside the schema's types
    const errors = await executeError(server.url, IngestBatch, variables, { key: project.ingest }, 'BAD_USER_INPUT');
    expect(errors.some((error) => error.message.includes('input.events[1].timestamp'))).toBe(true);
    expect(await readSession(server.url, project, key)).toBeNull();
  });
});

describe('timeline order', () => {
  it('lists out-of-order events by timestamp, and equal timestamps in the order sent, across batches too', async () => {
    const project = await server.newProject();
    const key = uniqueKey('order');
    const same = t(5_000_000);
    // Ids that sort against the sending order, so neither id nor arrival time can pass for it.
    await ingest(server.url, project.ingest, {
      events: [
        ev(key, { id: 'z-late', timestamp: t(9_000_000) }),
        ev(key, { id: 'y-same-1', timestamp: same }),
        ev(key, { id: 'x-early', timestamp: t(1_000_000) }),
        ev(key, { id: 'w-same-2', timestamp: same }),
        ev(key, { id: 'v-micro-after', timestamp: t(5_000_001) }),
        ev(key, { id: 'u-same-3', timestamp: same }),
      ],
    });
    await ingest(server.url, project.ingest, {
      events: [
        ev(key, { id: 'm-same-4', timestamp: same }),
        ev(key, { id: 'l-earliest', timestamp: t(0) }),
        ev(key, { id: 'k-same-5', timestamp: same }),
        ev(key, { id: 'j-micro-before', timestamp: t(4_999_999) }),
      ],
    });

    const session = await readExisting(server.url, project, key);
    expect(keysOf(session)).toEqual([
      'l-earliest', 'x-early', 'j-micro-before', 'y-same-1', 'w-same-2', 'u-same-3', 'm-same-4', 'k-same-5',
      'v-micro-after', 'z-late',
    ]);
    expect(session.startedAt).toBe(t(0));
    expect(session.lastEventAt).toBe(t(9_000_000));
  });
});

describe('sessions written by ingestBatch', () => {
  it('creates an unknown session key as RUNNING, started at its earliest event', async () => {
    const project = await server.newProject();
    const key = uniqueKey('implicit');
    await ingest(server.url, project.ingest, {
      events: [ev(key, { id: 'b', timestamp: t(3_000_000) }), ev(key, { id: 'a', timestamp: t(1_000_500) })],
    });
    const session = await readExisting(server.url, project, key);
    expect(session).toMatchObject({
      key,
      name: null,
      agent: null,
      status: 'RUNNING',
      tags: [],
      startedAt: t(1_000_500),
      endedAt: null,
      lastEventAt: t(3_000_000),
      eventCount: 2,
    });
    expect(session.durationMs).toBeCloseTo(1_999.5, 6);
    expect(eventsOf(session).map((e) => e.session.key)).toEqual([key, key]);

    // A later batch bringing an even earlier event: the session still starts at its earliest.
    await ingest(server.url, project.ingest, { events: [ev(key, { id: 'c', timestamp: t(250) })] });
    const again = await readExisting(server.url, project, key);
    expect(again.startedAt).toBe(t(250));
    expect(again.id).toBe(session.id);
  });

  it('creates an unknown session named in `sessions` with everything it describes', async () => {
    const project = await server.newProject();
    const key = uniqueKey('described');
    await ingest(server.url, project.ingest, {
      sessions: [{
        key,
        name: 'Order lookup',
        agentName: 'support-bot',
        tags: ['prod', 'eu', 'prod'],
        metadata: { customer: 'c-42', tier: 2 },
        startedAt: '2025-06-01T11:59:59.000001Z',
      }],
      events: [ev(key, { id: 'first', timestamp: t(0) })],
    });
    const session = await readExisting(server.url, project, key);
    expect(session).toMatchObject({
      key,
      name: 'Order lookup',
      agent: { name: 'support-bot' },
      status: 'RUNNING',
      tags: ['prod', 'eu'],
      metadata: { customer: 'c-42', tier: 2 },
      startedAt: '2025-06-01T11:59:59.000001Z',
      eventCount: 1,
    });

    // A session described with no events at all is created too.
    const bare = uniqueKey('bare');
    expect(await ingest(server.url, project.ingest, { sessions: [{ key: bare, name: 'empty' }], events: [] })).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: [],
    });
    expect(await readExisting(server.url, project, bare)).toMatchObject({ key: bare, name: 'empty', status: 'RUNNING', eventCount: 0 });
  });

  it('merges into a known session: tags added once, metadata keys merged, name and agent only while empty', async () => {
    const project = await server.newProject();
    const key = uniqueKey('merge');
    await ingest(server.url, project.ingest, {
      sessions: [{ key, tags: ['a', 'b'], metadata: { x: 1, keep: 'yes', nested: { deep: 1 } } }],
      events: [ev(key, { id: 'e1', timestamp: t(0) })],
    });
    const created = await readExisting(server.url, project, key);
    expect(created).toMatchObject({ name: null, agent: null, tags: ['a', 'b'] });

    await ingest(server.url, project.ingest, {
      sessions: [{ key, name: 'named later', agentName: 'agent-one', tags: ['b', 'c', 'c'], metadata: { x: 2, added: true } }],
      events: [],
    });
    expect(await readExisting(server.url, project, key)).toMatchObject({
      name: 'named later',
      agent: { name: 'agent-one' },
      tags: ['a', 'b', 'c'],
      metadata: { x: 2, keep: 'yes', nested: { deep: 1 }, added: true },
    });

    await ingest(server.url, project.ingest, {
      sessions: [{ key, name: 'renamed', agentName: 'agent-two', tags: ['a'], metadata: { nested: { other: 2 } } }],
      events: [ev(key, { id: 'e2', timestamp: t(1_000) })],
    });
    const merged = await readExisting(server.url, project, key);
    expect(merged).toMatchObject({
      id: created.id,
      name: 'named later',
      agent: { name: 'agent-one' },
      tags: ['a', 'b', 'c'],
      // Merged by top-level key, the given value winning whole.
      metadata: { x: 2, keep: 'yes', nested: { other: 2 }, added: true },
      startedAt: created.startedAt,
      eventCount: 2,
      status: 'RUNNING',
    });
  });

  it('writes a 1000-event batch as one: sessions first named late in it, described ones without events, copies and rejections spread through it', async () => {
    // The SQLite store writes a big batch in parts while the rest is still being validated
    // (ingest-batch.ts); none of that may show: one answer, one transaction, exact counters.
    const project = await server.newProject();
    const early = uniqueKey('parts-early');
    const late = uniqueKey('parts-late');
    const bare = uniqueKey('parts-bare');
    await ingest(server.url, project.ingest, { events: [ev(early, { id: 'stored-before', timestamp: t(5) })] });

    const events: EventInput[] = Array.from({ length: 1000 }, (_, i) =>
      ev(i >= 950 ? late : early, {
        id: `e${i}`,
        type: 'LLM_CALL',
        timestamp: t(1_000_000 + i * 1_000),
        promptTokens: 1,
        costUsd: 0.5,
      }),
    );
    events[150] = ev(early, { id: 'bad-tokens', promptTokens: -1 });
    events[650] = ev(late, { id: 'too-old', timestamp: '1999-12-31T23:59:59Z' });
    events[500] = ev(early, { id: 'stored-before', timestamp: t(1) }); // stored by the batch before
    events[910] = ev(early, { id: 'e10', timestamp: t(2) }); // a copy of an event from the first part
    events[975] = ev(late, { id: 'late-earliest', timestamp: t(999), type: 'ERROR' });
    const result = await ingest(server.url, project.ingest, {
      sessions: [
        { key: late, name: 'named in the last part', tags: ['late'], metadata: { part: 10 } },
        { key: bare, name: 'no events' },
      ],
      events,
    });
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual([[150, 'INVALID_VALUE'], [650, 'TIMESTAMP_OUT_OF_RANGE']]);
    expect(result.duplicates).toBe(2);
    expect(result.accepted).toBe(996);

    const first = await readExisting(server.url, project, early);
    const storedOf = (key: string) =>
      events.filter((e, i) => e.sessionKey === key && ![150, 500, 650, 910].includes(i)).sort((a, b) => micros(a.timestamp) - micros(b.timestamp));
    expect(keysOf(first)).toEqual(['stored-before', ...storedOf(early).map((e) => e.id)]);
    expect(first).toMatchObject({ eventCount: 947, promptTokens: 946, errorCount: 0, startedAt: t(5), lastEventAt: t(1_000_000 + 949_000) });
    expect(first.costUsd).toBeCloseTo(946 * 0.5, 9);

    const last = await readExisting(server.url, project, late);
    expect(keysOf(last)).toEqual(storedOf(late).map((e) => e.id));
    expect(keysOf(last)[0]).toBe('late-earliest');
    expect(last).toMatchObject({
      name: 'named in the last part', tags: ['late'], metadata: { part: 10 },
      eventCount: 50, errorCount: 1, promptTokens: 49, startedAt: t(999), lastEventAt: t(1_000_000 + 999_000),
    });
    expect(last.costUsd).toBeCloseTo(49 * 0.5, 9);
    expect(await readExisting(server.url, project, bare)).toMatchObject({ name: 'no events', eventCount: 0 });
  });

  it("resolves a child's parent that arrives in a later batch, both ways", async () => {
    const project = await server.newProject();
    const key = uniqueKey('late-parent');
    await ingest(server.url, project.ingest, {
      events: [ev(key, { id: 'child', parentId: 'parent', type: 'TOOL_CALL', timestamp: t(2_000) })],
    });
    const before = await readExisting(server.url, project, key);
    expect(eventsOf(before).map((e) => [e.key, e.parent, e.children])).toEqual([['child', null, []]]);

    await ingest(server.url, project.ingest, {
      events: [ev(key, { id: 'parent', type: 'AGENT', timestamp: t(1_000) })],
    });
    const after = await readExisting(server.url, project, key);
    expect(eventsOf(after).map((e) => [e.key, e.parent?.key ?? null, e.children.map((c) => c.key)])).toEqual([
      ['parent', null, ['child']],
      ['child', 'parent', []],
    ]);
  });
});

describe('ingestBatch refused whole', () => {
  it('refuses more than SIGHTLINE_MAX_BATCH_EVENTS events with PAYLOAD_TOO_LARGE and writes nothing', async () => {
    const limited = await startServer({ SIGHTLINE_MAX_BATCH_EVENTS: '5' });
    try {
      const project = await limited.newProject();
      const key = uniqueKey('batch-limit');
      const six = Array.from({ length: 6 }, (_, i) => ev(key, { id: `six-${i}`, timestamp: t(i) }));
      const response = await request(limited.url, IngestBatch, { input: { events: six } }, { key: project.ingest });
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['PAYLOAD_TOO_LARGE']);
      expect(response.data?.ingestBatch ?? null).toBeNull();
      expect(await readSession(limited.url, project, key)).toBeNull();

      // The limit itself is allowed.
      const five = six.slice(0, 5);
      expect(await ingest(limited.url, project.ingest, { events: five })).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
      expect(keysOf(await readExisting(limited.url, project, key))).toEqual(five.map((e) => e.id));
    } finally {
      await limited.stop();
    }
  });

  describe('with SIGHTLINE_MAX_BODY_BYTES at 20,000', () => {
    let limited: TestServer;
    beforeAll(async () => {
      limited = await startServer({ SIGHTLINE_MAX_BODY_BYTES: '20000' });
    });
    afterAll(() => limited.stop());

    /** Four events of ~6 KB each: about 24 KB of body, over the limit; two of them fit. */
    const overLimit = (key: string) =>
      Array.from({ length: 4 }, (_, i) => ev(key, { id: `big-${i}`, timestamp: t(i), input: { text: 'b'.repeat(6000) } }));

    it('answers a body over the limit with HTTP 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
      const project = await limited.newProject();
      const key = uniqueKey('body-limit');
      const big = overLimit(key);
      const response = await request(limited.url, IngestBatch, { input: { events: big } }, { key: project.ingest });
      expect(response.status).toBe(413);
      expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['PAYLOAD_TOO_LARGE']);
      expect(await readSession(limited.url, project, key)).toBeNull();

      // A body under the limit goes through.
      const fits = big.slice(0, 2);
      expect(await ingest(limited.url, project.ingest, { events: fits })).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    });

    it('cuts off a streamed (chunked) body past the limit with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
      const project = await limited.newProject();
      const key = uniqueKey('chunked-limit');
      const body = Buffer.from(JSON.stringify({
        query: 'mutation IngestChunked($input: IngestBatchInput!) { ingestBatch(input: $input) { accepted } }',
        variables: { input: { events: overLimit(key) } },
      }));
      // No content-length: the size is known only by counting what arrives.
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        let answered = false;
        const req = httpRequest(`${limited.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${project.ingest}` },
        }, (res) => {
          answered = true;
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
          res.on('error', reject);
        });
        // The server drops the connection after answering: a write failing after the answer is expected.
        req.on('error', (error) => answered || reject(error));
        let offset = 0;
        const writeNext = () => {
          if (answered) return;
          if (offset >= body.length) return void req.end();
          const chunk = body.subarray(offset, offset + 4096);
          offset += chunk.length;
          req.write(chunk, () => setImmediate(writeNext));
        };
        writeNext();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['PAYLOAD_TOO_LARGE']);
      expect(await readSession(limited.url, project, key)).toBeNull();
    });
  });

  it('answers a malformed JSON body with a 4xx error, never a 5xx, and writes nothing', async () => {
    const project = await server.newProject();
    const key = uniqueKey('malformed-json');
    const body = JSON.stringify({
      query: 'mutation IngestRaw($input: IngestBatchInput!) { ingestBatch(input: $input) { accepted } }',
      variables: { input: { events: [ev(key, { id: 'raw' })] } },
    });
    for (const text of [body.slice(0, -7), `${body}}`, 'not json at all']) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${project.ingest}` },
        body: text,
      });
      const answer = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
      expect(response.status).toBe(400);
      expect(answer.errors?.length).toBe(1);
      expect(answer.errors?.[0]?.message).toMatch(/json/i);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await readSession(server.url, project, key)).toBeNull();
  });

  it('answers a wrong content type or an unacceptable Accept with a JSON error body, not an empty one', async () => {
    const project = await server.newProject();
    const refusals: { status: number; init: RequestInit }[] = [
      { status: 415, init: { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${project.ingest}` }, body: '{}' } },
      { status: 406, init: { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/html', authorization: `Bearer ${project.read}` }, body: JSON.stringify({ query: '{ viewer { project { name } } }' }) } },
    ];
    for (const { status, init } of refusals) {
      const response = await fetch(`${server.url}/graphql`, init);
      expect(response.status).toBe(status);
      const answer = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(answer.errors[0]!.message.length).toBeGreaterThan(10);
      expect(answer.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a subscription over HTTP, pointing to the WebSocket endpoint', async () => {
    const project = await server.newProject();
    for (const accept of ['application/json', 'text/event-stream']) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${project.read}` },
        body: JSON.stringify({ query: 'subscription { sessionTimeline(key: "k") { __typename } }' }),
      });
      const text = await response.text();
      expect(text, accept).toMatch(/subscriptions are served over WebSocket/);
      expect(text, accept).toMatch(/BAD_USER_INPUT/);
    }
  });

  it.each([
    ['a string for promptTokens', 'promptTokens', '12', 'input.events[1].promptTokens'],
    ['a number for id', 'id', 42, 'input.events[1].id'],
  ])('refuses %s whole with BAD_USER_INPUT naming the path', async (_label, field, value, path) => {
    const project = await server.newProject();
    const key = uniqueKey('wrong-type');
    const variables = {
      input: { events: [ev(key, { id: 'valid-sibling' }), { ...ev(key, { type: 'LLM_CALL' }), [field]: value }] },
    } as unknown as IngestBatchMutationVariables; // deliberately outside the schema's types
    const errors = await executeError(server.url, IngestBatch, variables, { key: project.ingest }, 'BAD_USER_INPUT');
    expect(errors.some((error) => error.message.includes(path))).toBe(true);
    expect(await readSession(server.url, project, key)).toBeNull();
  });
});

describe('startSession and endSession', () => {
  it('generates a key when none is given', async () => {
    const project = await server.newProject();
    const before = Date.now() * 1000;
    const { startSession: first } = await execute(server.url, IngestStartSession, { input: {} }, { key: project.ingest });
    const { startSession: second } = await execute(server.url, IngestStartSession, { input: { name: 'n' } }, { key: project.ingest });
    const after = Date.now() * 1000;

    expect(first.key.length).toBeGreaterThan(0);
    expect(second.key).not.toBe(first.key);
    expect(first).toMatchObject({ status: 'RUNNING', name: null, tags: [], endedAt: null, lastEventAt: null, durationMs: null, eventCount: 0 });
    // Without startedAt the session starts now (a millisecond of slack for clock rounding).
    expect(micros(first.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(micros(first.startedAt)).toBeLessThanOrEqual(after + 1000);
    const stored = await readExisting(server.url, project, first.key);
    expect(stored.id).toBe(first.id);
    expect((await readExisting(server.url, project, second.key)).name).toBe('n');
  });

  it('returns an existing key unchanged', async () => {
    const project = await server.newProject();
    const key = uniqueKey('start-existing');
    const input = {
      key,
      name: 'original',
      agentName: 'planner',
      tags: ['one'],
      metadata: { v: 1 },
      startedAt: '2025-06-01T08:00:00.000007+02:00',
    };
    const { startSession: created } = await execute(server.url, IngestStartSession, { input }, { key: project.ingest });
    expect(created).toMatchObject({
      key,
      name: 'original',
      agent: { name: 'planner' },
      tags: ['one'],
      metadata: { v: 1 },
      startedAt: '2025-06-01T06:00:00.000007Z',
      status: 'RUNNING',
    });

    const { startSession: again } = await execute(
      server.url,
      IngestStartSession,
      { input: { key, name: 'other', agentName: 'other-agent', tags: ['two'], metadata: { v: 2, w: 3 }, startedAt: t(0) } },
      { key: project.ingest },
    );
    expect(again).toEqual(created);
    expect(await readExisting(server.url, project, key)).toMatchObject({
      id: created.id,
      name: 'original',
      agent: { name: 'planner' },
      tags: ['one'],
      metadata: { v: 1 },
      startedAt: '2025-06-01T06:00:00.000007Z',
    });
  });

  it('ends by key: status and endedAt set, the same status again is a no-op, another status is refused', async () => {
    const project = await server.newProject();
    const key = uniqueKey('end-by-key');
    await execute(server.url, IngestStartSession, { input: { key, startedAt: t(0) } }, { key: project.ingest });
    await ingest(server.url, project.ingest, { events: [ev(key, { timestamp: t(1_500_250) })] });

    // While running, the duration runs to the last event.
    const running = await readExisting(server.url, project, key);
    expect(running.status).toBe('RUNNING');
    expect(running.durationMs).toBeCloseTo(1_500.25, 6);

    const { endSession: ended } = await execute(
      server.url,
      IngestEndSession,
      { input: { key, status: 'SUCCEEDED', endedAt: t(5_000_001) } },
      { key: project.ingest },
    );
    expect(ended).toMatchObject({ key, status: 'SUCCEEDED', startedAt: t(0), endedAt: t(5_000_001), lastEventAt: t(1_500_250) });
    expect(ended.durationMs).toBeCloseTo(5_000.001, 6);

    const { endSession: repeated } = await execute(
      server.url,
      IngestEndSession,
      { input: { key, status: 'SUCCEEDED', endedAt: t(9_000_000) } },
      { key: project.ingest },
    );
    expect(repeated).toEqual(ended);

    await executeError(server.url, IngestEndSession, { input: { key, status: 'FAILED' } }, { key: project.ingest }, 'BAD_USER_INPUT');
    expect(await readExisting(server.url, project, key)).toMatchObject({ status: 'SUCCEEDED', endedAt: t(5_000_001) });
  });

  it('ends by global id, at the server clock when endedAt is omitted', async () => {
    const project = await server.newProject();
    const { startSession: started } = await execute(server.url, IngestStartSession, { input: {} }, { key: project.ingest });
    const before = Date.now() * 1000;
    const { endSession: ended } = await execute(
      server.url,
      IngestEndSession,
      { input: { id: started.id, status: 'CANCELLED' } },
      { key: project.ingest },
    );
    const after = Date.now() * 1000;
    expect(ended).toMatchObject({ id: started.id, key: started.key, status: 'CANCELLED', startedAt: started.startedAt });
    const endedUs = micros(ended.endedAt!);
    expect(endedUs).toBeGreaterThanOrEqual(before - 1000);
    expect(endedUs).toBeLessThanOrEqual(after + 1000);
    expect(ended.durationMs).toBeCloseTo((endedUs - micros(started.startedAt)) / 1000, 6);
    expect(await readExisting(server.url, project, started.key)).toMatchObject({ status: 'CANCELLED', endedAt: ended.endedAt });
  });

  it('refuses RUNNING, a missing or doubled session reference, and names NOT_FOUND for unknown sessions', async () => {
    const project = await server.newProject();
    const key = uniqueKey('end-refused');
    const { startSession: started } = await execute(server.url, IngestStartSession, { input: { key } }, { key: project.ingest });
    const refused = (input: EndSessionInput, code: string) =>
      executeError(server.url, IngestEndSession, { input }, { key: project.ingest }, code);

    await refused({ key, status: 'RUNNING' }, 'BAD_USER_INPUT');
    await refused({ key, status: 'TIMED_OUT' }, 'BAD_USER_INPUT');
    await refused({ status: 'SUCCEEDED' }, 'BAD_USER_INPUT');
    await refused({ id: started.id, key, status: 'SUCCEEDED' }, 'BAD_USER_INPUT');
    await refused({ key: uniqueKey('unknown'), status: 'SUCCEEDED' }, 'NOT_FOUND');

    // None of the refusals touched the session.
    expect(await readExisting(server.url, project, key)).toMatchObject({ status: 'RUNNING', endedAt: null });
  });
});
