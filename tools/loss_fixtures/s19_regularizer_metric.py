"""Group g2 (set 19): regularizers and metric-learning entries, written independently from the papers, the authors'
released code where it exists and the catalog, as plain per-sample / per-pair loops in float64."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(19)
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


# ---- order-preserving consistency: −H(softmax) of the residual logits, per sample ---------------------------------
def ocr_ref(z, za, lam=0.5, reduction='mean'):
    out = []
    for i in range(z.shape[0]):
        r = [(za[i, c] - lam * z[i, c]) / (1 - lam) for c in range(z.shape[1])]
        m = max(float(v) for v in r)
        zsum = sum(torch.exp(v - m) for v in r)
        out.append(sum(torch.exp(v - m) / zsum * (v - m - torch.log(zsum)) for v in r))
    v = torch.stack(out)
    return {'mean': v.mean(), 'sum': v.sum(), 'none': v}[reduction]


z, za = rn(5, 4, scale=2.0), rn(5, 4, scale=2.0)
cases += [
    case('order-preserving-consistency', 'defaults (lambda 0.5)', ocr_ref, [z, za]),
    case('order-preserving-consistency', 'lambda 0.2, none', lambda a, b: ocr_ref(a, b, 0.2, 'none'), [z, za], {'lambda': 0.2, 'reduction': 'none'}),
    case('order-preserving-consistency', 'lambda 0, sum', lambda a, b: ocr_ref(a, b, 0.0, 'sum'), [z, za], {'lambda': 0, 'reduction': 'sum'}),
]


# ---- range-partition entropy: soft ball partition, entropy of the masses ------------------------------------------
def rpe_ref(x, c, alpha=1.0):
    n, k = x.shape[0], c.shape[0]
    mass = [0.0] * k
    for i in range(n):
        s = [-sum((x[i, d] - c[j, d]) ** 2 for d in range(x.shape[1])) / alpha for j in range(k)]
        m = max(float(v) for v in s)
        zs = sum(torch.exp(v - m) for v in s)
        for j in range(k):
            mass[j] = mass[j] + torch.exp(s[j] - m) / zs / n
    return -sum(p * torch.log(p) for p in mass)


x, c = rn(7, 2), rn(3, 2)
cases += [
    case('range-partition-entropy', 'defaults (alpha 1)', rpe_ref, [x, c]),
    case('range-partition-entropy', 'alpha 0.3', lambda a, b: rpe_ref(a, b, 0.3), [x, c], {'alpha': 0.3}),
    case('range-partition-entropy', 'alpha 5, 4 centres in 3-D', lambda a, b: rpe_ref(a, b, 5.0), [rn(6, 3), rn(4, 3)], {'alpha': 5}),
]


# ---- weight conditioning: polynomial conditioner on the Frobenius-normalised weight -------------------------------
def wc_ref(w, steps=1):
    shape = w.shape
    m = w.reshape(shape[0], -1)
    s = torch.sqrt((m ** 2).sum())
    v = m / s
    for _ in range(steps):
        p = 1.5 * torch.eye(v.shape[0]) - 0.5 * v @ v.t()
        v = p @ v
    return (v * s).reshape(shape)


def wc_check_narrowing():
    # the conditioner's purpose, checked here once: the singular-value ratio shrinks
    w = rn(4, 6)
    sv0 = torch.linalg.svdvals(w)
    sv1 = torch.linalg.svdvals(wc_ref(w))
    assert sv1.max() / sv1.min() < sv0.max() / sv0.min()


wc_check_narrowing()
cases += [
    case('weight-conditioning', 'defaults (1 step), 4 x 6', wc_ref, [rn(4, 6)]),
    case('weight-conditioning', '3 steps, 5 x 3', lambda a: wc_ref(a, 3), [rn(5, 3, scale=2.0)], {'steps': 3}),
    case('weight-conditioning', 'conv weight 3 x 2 x 2 x 2, 2 steps', lambda a: wc_ref(a, 2), [rn(3, 2, 2, 2)], {'steps': 2}),
]


# ---- hyperspherical latent constraint: normalized-softmax CE + mu (||x|| - r)^2 ---------------------------------
def hlc_ref(x, y, w, T=0.05, mu=1.0, r=1.0, reduction='mean'):
    out = []
    for i in range(x.shape[0]):
        xn = x[i] / torch.sqrt((x[i] ** 2).sum())
        logits = [torch.dot(xn, w[k] / torch.sqrt((w[k] ** 2).sum())) / T for k in range(w.shape[0])]
        m = max(float(v) for v in logits)
        lse = m + torch.log(sum(torch.exp(v - m) for v in logits))
        out.append(lse - logits[int(y[i])] + mu * (torch.sqrt((x[i] ** 2).sum()) - r) ** 2)
    v = torch.stack(out)
    return {'mean': v.mean(), 'sum': v.sum(), 'none': v}[reduction]


x, y, w = rn(6, 4, scale=1.5), torch.tensor([0, 3, 4, 1, 1, 3]), rn(5, 4)
cases += [
    case('hyperspherical-latent-constraint', 'defaults', hlc_ref, [x, y, w]),
    case('hyperspherical-latent-constraint', 'T 0.5, mu 0.1, radius 2, none', lambda a, b, c: hlc_ref(a, b, c, 0.5, 0.1, 2.0, 'none'), [x, y, w],
         {'T': 0.5, 'mu': 0.1, 'radius': 2, 'reduction': 'none'}),
]


# ---- ICNN: the authors' modified score, as explicit per-row loops -------------------------------------------------
def icnn_ref(x, y, k=4, ipc=None):
    n = x.shape[0]
    eps = 1e-7
    lowered = k + 2 >= n
    if lowered:
        k = n - 2
    m = min(ipc if ipc is not None else k + 1, n - 1)
    cols = min(k, m)
    dist = [[torch.sqrt(((x[i] - x[j]) ** 2).sum() + 1e-6) for j in range(n)] for i in range(n)]
    nbrs = [sorted([j for j in range(n) if j != i], key=lambda j: (float(dist[i][j]), j))[:m] for i in range(n)]
    sc_rows, dc_rows, sc_counts, dc_counts = [], [], [], []
    dc_all = []
    for i in range(n):
        same = [int(y[j]) == int(y[i]) for j in nbrs[i]]
        others = [dist[i][j] for j, s in zip(nbrs[i], same) if not s]
        delta = others[0] if others else None
        nd = [(dist[i][j] / (delta + eps) if delta is not None else dist[i][j] * 0) for j in nbrs[i][:cols]]
        top = max([1.0] + [float(v) for v in nd])
        top_t = [v for v in nd if float(v) == top]
        denom = top_t[0] if top > 1.0 else 1.0
        nd = [v / denom for v in nd]
        sc = [v for v, s in zip(nd, same[:cols]) if s]
        sc_counts.append(len(sc))
        sc_rows.append(sum(sc) / (len(sc) + eps) if sc else torch.tensor(0.0))
        dcs = [dist[i][j] for j, s in zip(nbrs[i][:cols], same[:cols]) if not s]
        dc_counts.append(len(dcs))
        dc_rows.append(dcs)
        dc_all += dcs
    nz_sc = sum(1 for c in sc_counts if c > 0)
    lam_sc = 1 - sum(sc_rows) / (nz_sc + eps)
    nz_dc = sum(1 for c in dc_counts if c > 0)
    if nz_dc == 0:
        lam_dc = torch.tensor(1.0)
    else:
        mx = dc_all[max(range(len(dc_all)), key=lambda t: float(dc_all[t]))]
        lam_dc = sum(sum(v / (mx + eps) for v in r) / (len(r) + eps) for r in dc_rows if r) / (nz_dc + eps)
    gamma = 1.0 if lowered else sum(sc_counts) / k / n
    score = ((lam_sc + lam_dc) / 2 + gamma) / 2
    return -torch.log(score)


xe = rn(10, 3)
ye = torch.tensor([0, 0, 1, 1, 2, 2, 0, 1, 2, 0])
cases += [
    case('icnn', 'defaults (k 4), 10 points, 3 classes', icnn_ref, [xe, ye]),
    case('icnn', 'k 2, ipc 6', lambda a, b: icnn_ref(a, b, 2, 6), [xe, ye], {'k': 2, 'ipc': 6}),
    case('icnn', 'k lowered to N - 2 (N 5)', lambda a, b: icnn_ref(a, b, 4), [rn(5, 2), torch.tensor([1, 0, 1, 0, 1])]),
    case('icnn', 'k 3, clustered classes', lambda a, b: icnn_ref(a, b, 3), [torch.cat([rn(4, 2) * 0.2, rn(4, 2) * 0.2 + 3]), torch.tensor([0, 0, 0, 0, 1, 1, 1, 1])], {'k': 3}),
]


# ---- Metrix: contrastive base loss + the mixed positive/negative terms, by explicit pair / triplet loops ------------
def nz_mean(vals):
    pos = [v for v in vals if float(v) > 0]
    return sum(vals) / len(pos) if pos else torch.tensor(0.0)


def metrix_ref(x, y, lam, w=0.4, mp=0.0, mn=0.5):
    n = x.shape[0]
    u = [x[i] / torch.sqrt((x[i] ** 2).sum()) for i in range(n)]
    dist = lambda a, b: torch.sqrt(((a - b) ** 2).sum())
    pos, neg, mpos, mneg = [], [], [], []
    for a in range(n):
        for j in range(n):
            if j == a:
                continue
            if int(y[j]) == int(y[a]):
                pos.append(torch.relu(dist(u[a], u[j]) - mp))
            else:
                neg.append(torch.relu(mn - dist(u[a], u[j])))
        for p in range(n):
            if p == a or int(y[p]) != int(y[a]):
                continue
            for q in range(n):
                if int(y[q]) == int(y[a]):
                    continue
                mix = lam * x[p] + (1 - lam) * x[q]
                d = dist(u[a], mix / torch.sqrt((mix ** 2).sum()))
                mpos.append(lam * torch.relu(d - mp))
                mneg.append((1 - lam) * torch.relu(mn - d))
    clean = nz_mean(pos) + nz_mean(neg)
    return clean + w * (nz_mean(mpos) + nz_mean(mneg))


xm, ym = rn(6, 3), torch.tensor([0, 1, 0, 2, 1, 0])
cases += [
    case('metrix', 'lambda 0.3, defaults otherwise', lambda a, b: metrix_ref(a, b, 0.3), [xm, ym], {'lambda': 0.3}),
    case('metrix', 'lambda 0.8, w 1, margins 0.2 / 1.2', lambda a, b: metrix_ref(a, b, 0.8, 1.0, 0.2, 1.2), [xm, ym],
         {'lambda': 0.8, 'w': 1, 'posMargin': 0.2, 'negMargin': 1.2}),
    case('metrix', 'lambda 0.5, no positives pairs for one class', lambda a, b: metrix_ref(a, b, 0.5), [rn(5, 4), torch.tensor([3, 3, 1, 2, 3])], {'lambda': 0.5}),
]


# ---- Immunity: soft-histogram MI over expert pairs + centroid shift, by explicit loops ----------------------------
def immunity_ref(h, ha, bins=8, sigma=0.1, beta=1.0, reduction='mean'):
    n, e, hh, ww = h.shape
    cs = [(b + 0.5) / bins for b in range(bins)]
    out = []
    for s in range(n):
        soft = []
        for k in range(e):
            rows = []
            for i in range(hh):
                for j in range(ww):
                    logits = [-(h[s, k, i, j] - c) ** 2 / (2 * sigma ** 2) for c in cs]
                    m = max(float(v) for v in logits)
                    z = sum(torch.exp(v - m) for v in logits)
                    rows.append([torch.exp(v - m) / z for v in logits])
            soft.append(rows)
        npx = hh * ww
        marg = [[sum(soft[k][p][b] for p in range(npx)) / npx for b in range(bins)] for k in range(e)]
        mis = []
        for k in range(e):
            for l in range(k + 1, e):
                mi = 0
                for b in range(bins):
                    for c in range(bins):
                        pj = sum(soft[k][p][b] * soft[l][p][c] for p in range(npx)) / npx
                        mi = mi + pj * (torch.log(pj) - torch.log(marg[k][b]) - torch.log(marg[l][c]))
                mis.append(mi)
        loss = sum(mis) / len(mis) if mis else torch.tensor(0.0)

        def centroid(t, k):
            mass = sum(t[s, k, i, j] for i in range(hh) for j in range(ww)) + 1e-8
            r = sum(t[s, k, i, j] * (i / max(hh - 1, 1)) for i in range(hh) for j in range(ww)) / mass
            c = sum(t[s, k, i, j] * (j / max(ww - 1, 1)) for i in range(hh) for j in range(ww)) / mass
            return r, c
        shift = 0
        for k in range(e):
            r0, c0 = centroid(h, k)
            r1, c1 = centroid(ha, k)
            shift = shift + ((r0 - r1) ** 2 + (c0 - c1) ** 2) / e
        out.append(loss + beta * shift)
    v = torch.stack(out)
    return {'mean': v.mean(), 'sum': v.sum(), 'none': v}[reduction]


hm, hma = torch.rand(2, 3, 3, 4, generator=g), torch.rand(2, 3, 3, 4, generator=g)
cases += [
    case('immunity-moe-heatmap-losses', 'defaults (8 bins, sigma 0.1)', immunity_ref, [hm, hma]),
    case('immunity-moe-heatmap-losses', '4 bins, sigma 0.3, beta 2, none', lambda a, b: immunity_ref(a, b, 4, 0.3, 2.0, 'none'), [hm, hma],
         {'bins': 4, 'sigma': 0.3, 'beta': 2, 'reduction': 'none'}),
]


# ---- expert clipping + gradient penalty: clipped loss (constant factor) + lambda ||grad||^2, exact second order ------
def expert_ref(w, h, y, clip=1.0, lam=0.1):
    base = sum(-torch.log_softmax(h[i] @ w.t(), 0)[int(y[i])] for i in range(h.shape[0])) / h.shape[0]
    (gr,) = torch.autograd.grad(base, [w], create_graph=True)
    sq = (gr ** 2).sum()
    norm = float(torch.sqrt(sq))
    scale = clip / max(norm, clip)
    return base * scale + lam * sq


We, he, yexp = rn(3, 4), rn(6, 4, scale=1.5), torch.tensor([0, 2, 1, 1, 0, 2])
cases += [
    case('expert-clipping-gradient-penalty', 'defaults (clip 1, lambda 0.1)', expert_ref, [We, he, yexp]),
    case('expert-clipping-gradient-penalty', 'clip 0.05 (active), lambda 1', lambda a, b, c: expert_ref(a, b, c, 0.05, 1.0), [We, he, yexp], {'clip': 0.05, 'lambda': 1}),
    case('expert-clipping-gradient-penalty', 'clip 100 (inactive), lambda 0', lambda a, b, c: expert_ref(a, b, c, 100.0, 0.0), [We, he, yexp], {'clip': 100, 'lambda': 0}),
]

if __name__ == '__main__':
    write('s19_regularizer_metric', cases)
