import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import {
  type AsyncFlateStreamHandler,
  type FlateError,
  Unzip,
  type UnzipDecoder,
  type UnzipDecoderConstructor,
} from 'fflate';
import { EngineError } from '../../errors.ts';

/** True when `bytes` start like a zip archive (`PK\x03\x04`). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * A deflate decoder for fflate's `Unzip` that inflates with Node's zlib (native), and hands each
 * zlib stream it opens to `opened`, so the caller can apply backpressure to it. It inflates the UCI
 * ServiceNow log (46 MB) in 0.06 s where fflate's own inflate in JS takes 0.20 s, and leaves the
 * garbage collector less to do. fflate still reads the archive.
 */
function nativeInflate(opened: (inflate: InflateRaw) => void): UnzipDecoderConstructor {
  return class NativeInflate implements UnzipDecoder {
    static readonly compression = 8;
    ondata: AsyncFlateStreamHandler = () => {};
    private readonly inflate = createInflateRaw();

    constructor() {
      // zlib's output is never backed by a SharedArrayBuffer.
      this.inflate.on('data', (chunk: Buffer) => this.ondata(null, chunk as Uint8Array<ArrayBuffer>, false));
      this.inflate.on('end', () => this.ondata(null, new Uint8Array(0), true));
      this.inflate.on('error', (error: NodeJS.ErrnoException) => {
        const failed: FlateError = Object.assign(new Error(error.message), { code: error.errno ?? 0 });
        this.ondata(failed, new Uint8Array(0), false);
      });
      opened(this.inflate);
    }

    push(chunk: Uint8Array, final: boolean): void {
      // fflate may reuse the chunk's memory once `push` returns; zlib reads it later.
      this.inflate.write(Buffer.from(chunk));
      if (final) this.inflate.end();
    }
  };
}

/**
 * Streams the first file of a zip archive (stored or deflated), read by fflate's streaming `Unzip`
 * and inflated by zlib ({@link nativeInflate}), as a byte stream; the compressed file is read in
 * chunks, with backpressure. Cost: one pass; memory bounded by the stream buffers.
 *
 * @throws (through the stream) EngineError VALIDATION_ERROR when the archive holds no file.
 */
export function firstZipEntry(input: { readonly path: string } | { readonly data: Uint8Array }): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let source: Readable | undefined;
  // The zlib stream of a deflated entry. Backpressure runs down the chain: a full `out` pauses its
  // output, its full input then pauses the file. A stored entry has none: a full `out` pauses the file.
  let inflate: InflateRaw | undefined;
  let found = false;
  const unzip = new Unzip((file) => {
    if (found) return;
    found = true;
    file.ondata = (error, chunk, final) => {
      if (error) {
        out.destroy(error);
        return;
      }
      if (!out.write(chunk)) {
        const paused = inflate ?? source;
        paused?.pause();
        out.once('drain', () => paused?.resume());
      }
      if (final) out.end();
    };
    file.start();
  });
  unzip.register(
    nativeInflate((opened) => {
      inflate = opened;
    }),
  );
  const finish = () => {
    if (!found) out.destroy(new EngineError('VALIDATION_ERROR', 'the zip archive holds no file'));
  };
  out.on('close', () => {
    source?.destroy();
    inflate?.destroy();
  });
  if ('path' in input) {
    const file = createReadStream(input.path, { highWaterMark: 1 << 20 });
    source = file;
    file.on('data', (chunk) => {
      try {
        unzip.push(chunk as Buffer);
      } catch (error) {
        out.destroy(error as Error);
        return;
      }
      if (inflate?.writableNeedDrain) {
        file.pause();
        inflate.once('drain', () => file.resume());
      }
    });
    file.on('end', () => {
      unzip.push(new Uint8Array(0), true);
      finish();
    });
    file.on('error', (error) => out.destroy(error));
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
