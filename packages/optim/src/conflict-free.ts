import { noGrad, stack, tidy, type Tensor } from '@graft/core';
import { checkNonNegative } from './checks.js';
import { checkGradLists } from './multi-loss.js';
import type { Optimizer, Params } from './optimizer.js';
import { globalDot, globalNorm, present, type GradList } from './tensor-lists.js';
import { buildBase, OptimizerWrapper, type OptimizerClass } from './wrapper.js';

/**
 * The ConFIG direction for m loss gradients g₁..gₘ (each a list over the parameters, read as one
 * flat vector; missing entries are zero):
 *
 *     U(g) = g/(‖g‖ + ε);   g_u = U(pinv([U(g₁), …, U(gₘ)]ᵀ) · 1ₘ);   g_ConFIG = (Σᵢ gᵢ·g_u)·g_u
 *
 * g_u has the same cosine with every gᵢ, and a positive one, so no loss increases to first order.
 * The pseudo-inverse is computed through the m × m Gram matrix of the unit gradients (read to the
 * host: m numbers squared), with torch.linalg.pinv's default cut-off max(m, D)·ε_dtype on the
 * singular values.
 */
export function conflictFreeDirection(lossGrads: readonly GradList[], eps = 1e-8): (Tensor | null)[] {
  return tidy(() => noGrad(() => {
    const n = lossGrads[0].length;
    const like = lossGrads.flatMap(present)[0];
    if (!like) return Array.from({ length: n }, () => null);
    const filled = lossGrads.map((gs) => gs.map((g, i) => g ?? zerosLikeAt(lossGrads, i)));
    const units = filled.map((gs) => {
      const scale = globalNorm(present(gs)).add(eps).reciprocal();
      return gs.map((g) => (g ? g.mul(scale) : null));
    });
    const m = units.length;
    const gram = stack(units.flatMap((a) => units.map((b) => globalDot(a, b)!))).reshape([m, m]).toArray() as number[][];
    const d = present(units[0]).reduce((s, g) => s + g.size, 0);
    const dtypeEps = like.dtype === 'float64' ? 2.220446049250313e-16 : 1.1920928955078125e-7;
    const c = pinvSolveSymmetric(gram, Math.max(m, d) * dtypeEps);
    let raw: (Tensor | null)[] = units[0].map(() => null);
    units.forEach((u, k) => { raw = raw.map((r, i) => (u[i] ? (r ? r.add(u[i]!.mul(c[k])) : u[i]!.mul(c[k])) : r)); });
    const direction = (() => { const s = globalNorm(present(raw)).add(eps).reciprocal(); return raw.map((r) => (r ? r.mul(s) : null)); })();
    const length = stack(filled.map((gs) => globalDot(gs, direction)!)).sum();
    return direction.map((r) => (r ? r.mul(length) : null));
  }));
}

function zerosLikeAt(lossGrads: readonly GradList[], i: number): Tensor | null {
  const any = lossGrads.map((gs) => gs[i]).find((g) => g);
  return any ? any.zerosLike() : null;
}

/**
 * x = G⁺·1 for a symmetric positive semi-definite G (cyclic Jacobi eigendecomposition; eigenvalues
 * below (rtol·√λ_max)² count as zero, i.e. singular values of the underlying matrix below rtol·σ_max).
 */
export function pinvSolveSymmetric(g: number[][], rtol: number): number[] {
  const m = g.length;
  const a = g.map((row) => [...row]);
  const v: number[][] = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < m; k++) {
          const [akp, akq] = [a[k][p], a[k][q]];
          a[k][p] = cs * akp - sn * akq;
          a[k][q] = sn * akp + cs * akq;
        }
        for (let k = 0; k < m; k++) {
          const [apk, aqk] = [a[p][k], a[q][k]];
          a[p][k] = cs * apk - sn * aqk;
          a[q][k] = sn * apk + cs * aqk;
        }
        for (let k = 0; k < m; k++) {
          const [vkp, vkq] = [v[k][p], v[k][q]];
          v[k][p] = cs * vkp - sn * vkq;
          v[k][q] = sn * vkp + cs * vkq;
        }
      }
    }
  }
  const lambda = a.map((row, i) => row[i]);
  const cutoff = (rtol * Math.sqrt(Math.max(0, ...lambda))) ** 2;
  // x = V diag(1/λ) Vᵀ 1 over the kept eigenvalues.
  const x = new Array<number>(m).fill(0);
  for (let j = 0; j < m; j++) {
    if (!(lambda[j] > cutoff)) continue;
    const coef = v.reduce((s, row) => s + row[j], 0) / lambda[j];
    for (let i = 0; i < m; i++) x[i] += v[i][j] * coef;
  }
  return x;
}

export interface ConFIGOptions {
  /** Guard of the unit-vector normalisations (default 1e-8). */
  eps?: number;
}

/**
 * ConFIG: conflict-free gradient combination for multi-term losses (PINNs): the base optimizer
 * steps with {@link conflictFreeDirection} of the loss terms' gradients. `step(lossGrads)` takes
 * one gradient list per loss term (`lossGradients`). (The momentum variant M-ConFIG is not here.)
 *
 * @see Liu et al., ConFIG: Towards Conflict-free Training of Physics Informed Neural Networks, ICLR 2025, arXiv:2408.11104.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export class ConFIG<B extends Optimizer<any, any>, O extends object = object> extends OptimizerWrapper<B> {
  /** Guard of the unit-vector normalisations (one value: the directions span all parameters). */
  eps: number;

  constructor(params: Params<O>, Base: OptimizerClass<B, O>, options: ConFIGOptions & Partial<O> = {}) {
    const { eps = 1e-8, ...baseOptions } = options;
    super(buildBase(new.target.name, ['eps'], Base, params, baseOptions));
    checkNonNegative(this.label, 'eps', eps);
    this.eps = eps;
  }

  /** Writes the ConFIG direction into `.grad` and steps the base optimizer. */
  step(lossGrads: readonly GradList[]): void {
    const params = this.params();
    checkGradLists(this.label, lossGrads, params.length);
    const g = conflictFreeDirection(lossGrads, this.eps);
    params.forEach((p, i) => { p.grad = g[i]; });
    this.base.step();
  }
}
