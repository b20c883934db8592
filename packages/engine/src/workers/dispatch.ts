import { Piscina } from 'piscina';
import { EngineError } from '../errors.ts';
import { transferablesOf } from './transfer.ts';

/**
 * A task: a pure function of a structured-cloneable payload. The parameter is typed `never` so
 * that a function of any payload type fits the registry; the dispatcher cannot check payloads.
 */
export type Task = (payload: never) => unknown;

/** What the pool posts to a worker: the task's name and its payload. */
export interface TaskRequest {
  readonly task: string;
  readonly payload: unknown;
}

/**
 * An error as it crosses the thread boundary. Structured clone keeps only the name, message and
 * stack of an `Error`, so the worker sends the code and details explicitly and the pool rebuilds
 * the {@link EngineError}.
 */
export interface SerializedTaskError {
  readonly engineError: true;
  readonly code: EngineError['code'];
  readonly message: string;
  readonly details: unknown;
  readonly stack: string | undefined;
}

/** True when `value` is a {@link SerializedTaskError}. */
export function isSerializedTaskError(value: unknown): value is SerializedTaskError {
  return (
    typeof value === 'object' && value !== null && (value as { engineError?: unknown }).engineError === true
  );
}

function cloneable(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return undefined;
  }
}

function serialize(error: unknown): SerializedTaskError {
  if (error instanceof EngineError) {
    return {
      engineError: true,
      code: error.code,
      message: error.message,
      details: cloneable(error.details),
      stack: error.stack,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    engineError: true,
    code: 'INTERNAL',
    message,
    details: undefined,
    stack: error instanceof Error ? error.stack : undefined,
  };
}

/**
 * The function a worker entry exports: looks the task up by name, runs it, and moves the typed
 * arrays of its result back (see `transferablesOf`) instead of cloning them. An unknown task is
 * an EngineError UNSUPPORTED; any thrown error travels as a {@link SerializedTaskError}.
 */
export function createDispatcher(tasks: Readonly<Record<string, Task>>) {
  return async function dispatch(request: TaskRequest): Promise<unknown> {
    try {
      const task = Object.hasOwn(tasks, request.task) ? tasks[request.task] : undefined;
      if (!task) {
        throw new EngineError('UNSUPPORTED', `unknown worker task ${request.task}`, { task: request.task });
      }
      const result = await task(request.payload as never);
      const transferList = transferablesOf(result);
      if (transferList.length === 0) return result;
      return Piscina.move({
        [Piscina.transferableSymbol]: transferList,
        [Piscina.valueSymbol]: result,
      } as unknown as ArrayBuffer);
    } catch (error) {
      throw serialize(error);
    }
  };
}
