/**
 * Bad input is an ArgumentError (a GraftError) whose message names the optimizer, the option and
 * the value. One table of error inputs, as PyTorch's ErrorInput: a thunk, the message pattern.
 */
import { describe, expect, test } from 'vitest';
import { ArgumentError, AutogradError, GraftError } from '@graft/core';
import {
  Adafactor, Adagrad, Adam, AdamW, AWP, ConFIG, CosineAnnealingLR, DGSAM, DOT, EMA, GSAM, ImbSAM, LinearLR, MultiAdam,
  MultiStepLR, OneCycleLR, PCNGD, PerpGrad, RWP, SAM, SGD, SGLD, SignSGD, StepLR, WarmupStableDecayLR, clipGradNorm, maxNorm,
} from '../src/index.js';
import { param, setGrads } from './helpers.js';

const w = () => param([1, 2]);

const cases: [string, () => unknown, RegExp][] = [
  // learning rates
  ['SGD lr Infinity', () => new SGD([w()], { lr: Infinity }), /^SGD: lr must be a non-negative number, got Infinity$/],
  ['SGD lr < 0', () => new SGD([w()], { lr: -0.1 }), /^SGD: lr must be a non-negative number, got -0.1$/],
  ['Adam lr NaN', () => new Adam([w()], { lr: NaN }), /^Adam: lr must be a non-negative number, got NaN$/],
  ['group lr < 0', () => new SGD([{ params: [w()], lr: -1 }], { lr: 0.1 }), /^SGD: lr must be a non-negative number, got -1$/],
  ['Adagrad lr < 0', () => new Adagrad([w()], { lr: -1 }), /Adagrad: lr must be a non-negative number, got -1/],
  ['Adafactor lr < 0', () => new Adafactor([w()], { lr: -0.5 }), /Adafactor: lr must be a non-negative number, got -0.5/],
  ['SignSGD lr < 0', () => new SignSGD([w()], { lr: -1 }), /SignSGD: lr must be a non-negative number/],
  ['SGLD lr < 0 (-0.5)', () => new SGLD([w()], { lr: -0.5 }), /SGLD: lr must be a non-negative number/],
  ['MultiAdam lr < 0', () => new MultiAdam([w()], { lr: -1e-3 }), /MultiAdam: lr must be a non-negative number, got -0.001/],
  ['DOT lr < 0 (-0.5)', () => new DOT([w()], { lr: -0.5 }), /DOT: lr must be a non-negative number/],
  ['SAM base lr < 0', () => new SAM([w()], SGD, { lr: -1 }), /^SGD: lr must be a non-negative number, got -1$/],
  // betas and other coefficients
  ['Adam beta1 = 1', () => new Adam([w()], { betas: [1, 0.999] }), /^Adam: betas\[0\] must be in \[0, 1\), got 1$/],
  ['AdamW beta2 < 0', () => new AdamW([w()], { betas: [0.9, -0.1] }), /^AdamW: betas\[1\] must be in \[0, 1\), got -0.1$/],
  ['Adam betas not a pair', () => new Adam([w()], { betas: [0.9] as never }), /^Adam: betas must be an array of 2 numbers in \[0, 1\), got \[0.9\]$/],
  ['MultiAdam beta2 = 1.5', () => new MultiAdam([w()], { betas: [0.9, 1.5] }), /MultiAdam: betas\[1\] must be in \[0, 1\), got 1.5/],
  ['Adam eps < 0', () => new Adam([w()], { eps: -1 }), /Adam: eps must be a non-negative number, got -1/],
  ['Adam weightDecayMode', () => new Adam([w()], { weightDecayMode: 'l1' as never }), /Adam: weightDecayMode must be one of 'l2', 'decoupled', 'independent', got 'l1'/],
  ['SGD momentum < 0', () => new SGD([w()], { momentum: -0.5 }), /SGD: momentum must be a non-negative number, got -0.5/],
  ['SGD weightDecay < 0', () => new SGD([w()], { weightDecay: -1 }), /SGD: weightDecay must be a non-negative number, got -1/],
  ['SGD nesterov without momentum', () => new SGD([w()], { nesterov: true }), /SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0/],
  ['SignSGD momentum 1', () => new SignSGD([w()], { momentum: 1 }), /SignSGD: momentum must be in \[0, 1\), got 1/],
  ['DOT delta > momentum', () => new DOT([w()], { momentum: 0.05, delta: 0.075 }), /DOT: momentum − delta must be a non-negative number/],
  // rho
  ['SAM rho < 0', () => new SAM([w()], SGD, { lr: 0.1, rho: -0.05 }), /^SAM: rho must be a non-negative number, got -0.05$/],
  ['SAM group rho < 0', () => new SAM([{ params: [w()], rho: -1 }], SGD, { lr: 0.1 }), /^SAM: rho must be a non-negative number, got -1$/],
  ['GSAM rho < 0', () => new GSAM([w()], SGD, { lr: 0.1, rho: -1 }), /^GSAM: rho must be a non-negative number, got -1$/],
  ['DGSAM rho < 0', () => new DGSAM([w()], Adam, { rho: -1 }), /^DGSAM: rho must be a non-negative number, got -1$/],
  ['ImbSAM rho < 0', () => new ImbSAM([w()], SGD, { lr: 0.1, rho: -0.1 }), /^ImbSAM: rho must be a non-negative number, got -0.1$/],
  ['GSAM alpha < 0', () => new GSAM([w()], SGD, { lr: 0.1, alpha: -1 }), /GSAM: alpha must be a non-negative number, got -1/],
  ['DGSAM gapWeight > 1', () => new DGSAM([w()], SGD, { lr: 0.1, gapWeight: 2 }), /DGSAM: gapWeight must be in \[0, 1\], got 2/],
  ['AWP gamma < 0', () => new AWP([w()], SGD, { lr: 0.1, gamma: -1 }), /AWP: gamma must be a non-negative number, got -1/],
  ['RWP ascentSteps 0', () => new RWP([w()], SGD, { lr: 0.1, ascentSteps: 0 }), /RWP: ascentSteps must be a positive integer, got 0/],
  // parameter lists
  ['empty list', () => new SGD([], { lr: 0.1 }), /^SGD: got an empty parameter list$/],
  ['empty list (Adam)', () => new Adam([]), /^Adam: got an empty parameter list$/],
  ['empty list (SAM)', () => new SAM([], Adam), /^Adam: got an empty parameter list$/],
  ['a single tensor', () => new SGD(w() as never), /SGD: expected an array of parameters or of parameter groups, got a single Tensor/],
  ['non-leaf', () => new SGD([w().mul(2)], { lr: 0.1 }), /^SGD: parameter group 0: params\[0\] is not a leaf tensor \(it was computed by mul\)/],
  ['non-leaf in a group', () => new Adam([{ params: [w()] }, { params: [w(), w().exp()] }]), /^Adam: parameter group 1: params\[1\] is not a leaf tensor/],
  ['not a tensor', () => new SGD([{ params: [3 as never] }]), /SGD: parameter group 0: params\[0\] is not a Tensor/],
  ['duplicate', () => { const p = w(); return new SGD([{ params: [p] }, { params: [p] }]); }, /SGD: parameter group 1: params\[0\] appears more than once/],
  ['PerpGrad non-leaf', () => new PerpGrad([w().neg()], SGD, { lr: 0.1 }), /SGD: parameter group 0: params\[0\] is not a leaf tensor/],
  // schedulers and utilities
  ['StepLR stepSize 0', () => new StepLR(new SGD([w()]), { stepSize: 0 }), /^StepLR: stepSize must be a positive integer, got 0$/],
  ['CosineAnnealingLR tMax 0', () => new CosineAnnealingLR(new SGD([w()]), { tMax: 0 }), /CosineAnnealingLR: tMax must be a positive number, got 0/],
  ['LinearLR startFactor 2', () => new LinearLR(new SGD([w()]), { startFactor: 2 }), /LinearLR: startFactor must be in \[0, 1\], got 2/],
  ['MultiStepLR milestone < 0', () => new MultiStepLR(new SGD([w()]), { milestones: [3, -1] }), /MultiStepLR: milestones\[1\] must be a non-negative number, got -1/],
  ['WSD too long', () => new WarmupStableDecayLR(new SGD([w()]), { totalSteps: 10, warmupSteps: 9, cooldownSteps: 2 }), /warmupSteps \+ cooldownSteps must be ≤ totalSteps, got 9 \+ 2 > 10/],
  ['OneCycle without momentum', () => new OneCycleLR(new Adagrad([w()]), { maxLr: 0.1, totalSteps: 10 }), /OneCycleLR: cycleMomentum needs an optimizer with a momentum or betas option/],
  ['OneCycle past totalSteps', () => { const s = new OneCycleLR(new SGD([w()], { momentum: 0.9 }), { maxLr: 0.1, totalSteps: 2 }); s.step(); s.step(); s.step(); }, /OneCycleLR: stepped 4 times, but totalSteps is 2/],
  ['clipGradNorm maxNorm 0', () => clipGradNorm([w()], 0), /clipGradNorm: maxNorm must be a positive number, got 0/],
  ['maxNorm delta < 0', () => maxNorm(-1), /maxNorm: delta must be a positive number, got -1/],
  ['EMA decay > 1', () => new EMA([w()], { decay: 1.5 }), /EMA: decay must be in \[0, 1\], got 1.5/],
  ['EMA copyTo before update', () => new EMA([w()]).copyTo(), /EMA: copyTo before the first update\(\)/],
  // misuse
  ['SAM secondStep first', () => new SAM([w()], SGD, { lr: 0.1 }).secondStep(), /SAM: secondStep called without firstStep/],
  ['SAM step without closure', () => new SAM([w()], SGD, { lr: 0.1 }).step(undefined as never), /SAM: step needs a closure/],
  ['MultiAdam wrong list length', () => new MultiAdam([w(), w()]).step([[null]]), /MultiAdam: gradient list 0 has 1 entries, expected one per parameter \(2\)/],
  ['ConFIG no lists', () => new ConFIG([w()], SGD, { lr: 0.1 }).step([]), /ConFIG: expected at least 1 gradient list/],
  ['PCNGD wrong list length', () => new PCNGD([w()], SGD, { lr: 0.1 }).step([[null, null]]), /PCNGD: gradient list 0 has 2 entries/],
  ['DOT one list', () => new DOT([w()]).step([null], undefined as never), /DOT: gradient list 1 must be an array with one entry per parameter, got undefined/],
  ['loadStateDict group count', () => new SGD([w()]).loadStateDict({ state: {}, paramGroups: [] }), /SGD: loadStateDict: the state dict has 0 parameter groups, this optimizer has 1/],
  ['loadStateDict group size', () => new SGD([w()]).loadStateDict(new SGD([w(), w()]).stateDict()), /SGD: loadStateDict: group 0 has 2 parameters in the state dict, 1 here/],
];

describe('error inputs', () => {
  test.each(cases)('%s', (_name, thunk, pattern) => {
    let error: unknown;
    try {
      thunk();
    } catch (e) {
      error = e;
    }
    expect(error, 'expected an error').toBeInstanceOf(ArgumentError);
    expect(error).toBeInstanceOf(GraftError);
    expect((error as Error).message).toMatch(pattern);
  });

  test('SAM.firstStep with no gradient is an AutogradError saying to call backward first', () => {
    const sam = new SAM([w()], SGD, { lr: 0.1 });
    expect(() => sam.firstStep()).toThrow(AutogradError);
    expect(() => sam.firstStep()).toThrow(/no parameter has a gradient; call loss.backward\(\) before firstStep\(\)/);
  });

  test('a failed step leaves no half-applied perturbation behind', () => {
    const p = w();
    const sam = new SAM([p], SGD, { lr: 0.1 });
    setGrads([p], [[1, 0]]);
    sam.firstStep();
    expect(() => sam.firstStep()).toThrow(/firstStep called twice without secondStep/);
    sam.secondStep();
  });
});
