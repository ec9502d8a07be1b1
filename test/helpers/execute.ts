/**
 * execute(): one GraphQL operation over HTTP. On an unexpected outcome the thrown error prints
 * the operation, its variables and the whole response, so a failing test explains itself.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';

export interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: GraphQLErrorJson[];
}

type Document<T, V> = TypedDocumentNode<T, V> | DocumentNode | string;

export interface ExecuteOptions {
  /** The API key secret, sent as a Bearer token; omit to send none. */
  key?: string;
  headers?: Record<string, string>;
}

const source = (document: Document<unknown, unknown>) => (typeof document === 'string' ? document : print(document));

/** Sends the operation and returns status, data and errors, whatever they are. */
export async function request<T, V>(
  url: string,
  document: Document<T, V>,
  variables?: V,
  options: ExecuteOptions = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: source(document), variables }),
  });
  const text = await response.text();
  let body: { data?: T | null; errors?: GraphQLErrorJson[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON response ${response.status} to:\n${source(document)}\n${text.slice(0, 2000)}`);
  }
  return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
}

function explain(document: Document<unknown, unknown>, variables: unknown, response: GraphQLResponse<unknown>): string {
  return [
    source(document),
    `variables: ${JSON.stringify(variables, null, 2)?.slice(0, 2000)}`,
    `status: ${response.status}`,
    `body: ${JSON.stringify({ data: response.data, errors: response.errors }, null, 2).slice(0, 4000)}`,
  ].join('\n');
}

/** Executes and returns `data`; throws, explaining, if there are errors. */
export async function execute<T, V>(url: string, document: Document<T, V>, variables?: V, options?: ExecuteOptions): Promise<T> {
  const response = await request(url, document, variables, options);
  if (response.errors?.length || !response.data) {
    throw new Error(`operation failed:\n${explain(document, variables, response)}`);
  }
  return response.data;
}

/** Executes and expects exactly the error code given; returns the errors. */
export async function executeError<T, V>(
  url: string,
  document: Document<T, V>,
  variables: V | undefined,
  options: ExecuteOptions,
  code: string,
): Promise<GraphQLErrorJson[]> {
  const response = await request(url, document, variables, options);
  const codes = response.errors?.map((error) => error.extensions?.code) ?? [];
  if (codes.length === 0 || codes.some((c) => c !== code)) {
    throw new Error(`expected only ${code} errors, got ${JSON.stringify(codes)}:\n${explain(document, variables, response)}`);
  }
  return response.errors!;
}
