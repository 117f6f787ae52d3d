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
