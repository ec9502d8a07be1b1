/**
 * What the fuzz run throws at the server: operations built from the served schema's own fields
 * and arguments (mostly well-formed, sometimes wrong on purpose), token soup, and the hostile
 * values of issue 6 (dates, numbers, strings, JSON) as fast-check arbitraries, so a failing case
 * replays from its seed and shrinks.
 */
import fc from 'fast-check';
import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isLeafType, isListType, isNonNullType, isObjectType,
  isScalarType, isUnionType, type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

export type Gen = fc.GeneratorValue;

/** Real values the generated operations reuse, so they reach rows and not only validation. */
export interface Pools {
  ids: string[];
  keys: string[];
  cursors: string[];
  names: string[];
}

export const HOSTILE_STRINGS = [
  '', ' ', 'x', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'a\ud800b', '😀', '\u202e', '%', '_', '\\', "'", '"', "' OR 1=1 --",
  '"; DROP TABLE sessions; --', '%_%', '\\%', '$1', '?', '__proto__', 'constructor', 'prototype', 'null', 'undefined', 'NaN',
  '0', '-1', '1e400', '{"a":1}', '<script>alert(1)</script>', '../../etc/passwd', '\r\n', '\t', 'ß', 'İ', 'ﬁ', 'x'.repeat(201),
  'x'.repeat(1001), 'x'.repeat(5000),
];

export const HOSTILE_DATES = [
  '2026-02-30T00:00:00Z', '2026-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999999Z', '2026-01-01T00:00:00+25:00', '2026-01-01T00:00:00-24:00', '2026-01-01T00:00:00+23:59',
  '2026-01-01T00:00:00.1234567891Z', '2026-01-01T00:00:00.Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z',
  '2026-01-01T23:59:60Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-01-00T00:00:00Z', '2026-01-01',
  '2026-01-01T00:00:00', '2026-01-01 00:00:00Z', '2026-01-01t00:00:00z', '+002026-01-01T00:00:00Z', '-000001-01-01T00:00:00Z',
  '275760-09-13T00:00:00Z', '1999-12-31T23:59:59.999999Z', '2000-01-01T00:00:00Z', '1970-01-01T00:00:00Z', 'now', '',
  '2026-01-01T00:00:00+0100', '2026-01-01T00:00:00+01', '２０２６-01-01T00:00:00Z',
];

/** Numbers as JSON text: some are not JSON at all (NaN), some overflow a double (1e400). */
export const HOSTILE_NUMBER_TEXTS = [
  'NaN', 'Infinity', '-Infinity', '-0', '0', '1e400', '-1e400', '1e308', '-1e308', '5e-324', '1e-400', '9007199254740993',
  '2147483647', '2147483648', '-2147483649', '1.5', '0.1', '1E3', '01', '+1', '.5', '0x10', '1_000',
];

/** Argument names whose values matter most, by what they should hold. */
const ARGUMENT_HINTS: Record<string, 'id' | 'key' | 'cursor' | 'name'> = {
  id: 'id', key: 'key', sessionKey: 'key', parentId: 'key', after: 'cursor', before: 'cursor', name: 'name', agentName: 'name',
};

function printString(value: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters as GraphQL expects.
  return JSON.stringify(value);
}

/** A GraphQL literal for `value` (a JSON value), or a JSON object literal with GraphQL names as keys. */
export function printJsonLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return printString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(printJsonLiteral).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(key));
  return `{${entries.map(([key, inner]) => `${key}: ${printJsonLiteral(inner)}`).join(', ')}}`;
}

class OperationBuilder {
  private readonly variables: string[] = [];
  private readonly values: Record<string, unknown> = {};
  private readonly fragments: string[] = [];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly g: Gen,
    private readonly pools: Pools,
  ) {}

  private pick<T>(items: readonly T[]): T {
    return items[this.g(fc.nat, { max: items.length - 1 })]!;
  }

  private chance(percent: number): boolean {
    return this.g(fc.integer, { min: 1, max: 100 }) <= percent;
  }

  /** A JSON value for an input type, usually a valid one. */
  jsonFor(type: GraphQLInputType, depth = 0): unknown {
    if (this.chance(4)) return this.g(fc.jsonValue, { maxDepth: 2 });
    if (isNonNullType(type)) return this.jsonFor(type.ofType, depth);
    if (this.chance(5)) return null;
    if (isListType(type)) {
      const length = this.g(fc.nat, { max: depth > 2 ? 1 : 3 });
      return Array.from({ length }, () => this.jsonFor(type.ofType, depth + 1));
    }
    if (isEnumType(type)) return this.chance(90) ? this.pick(type.getValues()).name : this.pick(HOSTILE_STRINGS);
    if (isInputObjectType(type)) {
      const value: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        if (isNonNullType(field.type) ? this.chance(97) : this.chance(35)) value[field.name] = this.jsonForNamed(field.name, field.type, depth + 1);
      }
      if (this.chance(5)) value[this.pick(['unknownField', '__proto__', 'constructor'])] = 1;
      return value;
    }
    return this.scalarJson(getNamedType(type).name);
  }

  private jsonForNamed(name: string, type: GraphQLInputType, depth: number): unknown {
    const hint = ARGUMENT_HINTS[name];
    if (hint && isLeafType(getNamedType(type)) && !isListType(isNonNullType(type) ? type.ofType : type) && this.chance(70)) {
      if (hint === 'id' && this.pools.ids.length) return this.pick(this.pools.ids);
      if (hint === 'key' && this.pools.keys.length) return this.pick(this.pools.keys);
      if (hint === 'cursor' && this.pools.cursors.length) return this.pick(this.pools.cursors);
      if (hint === 'name' && this.pools.names.length) return this.pick(this.pools.names);
    }
    return this.jsonFor(type, depth);
  }

  private scalarJson(name: string): unknown {
    switch (name) {
      case 'Int':
        return this.pick([0, 1, -1, 10, 50, 500, 501, 1000, 1001, 2147483647, -2147483648, this.g(fc.integer)]);
      case 'Float':
        return this.pick([0, -0, 1.5, 0.001, -1, 1e308, -1e308, 5e-324, this.g(fc.double, { noNaN: true, noDefaultInfinity: true })]);
      case 'Boolean':
        return this.g(fc.boolean);
      case 'DateTime':
        return this.chance(60) ? new Date(Date.now() - this.g(fc.nat, { max: 86_400_000 })).toISOString() : this.pick(HOSTILE_DATES);
      case 'JSON':
        return this.g(fc.jsonValue, { maxDepth: 3 });
      case 'ID':
        return this.pools.ids.length && this.chance(70) ? this.pick(this.pools.ids) : this.pick(HOSTILE_STRINGS);
      default:
        return this.chance(60) ? this.g(fc.string, { maxLength: 20 }) : this.pick(HOSTILE_STRINGS);
    }
  }

  /** A literal for an input type, or a variable of that type holding a JSON value. */
  literal(name: string, type: GraphQLInputType, depth: number): string {
    if (depth === 0 && this.chance(35)) {
      const variable = `v${this.variables.length}`;
      this.variables.push(`$${variable}: ${this.chance(93) ? String(type) : this.pick(['String', 'Int!', '[ID]', 'JSON', 'Nope'])}`);
      this.values[variable] = this.jsonForNamed(name, type, 0);
      return `$${variable}`;
    }
    if (this.chance(3)) return this.pick(['null', '1', '"x"', 'true', 'NOPE', '[]', '{}', '1e400', '-0.0', '$undeclared']);
    if (isNonNullType(type)) return this.literal(name, type.ofType, depth);
    if (isListType(type)) {
      const length = this.g(fc.nat, { max: depth > 2 ? 1 : 3 });
      return `[${Array.from({ length }, () => this.literal(name, type.ofType, depth + 1)).join(', ')}]`;
    }
    if (isEnumType(type)) return this.chance(92) ? this.pick(type.getValues()).name : this.pick(['NOPE', '"RUNNING"', 'null']);
    if (isInputObjectType(type)) {
      const fields = Object.values(type.getFields())
        .filter((field) => (isNonNullType(field.type) ? this.chance(97) : this.chance(35)))
        .map((field) => `${field.name}: ${this.literal(field.name, field.type, depth + 1)}`);
      if (this.chance(4)) fields.push('unknownField: 1');
      return `{${fields.join(', ')}}`;
    }
    const scalar = getNamedType(type).name;
    if (scalar === 'JSON') return printJsonLiteral(this.g(fc.jsonValue, { maxDepth: 3 }));
    const value = this.jsonForNamed(name, type, depth);
    return typeof value === 'string' ? printString(value) : printJsonLiteral(value);
  }

  private directives(): string {
    if (!this.chance(15)) return '';
    const count = this.g(fc.integer, { min: 1, max: 3 });
    return Array.from({ length: count }, () =>
      this.pick(['@skip(if: false)', '@skip(if: true)', '@include(if: true)', '@include(if: false)', '@deprecated', '@nope', '@skip', '@include(if: "yes")']),
    ).map((directive) => ` ${directive}`).join('');
  }

  private argumentsOf(args: readonly GraphQLArgument[]): string {
    const given = args
      .filter((arg) => (isNonNullType(arg.type) ? this.chance(96) : this.chance(45)))
      .map((arg) => `${arg.name}: ${this.literal(arg.name, arg.type, 0)}`);
    if (this.chance(3)) given.push('bogus: 1');
    return given.length ? `(${given.join(', ')})` : '';
  }

  /** A selection set on a composite type. */
  selection(type: GraphQLNamedType, depth: number): string {
    const parts: string[] = [];
    const count = this.g(fc.integer, { min: 1, max: depth === 0 ? 3 : 4 });
    for (let i = 0; i < count; i++) {
      if (isUnionType(type) || (isInterfaceType(type) && this.chance(40))) {
        const possible = this.schema.getPossibleTypes(type as never);
        const target = this.pick(possible);
        parts.push(`... on ${target.name} { ${this.selection(target, depth + 1)} }`);
        continue;
      }
      if (this.chance(8)) {
        parts.push('__typename');
        continue;
      }
      const fields = Object.values((type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields());
      const field = this.pick(fields);
      const alias = this.chance(12) ? `a${i}_${depth}: ` : '';
      const inner = getNamedType(field.type);
      let sub = '';
      if (!isLeafType(inner)) {
        if (depth >= 4 || this.chance(3)) sub = this.chance(50) ? ' { __typename }' : '';
        else if (this.chance(10)) {
          const name = `F${this.fragments.length}`;
          this.fragments.push(`fragment ${name} on ${inner.name} { ${this.selection(inner, depth + 1)} }`);
          sub = ` { ...${name} }`;
        } else sub = ` { ${this.selection(inner, depth + 1)} }`;
      } else if (this.chance(2)) sub = ' { nope }';
      parts.push(`${alias}${field.name}${this.argumentsOf(field.args)}${this.directives()}${sub}`);
    }
    return parts.join(' ');
  }

  build(operation: 'query' | 'mutation' | 'subscription'): { query: string; variables: Record<string, unknown> } {
    const root = operation === 'query' ? this.schema.getQueryType() : operation === 'mutation' ? this.schema.getMutationType() : this.schema.getSubscriptionType();
    let body: string;
    if (operation === 'subscription') {
      // One root field, as a subscription must have.
      const field = this.pick(Object.values(root!.getFields()));
      const inner = getNamedType(field.type);
      body = `${field.name}${this.argumentsOf(field.args)} { ${this.selection(inner, 1)} }`;
    } else {
      body = this.selection(root!, 0);
    }
    const header = this.variables.length ? `(${this.variables.join(', ')})` : '';
    const name = this.chance(50) ? ` Fuzz${this.g(fc.nat, { max: 99 })}` : '';
    const head = name || header || this.chance(50) ? `${operation}${name}${header} ` : operation === 'query' ? '' : `${operation} `;
    return { query: [`${head}{ ${body} }`, ...this.fragments].join('\n'), variables: this.values };
  }
}

/** An operation built from the served schema: root fields with arguments, nested selections, variables. */
export function schemaOperation(schema: GraphQLSchema, pools: Pools, operations: ('query' | 'mutation' | 'subscription')[]) {
  return fc.tuple(fc.gen(), fc.constantFrom(...operations)).map(([g, operation]) => new OperationBuilder(schema, g, pools).build(operation));
}

const TOKENS = [
  '{', '}', '(', ')', '[', ']', ':', '=', '@', '$', '!', '|', '&', '...', '"', '"""', '#', ',', '\n', ' ',
  'query', 'mutation', 'subscription', 'fragment', 'on', 'true', 'false', 'null', 'schema', 'type', 'extend', 'directive',
  'viewer', 'role', 'sessions', 'session', 'node', 'id', 'key', 'events', 'edges', 'ingestBatch', 'input', 'first', 'after',
  '__schema', '__type', '__typename', 'Session', 'Event', '1', '-1', '1.5e3', '1e400', '0x1F', '"str"', '"\\u0000"', '"\\ud800"',
  '@skip', '@include', 'if', '$v', 'String', 'Int', 'ID!', '[String!]!', '\u0000', '\ufeff', '😀',
];

/** Random sequences of GraphQL tokens and stray characters. */
export const tokenSoup = fc
  .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) }), {
    maxLength: 80,
  })
  .chain((tokens) => fc.constantFrom(' ', '', '\n').map((separator) => tokens.join(separator)));

/** A value built by a recipe, as JSON text: nesting as deep as asked, without recursion. */
export function nestedJsonText(depth: number, shape: 'array' | 'object' | 'mixed', leaf = '1'): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const asArray = shape === 'array' || (shape === 'mixed' && i % 2 === 0);
    open += asArray ? '[' : '{"d":';
    close = (asArray ? ']' : '}') + close;
  }
  return open + leaf + close;
}

/** The same nesting as a GraphQL value literal. */
export function nestedLiteral(depth: number, shape: 'array' | 'object' | 'mixed'): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const asArray = shape === 'array' || (shape === 'mixed' && i % 2 === 0);
    open += asArray ? '[' : '{d: ';
    close = (asArray ? ']' : '}') + close;
  }
  return `${open}1${close}`;
}

/** Keys that are dangerous on plain objects, and ordinary ones to mix with them. */
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isAdmin', 'polluted'];

/**
 * A JSON object text whose keys include __proto__ and friends at any level. Built as text,
 * because an object literal's `__proto__` sets a prototype instead of making a key.
 */
export const protoJsonText: fc.Arbitrary<string> = fc.letrec<{ value: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', '"x"', 'true', 'null', '{"polluted":"yes"}', '[1,2]'),
    tie('object'),
  ),
  object: fc
    .uniqueArray(fc.tuple(fc.constantFrom(...PROTO_KEYS), tie('value')), { minLength: 1, maxLength: 4, selector: ([key]) => key })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
})).object;

/** Canonical text of a JSON value: keys sorted at every level; reads own `__proto__` keys as data. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(Object.getOwnPropertyDescriptor(value, key)!.value)}`).join(',')}}`;
}

/** Bytes that are not UTF-8: stray continuation bytes, overlong forms, surrogates, truncated sequences. */
export const INVALID_UTF8_SEQUENCES: readonly number[][] = [
  [0xff], [0xfe], [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc3], [0x00],
];
