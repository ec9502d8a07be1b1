/**
 * The live bus: small "something changed" messages between writers and watchers. In one process
 * through yoga's pubsub; with REDIS_URL, also through Redis to every other instance.
 *
 * Messages are ticks, not data: they say which session moved and to which ingest sequence, and a
 * watcher reads what it has not seen from the database. So a tick delivered twice, late or merged
 * with another costs a query, never a duplicate or a gap, which is what lets each instance hear
 * its own ticks at once (not after a Redis round trip) and keep serving its own writes while
 * Redis is away. Watchers that depend on other instances are told when Redis goes (see onDegraded).
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.js';

/** A session was written: its ingest high-water mark, and whether its row (status, counters) changed. */
export interface SessionTick {
  projectId: number;
  sessionId: number;
  sessionKey: string;
  seq: number;
}

export interface Topics {
  /** Keyed by `${projectId}/${sessionKey}`, so a watcher can wait for a session that does not exist yet. */
  session: SessionTick;
  /** Keyed by project id: every session tick of the project, for session lists. */
  project: SessionTick;
  /** Keyed by API key id. */
  revoked: { apiKeyId: number };
}

type Channels = { [K in keyof Topics]: [key: string, payload: Topics[K]] };
const CHANNEL_PREFIX = 'sightline:';

interface Envelope {
  origin: string;
  topic: keyof Topics;
  key: string;
  payload: unknown;
}

/**
 * Every watcher listens on this target, a thousand of them on one topic when a thousand sockets
 * use one API key; Node's default of 10 listeners per event before a "possible memory leak"
 * warning is meant for emitters with a few listeners.
 */
function unboundedEventTarget(): EventTarget {
  const target = new EventTarget();
  setMaxListeners(Infinity, target);
  return target;
}

export class LiveBus {
  private readonly local = createPubSub<Channels>({ eventTarget: unboundedEventTarget() });
  private readonly origin = randomUUID();
  private readonly degradedListeners = new Set<(reason: string) => void>();
  private publisher?: Redis;
  private subscriber?: Redis;
  private connected = false;
  private lastPublishErrorLog = 0;

  constructor(private readonly logger: Logger) {}

  /** Connects to Redis for fan-out across instances; resolves once connected or found unreachable. */
  async connectRedis(url: string): Promise<void> {
    // No offline queue on the publisher: while Redis is away a publish fails at once, and ingest,
    // which never waits for it, is unaffected. The subscriber reconnects and resubscribes itself.
    const { Redis } = await import('ioredis'); // loaded only when used, as in rate-limiter.ts
    this.publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    this.subscriber = new Redis(url, { lazyConnect: true });
    this.publisher.on('error', () => {}); // reported through failed publishes, rate-limited
    this.subscriber.on('error', (error) => this.logger.debug({ err: error }, 'redis subscriber error'));
    this.subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    const channels = (['session', 'project', 'revoked'] as const).map((topic) => CHANNEL_PREFIX + topic);
    this.subscriber.on('ready', () => {
      this.subscriber!.subscribe(...channels).then(
        () => {
          if (!this.connected) this.logger.info('live fan-out through redis is up');
          this.connected = true;
        },
        (error: unknown) => this.logger.warn({ err: error }, 'could not subscribe to redis'),
      );
    });
    this.subscriber.on('close', () => {
      if (!this.connected) return;
      this.connected = false;
      this.logger.warn('lost redis: watchers of other instances\' writes are being told to resume');
      for (const listener of this.degradedListeners) listener('live updates from other instances were interrupted (Redis unreachable); resubscribe with your last cursor');
    });
    // Redis down at start does not stop the server: ingest needs none of it, and both clients
    // keep reconnecting; watchers are served from this instance's writes meanwhile.
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'redis unreachable at start; live fan-out across instances waits for it'),
    );
  }

  /** Whether messages from other instances can arrive: true without Redis (there are none). */
  get healthy(): boolean {
    return this.subscriber === undefined || this.connected;
  }

  publish<K extends keyof Topics>(topic: K, key: string, payload: Topics[K]): void {
    this.local.publish(topic, key as never, payload as never);
    if (!this.publisher) return;
    const envelope: Envelope = { origin: this.origin, topic, key, payload };
    this.publisher.publish(CHANNEL_PREFIX + topic, JSON.stringify(envelope)).catch((error: unknown) => {
      const now = Date.now();
      if (now - this.lastPublishErrorLog > 10_000) {
        this.lastPublishErrorLog = now;
        this.logger.warn({ err: error }, 'could not publish to redis; other instances miss live updates until it is back');
      }
    });
  }

  subscribe<K extends keyof Topics>(topic: K, key: string): AsyncIterableIterator<Topics[K]> {
    const subscribeByKey = this.local.subscribe as (topic: K, key: string) => AsyncIterableIterator<Topics[K]>;
    return subscribeByKey.call(this.local, topic, key);
  }

  /** Called when messages from other instances stop arriving; returns an unsubscribe function. */
  onDegraded(listener: (reason: string) => void): () => void {
    this.degradedListeners.add(listener);
    return () => this.degradedListeners.delete(listener);
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.origin === this.origin) return; // delivered locally when published
    this.local.publish(envelope.topic, envelope.key as never, envelope.payload as never);
  }

  async close(): Promise<void> {
    this.degradedListeners.clear();
    this.connected = false;
    await Promise.all([this.publisher?.quit().catch(() => {}), this.subscriber?.quit().catch(() => {})]);
  }
}

export const sessionTopicKey = (projectId: number, sessionKey: string) => `${projectId}/${sessionKey}`;

/** Announces committed writes: call only after the transaction that made them committed. */
export function announceSessions(bus: LiveBus, projectId: number, sessions: { id: number; key: string; seq: number }[]): void {
  for (const session of sessions) {
    const tick: SessionTick = { projectId, sessionId: session.id, sessionKey: session.key, seq: session.seq };
    bus.publish('session', sessionTopicKey(projectId, session.key), tick);
    bus.publish('project', String(projectId), tick);
  }
}
