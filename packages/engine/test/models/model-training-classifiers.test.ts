import { describe, expect, it } from 'vitest';
import { tabularDemo } from './tabular-demo.ts';

const { engine, trainEach } = tabularDemo();

describe('tabular classifiers train to ACTIVE on demo data with every algorithm', () => {
  it('SEVERITY_PREDICTION: macro scores, per-class metrics, confusion matrix and the majority-class baseline', async () => {
    for (const { algorithm, model, outcome } of await trainEach('SEVERITY_PREDICTION')) {
      expect([algorithm, outcome.error]).toEqual([algorithm, undefined]);
      expect(model).toMatchObject({ status: 'ACTIVE', version: '1', error_message: null });
      expect(model.model_file_path).toBe(`duckdb:predictive_model_versions/${model.id}/1`);
      expect(model.training_samples_count).toBeGreaterThan(1000);
      for (const s of [model.accuracy_score, model.precision_score, model.recall_score, model.f1_score]) {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }
      const performance = await engine().models.performance(model.id);
      expect(performance.task).toBe('classification');
      expect(performance.baseline.name).toBe('majority_class');
      const metrics = performance.metrics as { f1: number; confusion_matrix: { labels: string[] } };
      expect(metrics.f1).toBeCloseTo(model.f1_score as number, 5);
      expect(metrics.confusion_matrix.labels.length).toBeGreaterThan(1);
      expect(performance.verdict).toMatch(/beat/);
      expect(performance.evaluated_on.test_rows).toBeGreaterThan(0);
    }
  }, 60_000);

  it('ESCALATION_PREDICTION: stores the probability of escalation per incident', async () => {
    for (const { algorithm, model, outcome } of await trainEach('ESCALATION_PREDICTION')) {
      expect([algorithm, outcome.error, model.status]).toEqual([algorithm, undefined, 'ACTIVE']);
      const prediction = await engine().models.predict(model.id, {
        incidents: [
          {
            title: 'Checkout down',
            description: 'payments fail',
            category: 'Application',
            service: 'checkout',
            priority: 'P1',
            severity: 'CRITICAL',
            created_at: '2024-12-31T10:00:00Z',
          },
        ],
      });
      const p = prediction.predictions?.[0] as { probability: number; label: string };
      expect(p.probability).toBeGreaterThanOrEqual(0);
      expect(p.probability).toBeLessThanOrEqual(1);
      expect(['true', 'false']).toContain(p.label);
    }
  }, 60_000);
});
