/** The layers' computations as functions (PyTorch's torch.nn.functional), for code that holds its own weights. */
export { linear } from './linear.js';
export { conv1d, conv2d, convTranspose2d, type ConvOptions, type ConvTransposeOptions, type ConvPadding } from './functional-conv.js';
export { dropout } from './dropout.js';
