/**
 * The schema builder: plugins, scalars and auth scopes. No domain types here (see schema/).
 */
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, Kind, valueFromASTUntyped } from 'graphql';
import type { Context } from './context.js';
import { forbidden } from './errors.js';
import type PrismaTypes from './generated/pothos-prisma-types.js';
import { getDatamodel } from './generated/pothos-prisma-types.js';
import { formatRfc3339, microsFromDate, parseRfc3339, type Micros } from './lib/micros.js';

export interface AuthScopes {
  /** READ and ADMIN: every query and subscription. */
  read: boolean;
  /** INGEST and ADMIN: sessions and batches. */
  ingest: boolean;
  /** ADMIN: key management. */
  admin: boolean;
  /** Any valid key. */
  authenticated: boolean;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Micros; Output: Micros | bigint | Date };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (context) => context.services.db.prisma,
    dmmf: getDatamodel(),
    // Relations are loaded per request through Pothos' own batching when not selected up front.
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  scopeAuth: {
    authScopes: (context) => {
      const role = context.caller?.role;
      return {
        read: role === 'READ' || role === 'ADMIN',
        ingest: role === 'INGEST' || role === 'ADMIN',
        admin: role === 'ADMIN',
        authenticated: role !== undefined,
      };
    },
    // Checked when a subscription starts, not on every event it delivers.
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, context, info) =>
      forbidden(`an API key with role ${context.caller?.role ?? 'none'} may not use ${info.parentType.name}.${info.fieldName}`),
  },
});

builder.scalarType('DateTime', {
  description:
    "RFC 3339 date-time. Input accepts any offset and up to 9 fractional digits; output is UTC with\na 'Z' suffix and exactly 6 fractional digits. Microseconds survive a round trip unchanged.",
  serialize: (value) => formatRfc3339(toMicros(value)),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an RFC 3339 string');
    return parseDateTime(ast.value);
  },
});

function toMicros(value: Micros | bigint | Date): Micros {
  if (value instanceof Date) return microsFromDate(value);
  return Number(value);
}

function parseDateTime(value: unknown): Micros {
  const micros = typeof value === 'string' ? parseRfc3339(value) : null;
  if (micros === null) {
    throw new GraphQLError(
      `DateTime must be an RFC 3339 date-time such as 2026-01-31T12:00:00.123456Z (got ${JSON.stringify(value)?.slice(0, 60)})`,
    );
  }
  return micros;
}

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

builder.queryType({});
builder.mutationType({});
