// Requests the server makes on a tenant's behalf cannot be aimed at the server's own network: an embedding model
// or a contentUrl that redirects to loopback, a model host that rebinds to loopback after registration, IPv4
// hidden in IPv6 — refused, with typed errors, and the loopback listener never sees a connection, let alone the
// model's API key. DOCSTORE_ALLOW_PRIVATE_URLS is off; the test classification (test/support/outbound.ts) makes
// 127.0.0.2 a public host and 127.0.0.1 the private one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { createTenant, type TenantFixture } from '../support/fixtures.js';
import { ok, payload, startTestApp, waitFor, type TestApp } from '../support/harness.js';
import {
  embeddingsHandler,
  listen,
  PRIVATE_HOST,
  PUBLIC_HOST,
  redirectTo,
  testGuard,
  twinListeners,
  type Handler,
  type Listener,
} from '../support/outbound.js';

const Register = graphql(`
  mutation OutboundRegisterModel($input: RegisterEmbedModelInput!) {
    registerEmbedModel(input: $input) {
      __typename
      ... on RegisterEmbedModelPayload { embedModel { id name } }
      ... on Error { code message }
      ... on ValidationError { fields { path message } }
    }
  }
`);

const CreateStore = graphql(`
  mutation OutboundCreateStore($input: CreateVectorStoreInput!) {
    createVectorStore(input: $input) {
      __typename
      ... on CreateVectorStorePayload { vectorStore { id } }
      ... on Error { code message }
    }
  }
`);

const CreateFile = graphql(`
  mutation OutboundCreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { file { id } }
      ... on Error { code message }
    }
  }
`);

const StoreFiles = graphql(`
  query OutboundStoreFiles($id: ID!) {
    vectorStore(id: $id) { files(first: 5) { edges { node { status lastError } } } }
  }
`);

const Search = graphql(`
  query OutboundSearch($input: SearchVectorStoreInput!) {
    searchVectorStore(input: $input) {
      __typename
      ... on SearchVectorStorePayload { documents { score } }
      ... on Error { code message }
    }
  }
`);

const DIMENSIONS = 16;
const KEY = 'sk-test';

let t: TestApp;
let acme: TenantFixture;
/** The internal service an attacker aims at (127.0.0.1). It would accept the key if it ever received it. */
let inside: Listener;
/** A public embedding model (127.0.0.2). */
let model: Listener;
/** A public host that redirects wherever the path says: /<status>/model → the inside model, /<status>/doc → a file. */
let redirector: Listener;
/** model.test answers 127.0.0.2 at registration and 127.0.0.1 ever after; both listen on one port. */
let rebinding: { pub: Listener; priv: Listener };

const register = async (name: string, baseUrl: string) =>
  ok(await t.gql(Register, { input: { name, provider: 'OPENAI_COMPATIBLE', baseUrl, model: 'm', dimensions: DIMENSIONS, apiKey: KEY } }, acme.key))
    .registerEmbedModel;

beforeAll(async () => {
  inside = await listen(PRIVATE_HOST, (request, res) =>
    request.url.endsWith('/embeddings') ? embeddingsHandler(DIMENSIONS, KEY)(request, res) : void res.end('internal secret'),
  );
  model = await listen(PUBLIC_HOST, embeddingsHandler(DIMENSIONS, KEY));
  redirector = await listen(PUBLIC_HOST, (request, res) => {
    const [, status, what] = request.url.split('/');
    const target = what === 'doc' ? `${inside.origin}/secret.txt` : `${inside.origin}/v1/embeddings`;
    redirectTo(Number(status), target)(request, res);
  });
  // The rebinding server closes each connection, so that every call has to connect (and resolve) again.
  const closing = (handler: Handler): Handler => (request, res) => (res.setHeader('connection', 'close'), handler(request, res));
  rebinding = await twinListeners(closing(embeddingsHandler(DIMENSIONS, KEY)), embeddingsHandler(DIMENSIONS, KEY));
  t = await startTestApp({
    env: { DOCSTORE_ALLOW_PRIVATE_URLS: 'false' },
    outboundGuard: testGuard({ 'model.test': [[PUBLIC_HOST], [PRIVATE_HOST]] }),
  });
  acme = await createTenant(t, 'outbound');
});

afterAll(async () => {
  await t?.close();
  await Promise.all([inside, model, redirector, rebinding?.pub, rebinding?.priv].map((l) => l?.close()));
});

describe('remote embedding models', () => {
  it('registers a model on a public address', async () => {
    const registered = await register('public', `${model.origin}/v1`);
    expect(registered).toMatchObject({ __typename: 'RegisterEmbedModelPayload' });
    expect(model.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('refuses a model whose endpoint redirects to loopback, and the loopback listener never sees the key', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const refused = await register(`redirect-${status}`, `${redirector.origin}/${status}/model/v1`);
      if (status === 307 || status === 308) {
        // The POST would keep its body and key: not followed to another origin at all.
        expect(refused, String(status)).toMatchObject({ __typename: 'EmbeddingFailedError', message: expect.stringMatching(/redirected a POST to another origin/) });
      } else {
        // Followed as a GET without the key, and refused at the address.
        expect(refused, String(status)).toMatchObject({
          __typename: 'ValidationError',
          message: expect.stringMatching(/^baseUrl: 127\.0\.0\.1 is a private or local address \(redirected to /),
          fields: [{ path: ['baseUrl'] }],
        });
      }
    }
    expect(inside.connections).toBe(0);
  });

  it('never calls a registered model whose name now resolves to loopback: searches fail typed, indexing with a readable lastError', async () => {
    const registered = payload(await register('rebinding', `http://model.test:${rebinding.pub.port}/v1`), 'RegisterEmbedModelPayload');
    expect(rebinding.pub.requests).toHaveLength(1);
    const store = payload(
      ok(await t.gql(CreateStore, { input: { name: 'rebinding', embedModelId: registered.embedModel.id } }, acme.key)).createVectorStore,
      'CreateVectorStorePayload',
    ).vectorStore;

    const search = ok(await t.gql(Search, { input: { vectorStoreId: store.id, query: 'anything', mode: 'VECTOR' } }, acme.key)).searchVectorStore;
    expect(search).toMatchObject({ __typename: 'EmbeddingFailedError', message: expect.stringMatching(/model\.test resolves to a private or local address/) });

    payload(
      ok(await t.gql(CreateFile, { input: { name: 'a.txt', content: 'some text to index', vectorStore: { vectorStoreId: store.id } } }, acme.key)).createFile,
      'CreateFilePayload',
    );
    const failed = await waitFor('the file fails', async () => {
      const edges = ok(await t.gql(StoreFiles, { id: store.id }, acme.key)).vectorStore?.files.edges ?? [];
      const node = edges[0]?.node;
      return { done: node?.status === 'FAILED' && node, progress: node?.status };
    });
    expect(failed.lastError).toMatch(/^embedding service request refused: model\.test resolves to a private or local address/);
    expect(rebinding.priv.connections).toBe(0);
    expect(rebinding.pub.requests).toHaveLength(1);
  });

  it('reports an unresolvable model host as a ValidationError, not an internal error', async () => {
    const result = await register('nowhere', 'http://does-not-exist.invalid/v1');
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      message: expect.stringMatching(/^baseUrl: does-not-exist\.invalid cannot be resolved/),
      fields: [{ path: ['baseUrl'] }],
    });
  });

  it('refuses IPv4 hidden in IPv6', async () => {
    for (const host of ['[::ffff:7f00:1]', '[::ffff:127.0.0.1]', '[64:ff9b::7f00:1]', '[::7f00:1]']) {
      const result = await register(`hidden-${host}`, `http://${host}:${inside.port}/v1`);
      expect(result, host).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/private or local/) });
    }
    expect(inside.connections).toBe(0);
  });
});

describe('contentUrl', () => {
  const create = async (contentUrl: string) => ok(await t.gql(CreateFile, { input: { name: 'doc.txt', contentUrl } }, acme.key)).createFile;

  it('fetches from a public address', async () => {
    const doc = await listen(PUBLIC_HOST, (_req, res) => void res.end('public text'));
    try {
      expect(await create(`${doc.origin}/doc.txt`)).toMatchObject({ __typename: 'CreateFilePayload' });
    } finally {
      await doc.close();
    }
  });

  it('refuses redirects to loopback and IPv4 hidden in IPv6; an unresolvable host is a FetchFailedError', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      expect(await create(`${redirector.origin}/${status}/doc`), String(status)).toMatchObject({
        __typename: 'FetchFailedError',
        message: expect.stringMatching(/private or local/),
      });
    }
    for (const host of ['[::ffff:7f00:1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]', '[::7f00:1]']) {
      expect(await create(`http://${host}:${inside.port}/secret.txt`), host).toMatchObject({
        __typename: 'FetchFailedError',
        message: expect.stringMatching(/private or local/),
      });
    }
    expect(inside.connections).toBe(0);
    expect(await create('http://does-not-exist.invalid/doc.txt')).toMatchObject({
      __typename: 'FetchFailedError',
      message: expect.stringMatching(/does-not-exist\.invalid cannot be resolved/),
    });
  });
});
