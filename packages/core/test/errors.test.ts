/**
 * Bad input raises the named GraftError subclass, with a message that names the op, what it got
 * and what it expected; validation happens before any backend kernel runs.
 */
import './setup.js';
import { beforeEach, describe, expect, test } from 'vitest';
import {
  ArgumentError, AutogradError, BackendError, DtypeError, GraftError, IndexError, ShapeError,
  concat, createReferenceBackend, getBackend, registerBackend, setBackend, stack, tensor, zeros, ones, type Backend,
} from '../src/index.js';

type ErrorClass = new (...args: never[]) => GraftError;

/** fn throws an instance of `cls` (and so a GraftError) whose message matches `pattern`. */
function expectError(fn: () => unknown, cls: ErrorClass, pattern: RegExp): void {
  expect(fn).toThrow(cls);
  expect(fn).toThrow(GraftError);
  expect(fn).toThrow(pattern);
}

const int = (values: number[] | number[][]) => tensor(values, { dtype: 'int32' });

registerBackend('other', createReferenceBackend);

describe('shape errors', () => {
  test('binary ops on shapes that do not broadcast', () => {
    expectError(() => zeros([2, 3]).add(zeros([4])), ShapeError, /add.*\[2, 3\].*\[4\].*broadcast/);
    expectError(() => zeros([2, 3]).mul(zeros([3, 2])), ShapeError, /mul.*\[2, 3\].*\[3, 2\]/);
    expectError(() => zeros([2, 3]).sub(zeros([2, 2])), ShapeError, /sub.*\[2, 3\].*\[2, 2\]/);
    expectError(() => zeros([2, 3]).div(zeros([0])), ShapeError, /div.*\[2, 3\].*\[0\]/);
    expectError(() => zeros([2, 3]).maximum(zeros([3, 3])), ShapeError, /maximum.*\[2, 3\].*\[3, 3\]/);
    expectError(() => zeros([5]).lt(zeros([4])), ShapeError, /lt.*\[5\].*\[4\]/);
    expectError(() => tensor([true, false]).where(zeros([3]), zeros([2])), ShapeError, /where.*\[2\].*\[3\]/);
  });

  test('matmul with mismatched inner sizes', () => {
    expectError(() => zeros([2, 3]).matmul(zeros([4, 5])), ShapeError, /matmul.*\[2, 3\].*\[4, 5\].*inner sizes 3 and 4/);
    expectError(() => zeros([3]).matmul(zeros([4])), ShapeError, /matmul.*\[3\].*\[4\]/);
    expectError(() => zeros([2, 2, 3]).matmul(zeros([2, 2, 3])), ShapeError, /matmul.*\[2, 2, 3\].*\[2, 2, 3\]/);
    expectError(() => zeros([2, 2, 3]).matmul(zeros([3, 3, 2])), ShapeError, /matmul.*\[2\].*\[3\]/); // batch dims
    expectError(() => zeros([]).matmul(zeros([3])), ShapeError, /matmul.*at least 1 dim/);
  });

  test('bad axes', () => {
    const x = zeros([2, 3]);
    expectError(() => x.sum(3), ShapeError, /sum.*dim 3.*2 dims.*\[-2, 1\]/);
    expectError(() => x.sum(-3), ShapeError, /sum.*dim -3.*2 dims/);
    expectError(() => x.mean(2), ShapeError, /mean.*dim 2/);
    expectError(() => x.amax(0.5), ShapeError, /amax.*dim 0.5/);
    expectError(() => x.sum([0, 0]), ShapeError, /sum.*\[0, 0\].*repeat/);
    expectError(() => x.sum([1, -1]), ShapeError, /sum.*\[1, -1\].*repeat/);
    expectError(() => x.permute(0, 0), ShapeError, /permute.*permutation of 2 dims.*\[2, 3\].*\[0, 0\]/);
    expectError(() => x.permute(1), ShapeError, /permute.*permutation.*\[1\]/);
    expectError(() => x.permute(0, 2), ShapeError, /permute.*dim 2/);
    expectError(() => x.transpose(0, 2), ShapeError, /transpose.*dim 2/);
    expectError(() => x.unsqueeze(3), ShapeError, /unsqueeze.*dim 3.*3 dims/);
    expectError(() => x.squeeze(2), ShapeError, /squeeze.*dim 2/);
    expectError(() => x.flip([0, -2]), ShapeError, /flip.*repeat/);
    expectError(() => x.softmax(2), ShapeError, /softmax.*dim 2/);
    expectError(() => x.argmax(-3), ShapeError, /argmax.*dim -3/);
    expectError(() => x.cumsum(5), ShapeError, /cumsum.*dim 5/);
    expectError(() => x.logsumexp([0, 5]), ShapeError, /logsumexp.*dim 5/);
  });

  test('reshape / view / expand to incompatible shapes', () => {
    const x = zeros([2, 3]);
    expectError(() => x.reshape(4), ShapeError, /reshape.*\[2, 3\].*6 elements.*\[4\]/);
    expectError(() => x.reshape(4, -1), ShapeError, /reshape.*\[2, 3\].*\[4, -1\]/);
    expectError(() => x.reshape(-1, -1), ShapeError, /reshape.*\[-1, -1\].*at most one -1/);
    expectError(() => x.view(5), ShapeError, /view.*\[2, 3\].*\[5\]/);
    // a transpose is not contiguous: viewing it flat needs a copy
    expectError(() => x.T.view(6), ShapeError, /view.*\[3, 2\].*strides \[1, 3\].*\[6\].*reshape/);
    expect(x.T.reshape(6).shape).toEqual([6]); // reshape copies instead
    expectError(() => x.expand(4, 3, 2), ShapeError, /expand.*\[2, 3\].*\[4, 3, 2\]/);
    expectError(() => x.expand(3, 3), ShapeError, /expand.*\[2, 3\].*\[3, 3\].*size 2.*1 or 3/);
    expectError(() => x.expand(3), ShapeError, /expand.*\[2, 3\].*fewer dims.*\[3\]/);
  });

  test('narrow / slice out of range', () => {
    const x = zeros([2, 3]);
    expectError(() => x.narrow(1, 2, 2), ShapeError, /narrow.*start 2.*length 2.*dim 1 of size 3.*\[2, 3\]/);
    expectError(() => x.narrow(0, -3, 1), ShapeError, /narrow.*start -3.*size 2/);
    expectError(() => x.narrow(1, 0, -1), ShapeError, /narrow.*length -1/);
    expectError(() => x.narrow(2, 0, 1), ShapeError, /narrow.*dim 2/);
    expectError(() => x.slice(2, 0, 1), ShapeError, /slice.*dim 2.*2 dims/);
    expectError(() => x.slice(1, 0, 3, 0), ArgumentError, /slice.*step.*positive integer.*0/);
    expectError(() => x.slice(1, 0, 3, -1), ArgumentError, /slice.*step.*-1/);
    // out-of-range bounds clamp (Python semantics) rather than throw
    expect(x.slice(1, -10, 10).shape).toEqual([2, 3]);
  });

  test('concat / stack of mismatched shapes', () => {
    expectError(() => concat([zeros([2, 3]), zeros([2, 4])]), ShapeError, /concat.*tensor 1.*\[2, 4\].*expected \[2, 3\] except at dim 0/);
    expectError(() => concat([zeros([2, 3]), zeros([3])], 1), ShapeError, /concat.*\[3\].*\[2, 3\]/);
    expectError(() => concat([]), ArgumentError, /concat.*non-empty/);
    expectError(() => stack([zeros([2, 3]), zeros([3, 2])]), ShapeError, /stack.*tensor 1.*\[3, 2\].*expected \[2, 3\]/);
    expectError(() => stack([zeros([2]), zeros([2])], 2), ShapeError, /stack.*dim 2/);
  });

  test('range ops and concat on 0-d tensors (which have no dim to work along)', () => {
    // regression: concat of 0-d tensors looped forever; narrow returned a [1]-shaped NaN
    const s = tensor(1);
    expectError(() => concat([s, tensor(2)]), ShapeError, /concat.*zero-dimensional.*stack/);
    expectError(() => s.narrow(0, 0, 1), ShapeError, /narrow.*0-d.*at least 1 dim/);
    expectError(() => s.slice(0, 0, 1), ShapeError, /slice.*0-d/);
    expectError(() => s.split(1), ShapeError, /split.*0-d/);
    expectError(() => s.chunk(1), ShapeError, /chunk.*0-d/);
    expect(stack([s, tensor(2)]).toArray()).toEqual([1, 2]);
  });

  test('reductions with no identity over a zero-size dim', () => {
    expectError(() => zeros([0, 3]).amax(0), ShapeError, /amax.*zero-size.*\[0, 3\]/);
    expectError(() => zeros([2, 0]).amin(), ShapeError, /amin.*zero-size.*\[2, 0\]/);
    expectError(() => zeros([0]).max(), ShapeError, /amax.*\[0\]/);
    expectError(() => zeros([0, 2]).argmax(0), ShapeError, /argmax.*zero-size.*\[0, 2\]/);
    expectError(() => zeros([0, 2]).max(0), ShapeError, /argmax.*\[0, 2\]/);
    // over the non-empty dim it is fine, and sum/prod have identities
    expect(zeros([0, 3]).amax(1).shape).toEqual([0]);
    expect(zeros([0, 3]).sum(0).toArray()).toEqual([0, 0, 0]);
    expect(zeros([0, 3]).prod(0).toArray()).toEqual([1, 1, 1]);
  });

  test('item() of a multi-element tensor, ragged nested arrays, bad sizes', () => {
    expectError(() => zeros([2, 3]).item(), ShapeError, /item.*one-element.*\[2, 3\]/);
    expectError(() => zeros([0]).item(), ShapeError, /item.*\[0\]/);
    expect(zeros([1, 1]).item()).toBe(0);
    expectError(() => tensor([[1, 2], [3]]), ShapeError, /tensor.*ragged.*expected 2 entries at depth 1/);
    expectError(() => tensor([[1, 2], 3] as never), ShapeError, /tensor.*ragged.*depth 1/);
    expectError(() => tensor([1, [2]] as never), ShapeError, /tensor.*ragged.*scalar at depth 1/);
    expectError(() => tensor([[[1], [2]], [[3], [4, 5]]]), ShapeError, /tensor.*ragged.*depth 2/);
    expectError(() => tensor(['a'] as never), DtypeError, /tensor.*numbers or booleans.*string/);
    expectError(() => zeros([2, -1]), ShapeError, /full.*non-negative integers.*\[2, -1\]/);
    expectError(() => zeros([1.5]), ShapeError, /full.*\[1.5\]/);
  });

  test('pad / split / dot / gather shapes', () => {
    expectError(() => zeros([2, 3]).pad([1]), ShapeError, /pad.*even number.*\[2, 3\].*\[1\]/);
    expectError(() => zeros([2, 3]).split([1, 1], 1), ShapeError, /split.*\[1, 1\].*size 3/);
    expectError(() => zeros([2]).dot(zeros([3])), ShapeError, /dot.*\[2\].*\[3\]/);
    expectError(() => zeros([2, 3]).gather(0, int([[0, 1, 0, 1]])), ShapeError, /gather.*\[1, 4\].*\[2, 3\]/);
    expectError(() => zeros([2, 3]).indexSelect(0, int([[0]])), ShapeError, /indexSelect.*1-d index.*\[1, 1\]/);
  });
});

describe('index errors', () => {
  test('gather / scatterAdd / indexSelect with out-of-range indices', () => {
    const x = zeros([3, 2]);
    expectError(() => x.gather(0, int([[0, 1], [3, 0]])), IndexError, /gather.*index 3.*size 3.*0 <= index < 3/);
    expectError(() => x.gather(1, int([[0, -1]])), IndexError, /gather.*index -1.*size 2/);
    expectError(() => x.scatterAdd(0, int([[5, 0]]), ones([1, 2])), IndexError, /scatterAdd.*index 5.*size 3/);
    expectError(() => x.indexSelect(0, int([0, 3])), IndexError, /indexSelect.*index 3.*size 3/);
    expectError(() => x.indexSelect(-1, int([-2])), IndexError, /indexSelect.*index -2.*size 2/);
    // IndexError is an ArgumentError
    expect(() => x.indexSelect(0, int([9]))).toThrow(ArgumentError);
  });

  test('topk with k too large, oneHot with a class out of range', () => {
    expectError(() => zeros([2, 3]).topk(4), IndexError, /topk.*k = 4.*size 3/);
    expectError(() => zeros([2, 3]).topk(3, 0), IndexError, /topk.*k = 3.*size 2/);
    expectError(() => zeros([3]).topk(-1), IndexError, /topk.*k = -1/);
    expectError(() => int([0, 3, 1]).oneHot(3), IndexError, /oneHot.*index 3.*size 3/);
    expectError(() => int([0, -1]).oneHot(4), IndexError, /oneHot.*index -1/);
    expectError(() => int([0]).oneHot(-2), IndexError, /oneHot.*numClasses.*-2/);
  });
});

describe('dtype errors', () => {
  test('float index tensors', () => {
    const x = zeros([3, 2]);
    expectError(() => x.gather(0, tensor([[0, 1]])), DtypeError, /gather.*int32 index.*float32/);
    expectError(() => x.scatterAdd(0, tensor([[0, 1]]), ones([1, 2])), DtypeError, /scatterAdd.*int32.*float32/);
    expectError(() => x.indexSelect(0, tensor([0, 1])), DtypeError, /indexSelect.*int32.*float32/);
    expectError(() => x.indexSelect(0, tensor([true])), DtypeError, /indexSelect.*int32.*bool/);
    expectError(() => tensor([0, 1]).oneHot(3), DtypeError, /oneHot.*int32.*float32/);
  });

  test('requiresGrad on int32/bool, maskedFill with a non-bool mask, matmul of bool', () => {
    expectError(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true }), DtypeError, /requiresGrad.*float.*int32/);
    expectError(() => int([1, 2]).requiresGrad_(), DtypeError, /requiresGrad.*int32/);
    expectError(() => tensor([true]).requiresGrad_(), DtypeError, /requiresGrad.*bool/);
    expectError(() => zeros([2]).maskedFill(int([1, 0]), 5), DtypeError, /maskedFill.*bool mask.*int32/);
    expectError(() => zeros([2]).maskedFill(zeros([2]), 5), DtypeError, /maskedFill.*bool mask.*float32/);
    expectError(() => tensor([[true]]).matmul(zeros([1, 1])), DtypeError, /matmul.*numeric.*bool and float32/);
    expectError(() => zeros([1, 1]).matmul(tensor([[false]])), DtypeError, /matmul.*float32 and bool/);
  });
});

describe('backend errors', () => {
  test('ops on tensors of two backends', () => {
    const a = zeros([2]);
    const b = zeros([2], { backend: 'other' });
    expectError(() => a.add(b), BackendError, /add.*'cpu'.*'other'.*\.to\(/);
    expectError(() => b.mul(a), BackendError, /mul.*'other'.*'cpu'/);
    expectError(() => zeros([2, 2]).matmul(zeros([2, 2], { backend: 'other' })), BackendError, /matmul.*'cpu'.*'other'/);
    expectError(() => tensor([true, false]).where(b, a), BackendError, /'other'.*'cpu'|'cpu'.*'other'/);
    expectError(() => concat([a, b]), BackendError, /oncat.*'cpu'.*'other'/);
    // an index on another backend is as wrong as an operand there
    expectError(() => zeros([3]).gather(0, int([0]).to('other')), BackendError, /gather.*'cpu'.*'other'/);
    expectError(() => zeros([3]).indexSelect(0, int([0]).to('other')), BackendError, /indexSelect.*'cpu'.*'other'/);
    expectError(() => zeros([3]).scatterAdd(0, int([0]).to('other'), ones([1])), BackendError, /scatterAdd.*'cpu'.*'other'/);
    // moving one fixes it
    expect(a.add(b.to('cpu')).toArray()).toEqual([0, 0]);
  });

  test('unknown backends', () => {
    expectError(() => setBackend('nope'), BackendError, /no backend named 'nope'.*registered: \[.*cpu.*\]/);
    expectError(() => getBackend('nope'), BackendError, /getBackend.*'nope'/);
    expectError(() => zeros([2], { backend: 'nope' }), BackendError, /'nope'/);
    expectError(() => zeros([2]).to('nope'), BackendError, /'nope'/);
    // the default is unchanged by a failed setBackend
    expect(zeros([1]).backendName).toBe('cpu');
  });
});

describe('autograd misuse', () => {
  test('raises AutogradError naming the problem', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectError(() => x.mul(2).backward(), AutogradError, /backward.*scalar.*\[2\]/);
    expectError(() => tensor([1]).sum().backward(), AutogradError, /backward.*does not require grad/);
    const y = x.exp().sum();
    y.backward();
    expectError(() => y.backward(), AutogradError, /second time.*retainGraph/);
  });
});

// ---- validation happens before any kernel runs --------------------------------------------------
describe('validation before kernels', () => {
  const calls: string[] = [];
  registerBackend('spy', () => {
    const inner = createReferenceBackend();
    return new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          calls.push(String(prop));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Backend;
  });
  const spy = { backend: 'spy' };
  /** What validating an index may run: 0 <= i < n on the index's backend, reduced to one boolean, read back. */
  const INDEX_CHECK = new Set(['fill', 'binary', 'cast', 'reduce', 'read']);
  beforeEach(() => { calls.length = 0; });

  /** Runs fn (which must throw cls) and returns the kernels it called. */
  function kernelsCalledBy(fn: () => unknown, cls: ErrorClass): string[] {
    calls.length = 0;
    expect(fn).toThrow(cls);
    return [...calls];
  }

  test('the spy backend records kernels (sanity check)', () => {
    const x = tensor([1, 2, 3], spy);
    calls.length = 0;
    x.gather(0, tensor([2, 0], { dtype: 'int32', ...spy }));
    expect(calls).toContain('gather');
  });

  test('out-of-range or float indices never reach gather/scatterAdd/indexSelect', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], spy);
    const bad = tensor([[0, 1], [7, 0]], { dtype: 'int32', ...spy });
    expect(kernelsCalledBy(() => x.gather(0, bad), IndexError)).not.toContain('gather');
    const floatIndex = tensor([[0, 1]], spy);
    expect(kernelsCalledBy(() => x.gather(0, floatIndex), DtypeError)).toEqual([]);
    const src = tensor([[1, 1], [1, 1]], spy);
    expect(kernelsCalledBy(() => x.scatterAdd(0, bad, src), IndexError)).not.toContain('scatterAdd');
    const badRows = tensor([0, 3], { dtype: 'int32', ...spy });
    expect(kernelsCalledBy(() => x.indexSelect(0, badRows), IndexError)).not.toContain('indexSelect');
    // only the range check of the index (comparisons and a reduction on its backend, then reads)
    expect(kernelsCalledBy(() => x.gather(0, bad), IndexError).every((k) => INDEX_CHECK.has(k))).toBe(true);
  });

  test('shape, dtype and label errors call no kernel at all', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], spy);
    const labels = tensor([0, 5, 1], { dtype: 'int32', ...spy });
    const pair = tensor([1, 2], spy);
    const one = tensor([1], spy);
    const empty = tensor([[], []], spy);
    expect(kernelsCalledBy(() => x.add(pair), ShapeError)).toEqual([]);
    expect(kernelsCalledBy(() => x.mul(pair), ShapeError)).toEqual([]);
    expect(kernelsCalledBy(() => x.matmul(x), ShapeError)).toEqual([]);
    expect(kernelsCalledBy(() => x.sum(2), ShapeError)).toEqual([]);
    expect(kernelsCalledBy(() => x.reshape(5), ShapeError)).toEqual([]);
    expect(kernelsCalledBy(() => x.expand(3, 3), ShapeError)).toEqual([]);
    expect(kernelsCalledBy(() => concat([x, one]), ShapeError)).toEqual([]);
    expect(kernelsCalledBy(() => x.topk(4), IndexError)).toEqual([]);
    expect(kernelsCalledBy(() => empty.amax(1), ShapeError)).toEqual([]);
    expect(kernelsCalledBy(() => x.maskedFill(x, 0), DtypeError)).toEqual([]);
    // oneHot checks the labels' range, and stops there
    const oneHotCalls = kernelsCalledBy(() => labels.oneHot(3), IndexError);
    expect(oneHotCalls.every((k) => INDEX_CHECK.has(k))).toBe(true);
  });

  test('mixed backends fail before either backend computes', () => {
    const x = tensor([1, 2], spy);
    const y = tensor([3, 4]);
    expect(kernelsCalledBy(() => x.add(y), BackendError)).toEqual([]);
    expect(kernelsCalledBy(() => y.mul(x), BackendError)).toEqual([]);
  });
});
