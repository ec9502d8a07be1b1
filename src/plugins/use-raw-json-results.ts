/**
 * HTTP answers write stored JSON payloads as the text the database gave (lib/raw-json.ts) instead
 * of parsing them into objects and serialising those again. Yoga serialises a result with the
 * result's own `stringify` when it has one (graphql-jit sets JSON.stringify there); this sets it,
 * on the final result, after every plugin that might replace it.
 */
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { stringifyResult } from '../lib/raw-json.js';

export function useRawJsonResults(): Plugin {
  return {
    onResultProcess({ result }) {
      // Batched requests (an array) and streams (subscriptions, refused over HTTP) keep yoga's own.
      if (Array.isArray(result) || typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return;
      (result as ExecutionResult & { stringify?: (value: unknown) => string }).stringify = stringifyResult;
    },
  };
}
