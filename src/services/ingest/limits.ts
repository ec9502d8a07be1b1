/** Bounds on what a client may send, shared by validation and documented in README. */
export const MAX_KEY_LENGTH = 200; // event ids, session keys, parent ids
export const MAX_NAME_LENGTH = 1000; // session names
/**
 * Event names: analytics reads them from the events' analytics index (topTools and feedback group
 * by name), and PostgreSQL refuses an index entry over 2704 bytes. 500 UTF-16 units are at most
 * 1500 bytes of UTF-8, which with a 200-unit model (600) and the other columns stays under it.
 */
export const MAX_EVENT_NAME_LENGTH = 500;
export const MAX_LABEL_LENGTH = 200; // model, errorType, agent names, tags
export const MAX_TAGS = 100;
/** Before this the timestamp is surely a unit or clock bug (seconds taken as milliseconds, say). */
export const EARLIEST_TIMESTAMP_US = Date.UTC(2000, 0, 1) * 1000;
/** How far ahead of the server's clock a client clock may be. */
export const MAX_CLOCK_AHEAD_US = 24 * 3600 * 1_000_000;
/** Longest duration of one event: a year. More is a unit mistake, and would overflow sums. */
export const MAX_DURATION_MS = 365 * 24 * 3600 * 1000;
/** Highest cost of one event, in US dollars. More is a unit mistake, and would overflow sums. */
export const MAX_COST_USD = 1_000_000;
/** Session counters are 32-bit (GraphQL Int): they stop at this value rather than wrap or fail. */
export const MAX_COUNTER = 2_147_483_647;
