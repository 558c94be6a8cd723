// The layers of docs/architecture.md hold: dependency-cruiser with the rules of .dependency-cruiser.cjs over
// every module in src (tests included), as `npm run test:architecture` runs them from the command line.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractBabelConfig from 'dependency-cruiser/config-utl/extract-babel-config';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function describeViolation(v: IViolation): string {
  const where = v.cycle?.length ? [v.from, ...v.cycle.map((c) => c.name)].join(' → ') : `${v.from} → ${v.to}`;
  return `${v.rule.name}: ${where}`;
}

describe('architecture', () => {
  it('keeps to the layers (.dependency-cruiser.cjs)', { timeout: 60_000 }, async () => {
    const options = await extractDepcruiseOptions(path.join(ROOT, '.dependency-cruiser.cjs'));
    const babelConfig = await extractBabelConfig(path.join(ROOT, options.babelConfig!.fileName!));
    // baseDir: paths are read and reported relative to the repository, wherever vitest runs from.
    const cruised = await cruise(['src/**/*.{ts,tsx}'], { ...options, baseDir: ROOT, validate: true }, undefined, { babelConfig });
    const result = cruised.output as ICruiseResult;
    const modules = result.modules.filter((m) => m.source.startsWith('src/'));
    // A cruise that reads nothing (a parser missing, a glob that matches nothing) would pass every rule.
    expect(modules.length).toBeGreaterThan(100);
    expect(modules.flatMap((m) => m.dependencies).filter((d) => d.resolved.startsWith('src/')).length).toBeGreaterThan(300);
    const unresolved = modules.flatMap((m) => m.dependencies.filter((d) => d.couldNotResolve).map((d) => `${m.source} → ${d.module}`));
    expect(unresolved, 'imports dependency-cruiser could not resolve').toEqual([]);
    expect(result.summary.violations.map(describeViolation), 'architecture rules broken (see .dependency-cruiser.cjs)').toEqual([]);
  });
});
