"""Leftover entries of 'regression/distribution', 'ranking/retrieval' and 'other', each written independently from
its paper, the catalog's definition or the authors' code (TokenHMR's losses.py for tals): plain PyTorch float64."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(13)
cases = []


def rn(*s):
    return torch.randn(*s, generator=g)


# ---- presto-ordinal -------------------------------------------------------------------------------------------
def presto(x, y, a, B, lam=0.1, eps=1e-12, average=False):
    N, K = x.shape[0], a.shape[0]
    probs = []
    for i in range(N):
        ge = [1.0] + [torch.sigmoid(a[k] + B[k] @ x[i]) for k in range(K)] + [0.0]
        k = int(y[i])
        probs.append(torch.clamp(ge[k] - ge[k + 1], min=eps) if isinstance(ge[k] - ge[k + 1], torch.Tensor) else torch.tensor(ge[k] - ge[k + 1]))
    nll = -sum(torch.log(p) for p in probs)
    if average:
        nll = nll / N
    pen = sum(torch.abs(B[k] - B[k - 1]).sum() for k in range(1, K))
    return nll + lam * pen


xP, aP, BP = rn(6, 3), torch.tensor([1.5, 0.2, -1.0]), rn(3, 3) * 0.3
yP = torch.tensor([0, 1, 2, 3, 1, 3], dtype=torch.int32)
cases += [
    case('presto-ordinal', 'sum, lambda 0.1', lambda x, a, B: presto(x, yP, a, B), [xP, aP, BP]),
    case('presto-ordinal', 'mean, lambda 0.5', lambda x, a, B: presto(x, yP, a, B, 0.5, average=True), [xP, aP, BP], {'lambda': 0.5, 'average': True}),
]
# inputs order in graft: x, y, a, B
for c in cases[-2:]:
    c['inputs'] = [c['inputs'][0], {'shape': [6], 'dtype': 'int32', 'data': yP.tolist()}, c['inputs'][1], c['inputs'][2]]
    if c['grads']:
        c['grads'] = [c['grads'][0], None, c['grads'][1], c['grads'][2]]


# ---- tals (TokenHMR compute_loss + Keypoint2DLossPCKT / ParameterLossPCKT) ------------------------------------
def tals_kp(pred, gt, conf, thr, lam=0.01):
    err = conf * F.mse_loss(pred, gt, reduction='none').sum(dim=2)
    valid = (err > thr[None]).float()
    weak = conf * (1 - valid)
    l1 = F.l1_loss(pred, gt, reduction='none')
    return ((conf * valid)[..., None] * l1).sum() + lam * (weak[..., None] * l1).sum()


def tals_pose(pred, gt, has, angle, thr, lam=0.01):
    valid = (angle > thr[None]).float() * has[:, None]
    weak = (1 - (angle > thr[None]).float()) * has[:, None]
    se = F.mse_loss(pred, gt, reduction='none').sum((2, 3))
    return (valid * se).sum() + lam * (weak * se).sum()


J = 5
pk, gk = rn(4, J, 2) * 0.1, rn(4, J, 2) * 0.1
ck = torch.rand(4, J, generator=g)
thr = torch.full((J,), 0.01)
pr, gr = rn(3, J, 3, 3), rn(3, J, 3, 3)
has = torch.tensor([1.0, 0.0, 1.0])
ang = torch.rand(3, J, generator=g)
athr = torch.full((J,), 0.5)
cases += [
    case('tals', '2D keypoints, sum', lambda p: tals_kp(p, gk, ck, thr), [pk]),
    case('tals', 'pose: gate = angle, l2, lambda 0.1', lambda p: tals_pose(p, gr, has, ang, athr, 0.1), [pr], {'distance': 'l2', 'lambdaLoose': 0.1}),
]
cases[-2]['inputs'] += [{'shape': list(gk.shape), 'dtype': 'float64', 'data': gk.flatten().tolist()}, {'shape': list(ck.shape), 'dtype': 'float64', 'data': ck.flatten().tolist()}, {'shape': [J], 'dtype': 'float64', 'data': thr.tolist()}]
cases[-2]['grads'] += [None, None, None]
hasJ = has[:, None].expand(3, J).contiguous()
cases[-1]['inputs'] += [{'shape': list(gr.shape), 'dtype': 'float64', 'data': gr.flatten().tolist()}, {'shape': [3, J], 'dtype': 'float64', 'data': hasJ.flatten().tolist()}, {'shape': [J], 'dtype': 'float64', 'data': athr.tolist()}, {'shape': [3, J], 'dtype': 'float64', 'data': ang.flatten().tolist()}]
cases[-1]['grads'] += [None, None, None, None]


# ---- welfare-weighted-pairwise-rank ---------------------------------------------------------------------------
def welfare(z, b, y, grp=None, reduction='mean'):
    s = torch.sigmoid(z)
    tot, cnt = 0.0, 0
    for i in range(len(z)):
        for j in range(len(z)):
            if grp is not None and grp[i] != grp[j]:
                continue
            ti, tj = b[i] * y[i], b[j] * y[j]
            if ti > tj:
                tot = tot + (ti - tj) * -F.logsigmoid(b[i] * s[i] - b[j] * s[j])
                cnt += 1
    return tot if reduction == 'sum' else tot / max(cnt, 1)


zW, bW, yW = rn(6) * 2, torch.rand(6, generator=g) * 3 + 0.5, torch.tensor([1.0, 0, 0, 1, 0, 1])
grpW = torch.tensor([0, 0, 0, 1, 1, 1], dtype=torch.int32)
cases += [
    case('welfare-weighted-pairwise-rank', 'one auction, clicks', lambda z, b, y: welfare(z, b, y), [zW, bW, yW]),
    case('welfare-weighted-pairwise-rank', 'two auctions, teacher CTR, sum', lambda z, b, y, gg: welfare(z, b, y, gg, 'sum'), [zW, bW, torch.rand(6, generator=g), grpW], {'reduction': 'sum'}),
]


# ---- frequency-weighted-mae -------------------------------------------------------------------------------------
def fmae(yh, y, bins, counts, beta=0.999, reduction='mean'):
    w = (1 - beta) / (1 - beta ** torch.clamp(counts, min=1))
    w = w / w.sum() * len(counts)
    v = w[bins.long()] * torch.abs(yh - y)
    return {'mean': v.mean(), 'sum': v.sum(), 'none': v}[reduction]


yF = rn(6)
edges = torch.tensor([-0.5, 0.5])
binsF = torch.bucketize(yF, edges).to(torch.int32)
countsF = torch.tensor([500.0, 3000.0, 20.0])
cases += [
    case('frequency-weighted-mae', 'beta 0.999', lambda a, b, bb, c: fmae(a, b, bb, c), [rn(6), yF, binsF, countsF]),
    case('frequency-weighted-mae', 'beta 0.9, none', lambda a, b, bb, c: fmae(a, b, bb, c, 0.9, 'none'), [rn(6), yF, binsF, countsF], {'beta': 0.9, 'reduction': 'none'}),
]

for c in cases[-2:]:
    c['grads'][3] = None  # counts are data (held constant)

# ---- cisir-correlation-regression -------------------------------------------------------------------------------
def cisir(yh, y, w=None, lam=1.0, eps=1e-8):
    mse = ((yh - y) ** 2 * (w if w is not None else 1)).mean()
    a, b = yh - yh.mean(), y - y.mean()
    pcc = (a * b).sum() / (torch.sqrt((a ** 2).sum()) * torch.sqrt((b ** 2).sum()) + eps)
    return mse + lam * (1 - pcc)


cases += [
    case('cisir-correlation-regression', 'unweighted', lambda a, b: cisir(a, b), [rn(7), rn(7)]),
    case('cisir-correlation-regression', 'weights, lambda 0.3', lambda a, b, w: cisir(a, b, w, 0.3), [rn(7), rn(7), torch.rand(7, generator=g) + 0.5], {'lambda': 0.3}),
]


# ---- deqa-score-distribution-kl ----------------------------------------------------------------------------------
def deqa(z, mu, sd, ids):
    L = len(ids)
    out = []
    nd = torch.distributions.Normal(0.0, 1.0)
    for n in range(z.shape[0]):
        c = torch.arange(1, L + 1, dtype=torch.float64)
        p = nd.cdf((c + 0.5 - mu[n]) / sd[n]) - nd.cdf((c - 0.5 - mu[n]) / sd[n])
        p = p / p.sum()
        full = torch.zeros(z.shape[1])
        full[ids.long()] = p
        out.append(F.kl_div(F.log_softmax(z[n], 0), full, reduction='sum'))
    return torch.stack(out)


zD = rn(4, 9) * 2
idsD = torch.tensor([3, 5, 0, 8, 6], dtype=torch.int32)
muD, sdD = torch.tensor([1.2, 3.3, 4.9, 2.5]), torch.tensor([0.4, 0.8, 0.6, 1.5])
cases += [
    case('deqa-score-distribution-kl', 'five levels, none', lambda z, m, s, i: deqa(z, m, s, i), [zD, muD, sdD, idsD], {'reduction': 'none'}),
    case('deqa-score-distribution-kl', 'mean', lambda z, m, s, i: deqa(z, m, s, i).mean(), [zD, muD, sdD, idsD]),
]
for c in cases[-2:]:
    c['grads'] = [c['grads'][0], None, None, None]


# ---- conr --------------------------------------------------------------------------------------------------------
def conr(z, y, yh, eta=None, tau=0.2, alpha=1.0, omega=-1.0, eta0=1.0):
    N = z.shape[0]
    tot, na = 0.0, 0
    for j in range(N):
        P = [q for q in range(N) if q != j and -abs(y[j] - y[q]) >= omega]
        Ng = [q for q in range(N) if q != j and -abs(y[j] - y[q]) < omega and -abs(yh[j] - yh[q]) >= omega]
        if not P or not Ng:
            continue
        e = lambda q: torch.exp(z[j] @ z[q] / tau)
        ej = eta[j] if eta is not None else eta0
        num = sum(e(q) for q in P) / len(P)
        den = sum(e(q) for q in P) + sum(ej * (1 + abs(y[j] - y[q])) * e(q) for q in Ng)
        tot = tot - torch.log(num / den)
        na += 1
    return alpha * tot / max(na, 1)


zC = F.normalize(rn(8, 4), dim=1)
yC = torch.tensor([20.0, 20.5, 35.0, 21.0, 34.2, 50.0, 49.5, 22.0])
yhC = torch.tensor([30.0, 20.3, 34.0, 35.5, 21.5, 49.8, 34.5, 22.0])
cases += [
    case('conr', 'default omega -1', lambda z: conr(z, yC, yhC), [zC]),
    case('conr', 'eta weights, tau 0.5, alpha 2, omega -2', lambda z: conr(z, yC, yhC, torch.linspace(0.5, 2, 8), 0.5, 2.0, -2.0), [zC], {'tau': 0.5, 'alpha': 2.0, 'omega': -2.0}),
]
for c, extra in zip(cases[-2:], [[yC, yhC], [yC, yhC, torch.linspace(0.5, 2, 8)]]):
    c['inputs'] += [{'shape': list(t.shape), 'dtype': 'float64', 'data': t.tolist()} for t in extra]
    c['grads'] += [None] * len(extra)


# ---- perturbed-kl-online-regression ------------------------------------------------------------------------------
def pkl(f, y, xi, variant='kl', reduction='mean'):
    u = f + xi
    if variant == 'square':
        v = (u - y) ** 2
    else:
        p = torch.sigmoid(u)
        v = torch.xlogy(y, y) - torch.xlogy(y, p) + torch.xlogy(1 - y, 1 - y) - torch.xlogy(1 - y, 1 - p)
    return {'mean': v.mean(), 'none': v}[reduction]


fK, yK, xiK = rn(6), torch.tensor([0.0, 1.0, 0.3, 0.7, 0.5, 0.05]), (torch.rand(6, generator=g) * 2 - 1) * 0.01
cases += [
    case('perturbed-kl-online-regression', 'kl, given noise', lambda f, y: pkl(f, y, xiK), [fK, yK], {'noise': {'__tensor__': None}}),
    case('perturbed-kl-online-regression', 'square, given noise, none', lambda f, y: pkl(f, y, xiK, 'square', 'none'), [fK, yK], {'variant': 'square', 'reduction': 'none'}),
]
from common import enc
cases[-2]['grads'][1] = None  # d/dy of y·log y is −∞ at y = 0: only the prediction's gradient is compared
cases[-2]['options'] = {'noise': {'__tensor__': enc(xiK)}}
cases[-1]['options']['noise'] = {'__tensor__': enc(xiK)}


# ---- dexml-soft-topk-loss ------------------------------------------------------------------------------------------
class SoftTopK(torch.autograd.Function):
    """Threshold by bisection; backward by the implicit function theorem (independent of graft's surrogate trick)."""
    @staticmethod
    def forward(ctx, s, k, tau):
        lo, hi = s.min(1, keepdim=True)[0] - 50 * tau, s.max(1, keepdim=True)[0] + 50 * tau
        for _ in range(200):
            mid = (lo + hi) / 2
            over = torch.sigmoid((s - mid) / tau).sum(1, keepdim=True) > k
            lo, hi = torch.where(over, mid, lo), torch.where(over, hi, mid)
        t = (lo + hi) / 2
        ctx.save_for_backward(s, t)
        ctx.tau = tau
        return t

    @staticmethod
    def backward(ctx, gt):
        s, t = ctx.saved_tensors
        sg = torch.sigmoid((s - t) / ctx.tau)
        d = sg * (1 - sg)
        return gt * d / d.sum(1, keepdim=True), None, None


def dexml(s, y, k=5, tau=1.0):
    t = SoftTopK.apply(s, k, tau)
    return -(y * F.logsigmoid((s - t) / tau)).sum(1)


sX = rn(3, 10) * 2
yX = (torch.rand(3, 10, generator=g) < 0.3).double()
yX[:, 0] = 1
cases += [
    case('dexml-soft-topk-loss', 'k 5, L 10, none', lambda s, y: dexml(s, y), [sX, yX], {'reduction': 'none'}),
    case('dexml-soft-topk-loss', 'k 2, tau 0.5, mean', lambda s, y: dexml(s, y, 2, 0.5).mean(), [sX, yX], {'k': 2, 'temperature': 0.5}),
]


# ---- expected-perturbation-score (EPS mean over draws, then the CHASE/DAN multi-RBF MMD) ---------------------------
def mmd(x, y, h=None, mul=2.0, num=1, unbiased=True):
    z = torch.cat([x, y])
    d2 = ((z[:, None] - z[None]) ** 2).sum(-1)
    n = z.shape[0]
    if h is None:
        h = (d2.sum() / (n * n - n)).detach()
    K = sum(torch.exp(-d2 / (h * mul ** (i - num // 2))) for i in range(num))
    m = x.shape[0]
    kxx, kyy, kxy = K[:m, :m], K[m:, m:], K[:m, m:]
    if unbiased:
        w = lambda k, s: (k.sum() - k.diagonal().sum()) / max(s * (s - 1), 1)
        return w(kxx, m) + w(kyy, n - m) - 2 * kxy.mean()
    return kxx.mean() + kyy.mean() - 2 * kxy.mean()


def eps_stat(a, b, **kw):
    return mmd(a.mean(1).reshape(a.shape[0], -1), b.mean(1).reshape(b.shape[0], -1), **kw)


sa, sb = rn(4, 3, 2, 2), rn(5, 3, 2, 2) + 0.3
cases += [
    case('expected-perturbation-score', 'bandwidth 2, unbiased', lambda a, b: eps_stat(a, b, h=2.0), [sa, sb], {'bandwidth': 2.0}),
    case('expected-perturbation-score', 'bandwidth 1, 3 kernels, biased', lambda a, b: eps_stat(a, b, h=1.0, num=3, unbiased=False), [sa, sb], {'bandwidth': 1.0, 'kernelNum': 3, 'unbiased': False}),
]


# ---- reparameterized-sparse-regression -----------------------------------------------------------------------------
def rsr(X, y, w, v, b=None):
    beta = w * w - v * v + (b if b is not None else 0)
    return ((X @ beta - y) ** 2).sum() / (2 * X.shape[0])


Xr, yr = rn(6, 4), rn(6)
cases += [
    case('reparameterized-sparse-regression', 'w^2 - v^2', rsr, [Xr, yr, rn(4) * 0.5, rn(4) * 0.5]),
    case('reparameterized-sparse-regression', 'with dense part b', rsr, [Xr, yr, rn(4) * 0.5, rn(4) * 0.5, rn(4) * 0.1]),
]

write('leftovers', cases)
