/**
 * The Sightline SDK: `import { Tracker } from 'sightline/sdk'`.
 *
 * ```ts
 * const tracker = new Tracker({ apiKey: process.env.SIGHTLINE_KEY!, endpoint: 'http://127.0.0.1:4000' });
 * await tracker.withSession({ name: 'refund request' }, async (session) => {
 *   session.question('Where is my order?');
 *   await session.operation('plan', async (step) => {
 *     step.llmCall({ model: 'gpt-4o-mini', promptTokens: 420, completionTokens: 96, costUsd: 0.0004, durationMs: 812 });
 *   });
 *   session.answer('It ships tomorrow.');
 * });
 * await tracker.shutdown();
 * ```
 */
export { Tracker, Session, Operation } from './tracker.js';
export type {
  TrackerOptions, SessionOptions, RetryOptions, RetryInfo, TrackerStats, FlushOptions, ShutdownOptions,
} from './tracker.js';
export type {
  EventOptions, ToolCallOptions, DecisionOptions, LlmCallOptions, ErrorOptions, FeedbackOptions, LogOptions, LogLevel,
  OperationOptions, OperationScope, EventHelpers,
} from './recorder.js';
export type { TrackedEvent, EventFields, EventType, EventStatus, SessionStatus } from './events.js';
export { SightlineError } from './errors.js';
export type { SightlineErrorCode, EventRejection } from './errors.js';
export { watchSession } from './watch.js';
export type { WatchOptions, SessionWatch, TimelineUpdate, WatchedEvent, WatchedSession } from './watch.js';
export { newConversationId } from './ids.js';
export { formatMicros } from './clock.js';
