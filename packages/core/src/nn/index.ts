/** graft's nn: PyTorch's module system and layers, composed from Tensor ops. */
export { Module, type AnyModule, type Forward } from './module.js';
export { Parameter, Buffer } from './parameter.js';
export { type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from './state-dict.js';
export { Sequential, ModuleList, ModuleDict } from './containers.js';
export { Linear, Bilinear, Identity, Flatten, Unflatten } from './linear.js';
export { Conv1d, Conv2d, ConvTranspose2d, type ConvLayerOptions, type ConvTransposeLayerOptions } from './conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './pooling.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, type BatchNormOptions, type LayerNormOptions, type GroupNormOptions } from './normalization.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type AttentionCallOptions } from './attention.js';
export { LSTM, GRU, type RNNOptions } from './recurrent.js';
export {
  ReLU, ReLU6, LeakyReLU, ELU, GELU, SiLU, Mish, Sigmoid, LogSigmoid, Tanh, Softsign, Hardtanh, Softplus, Softmax, LogSoftmax, Softmin, PReLU,
} from './activation.js';
export { type FactoryOptions } from './options.js';
export { functionalCall } from './functional-call.js';
export * as functional from './functional.js';
export * as init from './init.js';
