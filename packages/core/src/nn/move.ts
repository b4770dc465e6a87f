/** Moving a tensor to another backend in place, so every holder of the Tensor object sees it there. */
import * as memory from '../memory.js';
import type { Tensor } from '../tensor.js';

/**
 * Re-points `t` at a copy of its values on backend `name` (its gradient too). Unlike `t.to(name)`,
 * which returns a new tensor, this keeps the object: optimizers holding it keep working. Call it
 * under noGrad.
 */
export function moveInPlace(t: Tensor, name: string): void {
  if (t.backendName === name) return;
  // Copied before `t.grad = null`, which frees a gradient the leaf owns (one that backward() made inside a tidy).
  const grad = t.grad?.to(name) ?? null;
  t.grad = null; // the setter would refuse a gradient on the other backend
  const view = t.detach();
  const moved = view.to(name);
  memory.onStorageReplaced(t, t.storage, moved.storage);
  t.storage = moved.storage;
  t.strides = moved.strides;
  t.offset = moved.offset;
  t.version++;
  // t holds the new storage now; the temporaries let go (the old storage is freed if nothing else holds it).
  moved.dispose();
  view.dispose();
  if (grad) t.grad = grad;
}
