/**
 * Thrown by a shape rule whose layer waits for something asynchronous (a `<Pretrained>` model
 * still downloading). Analysis and compiling are synchronous, so the rule cannot wait; the
 * Net catches this, keeps its status 'building' and commits the same tree again once
 * `promise` settles — by then the resource is cached and the rule answers at once.
 * Not a ReactNNError: nothing is wrong yet.
 */
export class PendingResource extends Error {
  override readonly name = 'PendingResource';
  /** Settles (either way) when the resource is ready or has failed; never rejects. */
  readonly promise: Promise<void>;

  constructor(
    readonly path: string,
    what: string,
    promise: Promise<unknown>,
  ) {
    super(`${path}: waiting for ${what}`);
    this.promise = promise.then(
      () => undefined,
      () => undefined,
    );
  }
}

export function isPendingResource(e: unknown): e is PendingResource {
  return e instanceof PendingResource;
}
