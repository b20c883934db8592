"""pandas side of bench/kpi.bench.ts: every system metric type with every aggregation over a CSV
export of the engine's incidents (Debian's pandas has no Parquet engine here: no pyarrow), with the engine's definitions (see packages/engine/src/kpi). Prints
JSON: read and compute seconds and the values."""
import json
import sys
import time

import numpy as np
import pandas as pd

path, start_s, end_s = sys.argv[1], sys.argv[2], sys.argv[3]
# An open incident counts as an outage for at most this many hours after its creation.
horizon = pd.Timedelta(hours=float(sys.argv[4]) if len(sys.argv) > 4 else 72.0)
t0 = time.perf_counter()
df = pd.read_csv(
    path,
    parse_dates=['created_at', 'acknowledged_at', 'resolved_at'],
    dtype={'service': 'string', 'escalation_level': 'int32'},
)
t1 = time.perf_counter()
start, end = pd.Timestamp(start_s), pd.Timestamp(end_s)
hours = int((end - start) / pd.Timedelta(hours=1))
window_s = (end - start).total_seconds()


def aggs(x):
    x = pd.Series(x, dtype=float).dropna()
    return {
        'AVERAGE': x.mean(), 'MEDIAN': x.median(), 'MIN': x.min(), 'MAX': x.max(), 'SUM': x.sum(),
        'COUNT': float(len(x)), 'PERCENTILE_95': x.quantile(0.95), 'PERCENTILE_99': x.quantile(0.99),
    }


def islands(frame):
    frame = frame.sort_values(['service', 's', 'e'])
    prev = frame.groupby('service')['e'].cummax().groupby(frame['service']).shift()
    brk = ~(frame['s'] <= prev)
    frame = frame.assign(g=brk.astype(int).groupby(frame['service']).cumsum())
    return frame.groupby(['service', 'g']).agg(s=('s', 'min'), e=('e', 'max')).reset_index()


out = {}
w = df[(df.created_at >= start) & (df.created_at < end)]
out['MTTA'] = aggs((w.acknowledged_at - w.created_at).dt.total_seconds() / 60)
out['MTTR'] = aggs((w.resolved_at - w.created_at).dt.total_seconds() / 3600)
b = ((w.created_at - start).dt.total_seconds() // 3600).astype(np.int64).to_numpy()
n = np.bincount(b, minlength=hours).astype(float)
out['INCIDENT_COUNT'] = aggs(n)
for name, hit in (('RESOLUTION_RATE', w.resolved_at.notna()), ('ESCALATION_RATE', w.escalation_level > 0)):
    k = np.bincount(b, weights=hit.to_numpy(dtype=float), minlength=hours)
    r = aggs(np.where(n > 0, 100 * k / np.maximum(n, 1), np.nan))
    r['AVERAGE'] = 100 * k.sum() / n.sum()
    out[name] = r

before = df[df.service.notna() & (df.created_at < end)]
outage_end = before.resolved_at.fillna(before.created_at + horizon)
isl = islands(pd.DataFrame({'service': before.service, 's': before.created_at, 'e': outage_end}))
isl = isl.sort_values(['service', 's'])
ps = isl.groupby('service')['s'].shift()
pe = isl.groupby('service')['e'].shift()
m = (isl.s >= start) & pe.notna()
out['MTBF'] = aggs((isl.s - pe)[m].dt.total_seconds() / 3600)
out['MTBSI'] = aggs((isl.s - ps)[m].dt.total_seconds() / 3600)

touch = before[outage_end > start]
clip = pd.DataFrame({
    'service': touch.service,
    's': touch.created_at.clip(lower=start),
    'e': outage_end[outage_end > start].clip(upper=end),
})
down = islands(clip)
down = (down.e - down.s).dt.total_seconds().groupby(down.service).sum()
services = pd.Index(before.service.unique())
down = down.reindex(services, fill_value=0.0)
out['AVAILABILITY'] = aggs(100 * (window_s - down) / window_s)
t2 = time.perf_counter()
print(json.dumps({'read_s': t1 - t0, 'compute_s': t2 - t1, 'values': out}))
