// Embeds the engine in a plain Node HTTP service (node:http, no framework): one engine per process,
// opened before the server listens and closed after it stops.
//
//   POST /incidents          body: one incident or an array of them (the library's record fields)
//   GET  /incidents?severity=HIGH&page=1
//
// Run from the repository root (PORT defaults to a free port; the URL is printed on stdout):
//   npx tsx --conditions=@incident-insights/source examples/embed-in-service.mjs
// Stop it with Ctrl-C or SIGTERM: it stops accepting requests, then closes the engine.
import { createServer } from 'node:http';
import { isEngineError, openEngine } from '@incident-insights/engine';

const engine = await openEngine({ path: process.env.INSIGHTS_DB ?? ':memory:' });

/** HTTP status for each error code the engine throws on purpose; anything else is a 500. */
const statusOf = { VALIDATION_ERROR: 400, NOT_FOUND: 404, CONFLICT: 409, FORBIDDEN: 403 };

const server = createServer(async (request, response) => {
  const reply = (status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  try {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'POST' && url.pathname === '/incidents') {
      const body = JSON.parse(await readBody(request));
      const report = await engine.incidents.ingest({ records: Array.isArray(body) ? body : [body] });
      return reply(201, report);
    }
    if (request.method === 'GET' && url.pathname === '/incidents') {
      const severity = url.searchParams.get('severity');
      const page = await engine.incidents.list({
        page: Number(url.searchParams.get('page') ?? 1),
        ordering: 'created_at',
        ...(severity ? { filters: { severity } } : {}),
      });
      return reply(200, page);
    }
    return reply(404, { code: 'NOT_FOUND', message: `no route ${request.method} ${url.pathname}` });
  } catch (error) {
    if (error instanceof SyntaxError) return reply(400, { code: 'VALIDATION_ERROR', message: error.message });
    if (isEngineError(error)) {
      return reply(statusOf[error.code] ?? 500, {
        code: error.code,
        message: error.message,
        details: error.details,
      });
    }
    console.error(error);
    return reply(500, { code: 'INTERNAL_ERROR', message: 'internal error' });
  }
});

/** The request body as text. */
async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`listening on http://127.0.0.1:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close(async () => {
      await engine.close();
      console.log('stopped');
    });
  });
}
