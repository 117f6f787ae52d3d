import { strToU8, zipSync } from 'fflate';
import { describe, ReactNNError } from '../../errors';
import type { ExportedFiles } from './exportPyTorch';

function checkFiles(files: ExportedFiles, api: string): void {
  if (files === null || typeof files !== 'object' || Object.keys(files).length === 0) {
    throw new ReactNNError('option', api, `expected the files exportPyTorch returns (got ${describe(files)})`);
  }
  for (const name of Object.keys(files)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) {
      throw new ReactNNError('option', api, `file name ${JSON.stringify(name)} is not a plain file name`);
    }
  }
}

/** The files as one zip archive (in memory). */
export function zipFiles(files: ExportedFiles): Uint8Array {
  checkFiles(files, 'zipFiles');
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files))
    entries[name] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(entries);
}

/**
 * Browser: downloads the files as one zip (`react-nn-pytorch.zip` by default).
 * @example await downloadZip(await exportPyTorch(trainer, { data: true }), 'moons.zip');
 */
export async function downloadZip(files: ExportedFiles, fileName = 'react-nn-pytorch.zip'): Promise<void> {
  await downloadBytes(zipFiles(files), fileName, 'application/zip');
}

/**
 * Browser: downloads bytes as one file — e.g. `exportONNX`'s model.
 * @example downloadBytes(await exportONNX(net), 'model.onnx');
 */
export async function downloadBytes(
  bytes: Uint8Array,
  fileName: string,
  type = 'application/octet-stream',
): Promise<void> {
  if (typeof document === 'undefined') {
    throw new ReactNNError(
      'state',
      'downloadBytes',
      'there is no document to download from — in Node use writeFolder(files, dir)',
    );
  }
  if (!(bytes instanceof Uint8Array)) {
    throw new ReactNNError('option', 'downloadBytes', `expected a Uint8Array (got ${describe(bytes)})`);
  }
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // Revoked after the click has been handled: revoking at once can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/**
 * Node: writes the files into a folder (created when missing); returns the paths written.
 * @example await writeFolder(await exportPyTorch(trainer), './moons-pytorch');
 */
export async function writeFolder(files: ExportedFiles, dir: string): Promise<string[]> {
  checkFiles(files, 'writeFolder');
  if (typeof dir !== 'string' || dir === '') {
    throw new ReactNNError('option', 'writeFolder', `dir must be a folder path (got ${describe(dir)})`);
  }
  const fs = await import(/* @vite-ignore */ 'node:fs/promises');
  const path = await import(/* @vite-ignore */ 'node:path');
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    await fs.writeFile(target, content);
    written.push(target);
  }
  return written;
}
