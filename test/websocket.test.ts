/**
 * GraphQL over WebSocket (graphql-ws, subprotocol graphql-transport-ws) on the same path and
 * port as HTTP, with the key in the connection_init payload; and GraphiQL on that path for a
 * browser. Driven by the reference `graphql-ws` client, as a user's app would be.
 */
import { print, type FormattedExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphql } from './generated/gql.js';
import { startServer, type TestServer } from './helpers/server.js';

const WebsocketViewer = graphql(`
  query WebsocketViewer {
    viewer { role project { name } }
  }
`);

const WebsocketCreateApiKey = graphql(`
  mutation WebsocketCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { apiKey { role } }
  }
`);

interface Closed {
  code: number;
  reason: string;
}

interface Socket {
  client: Client;
  /** Settles when the server acknowledges connection_init; rejects if the socket closes first. */
  acknowledged: Promise<void>;
  closed: Promise<Closed>;
  /** The subprotocol the server agreed to, once open. */
  protocol(): string | undefined;
}

const openClients: Client[] = [];
afterEach(async () => {
  await Promise.all(openClients.splice(0).map((client) => client.dispose()));
});

/** A graphql-ws client that connects at once and never retries, so each close is observable. */
function connect(url: string, connectionParams?: Record<string, unknown>): Socket {
  let acknowledge!: () => void;
  let refuse!: (error: Error) => void;
  const acknowledged = new Promise<void>((resolve, reject) => {
    acknowledge = resolve;
    refuse = reject;
  });
  // Checked where it is expected; without this a refused socket would be an unhandled rejection.
  acknowledged.catch(() => {});
  let onClosed!: (event: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  let protocol: string | undefined;
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    // The close event is what these tests look at, through `closed`.
    onNonLazyError: () => {},
    on: {
      opened: (socket) => (protocol = (socket as WebSocket).protocol),
      connected: () => acknowledge(),
      closed: (event) => {
        const { code, reason } = event as Closed;
        onClosed({ code, reason });
        refuse(new Error(`closed before connection_ack: ${code} ${reason}`));
      },
    },
  });
  openClients.push(client);
  return { client, acknowledged, closed, protocol: () => protocol };
}

/** One operation over the socket: its single result. */
function run<T, V extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<T, V>,
  variables?: V,
): Promise<FormattedExecutionResult<T, { code?: string }>> {
  return new Promise((resolve, reject) => {
    let result: FormattedExecutionResult<T, { code?: string }> | undefined;
    client.subscribe<T, { code?: string }>(
      { query: print(document), variables },
      {
        next: (value) => (result = value),
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => (result ? resolve(result) : reject(new Error('completed without a result'))),
      },
    );
  });
}

describe('graphql-ws on /graphql', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  it('runs a query with the key from the connection_init payload, on subprotocol graphql-transport-ws', async () => {
    const project = await server.newProject();
    const read = connect(server.url, { authorization: `Bearer ${project.read}` });
    await read.acknowledged;
    expect(read.protocol()).toBe('graphql-transport-ws');
    expect(await run(read.client, WebsocketViewer)).toEqual({ data: { viewer: { role: 'READ', project: { name: project.name } } } });

    const admin = connect(server.url, { authorization: `Bearer ${project.admin}` });
    await admin.acknowledged;
    expect(await run(admin.client, WebsocketViewer)).toEqual({ data: { viewer: { role: 'ADMIN', project: { name: project.name } } } });
  });

  it('enforces roles as HTTP does: a READ key’s mutation fails with FORBIDDEN, and the socket stays usable', async () => {
    const project = await server.newProject();
    const read = connect(server.url, { authorization: `Bearer ${project.read}` });
    await read.acknowledged;
    const refused = await run(read.client, WebsocketCreateApiKey, { input: { name: 'sneaky', role: 'ADMIN' } });
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await run(read.client, WebsocketViewer)).data?.viewer.role).toBe('READ');
  });

  it('closes with 4403 when connection_init carries no key', async () => {
    const socket = connect(server.url);
    expect((await socket.closed).code).toBe(4403);
    await expect(socket.acknowledged).rejects.toThrow(/4403/);
  });

  it('closes with 4403 when connection_init carries an unknown key or a malformed header', async () => {
    const unknown = connect(server.url, { authorization: 'Bearer sl_this-key-was-never-issued-0123456789' });
    const malformed = connect(server.url, { authorization: 'Basic dXNlcjpwYXNz' });
    expect((await unknown.closed).code).toBe(4403);
    expect((await malformed.closed).code).toBe(4403);
    await expect(unknown.acknowledged).rejects.toThrow(/4403/);
  });

  it('serves GraphiQL on GET /graphql to a browser', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<html/i);
    expect(html).toMatch(/graphiql/i);
  });
});

describe('graphql-ws when the server stops', () => {
  it('closes an open socket with 1001 (going away)', async () => {
    const server = await startServer();
    let stopped = false;
    try {
      const project = await server.newProject();
      const socket = connect(server.url, { authorization: `Bearer ${project.read}` });
      await socket.acknowledged;
      await server.stop();
      stopped = true;
      expect((await socket.closed).code).toBe(1001);
    } finally {
      if (!stopped) await server.stop();
    }
  });
});
