"""One row per incident of the UCI ServiceNow event log, as known when it was opened, for the
tabular models' benchmark: the features of its first event (ordered by sys_updated_at parsed
day-first, then sys_mod_count): contact_type, location, category, subcategory, u_symptom,
assignment_group (categorical text), impact, urgency, priority (their leading digit),
knowledge and u_priority_confirmation (true/false text), opened_hour, opened_weekday; the
targets made_sla (of its last event, 'true'/'false') and resolution_hours (resolved_at of its
last event minus opened_at; empty when not resolved). Ordered by opened_at; is_train = 1 for the
80% opened first.

  python3 models-servicenow.py ZIP OUT_CSV
"""
import sys
import zipfile

import numpy as np
import pandas as pd

with zipfile.ZipFile(sys.argv[1]) as z:
    df = pd.read_csv(z.open(z.namelist()[0]), na_values=['?'], keep_default_na=False, dtype=str)
df['order'] = range(len(df))
df['upd'] = pd.to_datetime(df['sys_updated_at'], format='%d/%m/%Y %H:%M')
df['mods'] = pd.to_numeric(df['sys_mod_count'])
df = df.sort_values(['number', 'upd', 'mods', 'order'])
first = df.groupby('number').head(1).set_index('number')
last = df.groupby('number').tail(1).set_index('number')
opened = pd.to_datetime(first['opened_at'], format='%d/%m/%Y %H:%M')
resolved = pd.to_datetime(last.loc[first.index, 'resolved_at'], format='%d/%m/%Y %H:%M', errors='coerce')
out = pd.DataFrame(index=first.index)
for c in ['contact_type', 'location', 'category', 'subcategory', 'u_symptom', 'assignment_group']:
    out[c] = first[c].str.replace(',', ' ')
for c in ['impact', 'urgency', 'priority']:
    out[c] = pd.to_numeric(first[c].str[0])
out['knowledge'] = first['knowledge']
out['u_priority_confirmation'] = first['u_priority_confirmation']
out['opened_hour'] = opened.dt.hour
out['opened_weekday'] = opened.dt.dayofweek
out['made_sla'] = last.loc[out.index, 'made_sla']
hours = (resolved - opened).dt.total_seconds() / 3600
out['resolution_hours'] = hours.where(hours >= 0)
out['opened'] = opened
out = out.sort_values(['opened', 'contact_type']).drop(columns='opened')
out['is_train'] = (np.arange(len(out)) < int(0.8 * len(out))).astype(int)
out.to_csv(sys.argv[2], index=False)
