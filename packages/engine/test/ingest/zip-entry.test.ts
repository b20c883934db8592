import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PassThrough, Readable } from 'node:stream';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { firstZipEntry } from '../../src/ingest/readers/zip-entry.ts';

const dir = mkdtempSync(join(tmpdir(), 'zip-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Text that deflates to about 3 MB, so the archive is read in several 1 MB chunks (seeded). */
function seededText(bytes: number): Buffer {
  let state = 12345;
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = 32 + ((state >>> 16) % 95);
  }
  return out;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function archive(name: string, content: Uint8Array, level: 0 | 6): { path: string; bytes: Uint8Array } {
  const bytes = zipSync({ [name]: [content, { level }], 'second.txt': new Uint8Array([1, 2, 3]) });
  const path = join(dir, `${name}-${level}.zip`);
  writeFileSync(path, bytes);
  return { path, bytes };
}

describe('firstZipEntry', () => {
  const content = seededText(4_000_000);

  it('gives back the first file of a deflated archive byte for byte, from a file and from memory', async () => {
    const { path, bytes } = archive('log.csv', content, 6);
    expect(bytes.length).toBeGreaterThan(2 << 20);
    expect((await collect(firstZipEntry({ path }))).equals(content)).toBe(true);
    expect((await collect(firstZipEntry({ data: bytes }))).equals(content)).toBe(true);
  });

  it('gives back a stored (uncompressed) first file as it is', async () => {
    const { path } = archive('stored.csv', content.subarray(0, 100_000), 0);
    expect((await collect(firstZipEntry({ path }))).equals(content.subarray(0, 100_000))).toBe(true);
  });

  it('fails, and does not hang, on a deflate stream that is corrupt or cut short', async () => {
    const { bytes } = archive('bad.csv', content.subarray(0, 200_000), 6);
    const corrupt = Uint8Array.from(bytes);
    // The local header of the first entry is 30 bytes and its name; the deflate data follows.
    corrupt.fill(0xff, 60, 4_000);
    await expect(collect(firstZipEntry({ data: corrupt }))).rejects.toThrow();
    const cut = bytes.subarray(0, 50_000);
    await expect(collect(firstZipEntry({ data: cut }))).rejects.toThrow();
  });

  it('holds back the inflating while the reader does not read (32 MiB that deflate to 32 KB)', async () => {
    const zeros = new Uint8Array(32 << 20);
    const { path, bytes } = archive('zeros.csv', zeros, 6);
    expect(bytes.length).toBeLessThan(1 << 20);
    for (const stream of [firstZipEntry({ path }), firstZipEntry({ data: bytes })]) {
      // Unbounded, zlib inflates the whole entry into the stream's buffer in these 300 ms.
      await new Promise((done) => setTimeout(done, 300));
      expect(stream.readableLength + (stream as PassThrough).writableLength).toBeLessThan(8 << 20);
      let total = 0;
      for await (const chunk of stream) total += (chunk as Buffer).length;
      expect(total).toBe(zeros.length);
    }
  });

  it('refuses an archive that holds no file', async () => {
    const empty = zipSync({});
    await expect(collect(firstZipEntry({ data: empty }))).rejects.toThrow(/holds no file/);
  });
});
