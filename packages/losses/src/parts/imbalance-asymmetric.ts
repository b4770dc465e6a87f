/**
 * The asymmetric sigmoid terms of ASL (Ridnik et al. 2021), shared by asl and the multi-focal
 * modifier: probability shifting of the negatives, asymmetric focusing exponents, an optional
 * per-class weight, and a focusing weight optionally held constant (no gradient), as the authors' code.
 */
import type { Tensor } from '@graft/core';

export interface AsymmetricTerms {
  gammaPos: number | Tensor;
  gammaNeg: number | Tensor;
  /** m: negatives use p_m = max(p − m, 0). */
  clip: number;
  /** log(max(·, eps)) as in the reference code. */
  eps: number;
  /** The focusing weights carry no gradient (the code's disable_torch_grad_focal_loss). */
  detachFocusing: boolean;
}

/**
 * The per-element loss −[t·(1 − p)^{γ+}·log max(p, ε) + (1 − t)·p_m^{γ−}·log max(1 − p_m, ε)],
 * p = σ(z), p_m = max(p − m, 0), i.e. 1 − p_m = min(σ(−z) + m, 1). log p = log σ(z) (stable);
 * 1 − p_m ≥ m, so its log is finite for m > 0, and clamped at log ε otherwise. The focusing weights are
 * (1 − p)^{γ+} = exp(γ+·log σ(−z)) and p_m^{γ−}, held constant when `detachFocusing`.
 */
export function asymmetricTerms(z: Tensor, t: Tensor, { gammaPos, gammaNeg, clip, eps, detachFocusing }: AsymmetricTerms): Tensor {
  const logEps = Math.log(eps);
  const logPos = z.logSigmoid().clamp(logEps);
  const xsNeg = clip > 0 ? z.neg().sigmoid().add(clip).clamp(undefined, 1) : z.neg().sigmoid();
  const logNeg = clip > 0 ? xsNeg.clamp(eps).log() : z.neg().logSigmoid().clamp(logEps);
  const src = detachFocusing ? z.detach() : z;
  // (1 − p)^{γ+} = exp(γ+·log σ(−z)): smooth everywhere, finite gradients at logits of ±1e4.
  const wPos = gammaPos === 0 ? null : src.neg().logSigmoid().mul(gammaPos).exp();
  // p_m^{γ−} with p_m = max(σ(z) − m, 0); γ− = 0 is the constant 1 (no 0·0⁻¹ in the gradient).
  const wNeg = gammaNeg === 0 ? null : (clip > 0 ? src.sigmoid().sub(clip).relu() : src.sigmoid()).pow(gammaNeg);
  const pos = t.mul(wPos ? logPos.mul(wPos) : logPos);
  const neg = t.neg().add(1).mul(wNeg ? logNeg.mul(wNeg) : logNeg);
  return pos.add(neg).neg();
}
