// @vitest-environment jsdom
import { cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { runLifecycle, STEPS_PER_EPOCH } from './lifecycle.scenario';

afterEach(cleanup);

describe('React lifecycle in jsdom', () => {
  it('StrictMode mount → train → 50 prop changes → unmount mid-epoch → remount: no console.error, no tensor left', async () => {
    const r = await runLifecycle({ backend: 'cpu' });
    console.log(
      `jsdom lifecycle: ${r.edits} edits, unmounted at step ${r.unmountedAtStep}, ${r.remountEpochs} epochs after remount`,
    );
    expect(r.unmountedAtStep % STEPS_PER_EPOCH).not.toBe(0);
  });
});
