"""The softmax variants (category softmax-variant): each written here from its paper's formula in torch.

The softmax family (softmax, online, two-pass, top-k, temperature, masked) is checked against torch.softmax; sparsemax
against the paper's sort-based closed form with the paper's Jacobian as its backward (a custom autograd Function, so
the gradient is not the composition graft differentiates); the losses against their definitions.
"""
import math
import torch
import torch.nn.functional as F
from common import case, sparsemax_loss_ref, sparsemax_tau, write

inf = float('inf')
g = torch.Generator().manual_seed(0)
randn = lambda *s, scale=2.0: torch.randn(*s, generator=g) * scale
x45 = randn(4, 5)
x37 = randn(3, 7)
x234 = randn(2, 3, 4)
big = torch.tensor([[1e4, -1e4, 5e3, 0.0], [-1e4, -1e4, -5e3, -1e4], [1e4, 1e4, -1e4, 3.0]])
y4 = torch.tensor([0, 3, 4, 3])
cases = []


# ---- softmax: torch.softmax, with a mask written as -inf logits and empty rows set to 0 -------------------------------
def masked_softmax_ref(x, mask, dim=-1):
    m = mask.expand_as(x)
    p = torch.softmax(x.masked_fill(~m, -inf), dim)
    return torch.where(m, p, torch.zeros_like(p))


mask45 = torch.tensor([[1, 0, 1, 1, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [0, 0, 1, 0, 0]], dtype=torch.bool)
causal = torch.tril(torch.ones(3, 3, dtype=torch.bool))
x233 = randn(2, 3, 3)
cases += [
    case('softmax', '[4, 5]', lambda x: torch.softmax(x, -1), [x45]),
    case('softmax', '[2, 3, 4], dim 1', lambda x: torch.softmax(x, 1), [x234], {'dim': 1}),
    case('softmax', 'temperature 0.5', lambda x: torch.softmax(x / 0.5, -1), [x45], {'temperature': 0.5}),
    case('softmax', 'mask with a fully masked row', lambda x: masked_softmax_ref(x, mask45), [x45], {'mask': mask45}),
    case('softmax', 'causal mask broadcast over a batch', lambda x: masked_softmax_ref(x, causal), [x233], {'mask': causal}),
    case('softmax', 'logits of ±1e4', lambda x: torch.softmax(x, -1), [big]),
]

# ---- online and two-pass softmax: the same values as torch.softmax, whatever the block size ---------------------------
withneg = torch.tensor([[-inf, -inf, 1.0, 2.0, -1.0], [0.5, -inf, 3.0, -inf, -inf]])
for id in ['online-softmax', 'two-pass-softmax']:
    cases += [
        case(id, '[4, 5], one block', lambda x: torch.softmax(x, -1), [x45]),
        case(id, 'blockSize 1 (element by element)', lambda x: torch.softmax(x, -1), [x37], {'blockSize': 1}),
        case(id, 'blockSize 3 (a ragged last block)', lambda x: torch.softmax(x, -1), [x37], {'blockSize': 3}),
        case(id, 'dim 0, blockSize 2', lambda x: torch.softmax(x, 0), [x37.T.contiguous()], {'dim': 0, 'blockSize': 2}),
        case(id, 'wide range of scores, blockSize 4', lambda x: torch.softmax(x, -1), [randn(3, 11, scale=40.0)], {'blockSize': 4}),
        case(id, 'logits of ±1e4, blockSize 2', lambda x: torch.softmax(x, -1), [big], {'blockSize': 2}),
    ]
cases.append(case('online-softmax', '-inf scores, a first block of -inf', lambda x: torch.softmax(x, -1), [withneg], {'blockSize': 2}))


# ---- sparsemax: the sort-based closed form, with the paper's Jacobian as its backward ------------------------------------
class Sparsemax(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, dim):
        p = torch.clamp(z - sparsemax_tau(z, dim), min=0)
        ctx.save_for_backward(p)
        ctx.dim = dim
        return p

    @staticmethod
    def backward(ctx, v):
        # J v = s ⊙ (v − Σ_{j∈S} v_j / |S|), s the support indicator (Martins & Astudillo, eq. 14)
        p, = ctx.saved_tensors
        s = (p > 0).to(v.dtype)
        return s * (v - (s * v).sum(ctx.dim, keepdim=True) / s.sum(ctx.dim, keepdim=True)), None


sparsemax = lambda z, dim=-1: Sparsemax.apply(z, dim)
z46 = randn(4, 6)
cases += [
    case('sparsemax', '[4, 6]', sparsemax, [z46]),
    case('sparsemax', 'small scores: full support', sparsemax, [randn(3, 5, scale=0.1)]),
    case('sparsemax', '[2, 3, 4], dim 1', lambda z: sparsemax(z, 1), [x234], {'dim': 1}),
    case('sparsemax', 'logits of ±1e4', sparsemax, [big]),
    case('sparsemax', 'ties at the top', sparsemax, [torch.tensor([[1.0, 1.0, 0.2, -0.3], [0.3, 0.3, 0.3, 0.3]])]),
]


# ---- sparsemax loss: the paper's form −q·z + ½ Σ_S (z² − τ²) + ½‖q‖², differentiated by torch --------------------------
# (sparsemax_loss_ref in common.py)
onehot = lambda y, c: F.one_hot(y, c).to(torch.float64)
multi = torch.tensor([[1, 0, 1, 0, 0, 0], [0, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1], [1, 1, 0, 0, 0, 1]], dtype=torch.float64)
q46 = multi / multi.sum(-1, keepdim=True)
y46 = torch.tensor([0, 5, 2, 1])
cases += [
    case('sparsemax-loss', 'normalised multi-hot targets', sparsemax_loss_ref, [z46, q46]),
    case('sparsemax-loss', 'normalised multi-hot targets, none', lambda z, q: sparsemax_loss_ref(z, q, 'none'), [z46, q46], {'reduction': 'none'}),
    case('sparsemax-loss', 'logits of ±1e4', lambda z, y: sparsemax_loss_ref(z, onehot(y, 4)), [big, torch.tensor([0, 2, 1])]),
]
for red in ['mean', 'sum', 'none']:
    cases.append(case('sparsemax-loss', f'index targets, {red}', lambda z, y: sparsemax_loss_ref(z, onehot(y, 6), red), [z46, y46], {'reduction': red}))


# ---- top-k softmax and sparse-softmax loss: a top-k mask, -inf elsewhere -------------------------------------------------
def topk_keep(z, k, dim=-1):
    idx = torch.topk(z, k, dim=dim).indices
    return torch.zeros_like(z, dtype=torch.bool).scatter(dim, idx, True)


topk_softmax_ref = lambda z, k, dim=-1: torch.softmax(z.masked_fill(~topk_keep(z, k, dim), -inf), dim)
cases += [
    case('topk-softmax', 'k = 2 (default)', lambda z: topk_softmax_ref(z, 2), [z46]),
    case('topk-softmax', 'k = 1', lambda z: topk_softmax_ref(z, 1), [z46], {'k': 1}),
    case('topk-softmax', 'k = 4', lambda z: topk_softmax_ref(z, 4), [z46], {'k': 4}),
    case('topk-softmax', 'k larger than the row: plain softmax', lambda z: torch.softmax(z, -1), [x45], {'k': 9}),
    case('topk-softmax', '[2, 3, 4], dim 1, k 2', lambda z: topk_softmax_ref(z, 2, 1), [x234], {'dim': 1}),
    case('topk-softmax', 'logits of ±1e4, k 2', lambda z: topk_softmax_ref(z, 2), [big[:, [0, 2, 3, 1]] + torch.tensor([0.0, 1.0, 2.0, 3.0])]),
]


def sparse_softmax_loss_ref(z, y, k, reduction='mean'):
    keep = topk_keep(z, min(k, z.shape[1])) | F.one_hot(y, z.shape[1]).bool()
    return F.cross_entropy(z.masked_fill(~keep, -inf), y, reduction=reduction)


z4x12 = randn(4, 12)
y12 = torch.argsort(z4x12, -1)[:, 0]  # the smallest logit of each row: outside every top k < 12
y12[1] = torch.argmax(z4x12[1])
for red in ['mean', 'sum', 'none']:
    cases.append(case('sparse-softmax-loss', f'k = 10 (default), {red}', lambda z, y: sparse_softmax_loss_ref(z, y, 10, red), [z4x12, y12], {'reduction': red}))
cases += [
    case('sparse-softmax-loss', 'k = 3, targets outside the top k', lambda z, y: sparse_softmax_loss_ref(z, y, 3), [z4x12, y12], {'k': 3}),
    case('sparse-softmax-loss', 'k = 1', lambda z, y: sparse_softmax_loss_ref(z, y, 1, 'none'), [z4x12, y12], {'k': 1, 'reduction': 'none'}),
    case('sparse-softmax-loss', 'logits of ±1e4, k = 2', lambda z, y: sparse_softmax_loss_ref(z, y, 2, 'none'), [big, torch.tensor([1, 3, 2])], {'k': 2, 'reduction': 'none'}),
]

# ---- spherical and Taylor softmax ------------------------------------------------------------------------------------------
spherical_ref = lambda o, eps=1e-6, dim=-1: (o ** 2 + eps) / (o ** 2 + eps).sum(dim, keepdim=True)
taylor_ref = lambda o, dim=-1: (1 + o + o ** 2 / 2) / (1 + o + o ** 2 / 2).sum(dim, keepdim=True)
cases += [
    case('spherical-softmax', '[4, 5]', spherical_ref, [x45]),
    case('spherical-softmax', 'eps 0, dim 0', lambda o: spherical_ref(o, 0.0, 0), [x45], {'eps': 0, 'dim': 0}),
    case('spherical-softmax', 'a zero row, eps 0.1', lambda o: spherical_ref(o, 0.1), [torch.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]])], {'eps': 0.1}),
    case('spherical-softmax', 'outputs of ±1e4', spherical_ref, [big]),
    case('taylor-softmax', '[4, 5]', taylor_ref, [x45]),
    case('taylor-softmax', '[2, 3, 4], dim 1', lambda o: taylor_ref(o, 1), [x234], {'dim': 1}),
    case('taylor-softmax', 'outputs of ±1e4', taylor_ref, [big]),
]


# ---- StableMax and its cross-entropy: the authors' form where(x < 0, 1/(1 − x), x + 1) -------------------------------------
def stable_s(x):
    return torch.where(x < 0, 1 / (1 - x), x + 1)


stablemax_ref = lambda z, dim=-1: stable_s(z) / stable_s(z).sum(dim, keepdim=True)


def stablemax_ce_ref(z, y, reduction='mean'):
    logp = torch.log(stablemax_ref(z))
    values = -logp.gather(1, y[:, None]).squeeze(1)
    return {'mean': values.mean(), 'sum': values.sum(), 'none': values}[reduction]


cases += [
    case('stablemax', '[4, 5]', stablemax_ref, [x45]),
    case('stablemax', '[2, 3, 4], dim 1', lambda z: stablemax_ref(z, 1), [x234], {'dim': 1}),
    case('stablemax', 'logits of ±1e4', stablemax_ref, [big]),
]
for red in ['mean', 'sum', 'none']:
    cases.append(case('stablemax-cross-entropy', red, lambda z, y: stablemax_ce_ref(z, y, red), [x45, y4], {'reduction': red}))
cases.append(case('stablemax-cross-entropy', 'logits of ±1e4', lambda z, y: stablemax_ce_ref(z, y, 'none'), [big, torch.tensor([1, 0, 2])], {'reduction': 'none'}))


# ---- softpick: relu(exp(x) − 1) / (Σ|exp(x) − 1| + ε), with expm1; the shifted form only where exp overflows ---------------
def softpick_ref(x, eps=1e-6, mask=None, dim=-1):
    e = torch.expm1(x)
    if mask is not None:
        e = torch.where(mask.expand_as(x), e, torch.zeros_like(e))
    return torch.relu(e) / (e.abs().sum(dim, keepdim=True) + eps)


def softpick_shifted_ref(x, eps=1e-6):
    m = x.amax(-1, keepdim=True).clamp(min=0)
    e = torch.exp(x - m) - torch.exp(-m)
    return torch.relu(e) / (e.abs().sum(-1, keepdim=True) + eps * torch.exp(-m))


mask_sp = torch.tensor([[1, 1, 0, 1, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 0, 1]], dtype=torch.bool)
cases += [
    case('softpick', '[4, 5]', softpick_ref, [x45]),
    case('softpick', 'all scores negative: all zero', softpick_ref, [-randn(2, 4).abs() - 0.1]),
    case('softpick', 'scores near 0 (expm1 precision)', softpick_ref, [randn(2, 5, scale=1e-9)]),
    case('softpick', 'eps 0.01, dim 0', lambda x: softpick_ref(x, 0.01, dim=0), [x45], {'eps': 0.01, 'dim': 0}),
    case('softpick', 'mask with a fully masked row', lambda x: softpick_ref(x, mask=mask_sp), [x45], {'mask': mask_sp}),
    case('softpick', 'scores of ±1e4 (shifted form)', softpick_shifted_ref, [big]),
]


# ---- SSMax: softmax(s·log(n)·z), n the count of valid keys -----------------------------------------------------------------
def ssmax_ref(z, s=0.43, b=0.0, mask=None, dim=-1):
    if mask is None:
        return torch.softmax((s * math.log(z.shape[dim]) + b) * z, dim)
    m = mask.expand_as(z)
    n = m.to(z.dtype).sum(dim, keepdim=True)
    return masked_softmax_ref((s * torch.log(n) + b) * z, m, dim)


s_heads = torch.tensor([[0.3], [0.9], [1.5]])
x2x3x5 = randn(2, 3, 5)
cases += [
    case('ssmax', 's = 0.43 (default)', ssmax_ref, [x37]),
    case('ssmax', 's = 1, b = 0.2', lambda z: ssmax_ref(z, 1.0, 0.2), [x37], {'s': 1, 'b': 0.2}),
    case('ssmax', 'per-head s [3, 1] on [B, H, n]', lambda z: ssmax_ref(z, s_heads), [x2x3x5], {'s': s_heads}),
    case('ssmax', 'causal mask: n = position + 1', lambda z: ssmax_ref(z, mask=causal), [x233], {'mask': causal}),
    case('ssmax', 'scores of ±1e4', ssmax_ref, [big]),
]


# ---- Gumbel-Softmax with given uniform noise -------------------------------------------------------------------------------
def gumbel_ref(a, u, tau=1.0, eps=1e-20, hard=False, dim=-1):
    gn = -torch.log(-torch.log(u + eps) + eps)
    soft = torch.softmax((a + gn) / tau, dim)
    if not hard:
        return soft
    index = soft.argmax(dim, keepdim=True)
    return torch.zeros_like(soft).scatter(dim, index, 1.0) - soft.detach() + soft


u45 = torch.rand(4, 5, generator=g)
u45[0, 2] = 0.0  # the eps guards log(0)
u234 = torch.rand(2, 3, 4, generator=g)
cases += [
    case('gumbel-softmax', 'tau 1', lambda a: gumbel_ref(a, u45), [x45], {'noise': u45}),
    case('gumbel-softmax', 'tau 0.5, dim 1', lambda a: gumbel_ref(a, u234, 0.5, dim=1), [x234], {'noise': u234, 'tau': 0.5, 'dim': 1}),
    case('gumbel-softmax', 'hard', lambda a: gumbel_ref(a, u45, 0.7, hard=True), [x45], {'noise': u45, 'tau': 0.7, 'hard': True}),
    case('gumbel-softmax', 'logits of ±1e4', lambda a: gumbel_ref(a, u45[:3, :4]), [big], {'noise': u45[:3, :4].contiguous()}),
    case('gumbel-softmax-straight-through', 'tau 1, eps 1e-10', lambda a: gumbel_ref(a, u45, 1.0, 1e-10, True), [x45], {'noise': u45}),
    case('gumbel-softmax-straight-through', 'tau 0.3, K = 2 keep/drop', lambda a: gumbel_ref(a, u234[..., :2].contiguous(), 0.3, 1e-10, True), [x234[..., :2].contiguous()], {'noise': u234[..., :2].contiguous(), 'tau': 0.3}),
]


# ---- masked-softmax cross-entropy: masked logits at -inf; the target is always allowed --------------------------------------
def masked_ce_ref(z, y, mask, reduction='mean'):
    keep = mask | F.one_hot(y, z.shape[1]).bool()
    return F.cross_entropy(z.masked_fill(~keep, -inf), y, reduction=reduction)


mask46 = torch.tensor([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 0, 0]], dtype=torch.bool)
y_m = torch.tensor([1, 4, 0, 5])  # the last target is outside its mask
for red in ['mean', 'sum', 'none']:
    cases.append(case('masked-softmax-cross-entropy', red, lambda z, y, m: masked_ce_ref(z, y, m, red), [z46, y_m, mask46], {'reduction': red}))
cases.append(case('masked-softmax-cross-entropy', 'logits of ±1e4', lambda z, y, m: masked_ce_ref(z, y, m, 'none'),
                  [big, torch.tensor([1, 0, 3]), torch.tensor([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0]], dtype=torch.bool)], {'reduction': 'none'}))


# ---- adaptive-temperature softmax: β from the entropy, held constant ------------------------------------------------------
def adaptive_ref(z, coeffs=(-0.037, 0.481, -2.3, 4.917, -1.791), threshold=0.5, dim=-1):
    with torch.no_grad():
        p = torch.softmax(z, dim)
        h = -(p * torch.log(p + 1e-9)).sum(dim, keepdim=True)
        poly = torch.zeros_like(h)
        for c in coeffs:
            poly = poly * h + c
        beta = torch.where(h > threshold, torch.maximum(poly, torch.ones_like(poly)), torch.ones_like(poly))
    return torch.softmax(z * beta, dim)


z_at = torch.cat([randn(2, 8, scale=0.3), randn(2, 8, scale=1.0), randn(2, 8, scale=6.0)])
cases += [
    case('adaptive-temperature-softmax', 'flat, medium and sharp rows', adaptive_ref, [z_at]),
    case('adaptive-temperature-softmax', 'threshold 1.5, dim 0', lambda z: adaptive_ref(z, threshold=1.5, dim=0), [z_at.T.contiguous()], {'entropyThreshold': 1.5, 'dim': 0}),
    case('adaptive-temperature-softmax', 'logits of ±1e4', adaptive_ref, [big]),
]


# ---- temperature-scaled cross-entropy ------------------------------------------------------------------------------------
for red in ['mean', 'sum', 'none']:
    cases.append(case('temperature-scaled-cross-entropy', f'T = 2, {red}', lambda z, y: F.cross_entropy(z / 2, y, reduction=red), [x45, y4], {'t': 2, 'reduction': red}))
cases += [
    case('temperature-scaled-cross-entropy', 'T = 1 (default): plain CE', lambda z, y: F.cross_entropy(z, y), [x45, y4]),
    case('temperature-scaled-cross-entropy', 'T = 0.5, scaled by T', lambda z, y: 0.5 * F.cross_entropy(z / 0.5, y, reduction='none'), [x45, y4], {'t': 0.5, 'scaleByT': True, 'reduction': 'none'}),
    case('temperature-scaled-cross-entropy', 'logits of ±1e4, T = 3', lambda z, y: F.cross_entropy(z / 3, y, reduction='none'), [big, torch.tensor([2, 0, 1])], {'t': 3, 'reduction': 'none'}),
]


# ---- SA-Softmax: x·softmax(x), and the range-normalised variant ------------------------------------------------------------
def sa_ref(x, normalized=False, eps=1e-6, mask=None, dim=-1):
    if mask is None:
        p, xv, lo_src, hi_src = torch.softmax(x, dim), x, x, x
    else:
        m = mask.expand_as(x)
        p = masked_softmax_ref(x, m, dim)
        xv = torch.where(m, x, torch.zeros_like(x))
        lo_src, hi_src = torch.where(m, x, torch.full_like(x, inf)), torch.where(m, x, torch.full_like(x, -inf))
    if not normalized:
        return xv * p
    lo = torch.clamp(lo_src.amin(dim, keepdim=True), max=0)
    hi = torch.clamp(hi_src.amax(dim, keepdim=True), min=0)
    return (xv - lo) / (hi - lo + eps) * p


x_pos = randn(2, 5).abs() + 0.1  # all positive: x_min > 0, so min(x_min, 0) = 0
cases += [
    case('sa-softmax', 'x·softmax(x)', sa_ref, [x45]),
    case('sa-softmax', 'normalised', lambda x: sa_ref(x, True), [x45], {'normalized': True}),
    case('sa-softmax', 'normalised, all scores positive, dim 0', lambda x: sa_ref(x, True, dim=0), [x_pos.T.contiguous()], {'normalized': True, 'dim': 0}),
    case('sa-softmax', 'normalised, causal mask', lambda x: sa_ref(x, True, mask=causal), [x233], {'normalized': True, 'mask': causal}),
    case('sa-softmax', 'mask with a fully masked row', lambda x: sa_ref(x, mask=mask45), [x45], {'mask': mask45}),
    case('sa-softmax', 'scores of ±1e4, normalised', lambda x: sa_ref(x, True), [big], {'normalized': True}),
]

write('softmax_normalizers', cases)
