/** Weights on disk, browser-safe: the safetensors codec and module helpers on bytes (files: `@graft/core/node`). */
export { serializeSafetensors, deserializeSafetensors, type SafetensorsMetadata, type SerializeOptions, type DeserializeOptions } from './safetensors.js';
export { stateDictToBytes, loadStateDictFromBytes } from './model-io.js';
