import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { Unzip, UnzipInflate } from 'fflate';
import { EngineError } from '../../errors.ts';

/** True when `bytes` start like a zip archive (`PK\x03\x04`). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Streams the first file of a zip archive (stored or deflated), decompressed with fflate's
 * streaming `Unzip`, as a byte stream; the compressed file is read in chunks, with backpressure.
 * Cost: one pass; memory bounded by the stream buffers.
 *
 * @throws (through the stream) EngineError VALIDATION_ERROR when the archive holds no file.
 */
export function firstZipEntry(input: { readonly path: string } | { readonly data: Uint8Array }): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let source: Readable | undefined;
  let found = false;
  const unzip = new Unzip((file) => {
    if (found) return;
    found = true;
    file.ondata = (error, chunk, final) => {
      if (error) {
        out.destroy(error);
        return;
      }
      if (!out.write(chunk) && source) {
        source.pause();
        out.once('drain', () => source?.resume());
      }
      if (final) out.end();
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const finish = () => {
    if (!found) out.destroy(new EngineError('VALIDATION_ERROR', 'the zip archive holds no file'));
  };
  if ('path' in input) {
    source = createReadStream(input.path, { highWaterMark: 1 << 20 });
    source.on('data', (chunk) => {
      try {
        unzip.push(chunk as Buffer);
      } catch (error) {
        out.destroy(error as Error);
      }
    });
    source.on('end', () => {
      unzip.push(new Uint8Array(0), true);
      finish();
    });
    source.on('error', (error) => out.destroy(error));
    out.on('close', () => source?.destroy());
  } else {
    queueMicrotask(() => {
      try {
        unzip.push(input.data, true);
        finish();
      } catch (error) {
        out.destroy(error as Error);
      }
    });
  }
  return out;
}
