/**
 * HTTP answers write stored JSON payloads as the text the database gave (lib/raw-json.ts) instead
 * of parsing them into objects and serialising those again, and large answers as a stream of
 * modest chunks (lib/result-chunks.ts). Yoga serialises a result with the result's own
 * `stringify` when it has one (graphql-jit sets JSON.stringify there) and makes the response
 * body of what it returns; this sets it, on the final result, after every plugin that might
 * replace it.
 */
import { Readable } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { serialiseResult } from '../lib/result-chunks.js';

/** A string body, or a stream of chunks (sent with chunked transfer encoding). */
function responseBody(value: unknown): string | Readable {
  const json = serialiseResult(value);
  return typeof json === 'string' ? json : Readable.from(json);
}

export function useRawJsonResults(): Plugin {
  return {
    onResultProcess({ result }) {
      // Batched requests (an array) and streams (subscriptions, refused over HTTP) keep yoga's own.
      if (Array.isArray(result) || typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
      // Typed as returning a string, but yoga hands whatever it returns to `new Response()`, which takes a stream.
      (result as ExecutionResult & { stringify?: (value: unknown) => unknown }).stringify = responseBody;
    },
  };
}
