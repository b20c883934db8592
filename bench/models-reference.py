"""Reference side of the tabular models' comparison (bench/models.bench.ts and the engine's
learn-sklearn test): fits scikit-learn's RandomForest, SVC/SVR, MLP or XGBoost's hist booster on
the training rows of a CSV (column is_train = 1) and scores the test rows (is_train = 0).

  python3 models-reference.py CSV ALGORITHM TASK TARGET NUMERIC CATEGORICAL [PARAMS_JSON]

ALGORITHM: forest | xgboost | svm | mlp; TASK: classification | regression; NUMERIC and
CATEGORICAL: comma-separated column names ('-' for none). PARAMS_JSON: n_estimators, max_depth,
threads, C, hidden, max_iter, probability. Preprocessing as the engine's dense encoding: numeric
columns mean-imputed and standardised, categorical columns one-hot (unknown = all zeros, at most
100 categories); XGBoost takes numeric columns as they are (NaN missing) and categories natively.
An optional column `ours` holds the engine's test predictions: they are scored with the same
scikit-learn metric. Prints one JSON line: library, fit_seconds, fit_cpu_seconds, metric, score,
ours_score. Regression rows without a target value are left out (as the engine's benchmark does).
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import f1_score, r2_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

csv, algorithm, task, target, numeric, categorical = sys.argv[1:7]
params = json.loads(sys.argv[7]) if len(sys.argv) > 7 else {}
numeric = [] if numeric == '-' else numeric.split(',')
categorical = [] if categorical == '-' else categorical.split(',')
threads = int(params.get('threads', 2))
seed = 1

frame = pd.read_csv(csv, dtype={c: str for c in categorical + ([target] if task == 'classification' else [])},
                    keep_default_na=False, na_values=[''])
for column in numeric:
    frame[column] = pd.to_numeric(frame[column], errors='coerce')
if task == 'regression':
    frame[target] = pd.to_numeric(frame[target], errors='coerce')
    frame = frame[frame[target].notna()]
train = frame[frame['is_train'] == 1]
test = frame[frame['is_train'] == 0]
y_train, y_test = train[target], test[target]
classify = task == 'classification'


def dense():
    parts = []
    if numeric:
        parts.append(('num', make_pipeline(SimpleImputer(strategy='mean'), StandardScaler()), numeric))
    if categorical:
        parts.append(('cat', OneHotEncoder(handle_unknown='ignore', max_categories=100, sparse_output=False)
                      if 'sparse_output' in OneHotEncoder().get_params()
                      else OneHotEncoder(handle_unknown='ignore', max_categories=100, sparse=False), categorical))
    return ColumnTransformer(parts)


if algorithm == 'xgboost':
    import xgboost
    library = f'xgboost {xgboost.__version__} hist, nthread={threads}'

    def frame_of(rows):
        out = rows[numeric + categorical].copy()
        for column in categorical:
            out[column] = pd.Categorical(out[column], categories=sorted(train[column].dropna().unique()))
        return out

    x_train, x_test = frame_of(train), frame_of(test)
    common = dict(n_estimators=int(params.get('n_estimators', 100)), max_depth=int(params.get('max_depth', 6)),
                  learning_rate=0.3, tree_method='hist', enable_categorical=True, nthread=threads,
                  max_cat_to_onehot=1, random_state=seed)
    if classify:
        classes = sorted(y_train.unique())
        index = {label: k for k, label in enumerate(classes)}
        model = xgboost.XGBClassifier(**common)
        fit_target = y_train.map(index)
    else:
        model = xgboost.XGBRegressor(**common)
        fit_target = y_train
else:
    import sklearn
    transformer = dense().fit(train)
    x_train, x_test = transformer.transform(train), transformer.transform(test)
    fit_target = y_train
    if algorithm == 'forest':
        from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
        kind = RandomForestClassifier if classify else RandomForestRegressor
        model = kind(n_estimators=int(params.get('n_estimators', 100)), max_depth=params.get('max_depth', 10),
                     n_jobs=threads, random_state=seed)
        library = f'scikit-learn {sklearn.__version__} RandomForest, n_jobs={threads}'
    elif algorithm == 'svm':
        from sklearn.svm import SVC, SVR
        model = (SVC(C=float(params.get('C', 1)), gamma='scale', probability=bool(params.get('probability', True)),
                     random_state=seed) if classify else SVR(C=float(params.get('C', 1)), gamma='scale'))
        library = f'scikit-learn {sklearn.__version__} {"SVC" if classify else "SVR"}'
    else:
        from sklearn.neural_network import MLPClassifier, MLPRegressor
        common = dict(hidden_layer_sizes=tuple(params.get('hidden', [100])), max_iter=int(params.get('max_iter', 200)),
                      random_state=seed)
        model = (MLPClassifier(**common) if classify
                 else TransformedTargetRegressor(regressor=MLPRegressor(**common), transformer=StandardScaler()))
        library = f'scikit-learn {sklearn.__version__} MLP'

wall, cpu = time.perf_counter(), time.process_time()
model.fit(x_train, fit_target)
fit_seconds, fit_cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
predicted = model.predict(x_test)
if algorithm == 'xgboost' and classify:
    predicted = np.array(classes, dtype=object)[predicted]


def score(values):
    if classify:
        return float(f1_score(y_test.astype(str), pd.Series(values).astype(str), average='macro', zero_division=0))
    return float(r2_score(y_test, values))


result = dict(library=library, fit_seconds=fit_seconds, fit_cpu_seconds=fit_cpu_seconds,
              metric='macro-F1' if classify else 'R2', score=score(predicted), ours_score=None)
if 'ours' in test.columns:
    ours = test['ours'].astype(str) if classify else pd.to_numeric(test['ours'])
    result['ours_score'] = score(ours.to_numpy())
print(json.dumps(result))
