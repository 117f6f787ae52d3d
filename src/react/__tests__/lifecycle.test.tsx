// @vitest-environment jsdom
import { cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { runLifecycle, STEPS_PER_EPOCH } from './lifecycle.scenario';

afterEach(cleanup);

// The edits rebuild the model while the engine trains it: the tfjs engine and the fused CPU engine both.
describe.each(['tfjs', 'fused-cpu'] as const)('React lifecycle in jsdom, engine %s', (engine) => {
  it('StrictMode mount → train → 50 prop changes → unmount mid-epoch → remount: no console.error, no tensor left', async () => {
    const r = await runLifecycle({ backend: 'cpu', engine });
    console.log(
      `jsdom lifecycle (${engine}): ${r.edits} edits, unmounted at step ${r.unmountedAtStep}, ${r.remountEpochs} epochs after remount`,
    );
    // The tfjs engine reports every step: the unmount fell inside an epoch.
    if (engine === 'tfjs') expect(r.unmountedAtStep % STEPS_PER_EPOCH).not.toBe(0);
  });
});
