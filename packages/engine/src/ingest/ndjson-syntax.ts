import { open } from 'node:fs/promises';

const COMMA = 44;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;

function isJsonSpace(byte: number | undefined): boolean {
  return byte === 32 || byte === 9 || byte === 10 || byte === 13;
}

/**
 * Whether no `}` or `]` of the file follows a comma (JSON whitespace between them allowed): DuckDB's
 * `read_json` accepts such trailing commas where `JSON.parse` refuses the line, so a file with one is
 * left to the JS path, which reports it. A string holding `,}` or `,]` counts too (only a cost: that
 * file takes the JS path, which accepts it). Cost: one read of the file, `chunkBytes` at a time;
 * only the closing braces and brackets are looked at (`indexOf`).
 */
export async function hasStrictJsonSyntax(path: string, chunkBytes = 1 << 22): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    // The last byte before this chunk that is not JSON whitespace (-1: none yet).
    let before = -1;
    for (let position = 0; ; ) {
      const { bytesRead } = await file.read(buffer, 0, chunkBytes, position);
      if (bytesRead === 0) return true;
      position += bytesRead;
      const chunk = bytesRead === chunkBytes ? buffer : buffer.subarray(0, bytesRead);
      for (const close of [CLOSE_BRACE, CLOSE_BRACKET]) {
        for (let at = chunk.indexOf(close); at !== -1; at = chunk.indexOf(close, at + 1)) {
          let k = at - 1;
          while (k >= 0 && isJsonSpace(chunk[k])) k--;
          if ((k >= 0 ? chunk[k] : before) === COMMA) return false;
        }
      }
      let last = bytesRead - 1;
      while (last >= 0 && isJsonSpace(chunk[last])) last--;
      if (last >= 0) before = chunk[last]!;
    }
  } finally {
    await file.close();
  }
}
