/**
 * GraphQL Code Generator: typed documents for every client of the API, from the committed
 * schema.graphql, offline. `npm run generate` writes them; `npm run check` fails when stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'test/generated/': {
      preset: 'client',
      documents: ['test/**/*.ts', '!test/generated/**'],
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        // NodeNext resolution needs explicit extensions on relative imports.
        emitLegacyCommonJSImports: false,
      },
    },
    // The SDK's documents as plain strings: sending them needs no `graphql` runtime.
    'src/sdk/generated/': {
      preset: 'client',
      documents: ['src/sdk/**/*.ts', '!src/sdk/generated/**'],
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        scalars: { DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        emitLegacyCommonJSImports: false,
      },
    },
  },
};

export default config;
