/**
 * After the storm: reads everything a project holds back through GraphQL (every session, every
 * event of each, page by page) and holds it against what the load workers produced. A problem
 * is anything that breaks the ingest guarantees; the figures say how much was at stake.
 *
 * - every event the server acknowledged (the SDK's, all of them once `shutdown()` settled; the
 *   raw worker's acknowledged batches) is stored, with its session, timestamp and figures;
 * - nothing is stored twice (counted by client event id) and nothing stored was never sent;
 * - each session's counters equal a recount of its stored events, and its timeline is in
 *   timestamp order;
 * - sessions end with the status they were given; no session appears from nowhere.
 */
import { graphql } from '../../generated/gql.js';
import type { ChaosAuditSessionQuery, ChaosAuditSessionsQuery } from '../../generated/graphql.js';
import { execute } from '../../helpers/execute.js';
import type { ProducedEvent, WorkerReport } from './load-protocol.js';

const ChaosAuditSessions = graphql(`
  query ChaosAuditSessions($after: String) {
    sessions(first: 500, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { key } }
    }
  }
`);

const ChaosAuditSession = graphql(`
  query ChaosAuditSession($key: String!, $after: String) {
    session(key: $key) {
      key
      status
      eventCount
      errorCount
      promptTokens
      completionTokens
      costUsd
      events(first: 1000, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { key timestamp status promptTokens completionTokens costUsd } }
      }
    }
  }
`);

type AuditedSession = NonNullable<ChaosAuditSessionQuery['session']>;
export type StoredEvent = AuditedSession['events']['edges'][number]['node'];
export interface StoredSession extends Omit<AuditedSession, 'events'> {
  totalCount: number;
  events: StoredEvent[];
}

/** Every session of the project, with all its events in timeline order. */
export async function readProject(url: string, readKey: string): Promise<Map<string, StoredSession>> {
  const keys: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { sessions }: ChaosAuditSessionsQuery = await execute(url, ChaosAuditSessions, { after }, { key: readKey });
    keys.push(...sessions.edges.map((edge) => edge.node.key));
    if (!sessions.pageInfo.hasNextPage) break;
    after = sessions.pageInfo.endCursor ?? null;
  }
  const stored = new Map<string, StoredSession>();
  // A few at a time: the server shares two cores with everything else of the test.
  for (let i = 0; i < keys.length; i += 4) {
    const sessions = await Promise.all(keys.slice(i, i + 4).map((key) => readSession(url, readKey, key)));
    for (const session of sessions) stored.set(session.key, session);
  }
  return stored;
}

export async function readSession(url: string, readKey: string, key: string): Promise<StoredSession> {
  const events: StoredEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const { session }: ChaosAuditSessionQuery = await execute(url, ChaosAuditSession, { key, after }, { key: readKey });
    if (!session) throw new Error(`session ${key} is listed but cannot be read`);
    events.push(...session.events.edges.map((edge) => edge.node));
    if (!session.events.pageInfo.hasNextPage) {
      const { events: _page, ...counters } = session;
      return { ...counters, totalCount: session.events.totalCount, events };
    }
    after = session.events.pageInfo.endCursor ?? null;
  }
}

/** RFC 3339 UTC with six fractional digits, as the server answers, from microseconds. */
export function isoMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

export interface AuditFigures {
  produced: number;
  acknowledged: number;
  stored: number;
  /** Acknowledged (or SDK-tracked) events missing from the database. */
  lost: number;
  /** Stored more than once (by client event id). */
  storedTwice: number;
  /** Stored but never produced by any worker. */
  phantom: number;
  sessions: number;
  /** raw: batches given up on while in doubt, their events, and how many of those were committed. */
  inDoubtBatches: number;
  inDoubtEvents: number;
  inDoubtStored: number;
  /** In-doubt batches found partly committed (some events stored, others not). */
  inDoubtPartial: number;
  /** Events sent again after a lost answer and found already stored (dedup by event id at work). */
  resentDeduplicated: number;
  /** Failed attempts seen by the workers (SDK retries + raw failures). */
  retries: number;
}

const closeEnough = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** The stored data held against the workers' reports: problems (should be none) and figures. */
export function audit(reports: WorkerReport[], stored: Map<string, StoredSession>): { problems: string[]; figures: AuditFigures } {
  const problems: string[] = [];
  const problem = (message: string) => {
    if (problems.length < 40) problems.push(message);
    else if (problems.length === 40) problems.push('… and more');
  };
  const producedById = new Map<string, { event: ProducedEvent; report: WorkerReport }>();
  for (const report of reports) for (const event of report.events) producedById.set(event.id, { event, report });

  // Stored events: each once, each produced, each where and when it was sent.
  const seen = new Map<string, number>();
  let storedEvents = 0;
  for (const session of stored.values()) {
    let previous = '';
    let recount = { events: 0, errors: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
    for (const event of session.events) {
      storedEvents++;
      seen.set(event.key, (seen.get(event.key) ?? 0) + 1);
      recount = {
        events: recount.events + 1,
        errors: recount.errors + (event.status === 'ERROR' ? 1 : 0),
        promptTokens: recount.promptTokens + (event.promptTokens ?? 0),
        completionTokens: recount.completionTokens + (event.completionTokens ?? 0),
        costUsd: recount.costUsd + (event.costUsd ?? 0),
      };
      if (event.timestamp <= previous) problem(`session ${session.key}: timeline out of order at ${event.key} (${event.timestamp} after ${previous})`);
      previous = event.timestamp;
      const origin = producedById.get(event.key);
      if (!origin) {
        problem(`session ${session.key}: stored event ${event.key} was never sent`);
        continue;
      }
      const sent = origin.event;
      if (sent.session !== session.key) problem(`event ${event.key} stored in ${session.key}, sent in ${sent.session}`);
      if (event.timestamp !== isoMicros(sent.t)) problem(`event ${event.key}: timestamp ${event.timestamp}, sent ${isoMicros(sent.t)}`);
      if ((event.promptTokens ?? 0) !== sent.promptTokens || (event.completionTokens ?? 0) !== sent.completionTokens || !closeEnough(event.costUsd ?? 0, sent.costUsd)) {
        problem(`event ${event.key}: figures ${JSON.stringify([event.promptTokens, event.completionTokens, event.costUsd])}, sent ${JSON.stringify([sent.promptTokens, sent.completionTokens, sent.costUsd])}`);
      }
      if ((event.status === 'ERROR') !== sent.error) problem(`event ${event.key}: status ${event.status}, sent ${sent.error ? 'ERROR' : 'OK'}`);
    }
    const counters = { events: session.eventCount, errors: session.errorCount, promptTokens: session.promptTokens, completionTokens: session.completionTokens };
    const recounted = { events: recount.events, errors: recount.errors, promptTokens: recount.promptTokens, completionTokens: recount.completionTokens };
    if (JSON.stringify(counters) !== JSON.stringify(recounted) || session.totalCount !== recount.events || !closeEnough(session.costUsd, recount.costUsd)) {
      problem(`session ${session.key}: counters ${JSON.stringify({ ...counters, costUsd: session.costUsd, totalCount: session.totalCount })} but a recount gives ${JSON.stringify({ ...recounted, costUsd: recount.costUsd })}`);
    }
  }
  const storedTwice = [...seen.values()].filter((count) => count > 1).length;
  for (const [key, count] of seen) if (count > 1) problem(`event ${key} is stored ${count} times`);
  const phantom = [...seen.keys()].filter((key) => !producedById.has(key)).length;

  // Produced events: nothing acknowledged is missing.
  let acknowledged = 0;
  let lost = 0;
  let inDoubtBatches = 0;
  let inDoubtEvents = 0;
  let inDoubtStored = 0;
  let inDoubtPartial = 0;
  let resentDeduplicated = 0;
  let retries = 0;
  const knownSessions = new Set<string>();
  for (const report of reports) {
    for (const session of report.sessions) {
      knownSessions.add(session.key);
      const found = stored.get(session.key);
      if (found && found.status !== session.status) problem(`session ${session.key}: status ${found.status}, ${report.name} gave it ${session.status}`);
    }
    if (report.sdk) {
      const { stats, shutdownSettled, errors } = report.sdk;
      retries += stats.retries ?? 0;
      resentDeduplicated += stats.duplicates ?? 0;
      if (!shutdownSettled) problem(`${report.name}: shutdown() did not settle everything`);
      if (errors.length > 0) problem(`${report.name}: onError was told ${JSON.stringify(errors.slice(0, 5))}`);
      const expectations = { tracked: report.events.length, dropped: 0, rejected: 0, buffered: 0, inFlight: 0 };
      for (const [name, value] of Object.entries(expectations)) {
        if (stats[name] !== value) problem(`${report.name}: stats.${name} is ${stats[name]}, expected ${value}`);
      }
      if ((stats.sent ?? 0) + (stats.duplicates ?? 0) !== report.events.length) {
        problem(`${report.name}: sent ${stats.sent} + duplicates ${stats.duplicates} != tracked ${report.events.length}`);
      }
      // The SDK settled everything: every tracked event was acknowledged.
      for (const event of report.events) {
        acknowledged++;
        if (!seen.has(event.id)) {
          lost++;
          problem(`${report.name}: tracked event ${event.id} (session ${event.session}) is not stored`);
        }
      }
    }
    if (report.raw) {
      const { batches, failures, anomalies } = report.raw;
      retries += Object.values(failures).reduce((sum, count) => sum + count, 0);
      for (const anomaly of anomalies) problem(`${report.name}: ${anomaly}`);
      const storedPerBatch = new Map<number, number>();
      for (const event of report.events) {
        if (event.batch === undefined) continue;
        if (seen.has(event.id)) storedPerBatch.set(event.batch, (storedPerBatch.get(event.batch) ?? 0) + 1);
        const batch = batches[event.batch]!;
        if (batch.outcome === 'acked') {
          acknowledged++;
          if (!seen.has(event.id)) {
            lost++;
            problem(`${report.name}: acknowledged event ${event.id} (batch ${event.batch}, session ${event.session}) is not stored`);
          }
        }
      }
      batches.forEach((batch, index) => {
        if (batch.outcome === 'unsent') problem(`${report.name}: batch ${index} was never settled`);
        if (batch.outcome === 'acked') resentDeduplicated += batch.duplicates ?? 0;
        if (batch.outcome === 'abandoned') {
          const found = storedPerBatch.get(index) ?? 0;
          inDoubtBatches++;
          inDoubtEvents += batch.size;
          inDoubtStored += found;
          if (found > 0 && found < batch.size) inDoubtPartial++;
        }
      });
      if (report.events.some((event) => event.batch === undefined)) problem(`${report.name}: events left unsent at the end`);
    }
  }
  for (const key of stored.keys()) if (!knownSessions.has(key)) problem(`session ${key} is stored but no worker wrote it`);

  return {
    problems,
    figures: {
      produced: producedById.size,
      acknowledged,
      stored: storedEvents,
      lost,
      storedTwice,
      phantom,
      sessions: stored.size,
      inDoubtBatches,
      inDoubtEvents,
      inDoubtStored,
      inDoubtPartial,
      resentDeduplicated,
      retries,
    },
  };
}
