/**
 * Decompositions with several differentiable outputs (eigh, svd, qr). Each output is its own graph
 * node over the input A whose backward is that output's share of the decomposition's backward:
 * the backward formulas are linear in the output gradients, so the shares add up to PyTorch's
 * formula, and an output that gets no gradient contributes no term (PyTorch's "undefined"
 * gradient), which keeps e.g. svdvals' gradient free of the 1/(sᵢ² − sⱼ²) factors.
 */
import { Function } from '../autograd/function.js';
import type { Tensor } from '../tensor.js';

/** gA's share from output `index` with gradient g, given A and all outputs (graph nodes, so double backward works). */
export type ShareRule = (a: Tensor, outputs: Tensor[], index: number, g: Tensor) => Tensor | null;

class DecompositionOutput extends Function {
  constructor(private readonly op: string, private readonly value: Tensor, private readonly index: number, private readonly rule: ShareRule) { super(); }
  override get opName(): string { return this.op; }
  forward(_a: Tensor): Tensor { return this.value.detach(); }
  /** Saves A and every output once all outputs exist. */
  link(a: Tensor, outputs: Tensor[]): void { this.save(a, ...outputs); }
  backward(g: Tensor): (Tensor | null)[] {
    const [a, ...outputs] = this.savedTensors;
    return [this.rule(a, outputs, this.index, g)];
  }
}

/** The precomputed `values` of a decomposition of A, each linked into the graph with its share of the backward. */
export function decompositionOutputs(op: string, a: Tensor, values: Tensor[], rule: ShareRule): Tensor[] {
  const nodes = values.map((v, i) => new DecompositionOutput(op, v, i, rule));
  const outputs = nodes.map((node) => node.apply(a));
  nodes.forEach((node) => node.link(a, outputs));
  return outputs;
}
