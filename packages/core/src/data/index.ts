/** Data loading, PyTorch's torch.utils.data: datasets, batching with seeded shuffles, random splits. */
export { type Dataset, TensorDataset, Subset } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './dataloader.js';
export { defaultCollate } from './collate.js';
export { randomSplit } from './split.js';
