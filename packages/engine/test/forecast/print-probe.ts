/**
 * Run as a child process by statsmodels.test.ts: reads a series and (S)ARIMA orders as JSON on
 * stdin, fits them through the kernel's checked path and writes only the outcome as JSON, so the
 * test can see whether anything else reached the process's stdout or stderr.
 */
import { fitArimaOrders } from '../../src/forecast/arima.ts';
import { guardedFit } from '../../src/forecast/forecast.ts';
import type { FitInput } from '../../src/forecast/models.ts';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const { input, orders } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
  input: FitInput;
  orders: Parameters<typeof fitArimaOrders>[1];
};
const raw = fitArimaOrders(input, orders);
const checked = guardedFit('ARIMA', input, () => fitArimaOrders(input, orders));
process.stdout.write(JSON.stringify({ largest: Math.max(...raw.point.map(Math.abs)), checked }));
