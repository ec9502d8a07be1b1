/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  query AuthViewer {\n    viewer {\n      role\n      project { id name }\n      apiKey { id name role prefix lastUsedAt }\n    }\n  }\n": typeof types.AuthViewerDocument,
    "\n  query AuthNode($id: ID!) {\n    node(id: $id) {\n      id\n      __typename\n    }\n  }\n": typeof types.AuthNodeDocument,
    "\n  query AuthSessionByKey($key: String!) {\n    session(key: $key) {\n      id\n      key\n      status\n      eventCount\n      agent { id name }\n      events(first: 10) {\n        totalCount\n        edges { node { id key input } }\n      }\n    }\n  }\n": typeof types.AuthSessionByKeyDocument,
    "\n  query AuthSessionById($id: ID!) {\n    session(id: $id) { id key }\n  }\n": typeof types.AuthSessionByIdDocument,
    "\n  query AuthSessions($after: String) {\n    sessions(first: 50, after: $after) {\n      totalCount\n      edges { node { id key } }\n    }\n  }\n": typeof types.AuthSessionsDocument,
    "\n  query AuthSessionsWithCursor {\n    sessions(first: 1) {\n      edges { cursor }\n    }\n  }\n": typeof types.AuthSessionsWithCursorDocument,
    "\n  query AuthSessionEvents($key: String!, $after: String, $before: String) {\n    session(key: $key) {\n      events(first: 10, after: $after, before: $before) {\n        totalCount\n        edges { cursor node { key } }\n      }\n    }\n  }\n": typeof types.AuthSessionEventsDocument,
    "\n  query AuthAgents {\n    agents { id name }\n  }\n": typeof types.AuthAgentsDocument,
    "\n  query AuthApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      agent { id name }\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": typeof types.AuthApiKeysDocument,
    "\n  mutation AuthStartSession($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id\n      key\n      status\n      agent { name }\n    }\n  }\n": typeof types.AuthStartSessionDocument,
    "\n  mutation AuthStartSessionWithEvents($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id\n      events { totalCount edges { node { id input } } }\n    }\n  }\n": typeof types.AuthStartSessionWithEventsDocument,
    "\n  mutation AuthEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { id key status }\n  }\n": typeof types.AuthEndSessionDocument,
    "\n  mutation AuthIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n": typeof types.AuthIngestBatchDocument,
    "\n  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n        role\n        prefix\n        agent { id name }\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n": typeof types.AuthCreateApiKeyDocument,
    "\n  mutation AuthRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id name revokedAt }\n  }\n": typeof types.AuthRevokeApiKeyDocument,
    "\n  query AuthRootFields {\n    __schema {\n      queryType { fields { name } }\n      mutationType { fields { name } }\n    }\n  }\n": typeof types.AuthRootFieldsDocument,
    "\n  query CliViewer {\n    viewer {\n      role\n      project { name }\n      apiKey { id name prefix agent { name } }\n    }\n  }\n": typeof types.CliViewerDocument,
    "\n  query CliApiKeys {\n    apiKeys { id name role prefix lastUsedAt revokedAt }\n  }\n": typeof types.CliApiKeysDocument,
    "\n  mutation CliStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { key agent { name } }\n  }\n": typeof types.CliStartSessionDocument,
    "\n  mutation IngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n": typeof types.IngestBatchDocument,
    "\n  query IngestSession($key: String!) {\n    session(key: $key) {\n      id key name status tags metadata\n      agent { name }\n      startedAt endedAt lastEventAt durationMs\n      eventCount errorCount promptTokens completionTokens costUsd\n      events(first: 1000) {\n        totalCount\n        edges {\n          node {\n            key type name timestamp status durationMs input metadata model\n            promptTokens completionTokens costUsd errorMessage\n            session { key }\n            parent { key }\n            children { key }\n          }\n        }\n      }\n    }\n  }\n": typeof types.IngestSessionDocument,
    "\n  mutation IngestStartSession($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id key name status tags metadata\n      agent { name }\n      startedAt endedAt lastEventAt durationMs eventCount\n    }\n  }\n": typeof types.IngestStartSessionDocument,
    "\n  mutation IngestEndSession($input: EndSessionInput!) {\n    endSession(input: $input) {\n      id key status startedAt endedAt lastEventAt durationMs\n    }\n  }\n": typeof types.IngestEndSessionDocument,
    "\n  mutation LifecycleIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n": typeof types.LifecycleIngestDocument,
    "\n  query LifecycleSessionEvents($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      eventCount\n      errorCount\n      promptTokens\n      completionTokens\n      costUsd\n      events(first: 500, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { key type } }\n      }\n    }\n  }\n": typeof types.LifecycleSessionEventsDocument,
    "\n  query LifecycleTotals {\n    sessions(first: 500) {\n      totalCount\n      edges { node { key } }\n    }\n  }\n": typeof types.LifecycleTotalsDocument,
    "\n  query LifecycleViewer {\n    viewer { role project { name } }\n  }\n": typeof types.LifecycleViewerDocument,
    "\n  query LifecycleApiKeys {\n    apiKeys { id name role revokedAt }\n  }\n": typeof types.LifecycleApiKeysDocument,
    "\n  mutation LifecycleCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n": typeof types.LifecycleCreateApiKeyDocument,
    "\n  mutation ReadStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { id key startedAt }\n  }\n": typeof types.ReadStartSessionDocument,
    "\n  mutation ReadEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { id status endedAt }\n  }\n": typeof types.ReadEndSessionDocument,
    "\n  mutation ReadIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": typeof types.ReadIngestBatchDocument,
    "\n  query ReadSessionsPage($first: Int, $after: String) {\n    sessions(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { id key startedAt } }\n    }\n  }\n": typeof types.ReadSessionsPageDocument,
    "\n  query ReadTimelinePage($key: String!, $filter: EventFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    session(key: $key) {\n      events(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n        edges { cursor node { key type name status timestamp } }\n      }\n    }\n  }\n": typeof types.ReadTimelinePageDocument,
    "\n  fragment ReadSessionFields on Session {\n    id key name status tags metadata startedAt endedAt lastEventAt durationMs\n    eventCount errorCount promptTokens completionTokens costUsd timelineCursor\n    agent { id name }\n  }\n": typeof types.ReadSessionFieldsFragmentDoc,
    "\n  query ReadSessionLookup($id: ID, $key: String) {\n    session(id: $id, key: $key) { ...ReadSessionFields }\n  }\n": typeof types.ReadSessionLookupDocument,
    "\n  query ReadSessionsFull($first: Int) {\n    sessions(first: $first) { edges { node { ...ReadSessionFields } } }\n  }\n": typeof types.ReadSessionsFullDocument,
    "\n  query ReadNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Project { projectName: name }\n      ... on Agent { agentName: name sessionCount }\n      ... on ApiKey { keyName: name role prefix }\n      ... on Session { key sessionName: name }\n      ... on Event { key type session { key } }\n    }\n  }\n": typeof types.ReadNodeDocument,
    "\n  query ReadEventDetails($key: String!) {\n    session(key: $key) {\n      id\n      events(first: 100) {\n        edges {\n          node {\n            id key type name timestamp durationMs receivedAt status input output metadata model\n            promptTokens completionTokens costUsd errorMessage errorType\n            session { id key }\n            parent { id key }\n            children { key }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ReadEventDetailsDocument,
    "\n  query ReadViewerIds {\n    viewer { project { id name } apiKey { id name } }\n  }\n": typeof types.ReadViewerIdsDocument,
    "\n  query ReadAgents {\n    agents { id name createdAt sessionCount }\n  }\n": typeof types.ReadAgentsDocument,
    "\n  query ReadApiKeys {\n    apiKeys { id name role prefix agent { name } createdAt lastUsedAt revokedAt }\n  }\n": typeof types.ReadApiKeysDocument,
    "\n  mutation ReadCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id name role prefix } }\n  }\n": typeof types.ReadCreateApiKeyDocument,
    "\n  mutation ReadRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.ReadRevokeApiKeyDocument,
    "\n  query SeedSessions($after: String) {\n    sessions(first: 20, after: $after, orderBy: { field: STARTED_AT, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key name tags metadata agent { name } eventCount startedAt\n        events(first: 100) { edges { node { key type name timestamp parent { key } model promptTokens costUsd status } } } } }\n    }\n  }\n": typeof types.SeedSessionsDocument,
    "\n  mutation SessionsQueryIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": typeof types.SessionsQueryIngestDocument,
    "\n  mutation SessionsQueryStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key }\n  }\n": typeof types.SessionsQueryStartDocument,
    "\n  mutation SessionsQueryEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id status }\n  }\n": typeof types.SessionsQueryEndDocument,
    "\n  query SessionsQueryList($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { key } }\n    }\n  }\n": typeof types.SessionsQueryListDocument,
    "\n  query SessionsQueryValues {\n    sessions(first: 500) {\n      edges { node { key startedAt lastEventAt durationMs costUsd eventCount } }\n    }\n  }\n": typeof types.SessionsQueryValuesDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      project { id name createdAt }\n      apiKey { id name role prefix revokedAt }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query WebsocketViewer {\n    viewer { role project { name } }\n  }\n": typeof types.WebsocketViewerDocument,
    "\n  mutation WebsocketCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n": typeof types.WebsocketCreateApiKeyDocument,
};
const documents: Documents = {
    "\n  query AuthViewer {\n    viewer {\n      role\n      project { id name }\n      apiKey { id name role prefix lastUsedAt }\n    }\n  }\n": types.AuthViewerDocument,
    "\n  query AuthNode($id: ID!) {\n    node(id: $id) {\n      id\n      __typename\n    }\n  }\n": types.AuthNodeDocument,
    "\n  query AuthSessionByKey($key: String!) {\n    session(key: $key) {\n      id\n      key\n      status\n      eventCount\n      agent { id name }\n      events(first: 10) {\n        totalCount\n        edges { node { id key input } }\n      }\n    }\n  }\n": types.AuthSessionByKeyDocument,
    "\n  query AuthSessionById($id: ID!) {\n    session(id: $id) { id key }\n  }\n": types.AuthSessionByIdDocument,
    "\n  query AuthSessions($after: String) {\n    sessions(first: 50, after: $after) {\n      totalCount\n      edges { node { id key } }\n    }\n  }\n": types.AuthSessionsDocument,
    "\n  query AuthSessionsWithCursor {\n    sessions(first: 1) {\n      edges { cursor }\n    }\n  }\n": types.AuthSessionsWithCursorDocument,
    "\n  query AuthSessionEvents($key: String!, $after: String, $before: String) {\n    session(key: $key) {\n      events(first: 10, after: $after, before: $before) {\n        totalCount\n        edges { cursor node { key } }\n      }\n    }\n  }\n": types.AuthSessionEventsDocument,
    "\n  query AuthAgents {\n    agents { id name }\n  }\n": types.AuthAgentsDocument,
    "\n  query AuthApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      agent { id name }\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n": types.AuthApiKeysDocument,
    "\n  mutation AuthStartSession($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id\n      key\n      status\n      agent { name }\n    }\n  }\n": types.AuthStartSessionDocument,
    "\n  mutation AuthStartSessionWithEvents($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id\n      events { totalCount edges { node { id input } } }\n    }\n  }\n": types.AuthStartSessionWithEventsDocument,
    "\n  mutation AuthEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { id key status }\n  }\n": types.AuthEndSessionDocument,
    "\n  mutation AuthIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n": types.AuthIngestBatchDocument,
    "\n  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n        role\n        prefix\n        agent { id name }\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n": types.AuthCreateApiKeyDocument,
    "\n  mutation AuthRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id name revokedAt }\n  }\n": types.AuthRevokeApiKeyDocument,
    "\n  query AuthRootFields {\n    __schema {\n      queryType { fields { name } }\n      mutationType { fields { name } }\n    }\n  }\n": types.AuthRootFieldsDocument,
    "\n  query CliViewer {\n    viewer {\n      role\n      project { name }\n      apiKey { id name prefix agent { name } }\n    }\n  }\n": types.CliViewerDocument,
    "\n  query CliApiKeys {\n    apiKeys { id name role prefix lastUsedAt revokedAt }\n  }\n": types.CliApiKeysDocument,
    "\n  mutation CliStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { key agent { name } }\n  }\n": types.CliStartSessionDocument,
    "\n  mutation IngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n": types.IngestBatchDocument,
    "\n  query IngestSession($key: String!) {\n    session(key: $key) {\n      id key name status tags metadata\n      agent { name }\n      startedAt endedAt lastEventAt durationMs\n      eventCount errorCount promptTokens completionTokens costUsd\n      events(first: 1000) {\n        totalCount\n        edges {\n          node {\n            key type name timestamp status durationMs input metadata model\n            promptTokens completionTokens costUsd errorMessage\n            session { key }\n            parent { key }\n            children { key }\n          }\n        }\n      }\n    }\n  }\n": types.IngestSessionDocument,
    "\n  mutation IngestStartSession($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id key name status tags metadata\n      agent { name }\n      startedAt endedAt lastEventAt durationMs eventCount\n    }\n  }\n": types.IngestStartSessionDocument,
    "\n  mutation IngestEndSession($input: EndSessionInput!) {\n    endSession(input: $input) {\n      id key status startedAt endedAt lastEventAt durationMs\n    }\n  }\n": types.IngestEndSessionDocument,
    "\n  mutation LifecycleIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n": types.LifecycleIngestDocument,
    "\n  query LifecycleSessionEvents($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      eventCount\n      errorCount\n      promptTokens\n      completionTokens\n      costUsd\n      events(first: 500, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { key type } }\n      }\n    }\n  }\n": types.LifecycleSessionEventsDocument,
    "\n  query LifecycleTotals {\n    sessions(first: 500) {\n      totalCount\n      edges { node { key } }\n    }\n  }\n": types.LifecycleTotalsDocument,
    "\n  query LifecycleViewer {\n    viewer { role project { name } }\n  }\n": types.LifecycleViewerDocument,
    "\n  query LifecycleApiKeys {\n    apiKeys { id name role revokedAt }\n  }\n": types.LifecycleApiKeysDocument,
    "\n  mutation LifecycleCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n": types.LifecycleCreateApiKeyDocument,
    "\n  mutation ReadStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { id key startedAt }\n  }\n": types.ReadStartSessionDocument,
    "\n  mutation ReadEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { id status endedAt }\n  }\n": types.ReadEndSessionDocument,
    "\n  mutation ReadIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": types.ReadIngestBatchDocument,
    "\n  query ReadSessionsPage($first: Int, $after: String) {\n    sessions(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { id key startedAt } }\n    }\n  }\n": types.ReadSessionsPageDocument,
    "\n  query ReadTimelinePage($key: String!, $filter: EventFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    session(key: $key) {\n      events(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n        edges { cursor node { key type name status timestamp } }\n      }\n    }\n  }\n": types.ReadTimelinePageDocument,
    "\n  fragment ReadSessionFields on Session {\n    id key name status tags metadata startedAt endedAt lastEventAt durationMs\n    eventCount errorCount promptTokens completionTokens costUsd timelineCursor\n    agent { id name }\n  }\n": types.ReadSessionFieldsFragmentDoc,
    "\n  query ReadSessionLookup($id: ID, $key: String) {\n    session(id: $id, key: $key) { ...ReadSessionFields }\n  }\n": types.ReadSessionLookupDocument,
    "\n  query ReadSessionsFull($first: Int) {\n    sessions(first: $first) { edges { node { ...ReadSessionFields } } }\n  }\n": types.ReadSessionsFullDocument,
    "\n  query ReadNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Project { projectName: name }\n      ... on Agent { agentName: name sessionCount }\n      ... on ApiKey { keyName: name role prefix }\n      ... on Session { key sessionName: name }\n      ... on Event { key type session { key } }\n    }\n  }\n": types.ReadNodeDocument,
    "\n  query ReadEventDetails($key: String!) {\n    session(key: $key) {\n      id\n      events(first: 100) {\n        edges {\n          node {\n            id key type name timestamp durationMs receivedAt status input output metadata model\n            promptTokens completionTokens costUsd errorMessage errorType\n            session { id key }\n            parent { id key }\n            children { key }\n          }\n        }\n      }\n    }\n  }\n": types.ReadEventDetailsDocument,
    "\n  query ReadViewerIds {\n    viewer { project { id name } apiKey { id name } }\n  }\n": types.ReadViewerIdsDocument,
    "\n  query ReadAgents {\n    agents { id name createdAt sessionCount }\n  }\n": types.ReadAgentsDocument,
    "\n  query ReadApiKeys {\n    apiKeys { id name role prefix agent { name } createdAt lastUsedAt revokedAt }\n  }\n": types.ReadApiKeysDocument,
    "\n  mutation ReadCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id name role prefix } }\n  }\n": types.ReadCreateApiKeyDocument,
    "\n  mutation ReadRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.ReadRevokeApiKeyDocument,
    "\n  query SeedSessions($after: String) {\n    sessions(first: 20, after: $after, orderBy: { field: STARTED_AT, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key name tags metadata agent { name } eventCount startedAt\n        events(first: 100) { edges { node { key type name timestamp parent { key } model promptTokens costUsd status } } } } }\n    }\n  }\n": types.SeedSessionsDocument,
    "\n  mutation SessionsQueryIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": types.SessionsQueryIngestDocument,
    "\n  mutation SessionsQueryStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key }\n  }\n": types.SessionsQueryStartDocument,
    "\n  mutation SessionsQueryEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id status }\n  }\n": types.SessionsQueryEndDocument,
    "\n  query SessionsQueryList($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { key } }\n    }\n  }\n": types.SessionsQueryListDocument,
    "\n  query SessionsQueryValues {\n    sessions(first: 500) {\n      edges { node { key startedAt lastEventAt durationMs costUsd eventCount } }\n    }\n  }\n": types.SessionsQueryValuesDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      project { id name createdAt }\n      apiKey { id name role prefix revokedAt }\n    }\n  }\n": types.ViewerDocument,
    "\n  query WebsocketViewer {\n    viewer { role project { name } }\n  }\n": types.WebsocketViewerDocument,
    "\n  mutation WebsocketCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n": types.WebsocketCreateApiKeyDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthViewer {\n    viewer {\n      role\n      project { id name }\n      apiKey { id name role prefix lastUsedAt }\n    }\n  }\n"): (typeof documents)["\n  query AuthViewer {\n    viewer {\n      role\n      project { id name }\n      apiKey { id name role prefix lastUsedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthNode($id: ID!) {\n    node(id: $id) {\n      id\n      __typename\n    }\n  }\n"): (typeof documents)["\n  query AuthNode($id: ID!) {\n    node(id: $id) {\n      id\n      __typename\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthSessionByKey($key: String!) {\n    session(key: $key) {\n      id\n      key\n      status\n      eventCount\n      agent { id name }\n      events(first: 10) {\n        totalCount\n        edges { node { id key input } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuthSessionByKey($key: String!) {\n    session(key: $key) {\n      id\n      key\n      status\n      eventCount\n      agent { id name }\n      events(first: 10) {\n        totalCount\n        edges { node { id key input } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthSessionById($id: ID!) {\n    session(id: $id) { id key }\n  }\n"): (typeof documents)["\n  query AuthSessionById($id: ID!) {\n    session(id: $id) { id key }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthSessions($after: String) {\n    sessions(first: 50, after: $after) {\n      totalCount\n      edges { node { id key } }\n    }\n  }\n"): (typeof documents)["\n  query AuthSessions($after: String) {\n    sessions(first: 50, after: $after) {\n      totalCount\n      edges { node { id key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthSessionsWithCursor {\n    sessions(first: 1) {\n      edges { cursor }\n    }\n  }\n"): (typeof documents)["\n  query AuthSessionsWithCursor {\n    sessions(first: 1) {\n      edges { cursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthSessionEvents($key: String!, $after: String, $before: String) {\n    session(key: $key) {\n      events(first: 10, after: $after, before: $before) {\n        totalCount\n        edges { cursor node { key } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuthSessionEvents($key: String!, $after: String, $before: String) {\n    session(key: $key) {\n      events(first: 10, after: $after, before: $before) {\n        totalCount\n        edges { cursor node { key } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthAgents {\n    agents { id name }\n  }\n"): (typeof documents)["\n  query AuthAgents {\n    agents { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      agent { id name }\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  query AuthApiKeys {\n    apiKeys {\n      id\n      name\n      role\n      prefix\n      agent { id name }\n      createdAt\n      lastUsedAt\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthStartSession($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id\n      key\n      status\n      agent { name }\n    }\n  }\n"): (typeof documents)["\n  mutation AuthStartSession($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id\n      key\n      status\n      agent { name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthStartSessionWithEvents($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id\n      events { totalCount edges { node { id input } } }\n    }\n  }\n"): (typeof documents)["\n  mutation AuthStartSessionWithEvents($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id\n      events { totalCount edges { node { id input } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { id key status }\n  }\n"): (typeof documents)["\n  mutation AuthEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { id key status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n"): (typeof documents)["\n  mutation AuthIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n        role\n        prefix\n        agent { id name }\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AuthCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      secret\n      apiKey {\n        id\n        name\n        role\n        prefix\n        agent { id name }\n        createdAt\n        lastUsedAt\n        revokedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AuthRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id name revokedAt }\n  }\n"): (typeof documents)["\n  mutation AuthRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id name revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuthRootFields {\n    __schema {\n      queryType { fields { name } }\n      mutationType { fields { name } }\n    }\n  }\n"): (typeof documents)["\n  query AuthRootFields {\n    __schema {\n      queryType { fields { name } }\n      mutationType { fields { name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliViewer {\n    viewer {\n      role\n      project { name }\n      apiKey { id name prefix agent { name } }\n    }\n  }\n"): (typeof documents)["\n  query CliViewer {\n    viewer {\n      role\n      project { name }\n      apiKey { id name prefix agent { name } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliApiKeys {\n    apiKeys { id name role prefix lastUsedAt revokedAt }\n  }\n"): (typeof documents)["\n  query CliApiKeys {\n    apiKeys { id name role prefix lastUsedAt revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { key agent { name } }\n  }\n"): (typeof documents)["\n  mutation CliStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { key agent { name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n"): (typeof documents)["\n  mutation IngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IngestSession($key: String!) {\n    session(key: $key) {\n      id key name status tags metadata\n      agent { name }\n      startedAt endedAt lastEventAt durationMs\n      eventCount errorCount promptTokens completionTokens costUsd\n      events(first: 1000) {\n        totalCount\n        edges {\n          node {\n            key type name timestamp status durationMs input metadata model\n            promptTokens completionTokens costUsd errorMessage\n            session { key }\n            parent { key }\n            children { key }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query IngestSession($key: String!) {\n    session(key: $key) {\n      id key name status tags metadata\n      agent { name }\n      startedAt endedAt lastEventAt durationMs\n      eventCount errorCount promptTokens completionTokens costUsd\n      events(first: 1000) {\n        totalCount\n        edges {\n          node {\n            key type name timestamp status durationMs input metadata model\n            promptTokens completionTokens costUsd errorMessage\n            session { key }\n            parent { key }\n            children { key }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestStartSession($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id key name status tags metadata\n      agent { name }\n      startedAt endedAt lastEventAt durationMs eventCount\n    }\n  }\n"): (typeof documents)["\n  mutation IngestStartSession($input: StartSessionInput!) {\n    startSession(input: $input) {\n      id key name status tags metadata\n      agent { name }\n      startedAt endedAt lastEventAt durationMs eventCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IngestEndSession($input: EndSessionInput!) {\n    endSession(input: $input) {\n      id key status startedAt endedAt lastEventAt durationMs\n    }\n  }\n"): (typeof documents)["\n  mutation IngestEndSession($input: EndSessionInput!) {\n    endSession(input: $input) {\n      id key status startedAt endedAt lastEventAt durationMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LifecycleIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n"): (typeof documents)["\n  mutation LifecycleIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index eventId code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LifecycleSessionEvents($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      eventCount\n      errorCount\n      promptTokens\n      completionTokens\n      costUsd\n      events(first: 500, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { key type } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LifecycleSessionEvents($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      eventCount\n      errorCount\n      promptTokens\n      completionTokens\n      costUsd\n      events(first: 500, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { key type } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LifecycleTotals {\n    sessions(first: 500) {\n      totalCount\n      edges { node { key } }\n    }\n  }\n"): (typeof documents)["\n  query LifecycleTotals {\n    sessions(first: 500) {\n      totalCount\n      edges { node { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LifecycleViewer {\n    viewer { role project { name } }\n  }\n"): (typeof documents)["\n  query LifecycleViewer {\n    viewer { role project { name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LifecycleApiKeys {\n    apiKeys { id name role revokedAt }\n  }\n"): (typeof documents)["\n  query LifecycleApiKeys {\n    apiKeys { id name role revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LifecycleCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n"): (typeof documents)["\n  mutation LifecycleCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReadStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { id key startedAt }\n  }\n"): (typeof documents)["\n  mutation ReadStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { id key startedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReadEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { id status endedAt }\n  }\n"): (typeof documents)["\n  mutation ReadEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { id status endedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReadIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"): (typeof documents)["\n  mutation ReadIngestBatch($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadSessionsPage($first: Int, $after: String) {\n    sessions(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { id key startedAt } }\n    }\n  }\n"): (typeof documents)["\n  query ReadSessionsPage($first: Int, $after: String) {\n    sessions(first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { id key startedAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadTimelinePage($key: String!, $filter: EventFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    session(key: $key) {\n      events(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n        edges { cursor node { key type name status timestamp } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReadTimelinePage($key: String!, $filter: EventFilter, $first: Int, $after: String, $last: Int, $before: String) {\n    session(key: $key) {\n      events(filter: $filter, first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n        edges { cursor node { key type name status timestamp } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReadSessionFields on Session {\n    id key name status tags metadata startedAt endedAt lastEventAt durationMs\n    eventCount errorCount promptTokens completionTokens costUsd timelineCursor\n    agent { id name }\n  }\n"): (typeof documents)["\n  fragment ReadSessionFields on Session {\n    id key name status tags metadata startedAt endedAt lastEventAt durationMs\n    eventCount errorCount promptTokens completionTokens costUsd timelineCursor\n    agent { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadSessionLookup($id: ID, $key: String) {\n    session(id: $id, key: $key) { ...ReadSessionFields }\n  }\n"): (typeof documents)["\n  query ReadSessionLookup($id: ID, $key: String) {\n    session(id: $id, key: $key) { ...ReadSessionFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadSessionsFull($first: Int) {\n    sessions(first: $first) { edges { node { ...ReadSessionFields } } }\n  }\n"): (typeof documents)["\n  query ReadSessionsFull($first: Int) {\n    sessions(first: $first) { edges { node { ...ReadSessionFields } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Project { projectName: name }\n      ... on Agent { agentName: name sessionCount }\n      ... on ApiKey { keyName: name role prefix }\n      ... on Session { key sessionName: name }\n      ... on Event { key type session { key } }\n    }\n  }\n"): (typeof documents)["\n  query ReadNode($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on Project { projectName: name }\n      ... on Agent { agentName: name sessionCount }\n      ... on ApiKey { keyName: name role prefix }\n      ... on Session { key sessionName: name }\n      ... on Event { key type session { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadEventDetails($key: String!) {\n    session(key: $key) {\n      id\n      events(first: 100) {\n        edges {\n          node {\n            id key type name timestamp durationMs receivedAt status input output metadata model\n            promptTokens completionTokens costUsd errorMessage errorType\n            session { id key }\n            parent { id key }\n            children { key }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReadEventDetails($key: String!) {\n    session(key: $key) {\n      id\n      events(first: 100) {\n        edges {\n          node {\n            id key type name timestamp durationMs receivedAt status input output metadata model\n            promptTokens completionTokens costUsd errorMessage errorType\n            session { id key }\n            parent { id key }\n            children { key }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadViewerIds {\n    viewer { project { id name } apiKey { id name } }\n  }\n"): (typeof documents)["\n  query ReadViewerIds {\n    viewer { project { id name } apiKey { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadAgents {\n    agents { id name createdAt sessionCount }\n  }\n"): (typeof documents)["\n  query ReadAgents {\n    agents { id name createdAt sessionCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadApiKeys {\n    apiKeys { id name role prefix agent { name } createdAt lastUsedAt revokedAt }\n  }\n"): (typeof documents)["\n  query ReadApiKeys {\n    apiKeys { id name role prefix agent { name } createdAt lastUsedAt revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReadCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id name role prefix } }\n  }\n"): (typeof documents)["\n  mutation ReadCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id name role prefix } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReadRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"): (typeof documents)["\n  mutation ReadRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SeedSessions($after: String) {\n    sessions(first: 20, after: $after, orderBy: { field: STARTED_AT, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key name tags metadata agent { name } eventCount startedAt\n        events(first: 100) { edges { node { key type name timestamp parent { key } model promptTokens costUsd status } } } } }\n    }\n  }\n"): (typeof documents)["\n  query SeedSessions($after: String) {\n    sessions(first: 20, after: $after, orderBy: { field: STARTED_AT, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key name tags metadata agent { name } eventCount startedAt\n        events(first: 100) { edges { node { key type name timestamp parent { key } model promptTokens costUsd status } } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SessionsQueryIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"): (typeof documents)["\n  mutation SessionsQueryIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SessionsQueryStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key }\n  }\n"): (typeof documents)["\n  mutation SessionsQueryStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SessionsQueryEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id status }\n  }\n"): (typeof documents)["\n  mutation SessionsQueryEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionsQueryList($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { key } }\n    }\n  }\n"): (typeof documents)["\n  query SessionsQueryList($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionsQueryValues {\n    sessions(first: 500) {\n      edges { node { key startedAt lastEventAt durationMs costUsd eventCount } }\n    }\n  }\n"): (typeof documents)["\n  query SessionsQueryValues {\n    sessions(first: 500) {\n      edges { node { key startedAt lastEventAt durationMs costUsd eventCount } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      role\n      project { id name createdAt }\n      apiKey { id name role prefix revokedAt }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      role\n      project { id name createdAt }\n      apiKey { id name role prefix revokedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebsocketViewer {\n    viewer { role project { name } }\n  }\n"): (typeof documents)["\n  query WebsocketViewer {\n    viewer { role project { name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebsocketCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n"): (typeof documents)["\n  mutation WebsocketCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;