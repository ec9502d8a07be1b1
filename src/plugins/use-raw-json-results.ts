/**
 * HTTP answers write stored JSON payloads as the text the database gave (lib/raw-json.ts) instead
 * of parsing them into objects and serialising those again, and large JSON answers as a stream of
 * modest chunks (lib/result-chunks.ts). Yoga serialises a result with the result's own
 * `stringify` when it has one (graphql-jit sets JSON.stringify there); this sets it, on the final
 * result, after every plugin that might replace it.
 */
import { Readable } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { processRegularResult, type Plugin } from 'graphql-yoga';
import { stringifyResult } from '../lib/raw-json.js';
import { serialiseResult } from '../lib/result-chunks.js';

/** A string body, or a stream of chunks (sent with chunked transfer encoding). */
function responseBody(value: unknown): string | Readable {
  const json = serialiseResult(value);
  return typeof json === 'string' ? json : Readable.from(json);
}

export function useRawJsonResults(): Plugin {
  return {
    onResultProcess({ result, resultProcessor }) {
      // Batched requests (an array) and streams (subscriptions, refused over HTTP) keep yoga's own.
      if (Array.isArray(result) || typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
      // Only the plain JSON answer (chosen by yoga's own plugin, which runs before this one) takes
      // its body from what `stringify` returns, so only it may get a stream: server-sent events
      // and multipart answers write the text into an event or a part, and get a string.
      const stringify = resultProcessor === processRegularResult ? responseBody : stringifyResult;
      (result as ExecutionResult & { stringify?: (value: unknown) => unknown }).stringify = stringify;
    },
  };
}
