/**
 * Every operation the SDK sends, typed by GraphQL Code Generator (`src/sdk/generated/`, string
 * documents: the SDK needs no `graphql` runtime to send them).
 */
import { graphql } from './generated/gql.js';

export const IngestBatchDocument = graphql(`
  mutation SdkIngestBatch($input: IngestBatchInput!) {
    ingestBatch(input: $input) {
      accepted
      duplicates
      rejected { index eventId code message }
    }
  }
`);

export const EndSessionDocument = graphql(`
  mutation SdkEndSession($input: EndSessionInput!) {
    endSession(input: $input) { key status }
  }
`);

export const WatchedEventFragment = graphql(`
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
    parent { key }
  }
`);

export const WatchedSessionFragment = graphql(`
  fragment SdkWatchedSession on Session {
    id
    key
    name
    status
    tags
    metadata
    agent { name }
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
`);

export const SessionTimelineDocument = graphql(`
  subscription SdkSessionTimeline($key: String!, $after: String) {
    sessionTimeline(key: $key, after: $after) {
      __typename
      ... on EventAppended {
        cursor
        event { ...SdkWatchedEvent }
      }
      ... on SessionChanged {
        session { ...SdkWatchedSession }
      }
    }
  }
`);

/** Where a watch starts: the session's high-water mark, and (when catching up) its events so far. */
export const WatchSnapshotDocument = graphql(`
  query SdkWatchSnapshot($key: String!, $first: Int!, $after: String) {
    session(key: $key) {
      timelineCursor
      events(first: $first, after: $after) {
        edges { node { ...SdkWatchedEvent } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);
