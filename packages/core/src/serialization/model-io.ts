/** A module's weights as safetensors bytes and back: the browser-safe half of save/load (node.ts adds files). */
import type { AnyModule } from '../nn/module.js';
import type { LoadStateDictOptions, LoadStateDictResult } from '../nn/state-dict.js';
import { deserializeSafetensors, serializeSafetensors, type SerializeOptions } from './safetensors.js';

/** The module's stateDict() as safetensors bytes (PyTorch's key names, so torch's safetensors.torch.load reads it). */
export function stateDictToBytes(module: AnyModule, opts: SerializeOptions = {}): Uint8Array {
  return serializeSafetensors(module.stateDict(), opts);
}

/**
 * Loads safetensors bytes (from PyTorch's safetensors.torch.save, or stateDictToBytes) into the
 * module in place, through loadStateDict: strict by default, values cast to each parameter's dtype
 * and moved to its backend.
 */
export function loadStateDictFromBytes(module: AnyModule, bytes: Uint8Array, opts: LoadStateDictOptions = {}): LoadStateDictResult {
  return module.loadStateDict(deserializeSafetensors(bytes).tensors, opts);
}
