/** Trains an SVM classifier and regressor in a fresh process; the SVM test checks this prints nothing. */
import { trainModel } from '../../../src/models/learn/index.ts';
import { syntheticFeatures, syntheticIncidents } from './learn-fixtures.ts';

const rows = syntheticIncidents(300, 5);
const features = [...syntheticFeatures];
await trainModel(rows, { algorithm: 'SVM', task: 'classification', target: 'severity', features });
await trainModel(rows, { algorithm: 'SVM', task: 'regression', target: 'resolution_hours', features });
