/**
 * Limits on what one operation may ask (graphql-armor), set so every realistic dashboard query
 * passes with room to spare and query bombs (deep nesting, alias floods, huge documents) are
 * refused before execution with a clear BAD_USER_INPUT. README documents the numbers.
 */
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from 'graphql-yoga';

export const COST_LIMITS = {
  /** sessions > edges > node > events > edges > node > session > agent > name is 9. */
  maxDepth: 12,
  maxAliases: 30,
  /** Tokens of the document; variables (where batches belong) do not count. */
  maxTokens: 10_000,
  maxDirectives: 30,
  /**
   * graphql-armor's estimate of the values returned: 2 per object field, 1 per scalar, times the
   * literal `first`/`last` of each list, times 1.1 per level of depth (its default 1.5 compounds
   * so fast that a realistic dashboard page would cost 200,000). A page of 50 sessions with their
   * first 10 events, agent and tree costs about 34,000; 500 sessions with 1,000 events each, far
   * more than any screen shows, is refused.
   */
  depthCostFactor: 1.1,
  maxCost: 150_000,
} as const;

export function useCostLimits(): Plugin {
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxDepthPlugin({ n: COST_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true, exposeLimits: true }));
      addPlugin(maxAliasesPlugin({ n: COST_LIMITS.maxAliases, exposeLimits: true }));
      addPlugin(maxTokensPlugin({ n: COST_LIMITS.maxTokens, exposeLimits: true }));
      addPlugin(maxDirectivesPlugin({ n: COST_LIMITS.maxDirectives, exposeLimits: true }));
      addPlugin(
        costLimitPlugin({
          maxCost: COST_LIMITS.maxCost,
          depthCostFactor: COST_LIMITS.depthCostFactor,
          ignoreIntrospection: true,
          exposeLimits: true,
        }),
      );
    },
  };
}
