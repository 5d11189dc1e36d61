/**
 * Where chart files live under DATA_DIR: a job's chart in `charts/`, kept as long as its job;
 * an immediate analysis's in `charts/immediate/`, removed once its signed link has expired
 * (no record points to it, so nobody can ask for a new link).
 */
import path from 'node:path';

export const chartDirectory = (dataDir: string) => path.join(dataDir, 'charts');

export const immediateChartDirectory = (dataDir: string) => path.join(dataDir, 'charts', 'immediate');
