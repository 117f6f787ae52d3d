// Keeping and sharing models: checkpoints (files, IndexedDB, downloads), safetensors, weight names.

export type { AutosaveOptions, AutosaveSnapshot, TrainerProgress } from './autosave';
export { Autosave } from './autosave';
export type { Checkpoint, CheckpointSubject } from './checkpoint';
export { loadCheckpoint, restoreCheckpoint, saveCheckpoint } from './checkpoint';
export type { StoredCheckpointInfo } from './indexedDb';
export { deleteCheckpoint, listCheckpoints } from './indexedDb';
export type { CheckpointSource } from './locations';
export type { CheckpointMeta, JSONValue, ModelJSON, SavedNode } from './modelFile';
export type { NetWeight } from './netWeights';
export { readNetWeights } from './netWeights';
export * from './pytorch/index';
export type { LoadReport, LoadWeightsOptions, SavedWeights } from './restore';
export { loadWeights, whenBuilt } from './restore';
export type { SafeTensor, SafetensorsDtype, SafetensorsFile } from './safetensors';
export { decodeSafetensors, encodeSafetensors } from './safetensors';
export type { ShareState } from './share';
export { decodeShareState, encodeShareState, SHARE_WEIGHT_LIMIT, shareModel } from './share';
export type { TrainerLike, TrainerStateLike } from './trainerState';
