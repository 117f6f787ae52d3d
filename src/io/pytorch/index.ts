// The PyTorch and ONNX hand-off: export code, weights and a training script; import a state_dict.

export type { ExportedFiles, ExportPyTorchOptions } from './exportPyTorch';
export { exportPyTorch } from './exportPyTorch';
export { downloadBytes, downloadZip, writeFolder, zipFiles } from './files';
export type { LoadStateDictOptions, StateDictLoadReport, StateDictSource } from './loadStateDict';
export { loadStateDict } from './loadStateDict';
export type { ExportONNXOptions } from './onnx';
export { exportONNX } from './onnx';
export type { ExportSource } from './source';
