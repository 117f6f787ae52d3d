// The Playground app: a TF-Playground-class page made of react-nn's own components, state in the URL.

export type { PlaygroundProps } from './Playground';
export { Playground } from './Playground';
export type { DecodedState, PlaygroundState } from './state';
export { DEFAULT_STATE, decodeState, encodeState } from './state';
