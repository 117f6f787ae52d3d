// Keeping and handing off models: safetensors, PyTorch code and weights, state_dict import, ONNX.

export * from './pytorch/index';
export type { SafeTensor, SafetensorsDtype, SafetensorsFile } from './safetensors';
export { decodeSafetensors, encodeSafetensors } from './safetensors';
