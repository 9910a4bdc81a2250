import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents for the tests (and an example for client apps): `graphql()` in test/**/*.ts is typed from
// the committed schema.graphql.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'test/gql/': {
      preset: 'client',
      config: {
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown', SafeInt: 'number' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
