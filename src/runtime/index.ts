// Compiling graphs to tfjs models, carrying weights over edits, choosing the backend.

export type { AdapterInfo, BackendInfo, BackendName } from './backend';
export { BACKEND_NAMES, selectBackend } from './backend';
export type { CarryOverReport } from './carryOver';
export { carryOverWeights } from './carryOver';
export type { CompileOptions } from './compile';
export { analyze, compileGraph } from './compile';
export type { GraphValidator, NetOptions, NetSnapshot, NetStatus } from './net';
export { Net } from './net';
