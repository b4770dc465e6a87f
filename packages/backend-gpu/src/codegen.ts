/**
 * Kernel source building, shared by every kernel file. Kernels are JavaScript source that gpu.js
 * translates to GLSL, generated per op *structure* (op family, rank after coalescing, which
 * operands are dense); shapes, strides and offsets are int uniforms, so a new shape costs a
 * uniform upload, not a compile.
 *
 * Naming convention for a strided operand called `x`: the texture `x`, its offset `xo` and its
 * strides `xs0, xs1, …`; a shape's sizes are `n0, n1, …` (or another prefix).
 */
import { contiguousStrides } from '@graft/core';
import type { GView, Runtime } from './runtime.js';

/** A kernel argument: a texture, an int uniform, a float uniform or a host array (uploads only). */
export type ArgType = 'tex' | 'int' | 'float' | 'array';
const gpuType: Record<ArgType, string> = { tex: 'ArrayTexture(1)', int: 'Integer', float: 'Float', array: 'Array' };

/** Builds one kernel's source: named parameters (with their gpu.js types) and a body. */
export class Source {
  readonly params: [string, ArgType][] = [];
  readonly lines: string[] = [];
  param(name: string, type: ArgType): string {
    if (!this.params.some(([n]) => n === name)) this.params.push([name, type]);
    return name;
  }
  line(s: string): void { this.lines.push(s); }
  build(): { source: string; argumentTypes: Record<string, string>; names: string[] } {
    // every kernel gets NaN and ∞ as uniforms: GLSL compilers fold 0.0/0.0 and 1.0/0.0 (see glsl.ts)
    const all: [string, ArgType][] = [...this.params, ['nanv', 'float'], ['infv', 'float']];
    const argumentTypes = Object.fromEntries(all.map(([n, t]) => [n, gpuType[t]]));
    const names = all.map(([n]) => n);
    return { source: `function(${names.join(', ')}) {\n${this.lines.join('\n')}\n}`, argumentTypes, names };
  }
}

export const isDenseStrides = (shape: readonly number[], strides: readonly number[]): boolean => {
  const c = contiguousStrides(shape);
  return shape.every((n, d) => n === 1 || strides[d] === c[d]);
};

/**
 * Emits `const ${tag}0 … ${tag}{d-1}` decoding the flat index `flat` over a `d`-dim shape whose
 * sizes (dims 1..d-1) are the int parameters `${prefix}1…`; returns their names.
 */
export function decode(s: Source, flat: string, d: number, prefix: string, tag: string): string[] {
  const names = Array.from({ length: d }, (_, j) => `${tag}${j}`);
  if (d === 0) return names;
  if (d === 1) { s.line(`const ${names[0]} = ${flat};`); return names; }
  s.line(`let ${tag}r = ${flat};`);
  for (let j = d - 1; j >= 1; j--) {
    const n = s.param(`${prefix}${j}`, 'int');
    s.line(`const ${names[j]} = imod(${tag}r, ${n});`);
    if (j > 1) s.line(`${tag}r = idiv(${tag}r, ${n});`);
    else s.line(`const ${names[0]} = idiv(${tag}r, ${n});`);
  }
  return names;
}

/** `${name}o + Σ idx_j · ${name}s{j}` as source: where operand `name` holds the element at `idx`. */
export function offsetExpr(s: Source, name: string, idx: readonly string[]): string {
  return [s.param(`${name}o`, 'int'), ...idx.map((i, j) => `${i} * ${s.param(`${name}s${j}`, 'int')}`)].join(' + ');
}

/** The uniform values of operand `name` (texture, offset, strides) for code built by `offsetExpr`. */
export function viewValues(rt: Runtime, name: string, v: GView, strides: readonly number[] = v.strides): Record<string, unknown> {
  const out: Record<string, unknown> = { [name]: rt.tex(v.buffer), [`${name}o`]: v.offset };
  strides.forEach((st, j) => { out[`${name}s${j}`] = st; });
  return out;
}

/** The uniform values `${prefix}0, ${prefix}1, …` of a shape, for code built by `decode`. */
export const shapeValues = (shape: readonly number[], prefix = 'n'): Record<string, number> =>
  Object.fromEntries(shape.map((n, j) => [`${prefix}${j}`, n]));
