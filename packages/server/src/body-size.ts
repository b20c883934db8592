import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './errors.ts';

/**
 * Refuses a request body above `maxSize` bytes with 413. A body of declared length (a
 * `Content-Length` and no `Transfer-Encoding`; Node's parser reads exactly that many bytes) is judged
 * by its header alone, without touching the body: asking for it would make the Node adapter build
 * a whole fetch Request (headers copied, a ReadableStream, two abort controllers) that the body
 * readers (`text()`, `json()`, `arrayBuffer()`) do not need. A chunked body is counted as it is read
 * (Hono's `bodyLimit`).
 */
export function limitBody(maxSize: number): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new ApiError(413, `Request body is larger than ${maxSize} bytes.`, {
      details: { limit: maxSize },
    });
  };
  const counted = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    if (Number.parseInt(length, 10) > maxSize) tooLarge();
    await next();
  };
}
