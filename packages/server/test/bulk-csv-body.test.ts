import { internalContext } from '@incident-insights/engine/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.close();
});

const header = 'external_id,title,severity,created_at';

/** POSTs `body` as `text/csv` to the bulk endpoint as the analyst. */
function postCsv(body: Uint8Array<ArrayBuffer>) {
  return s.fetch('/api/incidents/bulk/', {
    method: 'POST',
    as: 'analyst',
    headers: { 'Content-Type': 'text/csv' },
    body,
  });
}

/** The stored titles of the given external ids, in that order. */
async function titles(...externalIds: string[]): Promise<string[]> {
  const rows = (await internalContext(s.engine).db.all(
    'SELECT external_id, title FROM incidents WHERE list_contains($ids, external_id)',
    { ids: externalIds },
  )) as { external_id: string; title: string }[];
  return externalIds.map((id) => rows.find((r) => r.external_id === id)?.title ?? '(none)');
}

describe('POST /api/incidents/bulk/ with a CSV body', () => {
  it('stores UTF-8 text as written, a byte-order mark left out', async () => {
    const body = new TextEncoder().encode(
      `\ufeff${header}\nU-1,Ünïcode dïsk,LOW,2026-01-02T03:04:05Z\nU-2,Plain,HIGH,2026-01-02\n`,
    );
    const response = await postCsv(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: 2, inserted: 2, updated: 0 });
    expect(await titles('U-1', 'U-2')).toEqual(['Ünïcode dïsk', 'Plain']);
  });

  it('reads a byte that is not UTF-8 as the replacement character, as a text body always was', async () => {
    const body = new TextEncoder().encode(`${header}\nX-1,Disk full,LOW,2026-01-02T03:04:05Z\n`);
    body[body.indexOf(0x20, header.length)] = 0xff; // the space of "Disk full"
    const response = await postCsv(body);
    expect(response.status).toBe(200);
    expect(await titles('X-1')).toEqual(['Disk\ufffdfull']);
  });
});
