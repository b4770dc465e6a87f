/**
 * V8 optimises a loop for the typed-array classes it has seen there; once one function has run on
 * Float32Array and Float64Array alike, its element loads turn polymorphic and a hot kernel slows
 * down by a third or more. `perDtype` hands out one fresh copy of a kernel per dtype (recompiled
 * from its source), so each copy only ever sees one array class. The kernel must be
 * self-contained: no free variables besides globals such as Math.
 */
import type { DType } from '@graft/core/backend-kit';

export function perDtype<F extends (...args: never[]) => unknown>(kernel: F): (dtype: DType) => F {
  const copies = new Map<DType, F>();
  return (dtype) => {
    let f = copies.get(dtype);
    if (!f) {
      const source = kernel.toString();
      // Source instrumented for coverage (istanbul's cov_* counters) would not resolve in a copy.
      f = /\bcov_\w+/.test(source) ? kernel : (new Function(`return (${source});`)() as F);
      copies.set(dtype, f);
    }
    return f;
  };
}
