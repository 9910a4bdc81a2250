// A local server speaking the OpenAI embeddings protocol (the remote API is the one thing outside our system).
// It embeds with the same lexical hashing as the builtin model, so results are meaningful and deterministic.
import http from 'node:http';
import { lexicalEmbedding } from '../../src/modules/embedmodels/lexical-embedder.js';
export async function startEmbeddingServer(dimensions) {
    const requests = [];
    let failures = { status: 0, times: 0 };
    const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += d.toString()));
        req.on('end', () => {
            if (req.method !== 'POST' || req.url !== '/v1/embeddings')
                return void res.writeHead(404).end();
            const { model, input } = JSON.parse(body);
            requests.push({ model, inputs: input.length, authorization: req.headers.authorization, at: performance.now() });
            if (failures.times > 0) {
                failures.times -= 1;
                return void res
                    .writeHead(failures.status, { 'content-type': 'application/json', ...failures.headers })
                    .end(failures.body ?? '{"error":"busy"}');
            }
            if (req.headers.authorization !== 'Bearer sk-test') {
                return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
            }
            const data = input.map((text, index) => ({ object: 'embedding', index, embedding: lexicalEmbedding(text, dimensions) }));
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model }));
        });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
        baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
        requests,
        failNext(status, times, reply) {
            failures = { status, times, ...reply };
        },
        close: () => new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
}
//# sourceMappingURL=embedding-server.js.map