/**
 * The one test of whether a WebGPU adapter is a software one (SwiftShader, llvmpipe…): correct but
 * far slower than WebGL on the same machine. Backend selection and the fused WebGPU engine both ask,
 * so both rank the same adapter the same way.
 */

/** What browsers and Dawn report about an adapter; every field may be missing on older ones. */
export interface AdapterFacts {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Names of software rasterisers as they appear in an adapter's vendor, architecture or description. */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|software/i;

/**
 * True for a software adapter: the adapter says so (`info.isFallbackAdapter`, or the older
 * `adapter.isFallbackAdapter`), or names a known software rasteriser.
 */
export function isSoftwareAdapter(info: AdapterFacts, adapter?: { isFallbackAdapter?: boolean } | null): boolean {
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`;
  return Boolean(info.isFallbackAdapter ?? adapter?.isFallbackAdapter) || SOFTWARE_NAMES.test(text);
}

let webglSoftware: boolean | null = null;

/**
 * True when this page's WebGL runs on a software rasteriser (SwiftShader, llvmpipe…): "GPU" work
 * is CPU work in the browser's GPU process there, and every synchronous WebGL call waits for it —
 * a small batched predict blocks the page for tens of milliseconds. Asked once (a WebGL context is
 * made, read and let go); false where there is no WebGL at all.
 */
export function isSoftwareWebGL(): boolean {
  if (webglSoftware !== null) return webglSoftware;
  webglSoftware = false;
  if (typeof document === 'undefined') return false;
  try {
    const gl =
      document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
    if (!gl) return false;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    webglSoftware = SOFTWARE_NAMES.test(renderer);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    // No WebGL: nothing to rank.
  }
  return webglSoftware;
}
