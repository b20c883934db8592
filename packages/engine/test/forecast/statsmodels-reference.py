"""Reference forecasts for the forecast kernel's tests and benchmark (statsmodels, pandas).

stdin: {"servicenow": path or null, "series": {name: {"values": [...], "season": m, "arima_season": s,
        "horizon": h}}, "folds": k}
stdout: {"servicenow": {"timestamps": [...], "values": [...]} or null,
         "forecasts": {name: {"ETS": [[...] per fold], "SARIMA": [[...] per fold]}},
         "seconds": {name: {"ETS": CPU seconds, "SARIMA": CPU seconds}}}

ServiceNow: daily counts of distinct incidents (`number`) by the day of their first `opened_at`
(day first, as the log writes it), 2016-03-01 to 2016-05-31 (the log's dense months), missing days 0.
ETS: ETSModel, additive error, additive damped trend, additive season of period m.
SARIMA: SARIMAX (1,1,1)x(0,1,1,s). Forecasts are clamped at 0 like the kernel's.
"""
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.statespace.sarimax import SARIMAX

warnings.filterwarnings("ignore")
req = json.load(sys.stdin)
out = {"servicenow": None, "forecasts": {}, "seconds": {}}
series = dict(req["series"])
if req.get("servicenow"):
    df = pd.read_csv(req["servicenow"], usecols=["number", "opened_at"])
    df["opened_at"] = pd.to_datetime(df["opened_at"], format="%d/%m/%Y %H:%M")
    first = df.groupby("number")["opened_at"].min()
    daily = first.dt.floor("D").value_counts().sort_index().asfreq("D", fill_value=0)
    daily = daily["2016-03-01":"2016-05-31"]
    out["servicenow"] = {
        "timestamps": [int(t.value // 10**6) for t in daily.index],
        "values": [int(v) for v in daily.values],
    }
    series["servicenow"] = {"values": out["servicenow"]["values"], "season": 7, "arima_season": 7, "horizon": 7}

for name, s in series.items():
    y = np.asarray(s["values"], dtype=float)
    h, m, sa, k = s["horizon"], s["season"], s["arima_season"], req["folds"]
    origins = [len(y) - (k - i) * h for i in range(k)]
    res = {"ETS": [], "SARIMA": []}
    secs = {"ETS": 0.0, "SARIMA": 0.0}
    for o in origins:
        t = time.process_time()
        ets = ETSModel(y[:o], error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=m)
        res["ETS"].append(np.maximum(ets.fit(disp=False).forecast(h), 0).tolist())
        secs["ETS"] += time.process_time() - t
        t = time.process_time()
        sar = SARIMAX(y[:o], order=(1, 1, 1), seasonal_order=(0, 1, 1, sa))
        res["SARIMA"].append(np.maximum(sar.fit(disp=False).forecast(h), 0).tolist())
        secs["SARIMA"] += time.process_time() - t
    out["forecasts"][name] = res
    out["seconds"][name] = secs
print(json.dumps(out))
