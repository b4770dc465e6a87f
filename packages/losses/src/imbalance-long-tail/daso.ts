import { type Tensor, tensor } from '@graft/core';
import { type Call, defineLoss } from '../define.js';
import { opt, type OptionsOf } from '../options.js';
import { cosineSimilarityMatrix } from '../parts/distances.js';
import { hardCe, softCe } from '../parts/pseudo-label-ce.js';
import { applyReduction } from '../reduce.js';

const options = {
  tProto: opt.number(0.05, 'T_proto: temperature of the similarity classifier softmax(cos(h, c_k)/T_proto).', '(0, inf)'),
  tDist: opt.number(1.5, 'T_dist: v_k = (N̂_k / max N̂)^(1/T_dist), the weight of the semantic pseudo-label for predicted class k.', '(0, inf)'),
  threshold: opt.number(0.95, 'τ: confidence threshold of the blended pseudo-label (FixMatch mask).', '[0, 1]'),
  lambdaAlign: opt.number(1, 'λ_align: weight of the semantic alignment loss (the authors\' PSA_LOSS_WEIGHT = 1.0; the catalog leaves it open).', '[0, inf)'),
  reduction: opt.reduction(),
};
export type DasoOptions = OptionsOf<typeof options>;

/**
 * DASO: distribution-aware blend of linear and semantic pseudo-labels, with a semantic alignment loss.
 *
 * Held constant (computed from the weak view, as the authors' torch.no_grad block): q = softmax(cos(h_w, c)/T_proto),
 * p = softmax(z_w), k = argmax p, v = (N̂_k / max N̂)^(1/T_dist), p̂ = (1 − v)·p + v·q, ŷ = argmax p̂,
 * m = [max p̂ ≥ τ]. Per sample: ℓᵢ = mᵢ·CE(z_s, ŷ) + λ_align·(−Σ_k q_k·log softmax(cos(h_s, c)/T_proto)_k), every
 * log-softmax max-shifted. The prototypes c (an EMA / balanced queue of labelled features) and the running
 * pseudo-label counts N̂ are the caller's state, passed as tensors.
 * Follows ytaek-oh/daso lib/models/daso_model.py (forward_train).
 *
 * @param logitsWeak linear logits of the weak view z_w [N, C] (held constant)
 * @param logitsStrong linear logits of the strong view z_s [N, C]
 * @param featuresWeak features of the weak view h_w [N, D] (held constant)
 * @param featuresStrong features of the strong view h_s [N, D]
 * @param prototypes class prototypes c [C, D] (held constant)
 * @param pseudoLabelCounts running pseudo-label counts N̂ [C] (≥ 0)
 * @returns a scalar, or [N] with reduction 'none'
 * @see Oh et al., "DASO: Distribution-Aware Semantics-Oriented Pseudo-label for Imbalanced Semi-Supervised Learning", CVPR 2022
 */
export function dasoLoss(...args: Call<[logitsWeak: Tensor, logitsStrong: Tensor, featuresWeak: Tensor, featuresStrong: Tensor, prototypes: Tensor, pseudoLabelCounts: Tensor], DasoOptions>): Tensor {
  const [zw, zs, hw, hs, protos, counts, { tProto, tDist, threshold, lambdaAlign, reduction }] = entry.check(args);
  const { q, labels, confidence } = dasoPseudoLabels(zw, hw, protos, counts, { tProto, tDist });
  const mask = confidence.ge(threshold).cast(zs.dtype);
  const c = protos.detach();
  const align = softCe(q, cosineSimilarityMatrix(hs, c).div(tProto));
  return applyReduction(hardCe(zs, labels).mul(mask).add(align.mul(lambdaAlign)), { reduction });
}

/**
 * The blended pseudo-labels of the weak view, held constant: q (the semantic pseudo-label), the final labels
 * ŷ = argmax p̂ [N] and their confidence max p̂ [N] (push ŷ into `DasoState` as the authors' dist_logger does);
 * T_proto and T_dist as in the loss (`entry.defaults` holds the defaults).
 */
export function dasoPseudoLabels(logitsWeak: Tensor, featuresWeak: Tensor, prototypes: Tensor, pseudoLabelCounts: Tensor, { tProto, tDist }: { tProto: number; tDist: number }): { q: Tensor; labels: Tensor; confidence: Tensor } {
  const q = cosineSimilarityMatrix(featuresWeak.detach(), prototypes.detach()).div(tProto).softmax(-1);
  const p = logitsWeak.detach().softmax(-1);
  const n = pseudoLabelCounts.detach().cast(p.dtype);
  const dist = n.div(n.amax().clamp(1e-12)).pow(1 / tDist); // (N̂ / max N̂)^(1/T): 0 for an unseen class
  const v = dist.gather(0, p.argmax(-1)).unsqueeze(-1);
  const { values: confidence, indices: labels } = p.mul(v.neg().add(1)).add(q.mul(v)).max(-1);
  return { q, labels, confidence };
}

/** Serialisable DASO state: the per-class feature queues and the pseudo-label counts. */
export interface DasoStateDict { queueSize: number; queues: number[][][]; counts: number[] }

/**
 * The caller-side memory of DASO: a balanced queue of at most `queueSize` labelled (EMA-model) features per class,
 * whose per-class means are the prototypes, and the running counts N̂ of the final pseudo-labels.
 */
export interface DasoState {
  /** Pushes labelled features [B, D] with labels [B] (int32), dropping each class's oldest beyond queueSize. */
  enqueue(features: Tensor, labels: Tensor): void;
  /** The prototypes c [C, D] (float64): each class's queue mean (zeros while a queue is empty). */
  prototypes(): Tensor;
  /** Adds this step's pseudo-labels ŷ [N] (int32) to N̂. */
  pushPseudoLabels(labels: Tensor): void;
  /** N̂ [C] (float64). */
  pseudoLabelCounts(): Tensor;
  stateDict(): DasoStateDict;
  loadStateDict(state: DasoStateDict): void;
}

export function createDasoState(numClasses: number, dim: number, { queueSize = 256 } = {}): DasoState {
  let queues: number[][][] = Array.from({ length: numClasses }, () => []);
  let counts = new Array<number>(numClasses).fill(0);
  return {
    enqueue(features, labels) {
      const x = features.detach().data();
      const y = labels.data();
      y.forEach((c, i) => {
        const q = queues[c];
        q.push(Array.from(x.subarray(i * dim, (i + 1) * dim)));
        if (q.length > queueSize) q.shift();
      });
    },
    prototypes: () => tensor(queues.map((q) => Array.from({ length: dim }, (_, a) => (q.length ? q.reduce((s, r) => s + r[a], 0) / q.length : 0))), { dtype: 'float64' }),
    pushPseudoLabels(labels) { for (const c of labels.data()) counts[c]++; },
    pseudoLabelCounts: () => tensor(counts, { dtype: 'float64' }),
    stateDict: () => ({ queueSize, queues: queues.map((q) => q.map((r) => [...r])), counts: [...counts] }),
    loadStateDict(state) { queueSize = state.queueSize; queues = state.queues.map((q) => q.map((r) => [...r])); counts = [...state.counts]; },
  };
}

export const entry = defineLoss({
  id: 'daso',
  fn: dasoLoss,
  args: [
    { name: 'logitsWeak', shape: ['N', 'C'], dtype: 'float', domain: 'logits', stopGradient: true },
    { name: 'logitsStrong', shape: ['N', 'C'], dtype: 'float', domain: 'logits' },
    { name: 'featuresWeak', shape: ['N', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'featuresStrong', shape: ['N', 'D'], dtype: 'float', domain: 'real' },
    { name: 'prototypes', shape: ['C', 'D'], dtype: 'float', domain: 'real', stopGradient: true },
    { name: 'pseudoLabelCounts', shape: ['C'], dtype: 'float', domain: 'nonneg', stopGradient: true },
  ],
  options,
  output: 'per-sample',
  reading: 'The FixMatch-DASO unlabeled objective of the authors\' code: the confidence-masked CE of the strong view toward the distribution-aware blend of the linear and semantic pseudo-labels, plus λ_align times the semantic alignment CE; the prototypes (EMA/queue of labelled features) and the running pseudo-label counts N̂ are caller state passed as tensors, and the weak-view quantities are held constant as in the paper.',
});
