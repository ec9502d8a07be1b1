/**
 * Limits on what one operation may ask (graphql-armor), set so every realistic dashboard query
 * passes with room to spare and query bombs (deep nesting, alias floods, huge documents) are
 * refused before execution with a clear BAD_USER_INPUT. README documents the numbers.
 *
 * Beside them, the checks that make hostile documents and variables a refusal rather than an
 * internal error or a silent change (useDocumentChecks): nesting that would overflow the stack,
 * and literals graphql-jit would alter. test/chaos/fuzz.test.ts found each of them.
 */
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  BREAK, getNamedType, GraphQLError, isSpecifiedScalarType, isScalarType, visit, type ASTNode, type ASTVisitor, type ValidationContext,
} from 'graphql';
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
  /**
   * Brackets open at once in the document ({ [ and ( together), and levels of nested arrays and
   * objects in the variables (the operation's input objects around a payload count: an event's
   * `input` starts four levels down). graphql-js parses, and JSON.stringify writes, recursively:
   * a few thousand levels, well inside the token limit or the body limit, overflow the stack,
   * which would surface as an internal error. No real selection or payload comes near 100.
   */
  maxNesting: 100,
  /**
   * Characters of one name (field, alias, operation, fragment) or number in the document. Our
   * names are a few dozen characters; a multi-megabyte one took graphql-js over two seconds to
   * refuse (and was echoed back whole in the error).
   */
  maxNameLength: 1024,
  /**
   * Characters of the document. Yoga caches up to 1,024 parsed documents (and as many parse
   * errors) keyed by their full text, and parses before it authenticates: without this bound,
   * anyone could pin 1,024 bodies' worth of distinct documents in memory (40 distinct 8 MB
   * comments held 345 MB). 10,000 tokens of our names fit in well under this; large values
   * belong in variables, which are never cached.
   */
  maxDocumentLength: 100_000,
  /**
   * Characters of strings in a subscription's variables. A subscription holds its arguments for
   * as long as it runs, and a socket may run hundreds: at the body limit each, one client could
   * pin gigabytes. A filter or a key needs a few hundred characters.
   */
  maxSubscriptionVariablesLength: 65_536,
} as const;

const refusal = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * The deepest bracket nesting of a GraphQL source and its longest name or number, skipping
 * strings, block strings and comments. A linear scan with no recursion, so it is safe on any
 * input, run before the parser (whose recursion a few thousand brackets overflow).
 */
export function documentShape(source: string): { nesting: number; longestName: number } {
  let depth = 0;
  let nesting = 0;
  let longestName = 0;
  let run = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    const nameChar = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (nameChar) {
      run++;
      if (run > longestName) longestName = run;
      continue;
    }
    run = 0;
    if (c === 35 /* # */) {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === 34 /* " */) {
      if (source.startsWith('"""', i)) {
        // Inside a block string only \""" escapes the delimiter.
        let close = source.indexOf('"""', i + 3);
        while (close !== -1 && source[close - 1] === '\\') close = source.indexOf('"""', close + 3);
        i = close === -1 ? source.length : close + 2;
      } else {
        for (i++; i < source.length && source[i] !== '"' && source[i] !== '\n'; i++) {
          if (source[i] === '\\') i++;
        }
      }
    } else if (c === 123 || c === 91 || c === 40 /* { [ ( */) {
      depth++;
      if (depth > nesting) nesting = depth;
    } else if (c === 125 || c === 93 || c === 41 /* } ] ) */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return { nesting, longestName };
}

/**
 * The deepest nesting of arrays and objects in a JSON-like value, and the characters of its
 * strings (keys included). Stops descending once the nesting passes `limit`, so its recursion is
 * at most `limit + 1` deep whatever the input. It runs on every request's variables (a
 * 1000-event batch holds some 50,000 values), so it allocates nothing per value: an explicit
 * stack of [value, depth] pairs and Object.entries arrays made it a tenth of ingest's CPU time.
 */
export function valueShape(value: unknown, limit: number = Number.POSITIVE_INFINITY): Shape {
  const shape: Shape = { nesting: 0, stringLength: typeof value === 'string' ? value.length : 0 };
  measureNesting(value, 1, limit, shape);
  return shape;
}

type Shape = { nesting: number; stringLength: number };

function measureNesting(value: unknown, level: number, limit: number, shape: Shape): void {
  if (value === null || typeof value !== 'object') return;
  if (level > shape.nesting) shape.nesting = level;
  if (level > limit) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && shape.nesting <= limit; i++) measureChild(value[i], level, limit, shape);
    return;
  }
  for (const key in value) {
    if (shape.nesting > limit) return;
    shape.stringLength += key.length;
    measureChild((value as Record<string, unknown>)[key], level, limit, shape);
  }
}

function measureChild(child: unknown, parentLevel: number, limit: number, shape: Shape): void {
  if (typeof child === 'string') shape.stringLength += child.length;
  else measureNesting(child, parentLevel + 1, limit, shape);
}

/**
 * Literals that graphql-jit, which runs our queries and mutations, would quietly turn into
 * something else, refused so a client hears of it:
 * - a Float literal past a double's range (`1e400`), which becomes Infinity: no JSON response
 *   can carry it and no stored value should hold it;
 * - inside a literal of a custom scalar (JSON): a variable, which graphql-jit resolves against no
 *   variables at all, so the value vanishes; and an object field named `__proto__`, which its
 *   compiled code turns into the object's prototype, so the key vanishes and its content is
 *   inherited by the value a resolver reads. Through variables both arrive intact.
 */
function literalRule(context: ValidationContext): ASTVisitor {
  const report = (node: ASTNode, message: string) =>
    context.reportError(new GraphQLError(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } }));
  const checkCustomScalarLiteral = (node: ASTNode) => {
    const type = context.getInputType();
    const named = type ? getNamedType(type) : undefined;
    if (!named || !isScalarType(named) || isSpecifiedScalarType(named)) return undefined;
    visit(node, {
      Variable(variable) {
        report(variable, `a ${named.name} literal cannot hold a variable ($${variable.name.value}): pass the whole value as a variable`);
        return BREAK;
      },
      ObjectField(field) {
        if (field.name.value !== '__proto__') return undefined;
        report(field, `a ${named.name} literal cannot hold the key __proto__: pass the value as a variable`);
        return BREAK;
      },
    });
    return false; // checked as a whole
  };
  return {
    FloatValue(node) {
      if (!Number.isFinite(Number.parseFloat(node.value))) report(node, `the number ${node.value.slice(0, 40)} is out of range for a Float`);
    },
    ObjectValue: checkCustomScalarLiteral,
    ListValue: checkCustomScalarLiteral,
  };
}

function variablesRefusal(variables: unknown, subscription: boolean): GraphQLError | null {
  const shape = valueShape(variables, COST_LIMITS.maxNesting + 1);
  // The variables object itself is one level: count what the client nested inside it.
  if (shape.nesting > COST_LIMITS.maxNesting + 1) return refusal(`variables are nested more than ${COST_LIMITS.maxNesting} levels deep`);
  if (subscription && shape.stringLength > COST_LIMITS.maxSubscriptionVariablesLength) {
    return refusal(`a subscription's variables hold ${shape.stringLength} characters, more than ${COST_LIMITS.maxSubscriptionVariablesLength}`);
  }
  return null;
}

/** The checks graphql-armor does not make: nesting of the document and the variables, literals graphql-jit would alter. */
function useDocumentChecks(): Plugin {
  return {
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (source.length > COST_LIMITS.maxDocumentLength) {
        throw refusal(`the document has ${source.length} characters, more than ${COST_LIMITS.maxDocumentLength}: send large values as variables`);
      }
      const shape = documentShape(source);
      if (shape.nesting > COST_LIMITS.maxNesting) {
        throw refusal(`the document nests brackets more than ${COST_LIMITS.maxNesting} levels deep`);
      }
      if (shape.longestName > COST_LIMITS.maxNameLength) {
        throw refusal(`the document holds a name or number of ${shape.longestName} characters, more than ${COST_LIMITS.maxNameLength}`);
      }
    },
    onValidate({ addValidationRule }) {
      addValidationRule(literalRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const error = variablesRefusal(args.variableValues, false);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = variablesRefusal(args.variableValues, true);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

export function useCostLimits(): Plugin {
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(useDocumentChecks());
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
