import { Component, type ErrorInfo, type ReactNode, useSyncExternalStore } from 'react';
import { type Net, type Trainer, useMetrics } from '../nn';

// Small text read-outs beside each live example (the charts come from react-nn's viz). Each
// subscribes on its own, so per-frame training updates re-render these and never the editor.
// Tests read the `<output data-testid=… data-value=…>` elements.

export function formatNumber(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return '–';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return x.toPrecision(4);
}

/** The trainer's status, with why it stopped early (early stopping, …). */
export function StatusBadge({ trainer }: { trainer: Trainer | null }) {
  const { status, stopReason } = useMetrics(trainer);
  return (
    <span className="status-badge">
      <output data-testid="status" className={`status status-${status}`}>
        {trainer ? status : 'loading data'}
      </output>
      {stopReason ? <span className="muted"> — {stopReason}</span> : null}
    </span>
  );
}

/** Epoch, training loss, validation loss and accuracy, as `<output>`s. */
export function TrainingReadout({ trainer }: { trainer: Trainer | null }) {
  const { history, epoch, epochs } = useMetrics(trainer);
  const loss = history.loss.at(-1);
  const val = history.val_loss?.at(-1);
  const accuracy = (history.val_accuracy ?? history.accuracy)?.at(-1);
  return (
    <dl className="readout">
      <div>
        <dt>Epoch</dt>
        <dd>
          <output data-testid="epoch" data-value={epoch}>
            {epoch}
          </output>
          <span className="muted"> / {epochs}</span>
        </dd>
      </div>
      <div>
        <dt>Loss</dt>
        <dd>
          <output data-testid="loss" data-value={loss ?? ''}>
            {formatNumber(loss)}
          </output>
        </dd>
      </div>
      {val !== undefined ? (
        <div>
          <dt>Val loss</dt>
          <dd>
            <output data-testid="val-loss" data-value={val}>
              {formatNumber(val)}
            </output>
          </dd>
        </div>
      ) : null}
      {accuracy !== undefined ? (
        <div>
          <dt>{history.val_accuracy ? 'Val accuracy' : 'Accuracy'}</dt>
          <dd>
            <output data-testid="accuracy" data-value={accuracy}>
              {(100 * accuracy).toFixed(1)}%
            </output>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Parameter count, backend, and what the last rebuild kept. */
export function ModelReadout({ model }: { model: Net }) {
  const snap = useSyncExternalStore(model.subscribe, model.getSnapshot, model.getSnapshot);
  const { summary, backend, lastEdit, version } = snap;
  return (
    <div className="model-readout">
      <p>
        <output data-testid="params" data-value={summary?.totalParams ?? ''}>
          {summary ? `${summary.totalParams.toLocaleString('en')} parameters` : 'building…'}
        </output>
        {backend ? (
          <span className="muted" title={backend.reason}>
            {' '}
            · {backend.name}
            {backend.adapter?.isFallbackAdapter ? ' (software adapter)' : ''}
          </span>
        ) : null}
        <span className="muted">
          {' '}
          · build <output data-testid="version">{version}</output>
        </span>
      </p>
      {lastEdit ? (
        <p className="muted" data-testid="last-edit">
          Last rebuild kept {lastEdit.kept.length} weight tensor{lastEdit.kept.length === 1 ? '' : 's'}
          {lastEdit.reset.length > 0 ? ` and re-initialised ${lastEdit.reset.length}` : ''}.
        </p>
      ) : null}
    </div>
  );
}

/** A chart that fails says so in its place; the example, its editor and its read-outs go on. */
export class VizBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`[react-nn docs] the ${this.props.name} failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <p className="problem">
        The {this.props.name} could not be drawn: {this.state.error.message}
      </p>
    );
  }
}
