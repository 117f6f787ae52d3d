/**
 * Which GPUDevice fused-webgpu may run on: tfjs' own when its backend is webgpu, else a new one on
 * a hardware adapter, or on a software one (SwiftShader) only when asked for by name.
 */
import * as tf from '@tensorflow/tfjs';
import { isSoftwareAdapter } from '../../../runtime/adapter';

/** What WebGPU offers here, as far as the fused engine is concerned. */
export interface GpuProbe {
  /** A device to run on, or null (then `why` says why). */
  device: GPUDevice | null;
  /** A software adapter (SwiftShader): correct but slow. */
  software: boolean;
  /** Whether `auto` should pick fused-webgpu: a hardware adapter, or tfjs already runs on webgpu. */
  preferred: boolean;
  description: string;
  why: string;
  /** Destroys the device if the probe created it. */
  release(): void;
}

interface GpuLike {
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

function describeAdapter(info: Partial<GPUAdapterInfo>, software: boolean): string {
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return `${software ? 'software' : 'hardware'} WebGPU adapter (${name})`;
}

/**
 * Finds a device for fused-webgpu: tfjs' when its backend is webgpu; otherwise a new one on a
 * hardware adapter — or on a software one only when fused-webgpu was asked for by name.
 */
export async function probeWebGPU(explicit: boolean): Promise<GpuProbe> {
  const none = (why: string, software = false): GpuProbe => ({
    device: null,
    software,
    preferred: false,
    description: '',
    why,
    release() {},
  });
  try {
    if (tf.getBackend() === 'webgpu') {
      const backend = tf.backend() as unknown as { device?: GPUDevice; adapterInfo?: Partial<GPUAdapterInfo> };
      if (backend.device) {
        const info = backend.adapterInfo ?? {};
        const software = isSoftwareAdapter(info);
        return {
          device: backend.device,
          software,
          preferred: true,
          description: `sharing the tfjs webgpu backend's device, a ${describeAdapter(info, software)}`,
          why: '',
          release() {},
        };
      }
    }
    const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
    if (!gpu) return none('no WebGPU here (navigator.gpu is missing)');
    const adapter = await gpu.requestAdapter();
    if (!adapter) return none('no WebGPU adapter');
    const info = (adapter.info ?? {}) as Partial<GPUAdapterInfo>;
    const software = isSoftwareAdapter(info, adapter);
    if (software && !explicit) {
      return none(`the ${describeAdapter(info, true)} is slower than fused-cpu on this machine`, true);
    }
    const device = await adapter.requestDevice();
    return {
      device,
      software,
      preferred: !software,
      description: `on a ${describeAdapter(info, software)}`,
      why: '',
      release() {
        device.destroy();
      },
    };
  } catch (e) {
    return none(`WebGPU failed to start: ${(e as Error)?.message ?? String(e)}`);
  }
}
