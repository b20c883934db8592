import type { EngineContext } from '../../context.ts';
import { getCostSettings, listSlaContracts, type SlaContractRecord } from '../../cost/cost-config-store.ts';
import { periodOf } from '../../cost/penalties.ts';
import { outageRule } from '../../kpi/kpi-options.ts';
import { metricTypeInfo } from '../../kpi/metric-types.ts';
import type { Row } from '../../store/database.ts';
import { TimeSlice } from '../../store/time-slice.ts';
import type { AnomalyToExplain, ExplainRange, Impact } from './explain-types.ts';
import {
  type AnomalyRelation,
  type ContractPair,
  readBaseline,
  readContractDowntime,
  readRelatedFigures,
} from './impact-sql.ts';
import {
  type CostImpact,
  centsOf,
  type DelayComparison,
  type ImpactFigures,
  impactText,
  nearBudgetShare,
  type SlaImpact,
  severityFloor,
} from './impact-wording.ts';

/** Share of an anomaly's incidents that must be acknowledged (resolved) for its MTTA (MTTR) to be given. */
const completeShare = 0.95;

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * The impact of each anomaly of a run, one {@link Impact} per input in the same order, computed
 * set-wise in DuckDB for all of them at once (a handful of statements, not one per anomaly), as of
 * `range.to` (nothing recorded after it counts):
 *
 * - incidents and affected users: the related incidents found and the sum of their `affected_users`;
 * - downtime: per service, the union of the related incidents' `[created_at, resolved_at)`
 *   intervals, open ones until `range.to` (overlapping incidents of one service count once);
 * - cost: the related incidents' cost analyses (`cost_amount`, the amount in force), summed by
 *   cost type and currency, exactly;
 * - SLA: for each SLA contract of an affected service in force at the window's end, its period
 *   containing that instant, measured as the cost capability measures penalties (the KPI's
 *   AVAILABILITY: CRITICAL outages, maintenance windows left out, an open outage counted for the
 *   default open-outage horizon, the rest of the period counting as up); listed when the anomaly's
 *   incidents lower it and it ends below the target (BREACHED) or with at least 80% of its
 *   downtime budget spent (NEAR);
 * - MTTA and MTTR of the related incidents against the baseline: the incidents of the same
 *   services (all of them when the anomaly names none) created from `range.from` to the window's
 *   start; the window's is `null` (right censoring) while fewer than 95% of its incidents are
 *   acknowledged / resolved by `range.to`.
 *
 * `severityFloor` follows {@link severityFloor}.
 */
export async function assessImpacts(
  context: EngineContext,
  anomalies: readonly AnomalyToExplain[],
  range: ExplainRange,
): Promise<Impact[]> {
  if (anomalies.length === 0) return [];
  const db = context.db;
  const to = range.to;
  const relation = await toRelation(anomalies);
  const related = await readRelatedFigures(db, relation, to);
  const totals = byIdx(related.totals);
  const { downtime, costs } = related;
  const baseline = byIdx(await readBaseline(db, relation, range.from, to));
  const sla = await slaImpacts(context, anomalies, relation, to);
  const settings = await getCostSettings(db);
  const threshold =
    settings.incident_cost_threshold === null
      ? null
      : { currency: settings.reporting_currency, cents: centsOf(settings.incident_cost_threshold) };

  return anomalies.map((_, idx) => {
    const t = totals.get(idx);
    const b = baseline.get(idx);
    const services = downtime
      .filter((d) => Number(d['idx']) === idx)
      .map((d) => ({
        service: String(d['service']),
        hours: round(Number(d['seconds']) / 3600, 4),
        periods: Number(d['periods']),
      }));
    const figures: ImpactFigures = {
      incidents: Number(t?.['incidents'] ?? 0),
      affected_users: Number(t?.['users'] ?? 0),
      downtime_hours: round(
        services.reduce((sum, s) => sum + s.hours, 0),
        4,
      ),
      downtime_by_service: services,
      cost: costOf(costs.filter((c) => Number(c['idx']) === idx)),
      sla: sla.get(idx) ?? [],
      mtta_minutes: delay(t, b, 'acked', 'mtta_s', 60),
      mttr_hours: delay(t, b, 'resolved', 'mttr_s', 3600),
    };
    const floor = severityFloor(figures, threshold);
    return {
      text: impactText(figures),
      evidence: { ...figures, severity_floor: floor.floor, severity_floor_reasons: floor.reasons },
      severityFloor: floor.floor,
    };
  });
}

/** The anomalies as the bound lists of `impact-sql.ts`, the ids joined with turns between. */
async function toRelation(anomalies: readonly AnomalyToExplain[]): Promise<AnomalyRelation> {
  const slice = new TimeSlice();
  const ids: string[] = [];
  for (const a of anomalies) {
    const parts: string[] = [];
    for (let i = 0; i < a.relatedIncidents.length; i += 4096) {
      parts.push(a.relatedIncidents.slice(i, i + 4096).join(','));
      await slice.pause();
    }
    ids.push(parts.join(','));
  }
  return {
    idx: anomalies.map((_, i) => i),
    ids,
    services: anomalies.map((a) => a.affectedServices.join(',')),
    ws: anomalies.map((a) => new Date(a.windowStart)),
    we: anomalies.map((a) => new Date(a.windowEnd)),
  };
}

function byIdx(rows: readonly Row[]): Map<number, Row> {
  return new Map(rows.map((r) => [Number(r['idx']), r]));
}

function delay(
  window: Row | undefined,
  baseline: Row | undefined,
  count: string,
  mean: string,
  unitSeconds: number,
): DelayComparison {
  const value = (r: Row | undefined) =>
    r && r[mean] !== null && r[mean] !== undefined ? round(Number(r[mean]) / unitSeconds, 2) : null;
  // Right censoring: while fewer than 95% of the anomaly's incidents are acknowledged (resolved),
  // the mean of those that are is the mean of the quick ones, not the window's.
  const complete = Number(window?.[count] ?? 0) >= completeShare * Number(window?.['incidents'] ?? 0);
  return {
    window: complete ? value(window) : null,
    window_incidents: Number(window?.[count] ?? 0),
    baseline: value(baseline),
    baseline_incidents: Number(baseline?.[count] ?? 0),
  };
}

function costOf(rows: readonly Row[]): CostImpact[] {
  const byCurrency = new Map<string, { cents: bigint; byType: Record<string, string>; analyses: number }>();
  for (const r of rows) {
    const currency = String(r['currency']);
    const entry = byCurrency.get(currency) ?? { cents: 0n, byType: {}, analyses: 0 };
    const amount = String(r['amount']);
    entry.cents += centsOf(amount);
    entry.byType[String(r['cost_type'])] = amount;
    entry.analyses += Number(r['analyses']);
    byCurrency.set(currency, entry);
  }
  return [...byCurrency].map(([currency, e]) => ({
    currency,
    total: `${e.cents / 100n}.${String(e.cents % 100n).padStart(2, '0')}`,
    by_type: e.byType,
    analyses: e.analyses,
  }));
}

/** The SLA contract periods each anomaly pushes below or near target, keyed by anomaly position. */
async function slaImpacts(
  context: EngineContext,
  anomalies: readonly AnomalyToExplain[],
  relation: AnomalyRelation,
  to: Date,
): Promise<Map<number, SlaImpact[]>> {
  const contracts = await listSlaContracts(context.db);
  const pairs: (ContractPair & { contract: SlaContractRecord })[] = [];
  anomalies.forEach((a, idx) => {
    const at = new Date(Math.min(a.windowEnd, to.getTime()) - 1);
    for (const contract of contracts) {
      const inForce =
        contract.effective_from.getTime() <= at.getTime() &&
        (contract.effective_to === null || at.getTime() < contract.effective_to.getTime());
      if (!inForce || !a.affectedServices.includes(contract.service)) continue;
      const period = periodOf(contract.period, at);
      pairs.push({ pair: pairs.length, idx, service: contract.service, ...period, contract });
    }
  });
  const found = new Map<number, SlaImpact[]>();
  if (pairs.length === 0) return found;
  const rows = await readContractDowntime(
    context.db,
    relation,
    pairs,
    to,
    metricTypeInfo.AVAILABILITY.systemSeverities,
    outageRule().openHorizonSeconds,
  );
  const measured = new Map<string, { agreed: number; down: number }>();
  for (const r of rows) {
    measured.set(`${r['pair']}|${r['v']}`, { agreed: Number(r['agreed']), down: Number(r['down']) });
  }
  for (const p of pairs) {
    const withIt = measured.get(`${p.pair}|1`);
    const without = measured.get(`${p.pair}|0`);
    if (!withIt || !without || withIt.agreed <= 0 || withIt.down <= without.down) continue;
    const target = p.contract.availability_target;
    const availability = (100 * (withIt.agreed - withIt.down)) / withIt.agreed;
    const budget = (withIt.agreed * (100 - target)) / 100;
    const used = budget > 0 ? withIt.down / budget : Number.POSITIVE_INFINITY;
    const status = availability < target ? 'BREACHED' : used >= nearBudgetShare ? 'NEAR' : null;
    if (!status) continue;
    const list = found.get(p.idx) ?? [];
    list.push({
      contract_id: p.contract.id,
      name: p.contract.name,
      service: p.service,
      period: p.contract.period,
      period_start: p.start.toISOString(),
      period_end: p.end.toISOString(),
      availability_target: target,
      availability: round(availability, 4),
      availability_without: round((100 * (without.agreed - without.down)) / without.agreed, 4),
      budget_used: Number.isFinite(used) ? round(used, 4) : null,
      status,
    });
    found.set(p.idx, list);
  }
  return found;
}
