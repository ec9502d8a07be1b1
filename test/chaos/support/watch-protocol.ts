/**
 * What the soak test and its watcher process (`watchers.ts`) say to each other. The watchers
 * follow the load workers' slots: a slot's sessions are `<slot>-g0`, `<slot>-g1`, … (see
 * load-protocol.ts), each ended before the next begins.
 */

export interface WatchSlot {
  /** The slot's session key prefix: sessions are `<prefix>-g<generation>`; also its tag. */
  prefix: string;
  agentName: string;
}

export interface WatchFleetConfig {
  url: string;
  readKey: string;
  slots: WatchSlot[];
  /** sessionTimeline watchers per slot, each on a socket of its own. */
  timelinePerSlot: number;
  /** sessionsFeed watchers, each on a socket of its own, each with one filter. */
  feeds: FeedSpec[];
  reportPath: string;
}

/** A feed filter the watcher can check each message against. */
export type FeedSpec = { tag: string } | { agentName: string } | { all: true };

/** The final state of a session as the database holds it, for the feeds to converge on. */
export interface FinalState {
  key: string;
  status: string;
  eventCount: number;
  tags: string[];
  agentName: string | null;
}

export type FleetControl = { type: 'subscribe' } | { type: 'finish'; finals: FinalState[]; timeoutMs: number };

export type FleetMessage =
  | { type: 'connected'; sockets: number }
  | { type: 'subscribed'; subscriptions: number }
  | { type: 'done'; reportPath: string }
  | { type: 'failed'; error: string };

export interface FleetReport {
  sockets: number;
  /** Frames received (data messages), all subscriptions together. */
  frames: number;
  /** Every error: sink errors, unexpected closes or completions, messages that break the contract. */
  problems: string[];
  /**
   * Per session key, the event keys the timeline watchers saw, from position `offset` of its
   * timeline (0 unless the session existed before the watchers came), and how many watchers saw
   * the whole of it, up to its end.
   */
  timelines: { key: string; offset: number; events: string[]; watchers: number; completed: number }[];
  /** Feeds whose last message for some session never showed its final state. */
  feedsNotConverged: string[];
}
