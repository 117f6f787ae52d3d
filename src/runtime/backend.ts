import * as tf from '@tensorflow/tfjs';
import { listChoices, ReactNNError } from '../errors';
import { type AdapterFacts, isSoftwareAdapter } from './adapter';

export type BackendName = 'webgpu' | 'webgl' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  /** True for software adapters such as SwiftShader (see `isSoftwareAdapter`): correct, but ~10× slower than WebGL there. */
  isFallbackAdapter: boolean;
}

/** Which backend runs, on what, and why it was chosen. */
export interface BackendInfo {
  name: BackendName;
  adapter: AdapterInfo | null;
  reason: string;
}

interface GpuLike {
  requestAdapter(): Promise<{ info?: AdapterFacts; isFallbackAdapter?: boolean } | null>;
}

let selection: Promise<BackendInfo> | null = null;
let selectionKey: string | null = null;
/** What `selection` resolved to, once it has. */
let resolved: BackendInfo | null = null;

/**
 * Chooses and activates a tfjs backend, once per requested name: `webgpu` → `webgl` → `cpu`,
 * except that a software WebGPU adapter ranks below WebGL. An explicit name always wins (and
 * fails loudly when it cannot run). tfjs has one active backend per page; asking for another
 * switches it for everything.
 */
export function selectBackend(requested?: BackendName): Promise<BackendInfo> {
  if (requested !== undefined && !BACKEND_NAMES.includes(requested)) {
    return Promise.reject(
      new ReactNNError(
        'backend',
        'backend',
        `unknown backend ${JSON.stringify(requested)} — use ${listChoices(BACKEND_NAMES)}`,
      ),
    );
  }
  const key = requested ?? 'auto';
  if (selection && selectionKey === key) {
    return selection.then(async (info) => {
      // Something else may have switched tfjs' global backend since; switch it back.
      if (tf.getBackend() !== info.name) await tf.setBackend(info.name);
      return info;
    });
  }
  selectionKey = key;
  resolved = null;
  const pending: Promise<BackendInfo> = (requested ? activateRequested(requested) : chooseAuto()).then(
    (info) => {
      if (selection === pending) resolved = info;
      return info;
    },
    (e) => {
      if (selection === pending) {
        selection = null;
        selectionKey = null;
      }
      throw e;
    },
  );
  selection = pending;
  return selection;
}

/**
 * The backend `selectBackend(requested)` already chose, when that choice has settled and is still
 * tfjs' active backend — so a new model can be built at once instead of a few promise hops later.
 * Null otherwise (not chosen yet, still choosing, or another backend was switched on since).
 */
export function selectedBackend(requested?: BackendName): BackendInfo | null {
  if (!resolved || selectionKey !== (requested ?? 'auto')) return null;
  return tf.getBackend() === resolved.name ? resolved : null;
}

async function activateRequested(name: BackendName): Promise<BackendInfo> {
  const adapter = name === 'webgpu' ? await prepareWebGPU() : null;
  if (name === 'webgpu' && !adapter) {
    throw new ReactNNError(
      'backend',
      'backend',
      'backend "webgpu" was requested but this environment has no WebGPU adapter (navigator.gpu) or @tensorflow/tfjs-backend-webgpu is not installed — omit backend to fall back to webgl/cpu',
    );
  }
  if (!(await trySet(name))) {
    throw new ReactNNError(
      'backend',
      'backend',
      `backend "${name}" failed to initialise here — omit backend to fall back automatically`,
    );
  }
  return { name, adapter, reason: 'requested' };
}

async function chooseAuto(): Promise<BackendInfo> {
  const adapter = await prepareWebGPU();
  if (adapter && !adapter.isFallbackAdapter && (await trySet('webgpu'))) {
    return { name: 'webgpu', adapter, reason: 'hardware WebGPU adapter' };
  }
  if (hasDom() && (await trySet('webgl'))) {
    const why = adapter ? 'the WebGPU adapter is a software fallback, slower than WebGL' : 'no WebGPU adapter';
    return { name: 'webgl', adapter, reason: why };
  }
  if (adapter && (await trySet('webgpu'))) {
    return { name: 'webgpu', adapter, reason: 'software WebGPU adapter; WebGL unavailable' };
  }
  await trySet('cpu');
  return { name: 'cpu', adapter, reason: adapter ? 'WebGPU and WebGL unavailable' : 'no WebGPU or WebGL here' };
}

function hasDom(): boolean {
  return typeof document !== 'undefined' || typeof OffscreenCanvas !== 'undefined';
}

async function trySet(name: BackendName): Promise<boolean> {
  try {
    if (!tf.findBackendFactory(name)) return false;
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok;
  } catch {
    return false;
  }
}

/** Loads the optional WebGPU backend and describes the adapter, or returns null when there is none. */
async function prepareWebGPU(): Promise<AdapterInfo | null> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) return null;
  let adapter: Awaited<ReturnType<GpuLike['requestAdapter']>>;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    return null;
  }
  if (!adapter) return null;
  if (!tf.findBackendFactory('webgpu')) {
    try {
      await import('@tensorflow/tfjs-backend-webgpu');
    } catch {
      return null;
    }
  }
  if (!tf.findBackendFactory('webgpu')) return null;
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    isFallbackAdapter: isSoftwareAdapter(info, adapter),
  };
}
