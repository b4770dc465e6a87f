/** The MLP the benchmarks and the browser page train (browser-safe: core only). */
import { nn } from '@graft/core';

/** Linear layers of the given widths with ReLU between them (none after the last). */
export function mlp(widths: readonly number[]): nn.Sequential {
  const layers: nn.Module[] = [];
  for (let i = 1; i < widths.length; i++) {
    if (i > 1) layers.push(new nn.ReLU());
    layers.push(new nn.Linear(widths[i - 1], widths[i]));
  }
  return new nn.Sequential(...layers);
}
