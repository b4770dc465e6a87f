"""Shared helpers for the loss fixture scripts: run with Debian's /usr/bin/python3 (torch).

A fixture file is {"cases": [case, ...]}; a case is
  {"id": registry id, "label": what it checks, "inputs": [tensor | null], "options": {...},
   "output": tensor, "cotangent": tensor | null, "grads": [tensor | null]}
where tensor = {"shape": [...], "dtype": "float64" | "int32" | "bool", "data": [...]} and an
option whose value is a tensor is {"__tensor__": tensor}. Non-finite numbers are "nan"/"inf"/"-inf".
"""
import json
import math
import os
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT_DIR = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'losses', 'test', 'fixtures')
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}


def cosmat(a, b):
    """Cosine similarities of the rows of a [N, D] with the rows of b [M, D]: [N, M]."""
    return F.normalize(a, dim=1) @ F.normalize(b, dim=1).t()


def ce(logits, t):
    """Per-sample cross-entropy −log softmax(logits)[t] [N]."""
    return -torch.log_softmax(logits, 1)[torch.arange(len(t)), t]


def face_batch(seed):
    """The metric-learning/face scripts' batch: features x [N = 6, D = 4] (× 1.5), labels y [N] and class weights
    W [C = 5, D], drawn (x, then W) from a generator seeded with seed, returned for further draws."""
    g = torch.Generator().manual_seed(seed)
    n, d, c = 6, 4, 5
    x = torch.randn(n, d, generator=g) * 1.5
    y = torch.tensor([0, 3, 4, 1, 1, 3])
    w = torch.randn(c, d, generator=g)
    return g, n, d, c, x, y, w


def sparsemax_tau(z, dim=-1):
    """Sparsemax's threshold τ along dim (Martins & Astudillo 2016): sort, k(z) = #{k : 1 + k·z_(k) > Σ_{j≤k} z_(j)},
    τ = (Σ_{j≤k(z)} z_(j) − 1)/k(z), kept as a size-1 dim."""
    zs = torch.sort(z, dim=dim, descending=True).values
    n = z.shape[dim]
    shape = [1] * z.dim()
    shape[dim] = n
    k = torch.arange(1, n + 1, dtype=z.dtype).reshape(shape)
    cs = zs.cumsum(dim)
    kz = (1 + k * zs > cs).sum(dim, keepdim=True)
    return (cs.gather(dim, kz - 1) - 1) / kz


def sparsemax_loss_ref(z, q, reduction='mean'):
    """The sparsemax loss in the paper's form −q·z + ½ Σ_S (z² − τ²) + ½‖q‖² over the last dim, differentiated by torch."""
    tau = sparsemax_tau(z)
    support = (z > tau).to(z.dtype)
    values = -(q * z).sum(-1) + 0.5 * (support * (z ** 2 - tau ** 2)).sum(-1) + 0.5 * (q ** 2).sum(-1)
    return {'mean': values.mean(), 'sum': values.sum(), 'none': values}[reduction]

def num(v):
    if isinstance(v, bool):
        return v
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


def enc(t):
    if t is None:
        return None
    t = t.detach()
    dtype = {torch.float64: 'float64', torch.float32: 'float64', torch.int64: 'int32', torch.int32: 'int32', torch.bool: 'bool'}[t.dtype]
    data = t.flatten().tolist()
    return {'shape': list(t.shape), 'dtype': dtype, 'data': [num(float(v)) if dtype == 'float64' else (int(v) if dtype == 'int32' else bool(v)) for v in data]}


def enc_option(v):
    return {'__tensor__': enc(v)} if isinstance(v, torch.Tensor) else v


def case(id, label, fn, inputs, options=None, torch_options=None, grad=True, seed=0):
    """Runs fn(*inputs, **torch_options) in float64; records value and the gradient of (out * cotangent).sum()."""
    options = options or {}
    leaves = [x.detach().clone().requires_grad_(grad and x.is_floating_point()) if isinstance(x, torch.Tensor) else x for x in inputs]
    out = fn(*leaves, **(torch_options if torch_options is not None else {}))
    rec = {'id': id, 'label': label, 'inputs': [enc(x) if isinstance(x, torch.Tensor) else None for x in leaves],
           'options': {k: enc_option(v) for k, v in options.items()}, 'output': enc(out), 'cotangent': None, 'grads': None}
    if grad and out.requires_grad:
        g = torch.Generator().manual_seed(seed + 991)
        cot = torch.randn(out.shape, generator=g)
        grads = torch.autograd.grad((out * cot).sum(), [x for x in leaves if isinstance(x, torch.Tensor) and x.requires_grad], allow_unused=True)
        it = iter(grads)
        rec['cotangent'] = enc(cot)
        rec['grads'] = [enc(next(it)) if isinstance(x, torch.Tensor) and x.requires_grad else None for x in leaves]
    return rec


def write(name, cases):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f'{name}.json')
    with open(path, 'w') as f:
        json.dump({'generator': f'tools/loss_fixtures/{name}.py', 'cases': cases}, f, separators=(',', ':'))
    print(f'{path}: {len(cases)} cases')
