import { useEffect, useState } from 'react';
import {
  decodeShareState,
  encodeShareState,
  loadWeights,
  type Net,
  type ShareState,
  shareModel,
  type Trainer,
  type UseTrainerOptions,
  whenBuilt,
} from '../nn';

/**
 * Share links for live examples: the edited code, the learning rate, the data set and (for small
 * models) the trained weights, in the page's fragment after `?share=` — `#/getting-started?share=rnn1.…`
 * — so the hash router still finds the page.
 */

/** The shared state in this page's link, when it belongs to this example. */
export function sharedStateFor(exampleId: string): ShareState | null {
  const at = window.location.hash.indexOf('?share=');
  if (at < 0) return null;
  try {
    const state = decodeShareState(window.location.hash.slice(at + '?share='.length));
    return state.example === exampleId ? state : null;
  } catch (e) {
    // A damaged link opens the example as written; the reason goes to the console.
    console.warn('[react-nn docs] the share link could not be read:', (e as Error).message);
    return null;
  }
}

/** The example's training options with the shared learning rate. */
export function withSharedOptions<T extends Pick<UseTrainerOptions, 'optimizer'>>(
  training: T,
  shared: ShareState | null,
): T {
  const lr = shared?.options?.lr;
  return typeof lr === 'number' ? { ...training, optimizer: { ...training.optimizer, lr } } : training;
}

/** Puts the shared weights into the first model built, once. */
export function useSharedWeights(model: Net, shared: ShareState | null): void {
  useEffect(() => {
    const weights = shared?.weights;
    if (weights) return whenBuilt(model, () => loadWeights(model, weights));
  }, [model, shared]);
}

/** A Share button: puts the example's state in the address bar and the clipboard, and shows the link. */
export function ShareButton({
  exampleId,
  code,
  data,
  model,
  trainer,
}: {
  exampleId: string;
  code: string;
  data: string;
  model: Net;
  trainer: Trainer | null;
}) {
  const [link, setLink] = useState<string | null>(null);
  const share = async () => {
    const built = model.getSnapshot().model ? await shareModel(model) : {};
    const lr = trainer?.getSnapshot().lr;
    const hash = encodeShareState({
      example: exampleId,
      code,
      data,
      ...(lr !== undefined ? { options: { lr } } : {}),
      ...(built.weights ? { weights: built.weights } : {}),
    });
    const page = window.location.hash.replace(/^#/, '').split('?')[0] || '/';
    const url = `${window.location.origin}${window.location.pathname}#${page}?share=${hash}`;
    // replaceState, not location.hash: the router must not see a navigation.
    window.history.replaceState(null, '', url);
    setLink(url);
    await navigator.clipboard?.writeText(url).catch(() => {});
  };
  return (
    <>
      <button type="button" className="link-button" onClick={() => void share()}>
        Share
      </button>
      {link ? (
        <input
          className="share-link"
          readOnly
          value={link}
          aria-label="Share link"
          data-testid="share-link"
          onFocus={(e) => e.currentTarget.select()}
        />
      ) : null}
    </>
  );
}
