/** Data augmentation in tensor ops (so it runs on every backend): random translations of digits. */
import { cat, fromTyped, type Generator, type Tensor } from '@graft/core';

/**
 * Shifts each 28×28 image of `x` ([n, 784] or [n, 1, 28, 28]) by its own random offset of up to
 * ±`maxShift` pixels in each direction, filling with 0: one `gather` from the images with a zero
 * pixel appended, at indices computed here per sample.
 */
export function randomShift(x: Tensor, maxShift: number, g: Generator): Tensor {
  const n = x.shape[0];
  const idx = new Int32Array(n * 784);
  for (let i = 0; i < n; i++) {
    const dx = g.integer(-maxShift, maxShift + 1);
    const dy = g.integer(-maxShift, maxShift + 1);
    for (let r = 0; r < 28; r++) {
      for (let c = 0; c < 28; c++) {
        const [sr, sc] = [r - dy, c - dx];
        idx[i * 784 + r * 28 + c] = sr >= 0 && sr < 28 && sc >= 0 && sc < 28 ? sr * 28 + sc : 784; // 784: the zero pixel
      }
    }
  }
  const flat = x.reshape([n, 784]);
  const padded = cat([flat, flat.narrow(1, 0, 1).mul(0)], 1); // [n, 785], the last column 0
  const index = fromTyped(idx, [n, 784], { dtype: 'int32', backend: x.backendName });
  return padded.gather(1, index).reshape(x.shape);
}
