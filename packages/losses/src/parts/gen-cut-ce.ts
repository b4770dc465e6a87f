/**
 * The blockwise core of cut cross-entropy: ℓᵢ = lse_v(eᵢ·c_v) − eᵢ·c_{yᵢ} for hidden states E [N, D] and a
 * classifier C [V, D], never holding the [N, V] logits. One autograd `Function` (core's), because a composition
 * of Tensor ops would save every block's logits for backward, which is the [N, V] matrix again.
 *
 * forward: for each vocabulary block C_b [B, D] (B = blockSize): Z_b = E C_bᵀ [N, B] (optionally softcapped),
 *   the running logsumexp merged as lse ← logaddexp(lse, lse_v(Z_b)) (the online-softmax merge
 *   m = max(m₁, m₂), s = s₁e^{m₁−m} + s₂e^{m₂−m}, in one stable op); the target logit is the row dot eᵢ·c_{yᵢ}.
 *   Saved for backward: E, C (the inputs, no copies) and lse [N]: O(N + V·D), nothing of size N·V.
 * backward (g [N], the cotangent of ℓ): each block's logits are recomputed, G_b = g ⊙ softmax_b with
 *   softmax_b = exp(Z_b − lse) (times the softcap's derivative 1 − (Z_b/cap)²), dE += G_b C_b and
 *   dC_b = G_bᵀ E, where the target's −g lands in the block that holds yᵢ (so no [V, D] index-add follows).
 *   Blocks with every softmax entry below `filterEps` are skipped (the paper's gradient filtering; off at 0).
 * Each block runs inside `tidy`, so its [N, B] temporaries are released before the next block (counted
 * storage on the GPU; garbage on the CPU). The live extra memory is O(N·B + V·D): two [N, B] block temporaries
 * and the classifier gradient's blocks before they are concatenated into dC (a core Function returns one
 * tensor per input and core has no in-place slice write, so the blocks and dC coexist for that one copy).
 */
import { arange, concat, Function, isGradEnabled, type Tensor, tidy } from '@graft/core';

export interface CutCeOptions {
  /** Vocabulary rows per block. */
  blockSize: number;
  /** cap·tanh(z/cap) applied to every logit before the logsumexp (null: none). */
  softcap: number | null;
  /** Skip a block's gradient when all its softmax entries are below this (0: never). */
  filterEps: number;
}

const capped = (z: Tensor, cap: number | null): Tensor => (cap === null ? z : z.div(cap).tanh().mul(cap));

class CutCrossEntropy extends Function {
  constructor(private readonly target: Tensor, private readonly keep: Tensor, private readonly o: CutCeOptions) { super(); }

  private blocks(v: number): [number, number][] {
    const out: [number, number][] = [];
    for (let s = 0; s < v; s += this.o.blockSize) out.push([s, Math.min(this.o.blockSize, v - s)]);
    return out;
  }

  /** The logsumexp over the vocabulary [N], merged block by block. */
  private lse(e: Tensor, c: Tensor): Tensor {
    let lse = e.newZeros([e.shape[0]]).sub(Infinity);
    for (const [s, len] of this.blocks(c.shape[0])) {
      const prev = lse;
      lse = tidy(() => prev.logaddexp(capped(e.matmul(c.narrow(0, s, len).transpose(0, 1)), this.o.softcap).logsumexp(-1)));
      if (!isGradEnabled()) prev.dispose();
    }
    return lse;
  }

  forward(e: Tensor, c: Tensor): Tensor {
    const lseN = this.lse(e, c);
    this.save(e, c, lseN);
    return tidy(() => lseN.sub(capped(e.mul(c.indexSelect(0, this.target)).sum(-1), this.o.softcap)).mul(this.keep));
  }

  backward(g: Tensor): (Tensor | null)[] {
    const [e, c, saved] = this.savedTensors;
    // Under createGraph the logsumexp is recomputed as a differentiable composition, so that the second derivative
    // sees its dependence on E and C (that graph holds every block: second order is not memory-bounded).
    const graph = isGradEnabled();
    const lse = graph ? this.lse(e, c) : saved;
    const { softcap, filterEps } = this.o;
    const w = g.mul(this.keep).unsqueeze(-1); // ignored tokens carry no gradient
    const target = this.target.unsqueeze(-1);
    const [needE, needC] = this.needsInputGrad;
    // Block temporaries are released as soon as the next op has consumed them (without createGraph), so at most
    // two [N, blockSize] tensors are live at once.
    const then = (x: Tensor, f: (x: Tensor) => Tensor): Tensor => { const y = f(x); if (!graph) x.dispose(); return y; };
    let dE: Tensor | null = needE ? e.zerosLike() : null;
    const dCBlocks: Tensor[] = [];
    for (const [s, len] of this.blocks(c.shape[0])) {
      const cb = c.narrow(0, s, len);
      const [blockE, blockC] = tidy(() => {
        const raw = e.matmul(cb.transpose(0, 1));
        const z = softcap === null ? raw : then(raw, (r) => capped(r, softcap));
        // The softcap's derivative 1 − (z/cap)², taken before z is released.
        const capSlope = softcap === null ? null : z.div(softcap).square().neg().add(1);
        const p = then(then(z, (x) => x.sub(lse.unsqueeze(-1))), (x) => x.exp());
        // ∂ℓᵢ/∂z_{iv} = softmax_{iv} − [v = yᵢ]: the target's −1 lands in the block that holds yᵢ.
        const hit = arange(s, s + len, 1, { dtype: 'int32', backend: e.backendName }).eq(target);
        // Filtering drops small softmax entries only, never a block that holds a target.
        if (filterEps > 0 && p.amax().item() < filterEps && !hit.any().item()) return [null, null];
        let gz = then(then(p, (x) => x.sub(hit.cast(x.dtype))), (x) => x.mul(w));
        if (capSlope) gz = then(gz, (x) => x.mul(capSlope));
        return [needE ? dE!.add(gz.matmul(cb)) : null, needC ? gz.transpose(0, 1).matmul(e) : null];
      });
      if (blockE) { if (!graph) dE!.dispose(); dE = blockE; }
      if (needC) dCBlocks.push(blockC ?? cb.zerosLike());
    }
    let outC: Tensor | null = null;
    if (needC) {
      outC = concat(dCBlocks, 0);
      if (!graph) dCBlocks.forEach((b) => b.dispose());
    }
    return [dE, outC];
  }
}

/** Per-token cut cross-entropy [N] (0 at tokens where `keep` is 0): lse_v(eᵢ·c_v) − eᵢ·c_{yᵢ}, blockwise. */
export function cutCrossEntropyValues(e: Tensor, c: Tensor, target: Tensor, keep: Tensor, o: CutCeOptions): Tensor {
  return new CutCrossEntropy(target, keep, o).apply(e, c);
}
