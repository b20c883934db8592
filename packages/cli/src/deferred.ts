/**
 * What the commands' actions call that loads the engine, the HTTP server and DuckDB behind them,
 * imported on the first call instead of when the program is declared: `insights --help` and a
 * usage error load only commander and the command definitions (`bench/cli-startup.bench.ts`).
 * Each export has the signature of the function of the same name it stands for.
 */

/** `name` of the module `load` imports, as an async function that imports it when first called. */
function deferred<Module, Name extends keyof Module>(load: () => Promise<Module>, name: Name): Module[Name] {
  return (async (...args: unknown[]) => {
    const module = await load();
    return (module[name] as (...args: unknown[]) => unknown)(...args);
  }) as Module[Name];
}

const backend = () => import('./backend/backend.ts');
const jobs = () => import('./backend/jobs.ts');
const authCalls = () => import('./backend/auth-calls.ts');
const incidentCalls = () => import('./backend/incident-calls.ts');
const reportCalls = () => import('./backend/report-calls.ts');

/** {@link import('./backend/backend.ts').withBackend}, loaded on first call. */
export const withBackend = deferred(backend, 'withBackend');
/** {@link import('./backend/jobs.ts').runJobCommand}, loaded on first call. */
export const runJobCommand = deferred(jobs, 'runJobCommand');
/** The user and token calls of `./backend/auth-calls.ts`, loaded on first call. */
export const listAllUsers = deferred(authCalls, 'listAllUsers');
export const deactivateUser = deferred(authCalls, 'deactivateUser');
export const findUser = deferred(authCalls, 'findUser');
export const listAllTokens = deferred(authCalls, 'listAllTokens');
export const createToken = deferred(authCalls, 'createToken');
export const revokeToken = deferred(authCalls, 'revokeToken');
/** The incident calls of `./backend/incident-calls.ts`, loaded on first call. */
export const ingestFile = deferred(incidentCalls, 'ingestFile');
export const ingestRecords = deferred(incidentCalls, 'ingestRecords');
export const coverageOf = deferred(incidentCalls, 'coverageOf');
export const countIncidents = deferred(incidentCalls, 'countIncidents');
/** {@link import('./backend/report-calls.ts').dashboardReportHtml}, loaded on first call. */
export const dashboardReportHtml = deferred(reportCalls, 'dashboardReportHtml');
