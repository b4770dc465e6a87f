/**
 * The tables the compiler keeps complete: a scalar rule per elementwise op, a composition per
 * accelerated op, and op names checked against the op table's rows. Each `@ts-expect-error`
 * below is the proof: if the table stopped rejecting the incomplete value, tsc would fail here.
 */
import { describe, expect, it } from 'vitest';
import {
  acceleratedBinaryOps, acceleratedUnaryOps, binaryCompositions, binaryOps, binaryRules, unaryCompositions, unaryOps, unaryRules,
  type BinaryRules, type UnaryRules,
} from '../src/backend/kit.js';
import { type OpName, opNames } from '../src/testing/index.js';

describe('tables the compiler keeps complete', () => {
  it('every elementwise op has exactly one scalar rule', () => {
    expect(Object.keys(unaryRules).sort()).toEqual([...unaryOps].sort());
    expect(Object.keys(binaryRules).sort()).toEqual([...binaryOps].sort());
    const { erf: _erf, ...noErf } = unaryRules;
    // @ts-expect-error: a unary op without a rule does not compile
    const missing: UnaryRules = noErf;
    const { pow: _pow, ...noPow } = binaryRules;
    // @ts-expect-error: a binary op without a rule does not compile
    const missingBinary: BinaryRules = noPow;
    expect([missing, missingBinary].every((t) => Object.keys(t).length > 0)).toBe(true);
  });

  it('every accelerated op has a composition over the required tier', () => {
    expect(Object.keys(unaryCompositions).sort()).toEqual([...acceleratedUnaryOps].sort());
    expect(Object.keys(binaryCompositions).sort()).toEqual([...acceleratedBinaryOps].sort());
    const { tanh: _tanh, ...noTanh } = unaryCompositions;
    // @ts-expect-error: an accelerated op without a composition does not compile
    const incomplete: typeof unaryCompositions = noTanh;
    expect(Object.keys(incomplete)).not.toContain('tanh');
  });

  it('op names are checked against the op table', () => {
    const named: OpName[] = ['softmax', 'gather'];
    // @ts-expect-error: an op without a row is not an OpName
    const unknown: OpName = 'softmaxx';
    expect(named.every((op) => opNames.includes(op))).toBe(true);
    expect(opNames).not.toContain(unknown);
  });
});
