"""g1 entries (robust/noisy-label and imbalance/long-tail): RCAL, DRO self-training (RSS), WAD, DASO, DECO, SelMix,
SRAT and tail-activation enhancement, written from the papers / authors' code as plain per-sample loops in float64
(never from the TypeScript): the references for those entries. Quantities the definitions hold constant are
computed from detached copies, so their inputs get no gradient here either."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(19)
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


def labels(n, c):
    return torch.randint(0, c, (n,), generator=g)


def cos(a, b):
    return (a * b).sum() / (a.norm().clamp_min(1e-12) * b.norm().clamp_min(1e-12))


def ce_row(z, y):
    return -(z[y] - torch.logsumexp(z, 0))


def reduce(vals, reduction):
    v = torch.stack(vals)
    return {'none': v, 'sum': v.sum(), 'mean': v.mean()}[reduction]


# ---- DASO (ytaek-oh/daso daso_model.py) --------------------------------------------------------------------------
def daso_ref(zw, zs, hw, hs, protos, counts, t_proto=0.05, t_dist=1.5, thr=0.95, lam=1.0, reduction='mean'):
    n, c = zs.shape
    out = []
    for i in range(n):
        with torch.no_grad():
            q = torch.softmax(torch.stack([cos(hw[i], protos[k]) / t_proto for k in range(c)]), 0)
            p = torch.softmax(zw[i], 0)
            k = int(p.argmax())
            v = (counts[k] / counts.max()) ** (1.0 / t_dist)
            blend = (1 - v) * p + v * q
            yhat = int(blend.argmax())
            mask = 1.0 if float(blend.max()) >= thr else 0.0
        sim_s = torch.stack([cos(hs[i], protos[k].detach()) / t_proto for k in range(c)])
        align = -sum(q[k] * (sim_s[k] - torch.logsumexp(sim_s, 0)) for k in range(c))
        out.append(mask * ce_row(zs[i], yhat) + lam * align)
    return reduce(out, reduction)


n, c, d = 6, 4, 3
zw, zs, hw, hs, protos = rn(n, c, scale=3), rn(n, c, scale=2), rn(n, d), rn(n, d), rn(c, d)
counts = torch.tensor([40.0, 12.0, 3.0, 0.0])
cases += [
    case('daso', 'defaults', daso_ref, [zw, zs, hw, hs, protos, counts]),
    case('daso', 'threshold 0.5, T_dist 1, T_proto 0.1, lambda 0.5, sum',
         lambda *a: daso_ref(*a, t_proto=0.1, t_dist=1.0, thr=0.5, lam=0.5, reduction='sum'), [zw, zs, hw, hs, protos, counts],
         {'threshold': 0.5, 'tDist': 1, 'tProto': 0.1, 'lambdaAlign': 0.5, 'reduction': 'sum'}),
    case('daso', 'threshold 0 (every sample kept), none', lambda *a: daso_ref(*a, thr=0.0, reduction='none'),
         [zw, zs, hw, hs, protos, torch.tensor([1.0, 5.0, 2.0, 9.0])], {'threshold': 0, 'reduction': 'none'}),
]


# ---- SelMix (val-iisc/SelMix) ------------------------------------------------------------------------------------
def selmix_ref(h, hp, y, lam, w, b=None, reduction='mean'):
    out = []
    for i in range(len(y)):
        mixed = lam[i] * h[i] + (1 - lam[i]) * hp[i]
        z = torch.stack([(w[k] * mixed).sum() + (b[k] if b is not None else 0) for k in range(w.shape[0])])
        out.append(ce_row(z, int(y[i])))
    return reduce(out, reduction)


n, c, d = 5, 4, 3
h, hp, y, lam, w, b = rn(n, d), rn(n, d), labels(n, c), torch.rand(n, generator=g) * 0.4 + 0.6, rn(c, d), rn(c)
cases += [
    case('selmix', 'no bias', selmix_ref, [h, hp, y, lam, w]),
    case('selmix', 'with bias, none', lambda *a: selmix_ref(*a, reduction='none'), [h, hp, y, lam, w, b], {'reduction': 'none'}),
]


# ---- SRAT ------------------------------------------------------------------------------------------------------
def srat_ref(z, y, h, counts=None, lam=1.0, tau=0.1, reduction='mean'):
    n, c = z.shape
    inv = [1.0 / float(counts[k]) if counts is not None else 1.0 for k in range(c)]
    mean_inv = sum(inv) / c
    out = []
    for i in range(n):
        wi = inv[int(y[i])] / mean_inv
        s = {a: cos(h[i], h[a]) / tau for a in range(n) if a != i}
        pos = [a for a in s if y[a] == y[i]]
        if pos:
            sep = torch.logsumexp(torch.stack(list(s.values())), 0) - torch.logsumexp(torch.stack([s[a] for a in pos]), 0)
        else:
            sep = torch.zeros(())
        out.append(wi * ce_row(z[i], int(y[i])) + lam * sep)
    return reduce(out, reduction)


n, c, d = 7, 3, 4
z, y, h = rn(n, c, scale=2), torch.tensor([0, 1, 0, 2, 1, 0, 1]), rn(n, d)
cnt = torch.tensor([100.0, 20.0, 5.0])
cases += [
    case('srat', 'defaults (uniform weights)', srat_ref, [z, y, h]),
    case('srat', 'class counts, lambda 0.5, tau 0.5, none (class 2 has no positive)', lambda a, b_, c_: srat_ref(a, b_, c_, cnt, 0.5, 0.5, 'none'),
         [z, y, h], {'classCounts': cnt, 'lambda': 0.5, 'tau': 0.5, 'reduction': 'none'}),
]


# ---- RCAL ------------------------------------------------------------------------------------------------------
def rcal_ref(h, h0, y, w, hs, ys, b=None, lam=1.0):
    def logits(x):
        return torch.stack([(w[k] * x).sum() + (b[k] if b is not None else 0) for k in range(w.shape[0])])
    terms = [ce_row(logits(h[i]), int(y[i])) for i in range(len(y))] + [ce_row(logits(hs[m]), int(ys[m])) for m in range(len(ys))]
    reg = sum(((h[i] - h0[i].detach()) ** 2).sum() for i in range(len(y))) / len(y)
    return sum(terms) / len(terms) + lam * reg


n, m, c, d = 5, 3, 4, 3
h, h0, y, w, hs, ys, b = rn(n, d), rn(n, d), labels(n, c), rn(c, d), rn(m, d), torch.tensor([3, 3, 2]), rn(c)
cases += [
    case('rcal', 'defaults, no bias', rcal_ref, [h, h0, y, w, hs, ys]),
    case('rcal', 'bias, lambda 0.25', lambda *a: rcal_ref(*a, lam=0.25), [h, h0, y, w, hs, ys, b], {'lambda': 0.25}),
]


# ---- WAD -------------------------------------------------------------------------------------------------------
def wad_ref(z, y, zu, fu, protos, alpha=0.1, tau=0.5, priors=None):
    c = z.shape[1]
    pri = [float(priors[k]) / float(priors.sum()) if priors is not None else 1.0 / c for k in range(c)]
    lab = sum(ce_row(z[i], int(y[i])) for i in range(len(y))) / len(y)
    unl = 0
    for u in range(zu.shape[0]):
        with torch.no_grad():
            s = torch.stack([cos(fu[u], protos[k]) / tau for k in range(c)])
            pmi = [float(s[k] - torch.logsumexp(s, 0)) - math.log(pri[k]) for k in range(c)]
            yt = max(range(c), key=lambda k: pmi[k])
            wu = min(max(pmi[yt] / -math.log(pri[yt]), 0.0), 1.0)
        unl = unl + wu * ce_row(zu[u], yt)
    return lab + alpha * unl / zu.shape[0]


n, m, c, d = 4, 6, 3, 5
z, y, zu, fu, protos = rn(n, c, scale=2), labels(n, c), rn(m, c, scale=2), rn(m, d), rn(c, d)
fu[0] = protos[1] * 2 + 0.05 * rn(d)  # a confident known-class sample
pri = torch.tensor([0.6, 0.3, 0.1])
cases += [
    case('wad', 'defaults', wad_ref, [z, y, zu, fu, protos]),
    case('wad', 'priors, alpha 1, tau 0.2', lambda *a: wad_ref(*a, alpha=1.0, tau=0.2, priors=pri), [z, y, zu, fu, protos],
         {'classPriors': pri, 'alpha': 1, 'tau': 0.2}),
]


# ---- DRO self-training (deepmancer/rss-training-iclr2024) ---------------------------------------------------------
def rss_ref(z, y, sh, zu, zc, shu, lam=0.001, gamma=0.001, gamma_u=0.001):
    lab = sum(ce_row(z[i], int(y[i])) - gamma * (sh[i] ** 2).sum() for i in range(len(y))) / len(y)
    unl = sum(ce_row(zu[j], int(zc[j].detach().argmax())) - gamma_u * (shu[j] ** 2).sum() for j in range(zu.shape[0])) / zu.shape[0]
    return lab + lam * unl


n, m, c, d = 4, 5, 3, 6
args = [rn(n, c, scale=2), labels(n, c), rn(n, d, scale=0.5), rn(m, c, scale=2), rn(m, c, scale=2), rn(m, d, scale=0.5)]
cases += [
    case('dro-self-training', 'defaults (the authors\' 0.001s)', rss_ref, args),
    case('dro-self-training', 'lambda 0.7, gamma 0.3, gamma_ul 1.5', lambda *a: rss_ref(*a, lam=0.7, gamma=0.3, gamma_u=1.5), args,
         {'lambda': 0.7, 'gamma': 0.3, 'gammaUnlabeled': 1.5}),
]


# ---- DECO ------------------------------------------------------------------------------------------------------
def deco_ref(f, y, dom, protos, w, sa, sb, lam=0.5, beta=1.0, cap=1.0, reduction='mean'):
    n = len(y)
    nc = {int(k): int((y == k).sum()) for k in y}
    nd = {int(k): int((dom == k).sum()) for k in dom}
    raw = [1.0 / (nc[int(y[i])] * nd[int(dom[i])]) for i in range(n)]
    wts = [r * n / sum(raw) for r in raw]
    out = []
    for i in range(n):
        mixed = lam * f[i] + (1 - lam) * protos[int(y[i])].detach()
        z = torch.stack([(w[k] * mixed).sum() for k in range(w.shape[0])])
        al = sum(torch.clamp(1 - cos(sa[i, p], sb[i, p]), max=cap) for p in range(sa.shape[1])) / sa.shape[1]
        out.append(wts[i] * ce_row(z, int(y[i])) + beta * al)
    return reduce(out, reduction)


n, c, d, p, e = 6, 3, 4, 5, 3
f, y, dom, protos, w = rn(n, d), torch.tensor([0, 0, 1, 2, 0, 1]), torch.tensor([0, 1, 1, 0, 2, 1]), rn(c, d), rn(c, d)
sa, sb = rn(n, p, e), rn(n, p, e)
sb[0] = -sa[0] + 0.1 * rn(p, e)  # opposite maps: the cap binds
cases += [
    case('deco', 'defaults', deco_ref, [f, y, dom, protos, w, sa, sb]),
    case('deco', 'lam 0.8, beta 0.3, cap 0.6, none', lambda *a: deco_ref(*a, lam=0.8, beta=0.3, cap=0.6, reduction='none'),
         [f, y, dom, protos, w, sa, sb], {'lam': 0.8, 'alignWeight': 0.3, 'cap': 0.6, 'reduction': 'none'}),
]


# ---- tail-activation enhancement ---------------------------------------------------------------------------------
def tae_ref(a, counts=None, tau=1.0, center=None, reduction='none'):
    n, c = a.shape
    logp = [math.log(float(counts[k]) / float(counts.sum())) if counts is not None else -math.log(c) for k in range(c)]
    zs = [torch.stack([a[i, k] - tau * logp[k] for k in range(c)]) for i in range(n)]
    m = center if center is not None else sum(zs) / n
    return reduce([((zs[i] - m) ** 2).sum() for i in range(n)], reduction)


a = rn(5, 4, scale=2)
cnt = torch.tensor([500.0, 100.0, 20.0, 4.0])
cen = rn(4)
cases += [
    case('tail-activation-enhancement', 'defaults (uniform prior, batch centre)', tae_ref, [a]),
    case('tail-activation-enhancement', 'class counts, tau 0.5, given centre, mean',
         lambda x: tae_ref(x, cnt, 0.5, cen, 'mean'), [a], {'classCounts': cnt, 'tau': 0.5, 'center': cen, 'reduction': 'mean'}),
]

write('s19_robust_imbalance', cases)
