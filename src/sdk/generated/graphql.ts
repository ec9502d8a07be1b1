/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type EndSessionInput = {
  endedAt?: string | null | undefined;
  /** Exactly one of id and key. */
  id?: string | number | null | undefined;
  key?: string | null | undefined;
  /** SUCCEEDED, FAILED or CANCELLED. */
  status: SessionStatus;
};

export type EventInput = {
  completionTokens?: number | null | undefined;
  costUsd?: number | null | undefined;
  durationMs?: number | null | undefined;
  errorMessage?: string | null | undefined;
  errorType?: string | null | undefined;
  /** Client-generated unique id (a UUID, say). An id already stored in the project is a duplicate: counted, not written again. */
  id: string;
  input?: unknown;
  metadata?: unknown;
  model?: string | null | undefined;
  name?: string | null | undefined;
  output?: unknown;
  /** Client id of the parent event; it may arrive in a later batch. */
  parentId?: string | null | undefined;
  promptTokens?: number | null | undefined;
  /** The session's key; an unknown key creates the session, started at its earliest event. */
  sessionKey: string;
  /** Defaults to ERROR for type ERROR, OK otherwise. */
  status?: EventStatus | null | undefined;
  timestamp: string;
  type: EventType;
};

export type EventStatus =
  | 'ERROR'
  | 'OK';

export type EventType =
  | 'ACTION'
  | 'AGENT'
  | 'ANSWER'
  | 'CUSTOM'
  | 'DECISION'
  | 'ERROR'
  | 'FEEDBACK'
  | 'LLM_CALL'
  | 'LOG'
  | 'OPERATION'
  | 'QUESTION'
  | 'TOOL_CALL';

export type IngestBatchInput = {
  /** At most 1000 events unless configured; a larger batch is refused whole (PAYLOAD_TOO_LARGE). */
  events: Array<EventInput>;
  sessions?: Array<SessionUpsertInput> | null | undefined;
};

export type SessionStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'RUNNING'
  | 'SUCCEEDED'
  /** Closed by the server after the idle timeout with no event (24 h unless configured). */
  | 'TIMED_OUT';

/**
 * A session named by key in a batch. Unknown keys are created (status RUNNING); for known ones,
 * given tags are added, given metadata keys are merged, and name/agent are set if still empty.
 */
export type SessionUpsertInput = {
  agentName?: string | null | undefined;
  key: string;
  metadata?: unknown;
  name?: string | null | undefined;
  startedAt?: string | null | undefined;
  tags?: Array<string> | null | undefined;
};

export type SdkIngestBatchMutationVariables = Exact<{
  input: IngestBatchInput;
}>;


export type SdkIngestBatchMutation = { ingestBatch: { accepted: number, duplicates: number, rejected: Array<{ index: number, eventId: string | null, code: string, message: string }> } };

export type SdkEndSessionMutationVariables = Exact<{
  input: EndSessionInput;
}>;


export type SdkEndSessionMutation = { endSession: { key: string, status: SessionStatus } };

export type SdkWatchedEventFragment = { id: string, key: string, type: EventType, name: string | null, timestamp: string, durationMs: number | null, receivedAt: string, status: EventStatus, input: unknown, output: unknown, metadata: unknown, model: string | null, promptTokens: number | null, completionTokens: number | null, costUsd: number | null, errorMessage: string | null, errorType: string | null, parent: { key: string } | null };

export type SdkWatchedSessionFragment = { id: string, key: string, name: string | null, status: SessionStatus, tags: Array<string>, metadata: unknown, startedAt: string, endedAt: string | null, lastEventAt: string | null, durationMs: number | null, eventCount: number, errorCount: number, promptTokens: number, completionTokens: number, costUsd: number, agent: { name: string } | null };

export type SdkSessionTimelineSubscriptionVariables = Exact<{
  key: string;
  after?: string | null | undefined;
}>;


export type SdkSessionTimelineSubscription = { sessionTimeline:
    | { __typename: 'EventAppended', cursor: string, event: { id: string, key: string, type: EventType, name: string | null, timestamp: string, durationMs: number | null, receivedAt: string, status: EventStatus, input: unknown, output: unknown, metadata: unknown, model: string | null, promptTokens: number | null, completionTokens: number | null, costUsd: number | null, errorMessage: string | null, errorType: string | null, parent: { key: string } | null } }
    | { __typename: 'SessionChanged', session: { id: string, key: string, name: string | null, status: SessionStatus, tags: Array<string>, metadata: unknown, startedAt: string, endedAt: string | null, lastEventAt: string | null, durationMs: number | null, eventCount: number, errorCount: number, promptTokens: number, completionTokens: number, costUsd: number, agent: { name: string } | null } }
   };

export type SdkWatchSnapshotQueryVariables = Exact<{
  key: string;
  first: number;
  after?: string | null | undefined;
}>;


export type SdkWatchSnapshotQuery = { session: { timelineCursor: string, events: { edges: Array<{ node: { id: string, key: string, type: EventType, name: string | null, timestamp: string, durationMs: number | null, receivedAt: string, status: EventStatus, input: unknown, output: unknown, metadata: unknown, model: string | null, promptTokens: number | null, completionTokens: number | null, costUsd: number | null, errorMessage: string | null, errorType: string | null, parent: { key: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const SdkWatchedEventFragmentDoc = new TypedDocumentString(`
    fragment SdkWatchedEvent on Event {
  id
  key
  type
  name
  timestamp
  durationMs
  receivedAt
  status
  input
  output
  metadata
  model
  promptTokens
  completionTokens
  costUsd
  errorMessage
  errorType
  parent {
    key
  }
}
    `, {"fragmentName":"SdkWatchedEvent"}) as unknown as TypedDocumentString<SdkWatchedEventFragment, unknown>;
export const SdkWatchedSessionFragmentDoc = new TypedDocumentString(`
    fragment SdkWatchedSession on Session {
  id
  key
  name
  status
  tags
  metadata
  agent {
    name
  }
  startedAt
  endedAt
  lastEventAt
  durationMs
  eventCount
  errorCount
  promptTokens
  completionTokens
  costUsd
}
    `, {"fragmentName":"SdkWatchedSession"}) as unknown as TypedDocumentString<SdkWatchedSessionFragment, unknown>;
export const SdkIngestBatchDocument = new TypedDocumentString(`
    mutation SdkIngestBatch($input: IngestBatchInput!) {
  ingestBatch(input: $input) {
    accepted
    duplicates
    rejected {
      index
      eventId
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<SdkIngestBatchMutation, SdkIngestBatchMutationVariables>;
export const SdkEndSessionDocument = new TypedDocumentString(`
    mutation SdkEndSession($input: EndSessionInput!) {
  endSession(input: $input) {
    key
    status
  }
}
    `) as unknown as TypedDocumentString<SdkEndSessionMutation, SdkEndSessionMutationVariables>;
export const SdkSessionTimelineDocument = new TypedDocumentString(`
    subscription SdkSessionTimeline($key: String!, $after: String) {
  sessionTimeline(key: $key, after: $after) {
    __typename
    ... on EventAppended {
      cursor
      event {
        ...SdkWatchedEvent
      }
    }
    ... on SessionChanged {
      session {
        ...SdkWatchedSession
      }
    }
  }
}
    fragment SdkWatchedEvent on Event {
  id
  key
  type
  name
  timestamp
  durationMs
  receivedAt
  status
  input
  output
  metadata
  model
  promptTokens
  completionTokens
  costUsd
  errorMessage
  errorType
  parent {
    key
  }
}
fragment SdkWatchedSession on Session {
  id
  key
  name
  status
  tags
  metadata
  agent {
    name
  }
  startedAt
  endedAt
  lastEventAt
  durationMs
  eventCount
  errorCount
  promptTokens
  completionTokens
  costUsd
}`) as unknown as TypedDocumentString<SdkSessionTimelineSubscription, SdkSessionTimelineSubscriptionVariables>;
export const SdkWatchSnapshotDocument = new TypedDocumentString(`
    query SdkWatchSnapshot($key: String!, $first: Int!, $after: String) {
  session(key: $key) {
    timelineCursor
    events(first: $first, after: $after) {
      edges {
        node {
          ...SdkWatchedEvent
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment SdkWatchedEvent on Event {
  id
  key
  type
  name
  timestamp
  durationMs
  receivedAt
  status
  input
  output
  metadata
  model
  promptTokens
  completionTokens
  costUsd
  errorMessage
  errorType
  parent {
    key
  }
}`) as unknown as TypedDocumentString<SdkWatchSnapshotQuery, SdkWatchSnapshotQueryVariables>;