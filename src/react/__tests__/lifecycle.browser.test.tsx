import { cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionBoundary } from '../../viz/boundary';
import { LossChart } from '../../viz/charts';
import { WeightHistogram } from '../../viz/weights';
import { runLifecycle, STEPS_PER_EPOCH } from './lifecycle.scenario';

afterEach(cleanup);

// The edits rebuild the model while the engine trains it: the tfjs engine and the fused CPU engine both.
describe.each(['tfjs', 'fused-cpu'] as const)('React lifecycle in Chromium, engine %s', (engine) => {
  it('StrictMode mount → train → 50 prop changes → unmount mid-epoch → remount, with charts: no console.error, no tensor left', async () => {
    const r = await runLifecycle({
      engine,
      // The backend the library picks here (WebGL: the WebGPU adapter is SwiftShader), and the views that draw
      // from the model and the trainer while it trains.
      extra: (model, trainer) => (
        <>
          <LossChart trainer={trainer} width={300} />
          <DecisionBoundary model={model} trainer={trainer} resolution={20} width={200} height={200} />
          <WeightHistogram model={model} trainer={trainer} />
        </>
      ),
    });
    console.log(
      `Chromium lifecycle (${engine}): ${r.edits} edits, unmounted at step ${r.unmountedAtStep}, ${r.remountEpochs} epochs after remount`,
    );
    // The tfjs engine reports every step: the unmount fell inside an epoch.
    if (engine === 'tfjs') expect(r.unmountedAtStep % STEPS_PER_EPOCH).not.toBe(0);
  });
});
