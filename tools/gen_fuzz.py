"""Differential fuzzer of graft's core against PyTorch: random programs and their float64 results.

Run with Debian's torch: `/usr/bin/python3 tools/gen_fuzz.py` → packages/core/test/fuzz/programs.json,
replayed by packages/core/test/fuzz.test.ts. Seeded, so the output is the same on every run.

A program is 1–3 float64 input tensors and a chain of 2–6 ops on a current tensor `y` (starting at
input 0). An op's args are JSON: numbers, dim lists, {"input": i} for another (differentiable)
input, {"tensor": ...} for an index or a mask. Each op is tried in torch first; an op whose torch
call raises, whose result is not finite or too large, or whose domain does not hold (log of a
non-positive value, ...) is drawn again. Recorded per program: the output, a cotangent, the
gradients of Σ output·cotangent w.r.t. every input, and for ~30% the second order: the gradients
of Σ_i grads_i·v_i (taken with create_graph=True) w.r.t. every input.

Deliberate deviations (README, "Deliberate deviations from PyTorch") are kept out of on purpose:
no empty dim list is ever drawn (`sum(x, [])`), softplus never sees βx in (20, 40) (PyTorch's
threshold=20), and no value reaches the range where the max-scaled norm and PyTorch's differ.
"""
import json
import math
import os
import random
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from opfix import GEN, enc, num, randn, seed, uniform  # noqa: E402  (float64 default set there)

F = torch.nn.functional
OUT = os.path.join(os.path.dirname(__file__), '..', 'packages', 'core', 'test', 'fuzz', 'programs.json')
N_PROGRAMS = 500
MAX_INPUTS = 3
MAX_NUMEL = 96
R = random.Random(8)

# ---- input values ---------------------------------------------------------------------------

def values(shape, kind):
    """randn; positive; 'grid' (multiples of 0.5: exact zeros and ties); 'big' (±1e4 mixed with randn)."""
    if kind == 'positive':
        x = uniform(shape, 0.2, 3.0)
    elif kind == 'grid':
        x = torch.randint(-4, 5, tuple(shape), generator=GEN).to(torch.float64) / 2
        x = torch.where(torch.rand(tuple(shape), generator=GEN) < 0.3, torch.zeros(()), x)  # whole zero rows now and then
    elif kind == 'big':
        sign = torch.randint(0, 2, tuple(shape), generator=GEN) * 2.0 - 1
        far = torch.rand(tuple(shape), generator=GEN) < 0.7
        x = torch.where(far, sign * 1e4, torch.zeros(())) + randn(*shape)
    else:
        x = randn(*shape)
    return x.double().mul(1e6).round().div(1e6)  # short decimals in the JSON; graft parses the same doubles

def rand_shape():
    rank = R.choice([0, 1, 1, 2, 2, 2, 3, 3, 4])
    while True:
        shape = [R.choice([1, 2, 3, 4, 5]) for _ in range(rank)]
        if rank and R.random() < 0.06:
            shape[R.randrange(rank)] = 0
        if math.prod(shape) <= MAX_NUMEL:
            return shape

def broadcast_partner(shape):
    """A shape that broadcasts against `shape`: some dims set to 1, leading dims dropped or added."""
    s = [1 if R.random() < 0.3 else d for d in shape]
    if s and R.random() < 0.3:
        s = s[R.randrange(len(s) + 1):]
    if len(s) < 4 and R.random() < 0.2:
        s = [R.choice([1, 2, 3])] + s
    return s

class Program:
    def __init__(self, kind, second):
        self.kind, self.second, self.inputs, self.leaves, self.ops = kind, second, [], [], []

    def new_input(self, shape, kind=None):
        """A fresh differentiable input; its {"input": i} reference for the op's args."""
        if len(self.inputs) >= MAX_INPUTS:
            raise Reject()
        x = values(shape, kind or ('grid' if self.kind == 'grid' else 'normal'))
        self.inputs.append(x)
        self.leaves.append(x.clone().requires_grad_(True))
        return self.leaves[-1], {'input': len(self.inputs) - 1}

class Reject(Exception):
    pass

def dims_of(y):
    """A random dim (as int), a random non-empty dim list, or None (all): never [] (a deviation)."""
    if y.dim() == 0:
        return R.choice([None, None, 0, -1])  # PyTorch takes dim 0 or -1 of a 0-d tensor
    r = R.random()
    if r < 0.2:
        return None
    if r < 0.55:
        return R.randrange(-y.dim(), y.dim())
    return sorted(R.sample(range(y.dim()), R.randint(1, y.dim())))

def kd():  # keepdim
    return R.random() < 0.4

def pick_dim(y):
    if y.dim() == 0:
        raise Reject()
    return R.randrange(-y.dim(), y.dim())

def index_tensor(shape, high):
    return torch.randint(0, high, tuple(shape), generator=GEN) if high > 0 else torch.zeros(shape, dtype=torch.int64)

def other(p, y):
    """A tensor operand (new input of a broadcastable shape) or a scalar; returns (torch value, arg)."""
    if R.random() < 0.3 or len(p.inputs) >= MAX_INPUTS:
        c = round(R.uniform(-2, 2), 3)
        return c, c
    return p.new_input(broadcast_partner(list(y.shape)))

# ---- the vocabulary: name → draw(program, y) returning (args, torch fn of y) -----------------------
def unary(name, fn, need=None):
    def draw(_p, y):
        if need and not bool(need(y.detach()).all()):
            raise Reject()
        return {}, fn
    return name, draw

def softplus(_p, y):
    beta = R.choice([1, 1, 0.5, 2])
    bx = (y.detach() * beta)
    # Deviation: PyTorch returns x for βx > 20 (threshold); graft is exact. Stay out of (20, 40).
    if bool(((bx > 20) & (bx < 40)).any()):
        raise Reject()
    return ({} if beta == 1 else {'beta': beta}), lambda t: F.softplus(t, beta)

def clamp(p, y):
    bounds = {}
    for side in R.sample(['min', 'max'], R.randint(1, 2)):
        bounds[side] = other(p, y) if R.random() < 0.5 else (round(R.uniform(-1, 1), 3),) * 2
    lo, hi = (bounds.get(k, (None,))[0] for k in ('min', 'max'))
    if isinstance(lo, torch.Tensor) or isinstance(hi, torch.Tensor):  # torch takes two numbers or two tensors
        lo, hi = (None if b is None else torch.as_tensor(b) for b in (lo, hi))
    return {k: v[1] for k, v in bounds.items()}, lambda t: torch.clamp(t, lo, hi)

def binary(name, fn):
    def draw(p, y):
        o, arg = other(p, y)
        if name == 'div' and not bool((torch.as_tensor(o).abs() > 0.1).all()):
            raise Reject()
        args = {'other': arg}
        if name in ('add', 'sub') and R.random() < 0.4:
            args['alpha'] = R.choice([2, -0.5, 3])
            return args, lambda t: fn(t, o, alpha=args['alpha'])
        return args, lambda t: fn(t, o)
    return name, draw

def pow_(p, y):
    if R.random() < 0.5:  # a tensor or fractional exponent needs a positive base
        if not bool((y.detach() > 0.1).all()):
            raise Reject()
        o, arg = other(p, y)
        return {'other': arg}, lambda t: torch.pow(t, o)
    e = R.choice([0, 1, 2, 3, -1, -2])
    if e < 0 and not bool((y.detach().abs() > 0.1).all()):
        raise Reject()
    return {'other': e}, lambda t: torch.pow(t, e)

def where(p, y):
    o, arg = other(p, y)
    shape = broadcast_partner(list(y.shape))
    cond = torch.rand(tuple(shape), generator=GEN) < 0.5
    return {'cond': {'tensor': enc(cond)}, 'other': arg}, lambda t: torch.where(cond, t, o)

def reduction(name, fn, single=False):
    def draw(_p, y):
        dim, keep = dims_of(y), kd()
        if single and isinstance(dim, list):
            dim = dim[0]
        if single and dim is None:
            keep = False  # torch's prod() of everything has no keepdim
        args = {'keepdim': keep} | ({} if dim is None else {'dim': dim})
        every = list(range(y.dim())) or 0  # dim None: all dims (spelled out: torch's amax/logsumexp need them)
        return args, lambda t: fn(t, every if dim is None else dim, keep)
    return name, draw

def option(name, key, options, fn):
    """An op with one arg drawn from `options`."""
    def draw(_p, _y):
        a = R.choice(options)
        return {key: a}, lambda t: fn(t, a)
    return name, draw

def elu(p, y):
    # Deviation: at exactly 0, PyTorch's first derivative takes the left branch (α) but its double
    # backward the right one (0); graft's second derivative there is α, consistent with its first.
    # Second-order programs keep elu off exact zeros.
    if p.second and bool((y.detach() == 0).any()):
        raise Reject()
    a = R.choice([1.0, 0.5])
    return {'alpha': a}, lambda t: F.elu(t, a)

def var_std(name):
    def draw(_p, y):
        dim, keep, c = dims_of(y), kd(), R.choice([0, 1, 1, 2])
        n = y.numel() if dim is None or y.dim() == 0 else math.prod(y.shape[d] for d in ([dim] if isinstance(dim, int) else dim))
        if n <= c:
            raise Reject()
        fn = getattr(torch, name)
        args = {'correction': c, 'keepdim': keep} | ({} if dim is None else {'dim': dim})
        return args, lambda t: fn(t, dim, correction=c, keepdim=keep)
    return name, draw

def norm(_p, y):
    pv, dim, keep = R.choice([1, 1.5, 2, math.inf]), dims_of(y), kd()
    a = y.detach().abs()
    # Deviation: graft scales by the max, so |x|^p never over/underflows; PyTorch's does. Stay where neither does.
    if bool(((a > 0) & (a < 1e-100)).any()) or bool((a > 1e100).any()):
        raise Reject()
    args = {'p': num(float(pv)), 'keepdim': keep} | ({} if dim is None else {'dim': dim})
    return args, lambda t: torch.linalg.vector_norm(t, pv, dim, keep)

def along(name, fn):
    def draw(_p, y):
        dim = R.randrange(-max(y.dim(), 1), max(y.dim(), 1))
        return {'dim': dim}, lambda t: fn(t, dim)
    return name, draw

def extreme_dim(name):
    def draw(_p, y):
        dim, keep = pick_dim(y), kd()
        return {'dim': dim, 'keepdim': keep}, lambda t: getattr(t, name)(dim, keep).values
    return name, draw

def permute(_p, y):
    dims = R.sample(range(y.dim()), y.dim())
    return {'dims': dims}, lambda t: t.permute(dims)

def transpose(_p, y):
    a, b = pick_dim(y), pick_dim(y)
    return {'dim0': a, 'dim1': b}, lambda t: t.transpose(a, b)

def expand(_p, y):
    shape = [R.choice([2, 3, 4]) if s == 1 else s for s in y.shape]
    if len(shape) < 4 and R.random() < 0.4:
        shape = [R.choice([2, 3])] + shape
    if shape == list(y.shape) or math.prod(shape) > 2 * MAX_NUMEL:
        raise Reject()
    return {'shape': shape}, lambda t: t.expand(shape)

def narrow(_p, y):
    dim = pick_dim(y)
    n = y.shape[dim]
    start = R.randint(0, n)
    length = R.randint(0, n - start)
    return {'dim': dim, 'start': start, 'length': length}, lambda t: t.narrow(dim, start, length)

def slice_(_p, y):
    dim = pick_dim(y)
    n = y.shape[dim]
    start, end, step = R.randint(0, n), R.randint(0, n + 1), R.choice([1, 2, 3])
    key = (slice(None),) * (dim % y.dim()) + (slice(start, end, step),)
    return {'dim': dim, 'start': start, 'end': end, 'step': step}, lambda t: t[key]

def reshape(_p, y):
    n, shape = math.prod(y.shape), []
    rest = n
    for _ in range(R.randint(0, 3)):
        f = R.choice([d for d in range(1, 6) if rest % d == 0] if rest else [0, 1, 2])
        shape.append(f)
        rest = rest // f if f else rest
    shape.append(rest)
    R.shuffle(shape)
    if n and R.random() < 0.3:
        shape[R.randrange(len(shape))] = -1
    return {'shape': shape}, lambda t: t.reshape(shape)

def flatten(_p, y):
    a = pick_dim(y)
    b = R.randrange(a % y.dim(), y.dim())
    return {'startDim': a, 'endDim': b}, lambda t: t.flatten(a, b)

def squeeze(_p, y):
    if y.dim() and R.random() < 0.6:
        ones = [i for i, s in enumerate(y.shape) if s == 1]
        dim = R.choice(ones) if ones and R.random() < 0.8 else pick_dim(y)
        return {'dim': dim}, lambda t: t.squeeze(dim)
    return {}, lambda t: t.squeeze()

def unsqueeze(_p, y):
    dim = R.randrange(-y.dim() - 1, y.dim() + 1)
    return {'dim': dim}, lambda t: t.unsqueeze(dim)

def flip(_p, y):
    dims = R.sample(range(y.dim()), R.randint(1, y.dim())) if y.dim() else []
    if not dims:
        raise Reject()
    return {'dims': dims}, lambda t: t.flip(dims)

def matmul(p, y):
    if y.dim() == 0:
        raise Reject()
    k = y.shape[-1]
    if y.dim() == 1 or R.random() < 0.2:
        shape = [k] if R.random() < 0.3 else broadcast_partner(list(y.shape[:-2]))[:2] + [k, R.randint(0, 4)]
    else:
        shape = broadcast_partner(list(y.shape[:-2])) + [k, R.randint(0, 4)]
    o, arg = p.new_input(shape)
    return {'other': arg}, lambda t: torch.matmul(t, o)

def gather(_p, y):
    dim = pick_dim(y)
    shape = [R.randint(0 if i == dim % y.dim() else 1, s + (i == dim % y.dim())) if s else 0 for i, s in enumerate(y.shape)]
    idx = index_tensor(shape, y.shape[dim])
    return {'dim': dim, 'index': {'tensor': enc(idx)}}, lambda t: torch.gather(t, dim, idx)

def index_select(_p, y):
    dim = pick_dim(y)
    idx = index_tensor([R.randint(0, 5) if y.shape[dim] else 0], y.shape[dim])
    return {'dim': dim, 'index': {'tensor': enc(idx)}}, lambda t: torch.index_select(t, dim, idx)

def concat(p, y, stack=False):
    dim = R.randrange(-y.dim() - stack, y.dim() + stack) if y.dim() or stack else None
    if dim is None:
        raise Reject()
    if R.random() < 0.3:  # with itself: the gradient accumulates from both halves
        return {'dim': dim}, lambda t: (torch.stack if stack else torch.cat)([t, t], dim)
    shape = list(y.shape)
    if not stack:
        shape[dim] = R.randint(0, 3)
    o, arg = p.new_input(shape)
    return {'other': arg, 'dim': dim}, lambda t: (torch.stack if stack else torch.cat)([t, o], dim)

SMOOTH_BIG = ['softmax', 'logSoftmax', 'logsumexp', 'softplus', 'sigmoid', 'logSigmoid']
VOCAB = dict([
    unary('exp', torch.exp, lambda t: t < 30), unary('log', torch.log, lambda t: t > 0.05),
    unary('tanh', torch.tanh), unary('sigmoid', torch.sigmoid), ('softplus', softplus),
    unary('logSigmoid', F.logsigmoid), unary('relu', torch.relu), unary('silu', F.silu), unary('abs', torch.abs),
    option('gelu', 'approximate', ['none', 'tanh'], lambda t, a: F.gelu(t, approximate=a)),
    ('elu', elu),
    unary('sqrt', torch.sqrt, lambda t: t > 0.05), unary('square', torch.square),
    unary('reciprocal', torch.reciprocal, lambda t: t.abs() > 0.1), unary('erf', torch.erf),
    unary('sin', torch.sin), unary('cos', torch.cos), unary('neg', torch.neg), ('clamp', clamp),
    binary('add', torch.add), binary('sub', torch.sub), binary('mul', torch.mul),
    binary('maximum', lambda a, b: torch.maximum(a, torch.as_tensor(b))),
    binary('minimum', lambda a, b: torch.minimum(a, torch.as_tensor(b))),
    binary('div', torch.div), ('pow', pow_), ('where', where),
    reduction('sum', torch.sum), reduction('mean', torch.mean), reduction('amax', torch.amax), reduction('amin', torch.amin),
    reduction('prod', lambda t, d, k: t.prod(d, k) if isinstance(d, int) else t.prod(), single=True),
    reduction('logsumexp', torch.logsumexp), var_std('var'), var_std('std'), ('norm', norm),
    extreme_dim('max'), extreme_dim('min'),
    along('softmax', lambda t, d: torch.softmax(t, d)), along('logSoftmax', lambda t, d: torch.log_softmax(t, d)),
    along('cumsum', torch.cumsum),
    ('permute', permute), ('transpose', transpose), ('expand', expand), ('narrow', narrow), ('slice', slice_),
    ('reshape', reshape), ('flatten', flatten), ('squeeze', squeeze), ('unsqueeze', unsqueeze), ('flip', flip),
    ('matmul', matmul), ('gather', gather), ('indexSelect', index_select),
    ('concat', concat), ('stack', lambda p, y: concat(p, y, stack=True)),
])
# Ties at a clamp bound or between maximum/minimum operands have no documented gradient convention in PyTorch.
KINK_UNSAFE = {'clamp', 'maximum', 'minimum'}

def fine(z, kind):
    limit = 1e9 if kind == 'big' else 1e5
    return bool(torch.isfinite(z).all()) and (z.numel() == 0 or float(z.abs().max()) <= limit) and z.numel() <= 2 * MAX_NUMEL

def draw_program(kind, second):
    p = Program(kind, second)
    y, _ = p.new_input(rand_shape(), kind)
    n_ops = R.randint(2, 6)
    while len(p.ops) < n_ops:
        names = SMOOTH_BIG if kind == 'big' and not p.ops else [n for n in VOCAB if not (kind == 'grid' and n in KINK_UNSAFE)]
        name = R.choice(names)
        saved = (list(p.inputs), list(p.leaves))
        try:
            args, fn = VOCAB[name](p, y)
            z = fn(y)
        except (Reject, RuntimeError, IndexError):
            p.inputs, p.leaves = saved
            continue
        if not fine(z.detach(), kind):
            p.inputs, p.leaves = saved
            continue
        p.ops.append({'op': name, 'args': args})
        y = z
    return p, y

def grads_of(out, seed, leaves, create_graph):
    """d(Σ out·seed)/d(leaves), zeros for unused leaves (and for torch's storage-less "zerotensor" grads)."""
    if not out.requires_grad:
        return [torch.zeros_like(x) for x in leaves]
    gs = torch.autograd.grad((out * seed).sum(), leaves, create_graph=create_graph, allow_unused=True)
    return [torch.zeros_like(x) if g is None or g._is_zerotensor() else g for x, g in zip(leaves, gs)]

def record(pid):
    kind = R.choices(['normal', 'positive', 'grid', 'big'], [0.45, 0.12, 0.28, 0.15])[0]
    second = R.random() < (0.5 if kind == 'grid' else 0.25)  # kinks are where 2nd-order conventions bite
    while True:  # redraw until every recorded number is finite
        p, out = draw_program(kind, second)
        cot = values(list(out.shape), 'normal')
        try:
            grads = grads_of(out, cot, p.leaves, second)
        except RuntimeError as e:  # torch 1.13's own backward bugs: not ours to record
            print(f'#{pid}: torch backward raised on {[o["op"] for o in p.ops]}: {e}', file=sys.stderr)
            continue
        rec = {'id': pid, 'kind': p.kind, 'inputs': [enc(x) for x in p.inputs], 'ops': p.ops, 'output': enc(out),
               'cotangent': enc(cot), 'grads': [enc(g) for g in grads]}
        checked = list(grads)
        if second:
            vs = [values(list(x.shape), 'normal') for x in p.inputs]
            terms = [(g * v).sum() for g, v in zip(grads, vs) if g.requires_grad]
            s = sum(terms) if terms else torch.zeros(())
            g2 = grads_of(s, torch.ones(()), p.leaves, False)
            rec |= {'v': [enc(v) for v in vs], 'grads2': [enc(g) for g in g2]}
            checked += g2
        if all(fine(g.detach(), 'big') for g in checked):
            return rec

def main():
    seed(8)
    programs = [record(i) for i in range(N_PROGRAMS)]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'generator': 'tools/gen_fuzz.py', 'torch': torch.__version__, 'programs': programs}, f, separators=(',', ':'))
        f.write('\n')
    n2 = sum('grads2' in q for q in programs)
    print(f'{len(programs)} programs ({n2} second order), {os.path.getsize(OUT) / 1024:.0f} KiB -> {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
