import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ConformanceReport } from './conformance.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('DCC conformance (dgc-testdata common vectors)', () => {
  it('agrees with every expectation our layers cover, and says why it skipped the rest', async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'conformance:dcc', '--', 'test/fixtures/dgc-common'],
      { cwd: ROOT },
    );
    const report: ConformanceReport = JSON.parse(stdout);
    expect(report.files).toBe(38);
    expect(report.notTests).toEqual([]);
    for (const [stage, r] of Object.entries(report.stages)) {
      expect(r.disagreed, stage).toEqual([]);
      expect(r.agreed, stage).toBeGreaterThan(0);
      for (const s of r.skipped) expect(s.why, `${stage} ${s.file}`).not.toBe('');
    }
    // Only the two RSA (PS256) signatures are beyond our layers.
    expect(report.stages.signature.skipped.map((s) => s.file)).toEqual(['CO1.json', 'CO2.json']);
    const covered = Object.values(report.stages).reduce((n, r) => n + r.agreed, 0);
    expect(covered).toBe(37);
    for (const u of Object.values(report.uncovered)) expect(u.why).not.toBe('not a stage of our layers');
  });
});
