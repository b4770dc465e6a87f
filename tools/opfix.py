"""Shared parts of the op-fixture generators (tools/gen_op_fixtures.py, tools/gen_ops_*.py).

Each generator seeds the one generator GEN (`seed(n)`), records cases with `case(...)` and writes
them with `write(name, generator)` to packages/core/src/testing/fixtures/<name>.json, which the op
table's conformance suite loads (every ops*.json there). Float64 throughout; every expected number
comes from torch (Debian's python3-torch: run generators with /usr/bin/python3).
"""
import json
import math
import os

import torch

torch.set_default_dtype(torch.float64)
GEN = torch.Generator()
FIXTURES = os.path.join(os.path.dirname(__file__), '..', 'packages', 'core', 'src', 'testing', 'fixtures')


def seed(n):
    GEN.manual_seed(n)


# ---- input samplers -----------------------------------------------------------------------------


def randn(*shape, scale=1.0):
    return torch.randn(tuple(shape), generator=GEN) * scale


def uniform(shape, lo, hi):
    return lo + (hi - lo) * torch.rand(tuple(shape), generator=GEN)


def away(shape, lo=-2.5, hi=2.5, avoid=(0.0,), margin=0.1):
    """Uniform on [lo, hi] with every value at least `margin` from each point in `avoid`."""
    x = uniform(shape, lo, hi)
    for _ in range(100):
        bad = torch.zeros(x.shape, dtype=torch.bool)
        for p in avoid:
            bad |= (x - p).abs() < margin
        if not bad.any():
            return x
        x = torch.where(bad, uniform(shape, lo, hi), x)
    raise RuntimeError('could not sample away from %r' % (avoid,))


def distinct(shape, spacing=0.25, lo=-3.0):
    """Distinct values (pairwise at least ~spacing/2 apart), in random order."""
    n = math.prod(shape)
    base = torch.randperm(n, generator=GEN).to(torch.float64) * spacing + lo
    return (base + uniform([n], 0, spacing / 2)).reshape(shape)


def positive(shape, lo=0.2, hi=3.0):
    return uniform(shape, lo, hi)


def grid(shape, lo=-2, hi=2):
    """Multiples of 0.5 in [lo, hi]: exact in float32, with plenty of ties (for comparisons)."""
    return torch.randint(lo * 2, hi * 2 + 1, shape, generator=GEN).to(torch.float64) / 2


def index(shape, high):
    return torch.randint(0, high, shape, generator=GEN)


def mask(shape):
    return torch.rand(tuple(shape), generator=GEN) < 0.5


BIG = torch.tensor([[1e4, -1e4, 3.0, 1e4 - 1.5], [-1e4, -1e4 + 2.0, -1e4 + 0.5, -3.0]])

# ---- encoding -----------------------------------------------------------------------------------


def num(v):
    if isinstance(v, float):
        if math.isnan(v):
            return 'nan'
        if math.isinf(v):
            return 'inf' if v > 0 else '-inf'
    return v


def enc(t):
    t = t.detach()
    if t.dtype == torch.bool:
        dtype, data = 'bool', [int(v) for v in t.reshape(-1).tolist()]
    elif t.dtype in (torch.int64, torch.int32):
        dtype, data = 'int32', [int(v) for v in t.reshape(-1).tolist()]
    elif t.dtype == torch.float64:
        dtype, data = 'float64', [num(float(v)) for v in t.reshape(-1).tolist()]
    else:
        raise TypeError(t.dtype)
    return {'shape': list(t.shape), 'dtype': dtype, 'data': data}


def enc_kwargs(kw):
    return {k: (num(v) if isinstance(v, float) else v) for k, v in kw.items()}


CASES = []
NAMES = set()


def case(name, op, inputs, fn, kwargs=None, grad=True):
    """Runs fn on fresh leaves of `inputs`; fn returns a tensor or (values, indices)."""
    assert name not in NAMES, name
    NAMES.add(name)
    leaves = [x.clone().requires_grad_(grad and x.is_floating_point()) for x in inputs]
    out = fn(*leaves)
    indices = None
    if isinstance(out, tuple):
        out, indices = out
    rec = {'name': name, 'op': op, 'inputs': [enc(x) for x in inputs], 'kwargs': enc_kwargs(kwargs or {}),
           'output': enc(out)}
    if indices is not None:
        rec['indices'] = enc(indices)
    if grad and out.requires_grad:
        cot = randn(*out.shape)
        floats = [x for x in leaves if x.requires_grad]
        gs = iter(torch.autograd.grad((out * cot).sum(), floats, allow_unused=True))
        grads = []
        for x in leaves:
            if x.requires_grad:
                g = next(gs)
                grads.append(enc(torch.zeros_like(x) if g is None else g))
            else:
                grads.append(None)
        rec['cotangent'] = enc(cot)
        rec['grads'] = grads
    CASES.append(rec)




def write(name, generator):
    """Writes CASES to fixtures/<name>.json and prints a one-line summary."""
    out = os.path.join(FIXTURES, name + '.json')
    os.makedirs(FIXTURES, exist_ok=True)
    with open(out, 'w') as f:
        json.dump({'generator': generator, 'torch': torch.__version__, 'cases': CASES}, f, separators=(',', ':'))
        f.write('\n')
    print(f'{len(CASES)} cases, {len({c["op"] for c in CASES})} ops, {os.path.getsize(out) / 1024:.0f} KiB -> {os.path.relpath(out)}')
