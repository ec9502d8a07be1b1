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
    "\n  query AbuseViewer {\n    viewer { role }\n  }\n": typeof types.AbuseViewerDocument,
    "\n  mutation AbuseIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code } }\n  }\n": typeof types.AbuseIngestDocument,
    "\n  query AbuseSession($key: String!) {\n    session(key: $key) { eventCount }\n  }\n": typeof types.AbuseSessionDocument,
    "\n  query AbuseCursor($key: String!) {\n    session(key: $key) { timelineCursor }\n  }\n": typeof types.AbuseCursorDocument,
    "\n  subscription AbuseTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { event { key } }\n    }\n  }\n": typeof types.AbuseTimelineDocument,
    "\n  mutation AnalyticsIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": typeof types.AnalyticsIngestDocument,
    "\n  mutation AnalyticsEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status durationMs }\n  }\n": typeof types.AnalyticsEndSessionDocument,
    "\n  fragment AnalyticsBreakdownFields on Breakdown { key sessions events errors tokens costUsd p95DurationMs }\n": typeof types.AnalyticsBreakdownFieldsFragmentDoc,
    "\n  fragment AnalyticsPercentileFields on Percentiles { avg p50 p90 p95 p99 max }\n": typeof types.AnalyticsPercentileFieldsFragmentDoc,
    "\n  query AnalyticsAll($filter: SessionFilter, $bucket: TimeBucket!) {\n    analytics(filter: $filter) {\n      sessions events errors errorRate promptTokens completionTokens costUsd\n      sessionDurationMs { ...AnalyticsPercentileFields }\n      llmLatencyMs { ...AnalyticsPercentileFields }\n      timeseries(bucket: $bucket) { start sessions events errors tokens costUsd }\n      byAgent { ...AnalyticsBreakdownFields }\n      byModel { ...AnalyticsBreakdownFields }\n      byEventType { ...AnalyticsBreakdownFields }\n      topTools { ...AnalyticsBreakdownFields }\n      feedback { ...AnalyticsBreakdownFields }\n    }\n  }\n": typeof types.AnalyticsAllDocument,
    "\n  query AnalyticsTotals($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions events errors errorRate promptTokens completionTokens costUsd\n      sessionDurationMs { max }\n    }\n  }\n": typeof types.AnalyticsTotalsDocument,
    "\n  query AnalyticsTimeseries($filter: SessionFilter, $bucket: TimeBucket!) {\n    analytics(filter: $filter) { timeseries(bucket: $bucket) { start sessions events errors tokens costUsd } }\n  }\n": typeof types.AnalyticsTimeseriesDocument,
    "\n  query AnalyticsTopTools($limit: Int) {\n    analytics { topTools(limit: $limit) { key events } }\n  }\n": typeof types.AnalyticsTopToolsDocument,
    "\n  query AnalyticsLatency($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      costUsd\n      llmLatencyMs { ...AnalyticsPercentileFields }\n      byEventType { key costUsd p95DurationMs }\n      timeseries(bucket: DAY) { costUsd }\n    }\n  }\n": typeof types.AnalyticsLatencyDocument,
    "\n  query AnalyticsByAgentKeys {\n    analytics { byAgent { key sessions } }\n  }\n": typeof types.AnalyticsByAgentKeysDocument,
    "\n  query AnalyticsSessionsList($filter: SessionFilter) {\n    sessions(filter: $filter, first: 500) {\n      totalCount\n      edges { node { key eventCount errorCount promptTokens completionTokens costUsd durationMs } }\n    }\n  }\n": typeof types.AnalyticsSessionsListDocument,
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
    "\n  mutation ChaosDependenciesIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code } }\n  }\n": typeof types.ChaosDependenciesIngestDocument,
    "\n  query ChaosDependenciesSession($key: String!) {\n    session(key: $key) { eventCount timelineCursor }\n  }\n": typeof types.ChaosDependenciesSessionDocument,
    "\n  subscription ChaosDependenciesTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key } }\n    }\n  }\n": typeof types.ChaosDependenciesTimelineDocument,
    "\n  query SoakSessions {\n    sessions(first: 50, orderBy: { field: STARTED_AT, direction: DESC }) {\n      totalCount\n      edges { node { key status eventCount errorCount costUsd durationMs tags agent { name } } }\n    }\n  }\n": typeof types.SoakSessionsDocument,
    "\n  query SoakTimelinePage($key: String!) {\n    session(key: $key) {\n      key\n      eventCount\n      events(last: 50) { edges { node { key type name timestamp status durationMs } } }\n    }\n  }\n": typeof types.SoakTimelinePageDocument,
    "\n  query SoakAnalytics($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions\n      events\n      errors\n      costUsd\n      errorRate\n      byEventType { key events }\n      byModel { key events costUsd }\n      llmLatencyMs { p50 p99 }\n    }\n  }\n": typeof types.SoakAnalyticsDocument,
    "\n  query ChaosAuditSessions($after: String) {\n    sessions(first: 500, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key } }\n    }\n  }\n": typeof types.ChaosAuditSessionsDocument,
    "\n  query ChaosAuditSession($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      status\n      eventCount\n      errorCount\n      promptTokens\n      completionTokens\n      costUsd\n      events(first: 1000, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { key timestamp status promptTokens completionTokens costUsd } }\n      }\n    }\n  }\n": typeof types.ChaosAuditSessionDocument,
    "\n  mutation ChaosRawIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": typeof types.ChaosRawIngestDocument,
    "\n  subscription SoakTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key } }\n      ... on SessionChanged { session { key status eventCount } }\n    }\n  }\n": typeof types.SoakTimelineDocument,
    "\n  subscription SoakFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) { session { key status eventCount tags agent { name } } }\n  }\n": typeof types.SoakFeedDocument,
    "\n  query SoakWatchCursor($key: String!) {\n    session(key: $key) { eventCount timelineCursor }\n  }\n": typeof types.SoakWatchCursorDocument,
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
    "\n  mutation LiveRedisIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n": typeof types.LiveRedisIngestDocument,
    "\n  mutation LiveRedisEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n": typeof types.LiveRedisEndSessionDocument,
    "\n  query LiveRedisSession($key: String!) {\n    session(key: $key) { timelineCursor }\n  }\n": typeof types.LiveRedisSessionDocument,
    "\n  subscription LiveRedisTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key }\n      }\n    }\n  }\n": typeof types.LiveRedisTimelineDocument,
    "\n  subscription LiveRedisFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) {\n      session { key status eventCount }\n    }\n  }\n": typeof types.LiveRedisFeedDocument,
    "\n  mutation LiveIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n": typeof types.LiveIngestDocument,
    "\n  mutation LiveEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n": typeof types.LiveEndSessionDocument,
    "\n  query LiveSession($key: String!) {\n    session(key: $key) { id key status eventCount timelineCursor lastEventAt endedAt }\n  }\n": typeof types.LiveSessionDocument,
    "\n  subscription LiveTimeline($id: ID, $key: String, $after: String) {\n    sessionTimeline(id: $id, key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key }\n      }\n      ... on SessionChanged {\n        session { key status eventCount errorCount promptTokens completionTokens costUsd endedAt }\n      }\n    }\n  }\n": typeof types.LiveTimelineDocument,
    "\n  subscription LiveTimelineLarge($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key input }\n      }\n    }\n  }\n": typeof types.LiveTimelineLargeDocument,
    "\n  subscription LiveFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) {\n      session { key status tags metadata agent { name } eventCount errorCount promptTokens }\n    }\n  }\n": typeof types.LiveFeedDocument,
    "\n  query LiveApiKeys {\n    apiKeys { id role revokedAt }\n  }\n": typeof types.LiveApiKeysDocument,
    "\n  mutation LiveRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.LiveRevokeApiKeyDocument,
    "\n  subscription LiveTimelineWithChildren($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key children { key } }\n      }\n      ... on SessionChanged {\n        session { key eventCount }\n      }\n    }\n  }\n": typeof types.LiveTimelineWithChildrenDocument,
    "\n  mutation QueryCountIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": typeof types.QueryCountIngestDocument,
    "\n  query QueryCountSessions($first: Int!) {\n    sessions(first: $first) {\n      edges {\n        node {\n          id key name agent { name } eventCount errorCount costUsd\n          events(first: 10) { totalCount edges { node { id type name timestamp } } }\n        }\n      }\n    }\n  }\n": typeof types.QueryCountSessionsDocument,
    "\n  query QueryCountAgents {\n    agents { name sessionCount }\n  }\n": typeof types.QueryCountAgentsDocument,
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
    "\n  query SdkPackageSessions {\n    sessions(orderBy: { field: STARTED_AT, direction: ASC }) {\n      edges { node { key name status eventCount errorCount tags agent { name } tree { depth event { type name } } } }\n    }\n  }\n": typeof types.SdkPackageSessionsDocument,
    "\n  query SdkPackageSession($key: String!) {\n    session(key: $key) {\n      status\n      eventCount\n      events(first: 10) { edges { node { type input output } } }\n    }\n  }\n": typeof types.SdkPackageSessionDocument,
    "\n  query SdkResilienceTimeline($key: String!, $after: String) {\n    session(key: $key) {\n      status\n      eventCount\n      events(first: 500, after: $after) {\n        edges { node { key name } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.SdkResilienceTimelineDocument,
    "\n  query SdkTestTimeline($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      name\n      status\n      tags\n      metadata\n      startedAt\n      endedAt\n      eventCount\n      errorCount\n      agent { name }\n      events(first: 500, after: $after) {\n        edges {\n          node {\n            key type name timestamp durationMs status input output metadata\n            model promptTokens completionTokens costUsd errorMessage errorType\n            parent { key }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.SdkTestTimelineDocument,
    "\n  query SdkTestTree($key: String!) {\n    session(key: $key) {\n      tree { depth event { key type name status durationMs errorType errorMessage parent { key } } }\n    }\n  }\n": typeof types.SdkTestTreeDocument,
    "\n  mutation SecIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code message } }\n  }\n": typeof types.SecIngestDocument,
    "\n  query SecSessionDetail($key: String!) {\n    session(key: $key) {\n      id key name status tags metadata eventCount timelineCursor\n      agent { id name }\n      events(first: 10) { edges { cursor node { id key parent { key } children { key } } } }\n      tree { depth parentId event { key } }\n    }\n    sessions(first: 1) { edges { cursor } }\n    viewer { project { id } apiKey { id } }\n  }\n": typeof types.SecSessionDetailDocument,
    "\n  query SecNode($id: ID!) {\n    node(id: $id) { id __typename }\n  }\n": typeof types.SecNodeDocument,
    "\n  query SecSessionById($id: ID!) {\n    session(id: $id) { id key }\n  }\n": typeof types.SecSessionByIdDocument,
    "\n  query SecSessionByKey($key: String!) {\n    session(key: $key) {\n      id key name eventCount metadata\n      events(first: 50) { edges { node { key input parent { key } children { key } } } }\n      tree { depth parentId event { key } }\n    }\n  }\n": typeof types.SecSessionByKeyDocument,
    "\n  query SecSessions($filter: SessionFilter, $after: String) {\n    sessions(first: 50, filter: $filter, after: $after) {\n      totalCount\n      edges { node { key } }\n    }\n  }\n": typeof types.SecSessionsDocument,
    "\n  query SecAnalytics($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions events errors costUsd promptTokens\n      byAgent { key sessions }\n      byModel { key events }\n      topTools { key events }\n      feedback { key events }\n    }\n  }\n": typeof types.SecAnalyticsDocument,
    "\n  query SecEventsAfter($key: String!, $after: String, $before: String) {\n    session(key: $key) {\n      events(first: 50, after: $after, before: $before) { edges { node { key } } }\n    }\n  }\n": typeof types.SecEventsAfterDocument,
    "\n  query SecLists {\n    apiKeys { id name prefix }\n    agents { id name }\n  }\n": typeof types.SecListsDocument,
    "\n  mutation SecRevoke($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": typeof types.SecRevokeDocument,
    "\n  mutation SecEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id key status }\n  }\n": typeof types.SecEndDocument,
    "\n  mutation SecStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key name eventCount metadata agent { name } }\n  }\n": typeof types.SecStartDocument,
    "\n  mutation SecCreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id prefix } }\n  }\n": typeof types.SecCreateKeyDocument,
    "\n  query SecViewer {\n    viewer { role project { id } }\n  }\n": typeof types.SecViewerDocument,
    "\n  subscription SecTimeline($id: ID, $key: String, $after: String) {\n    sessionTimeline(id: $id, key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key session { key } } }\n      ... on SessionChanged { session { id key } }\n    }\n  }\n": typeof types.SecTimelineDocument,
    "\n  subscription SecFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) { session { id key } }\n  }\n": typeof types.SecFeedDocument,
    "\n  query SeedSessions($after: String) {\n    sessions(first: 20, after: $after, orderBy: { field: STARTED_AT, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key name tags metadata agent { name } eventCount startedAt\n        events(first: 100) { edges { node { key type name timestamp parent { key } model promptTokens costUsd status } } } } }\n    }\n  }\n": typeof types.SeedSessionsDocument,
    "\n  mutation SessionsQueryIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": typeof types.SessionsQueryIngestDocument,
    "\n  mutation SessionsQueryStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key }\n  }\n": typeof types.SessionsQueryStartDocument,
    "\n  mutation SessionsQueryEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id status }\n  }\n": typeof types.SessionsQueryEndDocument,
    "\n  query SessionsQueryList($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { key } }\n    }\n  }\n": typeof types.SessionsQueryListDocument,
    "\n  query SessionsQueryValues {\n    sessions(first: 500) {\n      edges { node { key startedAt lastEventAt durationMs costUsd eventCount } }\n    }\n  }\n": typeof types.SessionsQueryValuesDocument,
    "\n  mutation ReadersIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted }\n  }\n": typeof types.ReadersIngestDocument,
    "\n  mutation TreeIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": typeof types.TreeIngestDocument,
    "\n  query TreeOfSession($key: String!) {\n    session(key: $key) {\n      tree { depth parentId event { id key parent { id key } } }\n    }\n  }\n": typeof types.TreeOfSessionDocument,
    "\n  mutation TreeStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { key tree { depth } }\n  }\n": typeof types.TreeStartSessionDocument,
    "\n  query TreeWithPayloads($key: String!) {\n    session(key: $key) {\n      tree { depth event { key input output metadata } }\n    }\n  }\n": typeof types.TreeWithPayloadsDocument,
    "\n  query TreeOfSessionLean($key: String!) {\n    session(key: $key) {\n      tree { depth parentId event { id key } }\n    }\n  }\n": typeof types.TreeOfSessionLeanDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      project { id name createdAt }\n      apiKey { id name role prefix revokedAt }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query ViewerKeyDates {\n    viewer { apiKey { id createdAt lastUsedAt revokedAt } }\n  }\n": typeof types.ViewerKeyDatesDocument,
    "\n  query ListedKeyDates {\n    apiKeys { id createdAt lastUsedAt revokedAt }\n  }\n": typeof types.ListedKeyDatesDocument,
    "\n  query WebsocketViewer {\n    viewer { role project { name } }\n  }\n": typeof types.WebsocketViewerDocument,
    "\n  mutation WebsocketCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { apiKey { role } }\n  }\n": typeof types.WebsocketCreateApiKeyDocument,
};
const documents: Documents = {
    "\n  query AbuseViewer {\n    viewer { role }\n  }\n": types.AbuseViewerDocument,
    "\n  mutation AbuseIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code } }\n  }\n": types.AbuseIngestDocument,
    "\n  query AbuseSession($key: String!) {\n    session(key: $key) { eventCount }\n  }\n": types.AbuseSessionDocument,
    "\n  query AbuseCursor($key: String!) {\n    session(key: $key) { timelineCursor }\n  }\n": types.AbuseCursorDocument,
    "\n  subscription AbuseTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { event { key } }\n    }\n  }\n": types.AbuseTimelineDocument,
    "\n  mutation AnalyticsIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": types.AnalyticsIngestDocument,
    "\n  mutation AnalyticsEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status durationMs }\n  }\n": types.AnalyticsEndSessionDocument,
    "\n  fragment AnalyticsBreakdownFields on Breakdown { key sessions events errors tokens costUsd p95DurationMs }\n": types.AnalyticsBreakdownFieldsFragmentDoc,
    "\n  fragment AnalyticsPercentileFields on Percentiles { avg p50 p90 p95 p99 max }\n": types.AnalyticsPercentileFieldsFragmentDoc,
    "\n  query AnalyticsAll($filter: SessionFilter, $bucket: TimeBucket!) {\n    analytics(filter: $filter) {\n      sessions events errors errorRate promptTokens completionTokens costUsd\n      sessionDurationMs { ...AnalyticsPercentileFields }\n      llmLatencyMs { ...AnalyticsPercentileFields }\n      timeseries(bucket: $bucket) { start sessions events errors tokens costUsd }\n      byAgent { ...AnalyticsBreakdownFields }\n      byModel { ...AnalyticsBreakdownFields }\n      byEventType { ...AnalyticsBreakdownFields }\n      topTools { ...AnalyticsBreakdownFields }\n      feedback { ...AnalyticsBreakdownFields }\n    }\n  }\n": types.AnalyticsAllDocument,
    "\n  query AnalyticsTotals($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions events errors errorRate promptTokens completionTokens costUsd\n      sessionDurationMs { max }\n    }\n  }\n": types.AnalyticsTotalsDocument,
    "\n  query AnalyticsTimeseries($filter: SessionFilter, $bucket: TimeBucket!) {\n    analytics(filter: $filter) { timeseries(bucket: $bucket) { start sessions events errors tokens costUsd } }\n  }\n": types.AnalyticsTimeseriesDocument,
    "\n  query AnalyticsTopTools($limit: Int) {\n    analytics { topTools(limit: $limit) { key events } }\n  }\n": types.AnalyticsTopToolsDocument,
    "\n  query AnalyticsLatency($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      costUsd\n      llmLatencyMs { ...AnalyticsPercentileFields }\n      byEventType { key costUsd p95DurationMs }\n      timeseries(bucket: DAY) { costUsd }\n    }\n  }\n": types.AnalyticsLatencyDocument,
    "\n  query AnalyticsByAgentKeys {\n    analytics { byAgent { key sessions } }\n  }\n": types.AnalyticsByAgentKeysDocument,
    "\n  query AnalyticsSessionsList($filter: SessionFilter) {\n    sessions(filter: $filter, first: 500) {\n      totalCount\n      edges { node { key eventCount errorCount promptTokens completionTokens costUsd durationMs } }\n    }\n  }\n": types.AnalyticsSessionsListDocument,
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
    "\n  mutation ChaosDependenciesIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code } }\n  }\n": types.ChaosDependenciesIngestDocument,
    "\n  query ChaosDependenciesSession($key: String!) {\n    session(key: $key) { eventCount timelineCursor }\n  }\n": types.ChaosDependenciesSessionDocument,
    "\n  subscription ChaosDependenciesTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key } }\n    }\n  }\n": types.ChaosDependenciesTimelineDocument,
    "\n  query SoakSessions {\n    sessions(first: 50, orderBy: { field: STARTED_AT, direction: DESC }) {\n      totalCount\n      edges { node { key status eventCount errorCount costUsd durationMs tags agent { name } } }\n    }\n  }\n": types.SoakSessionsDocument,
    "\n  query SoakTimelinePage($key: String!) {\n    session(key: $key) {\n      key\n      eventCount\n      events(last: 50) { edges { node { key type name timestamp status durationMs } } }\n    }\n  }\n": types.SoakTimelinePageDocument,
    "\n  query SoakAnalytics($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions\n      events\n      errors\n      costUsd\n      errorRate\n      byEventType { key events }\n      byModel { key events costUsd }\n      llmLatencyMs { p50 p99 }\n    }\n  }\n": types.SoakAnalyticsDocument,
    "\n  query ChaosAuditSessions($after: String) {\n    sessions(first: 500, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key } }\n    }\n  }\n": types.ChaosAuditSessionsDocument,
    "\n  query ChaosAuditSession($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      status\n      eventCount\n      errorCount\n      promptTokens\n      completionTokens\n      costUsd\n      events(first: 1000, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { key timestamp status promptTokens completionTokens costUsd } }\n      }\n    }\n  }\n": types.ChaosAuditSessionDocument,
    "\n  mutation ChaosRawIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": types.ChaosRawIngestDocument,
    "\n  subscription SoakTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key } }\n      ... on SessionChanged { session { key status eventCount } }\n    }\n  }\n": types.SoakTimelineDocument,
    "\n  subscription SoakFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) { session { key status eventCount tags agent { name } } }\n  }\n": types.SoakFeedDocument,
    "\n  query SoakWatchCursor($key: String!) {\n    session(key: $key) { eventCount timelineCursor }\n  }\n": types.SoakWatchCursorDocument,
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
    "\n  mutation LiveRedisIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n": types.LiveRedisIngestDocument,
    "\n  mutation LiveRedisEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n": types.LiveRedisEndSessionDocument,
    "\n  query LiveRedisSession($key: String!) {\n    session(key: $key) { timelineCursor }\n  }\n": types.LiveRedisSessionDocument,
    "\n  subscription LiveRedisTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key }\n      }\n    }\n  }\n": types.LiveRedisTimelineDocument,
    "\n  subscription LiveRedisFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) {\n      session { key status eventCount }\n    }\n  }\n": types.LiveRedisFeedDocument,
    "\n  mutation LiveIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n": types.LiveIngestDocument,
    "\n  mutation LiveEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n": types.LiveEndSessionDocument,
    "\n  query LiveSession($key: String!) {\n    session(key: $key) { id key status eventCount timelineCursor lastEventAt endedAt }\n  }\n": types.LiveSessionDocument,
    "\n  subscription LiveTimeline($id: ID, $key: String, $after: String) {\n    sessionTimeline(id: $id, key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key }\n      }\n      ... on SessionChanged {\n        session { key status eventCount errorCount promptTokens completionTokens costUsd endedAt }\n      }\n    }\n  }\n": types.LiveTimelineDocument,
    "\n  subscription LiveTimelineLarge($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key input }\n      }\n    }\n  }\n": types.LiveTimelineLargeDocument,
    "\n  subscription LiveFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) {\n      session { key status tags metadata agent { name } eventCount errorCount promptTokens }\n    }\n  }\n": types.LiveFeedDocument,
    "\n  query LiveApiKeys {\n    apiKeys { id role revokedAt }\n  }\n": types.LiveApiKeysDocument,
    "\n  mutation LiveRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.LiveRevokeApiKeyDocument,
    "\n  subscription LiveTimelineWithChildren($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key children { key } }\n      }\n      ... on SessionChanged {\n        session { key eventCount }\n      }\n    }\n  }\n": types.LiveTimelineWithChildrenDocument,
    "\n  mutation QueryCountIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": types.QueryCountIngestDocument,
    "\n  query QueryCountSessions($first: Int!) {\n    sessions(first: $first) {\n      edges {\n        node {\n          id key name agent { name } eventCount errorCount costUsd\n          events(first: 10) { totalCount edges { node { id type name timestamp } } }\n        }\n      }\n    }\n  }\n": types.QueryCountSessionsDocument,
    "\n  query QueryCountAgents {\n    agents { name sessionCount }\n  }\n": types.QueryCountAgentsDocument,
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
    "\n  query SdkPackageSessions {\n    sessions(orderBy: { field: STARTED_AT, direction: ASC }) {\n      edges { node { key name status eventCount errorCount tags agent { name } tree { depth event { type name } } } }\n    }\n  }\n": types.SdkPackageSessionsDocument,
    "\n  query SdkPackageSession($key: String!) {\n    session(key: $key) {\n      status\n      eventCount\n      events(first: 10) { edges { node { type input output } } }\n    }\n  }\n": types.SdkPackageSessionDocument,
    "\n  query SdkResilienceTimeline($key: String!, $after: String) {\n    session(key: $key) {\n      status\n      eventCount\n      events(first: 500, after: $after) {\n        edges { node { key name } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.SdkResilienceTimelineDocument,
    "\n  query SdkTestTimeline($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      name\n      status\n      tags\n      metadata\n      startedAt\n      endedAt\n      eventCount\n      errorCount\n      agent { name }\n      events(first: 500, after: $after) {\n        edges {\n          node {\n            key type name timestamp durationMs status input output metadata\n            model promptTokens completionTokens costUsd errorMessage errorType\n            parent { key }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.SdkTestTimelineDocument,
    "\n  query SdkTestTree($key: String!) {\n    session(key: $key) {\n      tree { depth event { key type name status durationMs errorType errorMessage parent { key } } }\n    }\n  }\n": types.SdkTestTreeDocument,
    "\n  mutation SecIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code message } }\n  }\n": types.SecIngestDocument,
    "\n  query SecSessionDetail($key: String!) {\n    session(key: $key) {\n      id key name status tags metadata eventCount timelineCursor\n      agent { id name }\n      events(first: 10) { edges { cursor node { id key parent { key } children { key } } } }\n      tree { depth parentId event { key } }\n    }\n    sessions(first: 1) { edges { cursor } }\n    viewer { project { id } apiKey { id } }\n  }\n": types.SecSessionDetailDocument,
    "\n  query SecNode($id: ID!) {\n    node(id: $id) { id __typename }\n  }\n": types.SecNodeDocument,
    "\n  query SecSessionById($id: ID!) {\n    session(id: $id) { id key }\n  }\n": types.SecSessionByIdDocument,
    "\n  query SecSessionByKey($key: String!) {\n    session(key: $key) {\n      id key name eventCount metadata\n      events(first: 50) { edges { node { key input parent { key } children { key } } } }\n      tree { depth parentId event { key } }\n    }\n  }\n": types.SecSessionByKeyDocument,
    "\n  query SecSessions($filter: SessionFilter, $after: String) {\n    sessions(first: 50, filter: $filter, after: $after) {\n      totalCount\n      edges { node { key } }\n    }\n  }\n": types.SecSessionsDocument,
    "\n  query SecAnalytics($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions events errors costUsd promptTokens\n      byAgent { key sessions }\n      byModel { key events }\n      topTools { key events }\n      feedback { key events }\n    }\n  }\n": types.SecAnalyticsDocument,
    "\n  query SecEventsAfter($key: String!, $after: String, $before: String) {\n    session(key: $key) {\n      events(first: 50, after: $after, before: $before) { edges { node { key } } }\n    }\n  }\n": types.SecEventsAfterDocument,
    "\n  query SecLists {\n    apiKeys { id name prefix }\n    agents { id name }\n  }\n": types.SecListsDocument,
    "\n  mutation SecRevoke($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n": types.SecRevokeDocument,
    "\n  mutation SecEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id key status }\n  }\n": types.SecEndDocument,
    "\n  mutation SecStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key name eventCount metadata agent { name } }\n  }\n": types.SecStartDocument,
    "\n  mutation SecCreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id prefix } }\n  }\n": types.SecCreateKeyDocument,
    "\n  query SecViewer {\n    viewer { role project { id } }\n  }\n": types.SecViewerDocument,
    "\n  subscription SecTimeline($id: ID, $key: String, $after: String) {\n    sessionTimeline(id: $id, key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key session { key } } }\n      ... on SessionChanged { session { id key } }\n    }\n  }\n": types.SecTimelineDocument,
    "\n  subscription SecFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) { session { id key } }\n  }\n": types.SecFeedDocument,
    "\n  query SeedSessions($after: String) {\n    sessions(first: 20, after: $after, orderBy: { field: STARTED_AT, direction: ASC }) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key name tags metadata agent { name } eventCount startedAt\n        events(first: 100) { edges { node { key type name timestamp parent { key } model promptTokens costUsd status } } } } }\n    }\n  }\n": types.SeedSessionsDocument,
    "\n  mutation SessionsQueryIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": types.SessionsQueryIngestDocument,
    "\n  mutation SessionsQueryStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key }\n  }\n": types.SessionsQueryStartDocument,
    "\n  mutation SessionsQueryEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id status }\n  }\n": types.SessionsQueryEndDocument,
    "\n  query SessionsQueryList($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }\n      edges { cursor node { key } }\n    }\n  }\n": types.SessionsQueryListDocument,
    "\n  query SessionsQueryValues {\n    sessions(first: 500) {\n      edges { node { key startedAt lastEventAt durationMs costUsd eventCount } }\n    }\n  }\n": types.SessionsQueryValuesDocument,
    "\n  mutation ReadersIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted }\n  }\n": types.ReadersIngestDocument,
    "\n  mutation TreeIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n": types.TreeIngestDocument,
    "\n  query TreeOfSession($key: String!) {\n    session(key: $key) {\n      tree { depth parentId event { id key parent { id key } } }\n    }\n  }\n": types.TreeOfSessionDocument,
    "\n  mutation TreeStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { key tree { depth } }\n  }\n": types.TreeStartSessionDocument,
    "\n  query TreeWithPayloads($key: String!) {\n    session(key: $key) {\n      tree { depth event { key input output metadata } }\n    }\n  }\n": types.TreeWithPayloadsDocument,
    "\n  query TreeOfSessionLean($key: String!) {\n    session(key: $key) {\n      tree { depth parentId event { id key } }\n    }\n  }\n": types.TreeOfSessionLeanDocument,
    "\n  query Viewer {\n    viewer {\n      role\n      project { id name createdAt }\n      apiKey { id name role prefix revokedAt }\n    }\n  }\n": types.ViewerDocument,
    "\n  query ViewerKeyDates {\n    viewer { apiKey { id createdAt lastUsedAt revokedAt } }\n  }\n": types.ViewerKeyDatesDocument,
    "\n  query ListedKeyDates {\n    apiKeys { id createdAt lastUsedAt revokedAt }\n  }\n": types.ListedKeyDatesDocument,
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
export function graphql(source: "\n  query AbuseViewer {\n    viewer { role }\n  }\n"): (typeof documents)["\n  query AbuseViewer {\n    viewer { role }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AbuseIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code } }\n  }\n"): (typeof documents)["\n  mutation AbuseIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AbuseSession($key: String!) {\n    session(key: $key) { eventCount }\n  }\n"): (typeof documents)["\n  query AbuseSession($key: String!) {\n    session(key: $key) { eventCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AbuseCursor($key: String!) {\n    session(key: $key) { timelineCursor }\n  }\n"): (typeof documents)["\n  query AbuseCursor($key: String!) {\n    session(key: $key) { timelineCursor }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AbuseTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { event { key } }\n    }\n  }\n"): (typeof documents)["\n  subscription AbuseTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { event { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AnalyticsIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"): (typeof documents)["\n  mutation AnalyticsIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AnalyticsEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status durationMs }\n  }\n"): (typeof documents)["\n  mutation AnalyticsEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status durationMs }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AnalyticsBreakdownFields on Breakdown { key sessions events errors tokens costUsd p95DurationMs }\n"): (typeof documents)["\n  fragment AnalyticsBreakdownFields on Breakdown { key sessions events errors tokens costUsd p95DurationMs }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AnalyticsPercentileFields on Percentiles { avg p50 p90 p95 p99 max }\n"): (typeof documents)["\n  fragment AnalyticsPercentileFields on Percentiles { avg p50 p90 p95 p99 max }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsAll($filter: SessionFilter, $bucket: TimeBucket!) {\n    analytics(filter: $filter) {\n      sessions events errors errorRate promptTokens completionTokens costUsd\n      sessionDurationMs { ...AnalyticsPercentileFields }\n      llmLatencyMs { ...AnalyticsPercentileFields }\n      timeseries(bucket: $bucket) { start sessions events errors tokens costUsd }\n      byAgent { ...AnalyticsBreakdownFields }\n      byModel { ...AnalyticsBreakdownFields }\n      byEventType { ...AnalyticsBreakdownFields }\n      topTools { ...AnalyticsBreakdownFields }\n      feedback { ...AnalyticsBreakdownFields }\n    }\n  }\n"): (typeof documents)["\n  query AnalyticsAll($filter: SessionFilter, $bucket: TimeBucket!) {\n    analytics(filter: $filter) {\n      sessions events errors errorRate promptTokens completionTokens costUsd\n      sessionDurationMs { ...AnalyticsPercentileFields }\n      llmLatencyMs { ...AnalyticsPercentileFields }\n      timeseries(bucket: $bucket) { start sessions events errors tokens costUsd }\n      byAgent { ...AnalyticsBreakdownFields }\n      byModel { ...AnalyticsBreakdownFields }\n      byEventType { ...AnalyticsBreakdownFields }\n      topTools { ...AnalyticsBreakdownFields }\n      feedback { ...AnalyticsBreakdownFields }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsTotals($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions events errors errorRate promptTokens completionTokens costUsd\n      sessionDurationMs { max }\n    }\n  }\n"): (typeof documents)["\n  query AnalyticsTotals($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions events errors errorRate promptTokens completionTokens costUsd\n      sessionDurationMs { max }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsTimeseries($filter: SessionFilter, $bucket: TimeBucket!) {\n    analytics(filter: $filter) { timeseries(bucket: $bucket) { start sessions events errors tokens costUsd } }\n  }\n"): (typeof documents)["\n  query AnalyticsTimeseries($filter: SessionFilter, $bucket: TimeBucket!) {\n    analytics(filter: $filter) { timeseries(bucket: $bucket) { start sessions events errors tokens costUsd } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsTopTools($limit: Int) {\n    analytics { topTools(limit: $limit) { key events } }\n  }\n"): (typeof documents)["\n  query AnalyticsTopTools($limit: Int) {\n    analytics { topTools(limit: $limit) { key events } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsLatency($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      costUsd\n      llmLatencyMs { ...AnalyticsPercentileFields }\n      byEventType { key costUsd p95DurationMs }\n      timeseries(bucket: DAY) { costUsd }\n    }\n  }\n"): (typeof documents)["\n  query AnalyticsLatency($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      costUsd\n      llmLatencyMs { ...AnalyticsPercentileFields }\n      byEventType { key costUsd p95DurationMs }\n      timeseries(bucket: DAY) { costUsd }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsByAgentKeys {\n    analytics { byAgent { key sessions } }\n  }\n"): (typeof documents)["\n  query AnalyticsByAgentKeys {\n    analytics { byAgent { key sessions } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsSessionsList($filter: SessionFilter) {\n    sessions(filter: $filter, first: 500) {\n      totalCount\n      edges { node { key eventCount errorCount promptTokens completionTokens costUsd durationMs } }\n    }\n  }\n"): (typeof documents)["\n  query AnalyticsSessionsList($filter: SessionFilter) {\n    sessions(filter: $filter, first: 500) {\n      totalCount\n      edges { node { key eventCount errorCount promptTokens completionTokens costUsd durationMs } }\n    }\n  }\n"];
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
export function graphql(source: "\n  mutation ChaosDependenciesIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code } }\n  }\n"): (typeof documents)["\n  mutation ChaosDependenciesIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChaosDependenciesSession($key: String!) {\n    session(key: $key) { eventCount timelineCursor }\n  }\n"): (typeof documents)["\n  query ChaosDependenciesSession($key: String!) {\n    session(key: $key) { eventCount timelineCursor }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChaosDependenciesTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key } }\n    }\n  }\n"): (typeof documents)["\n  subscription ChaosDependenciesTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SoakSessions {\n    sessions(first: 50, orderBy: { field: STARTED_AT, direction: DESC }) {\n      totalCount\n      edges { node { key status eventCount errorCount costUsd durationMs tags agent { name } } }\n    }\n  }\n"): (typeof documents)["\n  query SoakSessions {\n    sessions(first: 50, orderBy: { field: STARTED_AT, direction: DESC }) {\n      totalCount\n      edges { node { key status eventCount errorCount costUsd durationMs tags agent { name } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SoakTimelinePage($key: String!) {\n    session(key: $key) {\n      key\n      eventCount\n      events(last: 50) { edges { node { key type name timestamp status durationMs } } }\n    }\n  }\n"): (typeof documents)["\n  query SoakTimelinePage($key: String!) {\n    session(key: $key) {\n      key\n      eventCount\n      events(last: 50) { edges { node { key type name timestamp status durationMs } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SoakAnalytics($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions\n      events\n      errors\n      costUsd\n      errorRate\n      byEventType { key events }\n      byModel { key events costUsd }\n      llmLatencyMs { p50 p99 }\n    }\n  }\n"): (typeof documents)["\n  query SoakAnalytics($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions\n      events\n      errors\n      costUsd\n      errorRate\n      byEventType { key events }\n      byModel { key events costUsd }\n      llmLatencyMs { p50 p99 }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChaosAuditSessions($after: String) {\n    sessions(first: 500, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key } }\n    }\n  }\n"): (typeof documents)["\n  query ChaosAuditSessions($after: String) {\n    sessions(first: 500, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      edges { node { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChaosAuditSession($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      status\n      eventCount\n      errorCount\n      promptTokens\n      completionTokens\n      costUsd\n      events(first: 1000, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { key timestamp status promptTokens completionTokens costUsd } }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChaosAuditSession($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      status\n      eventCount\n      errorCount\n      promptTokens\n      completionTokens\n      costUsd\n      events(first: 1000, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { key timestamp status promptTokens completionTokens costUsd } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChaosRawIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"): (typeof documents)["\n  mutation ChaosRawIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SoakTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key } }\n      ... on SessionChanged { session { key status eventCount } }\n    }\n  }\n"): (typeof documents)["\n  subscription SoakTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key } }\n      ... on SessionChanged { session { key status eventCount } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SoakFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) { session { key status eventCount tags agent { name } } }\n  }\n"): (typeof documents)["\n  subscription SoakFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) { session { key status eventCount tags agent { name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SoakWatchCursor($key: String!) {\n    session(key: $key) { eventCount timelineCursor }\n  }\n"): (typeof documents)["\n  query SoakWatchCursor($key: String!) {\n    session(key: $key) { eventCount timelineCursor }\n  }\n"];
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
export function graphql(source: "\n  mutation LiveRedisIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n"): (typeof documents)["\n  mutation LiveRedisIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveRedisEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n"): (typeof documents)["\n  mutation LiveRedisEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveRedisSession($key: String!) {\n    session(key: $key) { timelineCursor }\n  }\n"): (typeof documents)["\n  query LiveRedisSession($key: String!) {\n    session(key: $key) { timelineCursor }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveRedisTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveRedisTimeline($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveRedisFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) {\n      session { key status eventCount }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveRedisFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) {\n      session { key status eventCount }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n"): (typeof documents)["\n  mutation LiveIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) {\n      accepted\n      duplicates\n      rejected { index code message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n"): (typeof documents)["\n  mutation LiveEndSession($input: EndSessionInput!) {\n    endSession(input: $input) { key status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveSession($key: String!) {\n    session(key: $key) { id key status eventCount timelineCursor lastEventAt endedAt }\n  }\n"): (typeof documents)["\n  query LiveSession($key: String!) {\n    session(key: $key) { id key status eventCount timelineCursor lastEventAt endedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveTimeline($id: ID, $key: String, $after: String) {\n    sessionTimeline(id: $id, key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key }\n      }\n      ... on SessionChanged {\n        session { key status eventCount errorCount promptTokens completionTokens costUsd endedAt }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveTimeline($id: ID, $key: String, $after: String) {\n    sessionTimeline(id: $id, key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key }\n      }\n      ... on SessionChanged {\n        session { key status eventCount errorCount promptTokens completionTokens costUsd endedAt }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveTimelineLarge($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key input }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveTimelineLarge($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key input }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) {\n      session { key status tags metadata agent { name } eventCount errorCount promptTokens }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) {\n      session { key status tags metadata agent { name } eventCount errorCount promptTokens }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveApiKeys {\n    apiKeys { id role revokedAt }\n  }\n"): (typeof documents)["\n  query LiveApiKeys {\n    apiKeys { id role revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LiveRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"): (typeof documents)["\n  mutation LiveRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveTimelineWithChildren($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key children { key } }\n      }\n      ... on SessionChanged {\n        session { key eventCount }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription LiveTimelineWithChildren($key: String!, $after: String) {\n    sessionTimeline(key: $key, after: $after) {\n      __typename\n      ... on EventAppended {\n        cursor\n        event { key children { key } }\n      }\n      ... on SessionChanged {\n        session { key eventCount }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueryCountIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"): (typeof documents)["\n  mutation QueryCountIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QueryCountSessions($first: Int!) {\n    sessions(first: $first) {\n      edges {\n        node {\n          id key name agent { name } eventCount errorCount costUsd\n          events(first: 10) { totalCount edges { node { id type name timestamp } } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query QueryCountSessions($first: Int!) {\n    sessions(first: $first) {\n      edges {\n        node {\n          id key name agent { name } eventCount errorCount costUsd\n          events(first: 10) { totalCount edges { node { id type name timestamp } } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query QueryCountAgents {\n    agents { name sessionCount }\n  }\n"): (typeof documents)["\n  query QueryCountAgents {\n    agents { name sessionCount }\n  }\n"];
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
export function graphql(source: "\n  query SdkPackageSessions {\n    sessions(orderBy: { field: STARTED_AT, direction: ASC }) {\n      edges { node { key name status eventCount errorCount tags agent { name } tree { depth event { type name } } } }\n    }\n  }\n"): (typeof documents)["\n  query SdkPackageSessions {\n    sessions(orderBy: { field: STARTED_AT, direction: ASC }) {\n      edges { node { key name status eventCount errorCount tags agent { name } tree { depth event { type name } } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkPackageSession($key: String!) {\n    session(key: $key) {\n      status\n      eventCount\n      events(first: 10) { edges { node { type input output } } }\n    }\n  }\n"): (typeof documents)["\n  query SdkPackageSession($key: String!) {\n    session(key: $key) {\n      status\n      eventCount\n      events(first: 10) { edges { node { type input output } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkResilienceTimeline($key: String!, $after: String) {\n    session(key: $key) {\n      status\n      eventCount\n      events(first: 500, after: $after) {\n        edges { node { key name } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SdkResilienceTimeline($key: String!, $after: String) {\n    session(key: $key) {\n      status\n      eventCount\n      events(first: 500, after: $after) {\n        edges { node { key name } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkTestTimeline($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      name\n      status\n      tags\n      metadata\n      startedAt\n      endedAt\n      eventCount\n      errorCount\n      agent { name }\n      events(first: 500, after: $after) {\n        edges {\n          node {\n            key type name timestamp durationMs status input output metadata\n            model promptTokens completionTokens costUsd errorMessage errorType\n            parent { key }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SdkTestTimeline($key: String!, $after: String) {\n    session(key: $key) {\n      key\n      name\n      status\n      tags\n      metadata\n      startedAt\n      endedAt\n      eventCount\n      errorCount\n      agent { name }\n      events(first: 500, after: $after) {\n        edges {\n          node {\n            key type name timestamp durationMs status input output metadata\n            model promptTokens completionTokens costUsd errorMessage errorType\n            parent { key }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SdkTestTree($key: String!) {\n    session(key: $key) {\n      tree { depth event { key type name status durationMs errorType errorMessage parent { key } } }\n    }\n  }\n"): (typeof documents)["\n  query SdkTestTree($key: String!) {\n    session(key: $key) {\n      tree { depth event { key type name status durationMs errorType errorMessage parent { key } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code message } }\n  }\n"): (typeof documents)["\n  mutation SecIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecSessionDetail($key: String!) {\n    session(key: $key) {\n      id key name status tags metadata eventCount timelineCursor\n      agent { id name }\n      events(first: 10) { edges { cursor node { id key parent { key } children { key } } } }\n      tree { depth parentId event { key } }\n    }\n    sessions(first: 1) { edges { cursor } }\n    viewer { project { id } apiKey { id } }\n  }\n"): (typeof documents)["\n  query SecSessionDetail($key: String!) {\n    session(key: $key) {\n      id key name status tags metadata eventCount timelineCursor\n      agent { id name }\n      events(first: 10) { edges { cursor node { id key parent { key } children { key } } } }\n      tree { depth parentId event { key } }\n    }\n    sessions(first: 1) { edges { cursor } }\n    viewer { project { id } apiKey { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecNode($id: ID!) {\n    node(id: $id) { id __typename }\n  }\n"): (typeof documents)["\n  query SecNode($id: ID!) {\n    node(id: $id) { id __typename }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecSessionById($id: ID!) {\n    session(id: $id) { id key }\n  }\n"): (typeof documents)["\n  query SecSessionById($id: ID!) {\n    session(id: $id) { id key }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecSessionByKey($key: String!) {\n    session(key: $key) {\n      id key name eventCount metadata\n      events(first: 50) { edges { node { key input parent { key } children { key } } } }\n      tree { depth parentId event { key } }\n    }\n  }\n"): (typeof documents)["\n  query SecSessionByKey($key: String!) {\n    session(key: $key) {\n      id key name eventCount metadata\n      events(first: 50) { edges { node { key input parent { key } children { key } } } }\n      tree { depth parentId event { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecSessions($filter: SessionFilter, $after: String) {\n    sessions(first: 50, filter: $filter, after: $after) {\n      totalCount\n      edges { node { key } }\n    }\n  }\n"): (typeof documents)["\n  query SecSessions($filter: SessionFilter, $after: String) {\n    sessions(first: 50, filter: $filter, after: $after) {\n      totalCount\n      edges { node { key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecAnalytics($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions events errors costUsd promptTokens\n      byAgent { key sessions }\n      byModel { key events }\n      topTools { key events }\n      feedback { key events }\n    }\n  }\n"): (typeof documents)["\n  query SecAnalytics($filter: SessionFilter) {\n    analytics(filter: $filter) {\n      sessions events errors costUsd promptTokens\n      byAgent { key sessions }\n      byModel { key events }\n      topTools { key events }\n      feedback { key events }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecEventsAfter($key: String!, $after: String, $before: String) {\n    session(key: $key) {\n      events(first: 50, after: $after, before: $before) { edges { node { key } } }\n    }\n  }\n"): (typeof documents)["\n  query SecEventsAfter($key: String!, $after: String, $before: String) {\n    session(key: $key) {\n      events(first: 50, after: $after, before: $before) { edges { node { key } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecLists {\n    apiKeys { id name prefix }\n    agents { id name }\n  }\n"): (typeof documents)["\n  query SecLists {\n    apiKeys { id name prefix }\n    agents { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecRevoke($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"): (typeof documents)["\n  mutation SecRevoke($id: ID!) {\n    revokeApiKey(id: $id) { id revokedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id key status }\n  }\n"): (typeof documents)["\n  mutation SecEnd($input: EndSessionInput!) {\n    endSession(input: $input) { id key status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key name eventCount metadata agent { name } }\n  }\n"): (typeof documents)["\n  mutation SecStart($input: StartSessionInput!) {\n    startSession(input: $input) { id key name eventCount metadata agent { name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SecCreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id prefix } }\n  }\n"): (typeof documents)["\n  mutation SecCreateKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) { secret apiKey { id prefix } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecViewer {\n    viewer { role project { id } }\n  }\n"): (typeof documents)["\n  query SecViewer {\n    viewer { role project { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SecTimeline($id: ID, $key: String, $after: String) {\n    sessionTimeline(id: $id, key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key session { key } } }\n      ... on SessionChanged { session { id key } }\n    }\n  }\n"): (typeof documents)["\n  subscription SecTimeline($id: ID, $key: String, $after: String) {\n    sessionTimeline(id: $id, key: $key, after: $after) {\n      __typename\n      ... on EventAppended { cursor event { key session { key } } }\n      ... on SessionChanged { session { id key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SecFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) { session { id key } }\n  }\n"): (typeof documents)["\n  subscription SecFeed($filter: SessionFilter) {\n    sessionsFeed(filter: $filter) { session { id key } }\n  }\n"];
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
export function graphql(source: "\n  mutation ReadersIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted }\n  }\n"): (typeof documents)["\n  mutation ReadersIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TreeIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"): (typeof documents)["\n  mutation TreeIngest($input: IngestBatchInput!) {\n    ingestBatch(input: $input) { accepted duplicates rejected { index eventId code message } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeOfSession($key: String!) {\n    session(key: $key) {\n      tree { depth parentId event { id key parent { id key } } }\n    }\n  }\n"): (typeof documents)["\n  query TreeOfSession($key: String!) {\n    session(key: $key) {\n      tree { depth parentId event { id key parent { id key } } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TreeStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { key tree { depth } }\n  }\n"): (typeof documents)["\n  mutation TreeStartSession($input: StartSessionInput!) {\n    startSession(input: $input) { key tree { depth } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeWithPayloads($key: String!) {\n    session(key: $key) {\n      tree { depth event { key input output metadata } }\n    }\n  }\n"): (typeof documents)["\n  query TreeWithPayloads($key: String!) {\n    session(key: $key) {\n      tree { depth event { key input output metadata } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TreeOfSessionLean($key: String!) {\n    session(key: $key) {\n      tree { depth parentId event { id key } }\n    }\n  }\n"): (typeof documents)["\n  query TreeOfSessionLean($key: String!) {\n    session(key: $key) {\n      tree { depth parentId event { id key } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      role\n      project { id name createdAt }\n      apiKey { id name role prefix revokedAt }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      role\n      project { id name createdAt }\n      apiKey { id name role prefix revokedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ViewerKeyDates {\n    viewer { apiKey { id createdAt lastUsedAt revokedAt } }\n  }\n"): (typeof documents)["\n  query ViewerKeyDates {\n    viewer { apiKey { id createdAt lastUsedAt revokedAt } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListedKeyDates {\n    apiKeys { id createdAt lastUsedAt revokedAt }\n  }\n"): (typeof documents)["\n  query ListedKeyDates {\n    apiKeys { id createdAt lastUsedAt revokedAt }\n  }\n"];
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