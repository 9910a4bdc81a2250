import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents, from the committed schema.graphql: `graphql()` in client/src (the SDK) and in test/**/*.ts.
const presetOutput = (documents: string[]) => ({
  documents,
  preset: 'client' as const,
  config: {
    emitLegacyCommonJSImports: false,
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { DateTime: 'string', JSON: 'unknown', SafeInt: 'number' },
  },
  presetConfig: { fragmentMasking: false },
});

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'client/src/gql/': presetOutput(['client/src/**/*.ts', '!client/src/gql/**']),
    'test/gql/': presetOutput(['test/**/*.ts', '!test/gql/**']),
  },
};
export default config;
