import type { CommonProps } from './define';
import { defineLayer } from './define';

/** Props of `<Sequential>`: its children are the layers, applied in order. */
export interface SequentialProps extends CommonProps {}

/**
 * Applies its children one after another, each to the previous one's output —
 * PyTorch `nn.Sequential(*layers)`. Containers nest: a `<Sequential>` may hold another.
 *
 * Input shape: whatever its first child takes.
 * Output shape: its last child's output.
 * @example
 * <Sequential><Linear outFeatures={8} /><ReLU /><Linear outFeatures={1} /></Sequential>
 * @see https://pytorch.org/docs/stable/generated/torch.nn.Sequential.html
 */
export const Sequential = defineLayer<SequentialProps>(
  {
    type: 'Sequential',
    description: 'Applies its children in order',
    container: true,
    props: {},
    outputShape: (_p, input, ctx) => {
      if (ctx.childCount === 0) {
        ctx.fail(
          '<Sequential> needs at least one layer — put layers inside it, e.g. <Sequential><Linear outFeatures={8} /><ReLU /></Sequential>',
          'structure',
        );
      }
      return ctx.chain(input);
    },
    build: (_p, ctx) => (x) => ctx.chain(x),
  },
  { builtin: true },
);
