/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SdkIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n": typeof types.SdkIngestBatchDocument,
    "\n  mutation SdkEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n": typeof types.SdkEndSessionDocument,
    "\n  fragment SdkWatchedEvent on Event {\n    id\n    key\n    type\n    name\n    timestamp\n    durationMs\n    receivedAt\n    status\n    input\n    output\n    metadata\n    model\n    promptTokens\n    completionTokens\n    costUsd\n    errorMessage\n    errorType\n    parent { key }\n  }\n": typeof types.SdkWatchedEventFragmentDoc,
    "\n  fragment SdkWatchedSession on Session {\n    id\n    key\n    name\n    status\n    tags\n    metadata\n    agent { name }\n    startedAt\n    endedAt\n    lastEventAt\n    durationMs\n    eventCount\n    errorCount\n    promptTokens\n    completionTokens\n    costUsd\n  }\n": typeof types.SdkWatchedSessionFragmentDoc,
    "\n  subscription SdkSessionTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { ...SdkWatchedEvent }\n      }\n      ... on SessionChanged {\n        session { ...SdkWatchedSession }\n      }\n    }\n  }\n": typeof types.SdkSessionTimelineDocument,
    "\n  query SdkWatchSnapshot($key: String!, $first: Int!, $after: String) {\n    session(key: $key) {\n      timelineCursor\n      events(first: $first, after: $after) {\n        edges { node { ...SdkWatchedEvent } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.SdkWatchSnapshotDocument,
};
const documents: Documents = {
    "\n  mutation SdkIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n": types.SdkIngestBatchDocument,
    "\n  mutation SdkEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n": types.SdkEndSessionDocument,
    "\n  fragment SdkWatchedEvent on Event {\n    id\n    key\n    type\n    name\n    timestamp\n    durationMs\n    receivedAt\n    status\n    input\n    output\n    metadata\n    model\n    promptTokens\n    completionTokens\n    costUsd\n    errorMessage\n    errorType\n    parent { key }\n  }\n": types.SdkWatchedEventFragmentDoc,
    "\n  fragment SdkWatchedSession on Session {\n    id\n    key\n    name\n    status\n    tags\n    metadata\n    agent { name }\n    startedAt\n    endedAt\n    lastEventAt\n    durationMs\n    eventCount\n    errorCount\n    promptTokens\n    completionTokens\n    costUsd\n  }\n": types.SdkWatchedSessionFragmentDoc,
    "\n  subscription SdkSessionTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { ...SdkWatchedEvent }\n      }\n      ... on SessionChanged {\n        session { ...SdkWatchedSession }\n      }\n    }\n  }\n": types.SdkSessionTimelineDocument,
    "\n  query SdkWatchSnapshot($key: String!, $first: Int!, $after: String) {\n    session(key: $key) {\n      timelineCursor\n      events(first: $first, after: $after) {\n        edges { node { ...SdkWatchedEvent } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.SdkWatchSnapshotDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SdkIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n"): typeof import('./graphql.js').SdkIngestBatchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SdkEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n"): typeof import('./graphql.js').SdkEndSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SdkWatchedEvent on Event {\n    id\n    key\n    type\n    name\n    timestamp\n    durationMs\n    receivedAt\n    status\n    input\n    output\n    metadata\n    model\n    promptTokens\n    completionTokens\n    costUsd\n    errorMessage\n    errorType\n    parent { key }\n  }\n"): typeof import('./graphql.js').SdkWatchedEventFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SdkWatchedSession on Session {\n    id\n    key\n    name\n    status\n    tags\n    metadata\n    agent { name }\n    startedAt\n    endedAt\n    lastEventAt\n    durationMs\n    eventCount\n    errorCount\n    promptTokens\n    completionTokens\n    costUsd\n  }\n"): typeof import('./graphql.js').SdkWatchedSessionFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SdkSessionTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { ...SdkWatchedEvent }\n      }\n      ... on SessionChanged {\n        session { ...SdkWatchedSession }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SdkSessionTimelineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkWatchSnapshot($key: String!, $first: Int!, $after: String) {\n    session(key: $key) {\n      timelineCursor\n      events(first: $first, after: $after) {\n        edges { node { ...SdkWatchedEvent } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql.js').SdkWatchSnapshotDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
