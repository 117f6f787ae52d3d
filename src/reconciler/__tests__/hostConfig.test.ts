import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { HOST_CONFIG_KEYS, hostConfig } from '../hostConfig';
import { createContainerInfo, insert, snapshot } from '../nodes';

describe('host config', () => {
  it('defines every key react-reconciler 0.34 reads', () => {
    // The reconciler reads its config as `$$$config.key`; a missing key fails late and obscurely.
    const require = createRequire(import.meta.url);
    const src = readFileSync(require.resolve('react-reconciler/cjs/react-reconciler.development.js'), 'utf8');
    const read = new Set([...src.matchAll(/\$\$\$config\.([A-Za-z_]+)/g)].map((m) => m[1] as string));
    expect(read.size).toBeGreaterThan(150);
    const missing = [...read].filter((k) => !HOST_CONFIG_KEYS.includes(k));
    expect(missing).toEqual([]);
  });

  it('creates plain instances and marks the container dirty only on real prop changes', () => {
    const container = createContainerInfo(() => {});
    const a = hostConfig.createInstance('Linear', { outFeatures: 8, children: null }, container, {}, { key: 'a' });
    expect(a.props).toEqual({ outFeatures: 8 });
    expect(a.key).toBe('a');
    hostConfig.appendChildToContainer(container, a);
    expect(container.dirty).toBe(true);
    container.dirty = false;
    hostConfig.commitUpdate(a, 'Linear', {}, { outFeatures: 8 });
    expect(container.dirty).toBe(false);
    hostConfig.commitUpdate(a, 'Linear', {}, { outFeatures: 16 });
    expect(container.dirty).toBe(true);
  });

  it('moves an already attached child instead of duplicating it', () => {
    const container = createContainerInfo(() => {});
    const mk = (type: string) => hostConfig.createInstance(type, {}, container, {}, {});
    const list = [mk('A'), mk('B'), mk('C')];
    const [a, b, c] = list as [ReturnType<typeof mk>, ReturnType<typeof mk>, ReturnType<typeof mk>];
    insert(list, c, a);
    expect(list.map((n) => n.type)).toEqual(['C', 'A', 'B']);
    insert(list, b, null);
    expect(list.map((n) => n.type)).toEqual(['C', 'A', 'B']);
  });

  it('drops whitespace text, keeps other text, and wraps several top-level layers in a Sequential', () => {
    const container = createContainerInfo(() => {});
    const l1 = hostConfig.createInstance('Linear', { outFeatures: 2 }, container, {}, {});
    const space = hostConfig.createTextInstance(' ', container);
    const relu = hostConfig.createInstance('ReLU', {}, container, {}, {});
    for (const n of [l1, space, relu]) hostConfig.appendChildToContainer(container, n);
    expect(snapshot(container)).toEqual({
      type: 'Sequential',
      props: {},
      key: null,
      children: [
        { type: 'Linear', props: { outFeatures: 2 }, key: null, children: [] },
        { type: 'ReLU', props: {}, key: null, children: [] },
      ],
    });
    const word = hostConfig.createTextInstance('hello', container);
    hostConfig.appendChildToContainer(container, word);
    expect(snapshot(container)?.children.at(-1)).toMatchObject({ type: '#text', text: 'hello' });
  });
});
