/**
 * Dashboards watching while the soak runs: hundreds of graphql-ws sockets in a process of their
 * own (so their work does not skew the test's latency figures), each holding a live subscription.
 *
 *   node --import tsx test/chaos/support/watchers.ts '<WatchFleetConfig JSON>'
 *
 * - Timeline watchers follow one slot of a load worker: `sessionTimeline` of its current session
 *   (the first one from its `timelineCursor`, the next ones by key, subscribed a generation
 *   ahead), until that session ends. Every watcher of a session must see the same events, in the
 *   same order, none twice, all of them by the time the session ends; the test then holds that
 *   sequence against the stored timeline.
 * - Feed watchers hold `sessionsFeed` with a filter; every message must match the filter, a
 *   session's counters must never go back, and at the end each feed's last message for every
 *   session must show its final state (the coalescing must not swallow the last change).
 * Anything else (an error, a socket closed, a subscription completed) is a problem.
 */
import { writeFileSync } from 'node:fs';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from '../../generated/gql.js';
import type { SoakFeedSubscription, SoakTimelineSubscription, SoakWatchCursorQuery } from '../../generated/graphql.js';
import { deferred, wsUrl } from '../../helpers/live.js';
import type { FeedSpec, FinalState, FleetControl, FleetMessage, FleetReport, WatchFleetConfig, WatchSlot } from './watch-protocol.js';

const SoakTimeline = graphql(`
  subscription SoakTimeline($key: String!, $after: String) {
    sessionTimeline(key: $key, after: $after) {
      __typename
      ... on EventAppended { cursor event { key } }
      ... on SessionChanged { session { key status eventCount } }
    }
  }
`);

const SoakFeed = graphql(`
  subscription SoakFeed($filter: SessionFilter) {
    sessionsFeed(filter: $filter) { session { key status eventCount tags agent { name } } }
  }
`);

const SoakWatchCursor = graphql(`
  query SoakWatchCursor($key: String!) {
    session(key: $key) { eventCount timelineCursor }
  }
`);

const config = JSON.parse(process.argv[2] ?? '{}') as WatchFleetConfig;
const timelineQuery = print(SoakTimeline);
const feedQuery = print(SoakFeed);
const problems: string[] = [];
let frames = 0;
let finishing = false;

function problem(message: string): void {
  if (problems.length < 100) problems.push(message);
}

let finished = false;
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});
function send(message: FleetMessage, then?: () => void): void {
  if (process.send) process.send(message, undefined, {}, () => then?.());
  else then?.();
}

/** One socket, acknowledged; an unexpected close is a problem. */
function connect(label: string): Promise<Client> {
  const acknowledged = deferred<Client>();
  const client: Client = createClient({
    url: wsUrl(config.url),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${config.readKey}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: (error) => acknowledged.reject(new Error(`${label}: ${String((error as { reason?: string }).reason ?? error)}`)),
    on: {
      connected: () => acknowledged.resolve(client),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        if (!finishing) problem(`${label}: socket closed ${code} ${String(reason)}`);
      },
    },
  });
  return acknowledged.promise;
}

// ------------------------------------------------------------------------------------- timelines

/** What the watchers of one session saw, position by position from `offset`. */
interface Reference {
  key: string;
  offset: number;
  events: string[];
  watchers: number;
  completed: number;
}
const references = new Map<string, Reference>();

function reference(key: string, offset: number): Reference {
  let found = references.get(key);
  if (!found) {
    found = { key, offset, events: [], watchers: 0, completed: 0 };
    references.set(key, found);
  }
  if (offset < found.offset) {
    problem(`${key}: a watcher started at ${offset}, before another at ${found.offset}`);
  }
  return found;
}

interface Following {
  key: string;
  offset: number;
  received: number;
  /** The latest eventCount a SessionChanged said, and whether the session has ended. */
  announced: number;
  ended: boolean;
  heard: boolean;
  done: boolean;
  stop: () => void;
}

const followings: Following[] = [];

class TimelineWatcher {
  private readonly generations = new Map<number, Following>();

  constructor(
    private readonly label: string,
    private readonly client: Client,
    private readonly slot: WatchSlot,
  ) {}

  follow(generation: number, after: string | null, offset: number): void {
    if (this.generations.has(generation)) return;
    const key = `${this.slot.prefix}-g${generation}`;
    const ref = reference(key, offset);
    ref.watchers++;
    const following: Following = { key, offset, received: 0, announced: 0, ended: false, heard: false, done: false, stop: () => {} };
    this.generations.set(generation, following);
    followings.push(following);
    following.stop = this.client.subscribe<SoakTimelineSubscription>(
      { query: timelineQuery, variables: { key, after } },
      {
        next: (result) => {
          frames++;
          if (result.errors?.length || !result.data) {
            problem(`${this.label} ${key}: ${JSON.stringify(result).slice(0, 300)}`);
            return;
          }
          if (!following.heard) {
            following.heard = true;
            // A generation ahead: the next session is watched long before its first event.
            this.follow(generation + 1, null, 0);
          }
          const update = result.data.sessionTimeline;
          if (update.__typename === 'EventAppended') {
            const position = following.received - (ref.offset - following.offset);
            if (position < ref.events.length) {
              if (ref.events[position] !== update.event.key) {
                problem(`${this.label} ${key}: at ${following.offset + following.received} got ${update.event.key}, another watcher got ${ref.events[position]}`);
              }
            } else if (position === ref.events.length) {
              ref.events.push(update.event.key);
            } else {
              problem(`${this.label} ${key}: position ${position} beyond what any watcher saw (${ref.events.length})`);
            }
            following.received++;
          } else if (update.__typename === 'SessionChanged') {
            const count = update.session.eventCount;
            if (count < following.announced) problem(`${this.label} ${key}: eventCount went back from ${following.announced} to ${count}`);
            following.announced = Math.max(following.announced, count);
            if (update.session.status !== 'RUNNING') following.ended = true;
          }
          this.settle(following, ref);
        },
        error: (error) => problem(`${this.label} ${key}: error ${JSON.stringify(error).slice(0, 300)}`),
        complete: () => {
          if (!following.done) problem(`${this.label} ${key}: completed by the server`);
        },
      },
    );
  }

  /** Done once the session ended and every event it counted was delivered. */
  settle(following: Following, ref: Reference): void {
    if (following.done || !following.ended) return;
    const delivered = following.offset + following.received;
    if (delivered > following.announced) problem(`${following.key}: ${delivered} events delivered, the session counts ${following.announced}`);
    if (delivered < following.announced) return;
    following.done = true;
    ref.completed++;
    following.stop();
    checkFinished();
  }
}

// ------------------------------------------------------------------------------------- feeds

interface Feed {
  label: string;
  spec: FeedSpec;
  last: Map<string, { status: string; eventCount: number }>;
}
const feeds: Feed[] = [];

function matches(spec: FeedSpec, session: { tags: string[]; agent: { name: string } | null }): boolean {
  if ('tag' in spec) return session.tags.includes(spec.tag);
  if ('agentName' in spec) return session.agent?.name === spec.agentName;
  return true;
}

function watchFeed(label: string, client: Client, spec: FeedSpec): void {
  const feed: Feed = { label, spec, last: new Map() };
  feeds.push(feed);
  const filter = 'tag' in spec ? { tagsAny: [spec.tag] } : 'agentName' in spec ? { agentNames: [spec.agentName] } : null;
  client.subscribe<SoakFeedSubscription>(
    { query: feedQuery, variables: { filter } },
    {
      next: (result) => {
        frames++;
        const session = result.data?.sessionsFeed.session;
        if (result.errors?.length || !session) {
          problem(`${label}: ${JSON.stringify(result).slice(0, 300)}`);
          return;
        }
        if (!matches(spec, session)) problem(`${label}: session ${session.key} (tags ${session.tags}, agent ${session.agent?.name}) does not match ${JSON.stringify(spec)}`);
        const previous = feed.last.get(session.key);
        if (previous && session.eventCount < previous.eventCount) {
          problem(`${label}: ${session.key} eventCount went back from ${previous.eventCount} to ${session.eventCount}`);
        }
        feed.last.set(session.key, { status: session.status, eventCount: session.eventCount });
        checkFinished();
      },
      error: (error) => problem(`${label}: error ${JSON.stringify(error).slice(0, 300)}`),
      complete: () => problem(`${label}: completed by the server`),
    },
  );
}

// ------------------------------------------------------------------------------------- main

let finals: FinalState[] | null = null;
const allSettled = deferred<void>();

function feedsNotConverged(): string[] {
  if (!finals) return ['no final states given'];
  const behind: string[] = [];
  for (const feed of feeds) {
    for (const final of finals) {
      if (!matches(feed.spec, { tags: final.tags, agent: final.agentName === null ? null : { name: final.agentName } })) continue;
      const last = feed.last.get(final.key);
      if (!last || last.status !== final.status || last.eventCount !== final.eventCount) {
        behind.push(`${feed.label}: ${final.key} last seen ${JSON.stringify(last ?? null)}, final ${final.status}/${final.eventCount}`);
      }
    }
  }
  return behind;
}

function checkFinished(): void {
  if (!finals) return;
  // Subscriptions that never heard anything are the generation after the last: never started.
  if (followings.some((following) => following.heard && !following.done)) return;
  if (feedsNotConverged().length > 0) return;
  allSettled.resolve();
}

async function main(): Promise<void> {
  const timelineClients: { client: Client; slot: WatchSlot; label: string }[] = [];
  const feedClients: { client: Client; spec: FeedSpec; label: string }[] = [];
  const plan: (() => Promise<void>)[] = [];
  config.slots.forEach((slot) => {
    for (let i = 0; i < config.timelinePerSlot; i++) {
      const label = `timeline ${slot.prefix}#${i}`;
      plan.push(async () => void timelineClients.push({ client: await connect(label), slot, label }));
    }
  });
  config.feeds.forEach((spec, i) => {
    const label = `feed#${i} ${JSON.stringify(spec)}`;
    plan.push(async () => void feedClients.push({ client: await connect(label), spec, label }));
  });
  // Fifty handshakes at a time: a login storm of 500 at once would only measure the storm.
  for (let i = 0; i < plan.length; i += 50) await Promise.all(plan.slice(i, i + 50).map((open) => open()));
  send({ type: 'connected', sockets: plan.length });

  const subscribe = deferred<void>();
  const finish = deferred<{ finals: FinalState[]; timeoutMs: number }>();
  process.on('message', (message: FleetControl) => {
    if (message.type === 'subscribe') subscribe.resolve();
    if (message.type === 'finish') finish.resolve(message);
  });
  await subscribe.promise;

  // The sessions exist (their load worker is ready): start each from its high-water mark.
  const cursors = new Map<string, { after: string; offset: number }>();
  for (const slot of config.slots) {
    const key = `${slot.prefix}-g0`;
    const response = await fetch(`${config.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.readKey}` },
      body: JSON.stringify({ query: print(SoakWatchCursor), variables: { key } }),
    });
    const body = (await response.json()) as { data?: SoakWatchCursorQuery };
    const session = body.data?.session;
    if (!session) throw new Error(`session ${key} does not exist when the watchers start: ${JSON.stringify(body).slice(0, 500)}`);
    cursors.set(slot.prefix, { after: session.timelineCursor, offset: session.eventCount });
  }
  for (const { client, slot, label } of timelineClients) {
    const { after, offset } = cursors.get(slot.prefix)!;
    const watcher = new TimelineWatcher(label, client, slot);
    watcher.follow(0, after, offset);
    watcher.follow(1, null, 0);
  }
  for (const { client, spec, label } of feedClients) watchFeed(label, client, spec);
  send({ type: 'subscribed', subscriptions: followings.length + feeds.length });

  const { finals: given, timeoutMs } = await finish.promise;
  finals = given;
  checkFinished();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([allSettled.promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  finishing = true;
  for (const following of followings) {
    if (following.heard && !following.done) {
      problem(`${following.key}: watcher saw ${following.offset + following.received} events, ${following.ended ? 'ended' : 'never saw the end'} (counted ${following.announced})`);
    }
  }
  const report: FleetReport = {
    sockets: plan.length,
    frames,
    problems,
    timelines: [...references.values()].filter((ref) => ref.events.length > 0 || ref.completed > 0),
    feedsNotConverged: feedsNotConverged().slice(0, 50),
  };
  writeFileSync(config.reportPath, JSON.stringify(report));
  await Promise.all([...timelineClients, ...feedClients].map(({ client }) => client.dispose()));
  finished = true;
  send({ type: 'done', reportPath: config.reportPath }, () => process.disconnect?.());
}

main().catch((error: unknown) => {
  finished = true;
  process.exitCode = 1;
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.disconnect?.());
});
