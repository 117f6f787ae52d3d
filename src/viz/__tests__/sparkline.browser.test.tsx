import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LossSparkline } from '../sparkline';
import { textAlternative } from './helpers';

afterEach(cleanup);

describe('LossSparkline', () => {
  it('draws both series over a shared x, from 0 at the bottom, and says the latest values', () => {
    const points = [
      { x: 0, a: 1, b: 0.5 },
      { x: 10, a: 0.5 },
      { x: 20, a: 0, b: 0.25 },
    ];
    const view = render(<LossSparkline points={points} width={102} height={52} labels={['train', 'test']} />);
    const fig = view.getByRole('figure', { name: 'Loss' });
    const [a, b] = [...fig.querySelectorAll('polyline')].map((p) => p.getAttribute('points'));
    // x: 1 + (x − 0) / 20 · 100; y: 51 − v / 1 · 50.
    expect(a).toBe('1.0,1.0 51.0,26.0 101.0,51.0');
    // The second series skips the sample it has no value for.
    expect(b).toBe('1.0,26.0 101.0,38.5');
    expect(textAlternative(fig)).toBe('train 0.0000, test 0.2500 at 20; 3 samples from 0.');
  });

  it('says when there is nothing yet', () => {
    const view = render(<LossSparkline points={[]} />);
    expect(textAlternative(view.getByRole('figure'))).toBe('No samples yet.');
  });
});
