/**
 * Saving and loading a module's weights as a safetensors file, for Node (`@graft/core/node`).
 * Kept apart from the main entry so a browser build never imports node:fs; browsers use
 * stateDictToBytes / loadStateDictFromBytes with their own storage.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { AnyModule } from '../nn/module.js';
import type { LoadStateDictOptions, LoadStateDictResult } from '../nn/state-dict.js';
import type { SerializeOptions } from './safetensors.js';
import { loadStateDictFromBytes, stateDictToBytes } from './model-io.js';

/** Writes `module.stateDict()` to `path` as safetensors (PyTorch loads it with safetensors.torch.load_file). */
export async function save(module: AnyModule, path: string, opts: SerializeOptions = {}): Promise<void> {
  await writeFile(path, stateDictToBytes(module, opts));
}

/** Loads the safetensors file at `path` (e.g. written by PyTorch's safetensors.torch.save_file) into `module`, in place. */
export async function load(module: AnyModule, path: string, opts: LoadStateDictOptions = {}): Promise<LoadStateDictResult> {
  return loadStateDictFromBytes(module, new Uint8Array(await readFile(path)), opts);
}

export { deserializeSafetensors, serializeSafetensors } from './safetensors.js';
