import { EngineError } from '../../errors.ts';
import type { FieldError } from '../../input/field-errors.ts';
import { type AlgorithmType, algorithmTypes, type ModelType, modelTypes } from '../../schema/enums.ts';
import {
  catalogueOf,
  defaultFeatures,
  modelTargets,
  predictsAtCreation,
  validAlgorithms,
} from './catalogue.ts';

/** What a model is asked to be: the fields of a predictive model that {@link checkModelDefinition} checks. */
interface ModelDefinitionInput {
  readonly model_type: ModelType;
  readonly algorithm_type: AlgorithmType;
  readonly feature_columns?: readonly string[] | null;
  readonly target_column?: string | null;
}

/** A checked definition: the features in use (defaults filled in, duplicates dropped) and the target. */
interface ResolvedModelDefinition {
  features: string[];
  target: string | null;
}

/**
 * Checks a model definition against the catalogue and returns the features and target it resolves
 * to. An empty or absent `feature_columns` takes {@link defaultFeatures} of the type; an absent or
 * null `target_column` the type's first target (none for ANOMALY_DETECTION). Every problem is
 * reported at once, one field error each.
 *
 * @throws EngineError VALIDATION_ERROR with `details.errors` (`{ field, message }`) naming: an
 *   unknown model type or algorithm; an algorithm that does not fit the type (with the valid
 *   ones); each unknown feature (with the catalogue's names in `details.known_features`); each
 *   feature known only after the incident is opened, for a type that predicts at creation;
 *   `severity` as a feature of SEVERITY_PREDICTION; a target the type does not have.
 */
export function checkModelDefinition(input: ModelDefinitionInput): ResolvedModelDefinition {
  const { model_type: modelType, algorithm_type: algorithm } = input;
  if (!modelTypes.includes(modelType)) {
    throw invalid([
      {
        field: 'model_type',
        message: `unknown model type ${String(modelType)}; valid: ${modelTypes.join(', ')}`,
      },
    ]);
  }
  const errors: FieldError[] = [];
  const extra: Record<string, unknown> = {};
  const valid = validAlgorithms[modelType];
  if (!valid.includes(algorithm)) {
    const known = algorithmTypes.includes(algorithm);
    errors.push({
      field: 'algorithm_type',
      message: `${known ? `${algorithm} does not fit ${modelType}` : `unknown algorithm ${String(algorithm)}`}; valid for ${modelType}: ${valid.join(', ')}`,
    });
    extra['valid_algorithms'] = valid;
  }

  const catalogue = catalogueOf(modelType);
  const given = input.feature_columns ?? [];
  const features = given.length === 0 ? [...defaultFeatures[modelType]] : [...new Set(given)];
  const atCreation = predictsAtCreation.includes(modelType);
  const unknown: string[] = [];
  given.forEach((name, index) => {
    const feature = catalogue.find((entry) => entry.name === name);
    const field = `feature_columns.${index}`;
    if (!feature) {
      unknown.push(name);
      errors.push({ field, message: `unknown feature ${JSON.stringify(name)} for ${modelType}` });
    } else if (atCreation && feature.knownAt === 'later') {
      errors.push({
        field,
        message: `${name} is known only after the incident is opened, so ${modelType}, which predicts when an incident is opened, cannot use it`,
      });
    } else if (modelType === 'SEVERITY_PREDICTION' && name === 'severity') {
      errors.push({
        field,
        message: 'severity is the target of SEVERITY_PREDICTION and cannot be a feature of it',
      });
    }
  });
  if (unknown.length > 0) extra['known_features'] = catalogue.map((entry) => entry.name);

  const targets = modelTargets[modelType];
  let target: string | null = targets[0]?.name ?? null;
  const askedTarget = input.target_column;
  if (askedTarget !== undefined && askedTarget !== null && askedTarget !== '') {
    if (targets.some((entry) => entry.name === askedTarget)) target = askedTarget;
    else {
      errors.push({
        field: 'target_column',
        message:
          targets.length === 0
            ? `${modelType} has no target column; leave target_column empty`
            : `${JSON.stringify(askedTarget)} is not a target of ${modelType}; valid: ${targets.map((entry) => entry.name).join(', ')}`,
      });
    }
  }

  if (errors.length > 0) throw invalid(errors, extra);
  return { features, target };
}

function invalid(errors: FieldError[], extra: Record<string, unknown> = {}): EngineError {
  return new EngineError(
    'VALIDATION_ERROR',
    `invalid model definition: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`,
    { errors, ...extra },
  );
}
