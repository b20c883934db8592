// Module resolve hook (registered by insights.js): adds the `@incident-insights/source` condition,
// as `node --conditions=@incident-insights/source` would, so that the workspace packages resolve
// to their TypeScript sources.

/** Resolves `specifier` with the source condition added to the caller's conditions. */
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('@incident-insights/source')
    ? context.conditions
    : [...context.conditions, '@incident-insights/source'];
  return nextResolve(specifier, { ...context, conditions });
}
