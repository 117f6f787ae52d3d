// Autosave in Node, where there is no IndexedDB: it reports that as its error instead of throwing
// or hanging, and refuses bad options by name. (Saving and restoring run in Chromium: useCheckpoint.browser.test.)
import { describe, expect, it } from 'vitest';
import { ReactNNError } from '../../errors';
import { Linear } from '../../layers/core';
import { renderModel } from '../../react/renderModel';
import { Autosave } from '../autosave';

describe('Autosave without IndexedDB', () => {
  it('ends its restore attempt with an error in the snapshot, and save() rejects with it', async () => {
    const net = await renderModel(<Linear outFeatures={1} />, { inputShape: [2] });
    const autosave = new Autosave(net.net, { key: 'k' });
    await new Promise<void>((resolve) => {
      const stop = autosave.subscribe(() => {
        if (autosave.getSnapshot().restored) {
          stop();
          resolve();
        }
      });
    });
    expect(autosave.getSnapshot().error?.message).toMatch(/IndexedDB is not available here/);
    await expect(autosave.save()).rejects.toThrow(/IndexedDB is not available/);
    expect(autosave.getSnapshot().status).toBe('idle');
    autosave.dispose();
    net.dispose();
  });

  it('refuses a missing key and a bad every', async () => {
    const net = await renderModel(<Linear outFeatures={1} />, { inputShape: [2] });
    expect(() => new Autosave(net.net, { key: '' })).toThrow(ReactNNError);
    expect(() => new Autosave(net.net, { key: 'k', every: 1.5 })).toThrow(/every must be a whole number/);
    net.dispose();
  });
});
