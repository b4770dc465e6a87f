/**
 * The GLSL of every unary and binary op is a Record over core's op union (src/glsl.ts), so an op
 * without GLSL is a compile error — checked here by `@ts-expect-error` under `pnpm typecheck` —
 * rather than a kernel that silently returns NaN. Needs no GL context.
 */
import { binaryOps, unaryOps } from '@graft/core';
import { expect, test } from 'vitest';
import { type BinaryGlsl, binaryGlsl, natives, type UnaryGlsl, unaryGlsl } from '../src/glsl.js';

test('a unary rule table missing one op does not compile', () => {
  const { reciprocal, ...allButOne } = unaryGlsl;
  // @ts-expect-error 'reciprocal' has no GLSL, so this is not a UnaryGlsl
  const rules: UnaryGlsl = allButOne;
  expect(Object.keys(rules)).not.toContain('reciprocal');
  expect(reciprocal).toContain('1.0 / x');
});

test('a binary rule table missing one op does not compile', () => {
  const { or, ...allButOne } = binaryGlsl;
  // @ts-expect-error 'or' has no GLSL, so this is not a BinaryGlsl
  const rules: BinaryGlsl = allButOne;
  expect(Object.keys(rules)).not.toContain('or');
  expect(or).toContain('||');
});

test('g_unary and g_binary have one branch per op of core, in op-code order, and no fall-through', () => {
  for (const [name, ops, rules] of [['g_unary', unaryOps, unaryGlsl], ['g_binary', binaryOps, binaryGlsl]] as const) {
    expect(Object.keys(rules).sort()).toEqual([...ops].sort());
    const source = natives.find((n) => n.name === name)!.source;
    // every op but the last is tested by its code; the last is the unconditional final branch
    ops.slice(0, -1).forEach((op, code) => expect(source).toContain(`if (op == ${code}) { ${(rules as Record<string, string>)[op]} }`));
    expect(source).not.toContain(`op == ${ops.length - 1}`);
    expect(source.trimEnd()).toMatch(new RegExp(`\\{ ${escape((rules as Record<string, string>)[ops[ops.length - 1]])} \\}\\s*\\}$`));
  }
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
