"""Imbalance / long-tail and multi-label objectives, each written independently from its paper, the catalog's
definition or the authors' released code (loops and torch's own functions where they exist): the references
for the 'imbalance/long-tail' and 'multi-label' entries. Run with Debian's /usr/bin/python3 (torch)."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(11)
N, C = 6, 4
x = torch.randn(N, C, generator=g) * 2
y = torch.tensor([0, 1, 3, 3, 2, 0])
counts = torch.tensor([500.0, 120.0, 30.0, 4.0])
big = torch.tensor([[1e4, -1e4, 0.0, 5e3], [-1e4, 1e4, 2.0, -3.0], [0.0, -1e4, 1e4, 1e4]])
ybig = torch.tensor([0, 2, 3])
mh = (torch.rand(N, C, generator=g) < 0.4).double()
mh[0, 0] = 1.0
mh[5] = 0.0  # a sample with no positive label
cases = []
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}


def cb_weights(n, beta):
    w = (1 - beta) / (1 - beta ** n)
    return w / w.sum() * len(n)


# ---- class-weighted-ce: F.cross_entropy(weight=) ------------------------------------------------
def cwce_ref(z, t, scheme='inverse-frequency', n=None, reduction='mean'):
    if n is None:
        w = torch.ones(z.shape[1])
    elif scheme == 'inverse-frequency':
        w = n.sum() / (len(n) * n)
    elif scheme == 'inverse-sqrt':
        w = 1 / torch.sqrt(n)
    elif scheme == 'median-frequency':
        w = torch.median(n) / n
    else:
        w = cb_weights(n, 0.9999)
    w = w / w.sum() * len(w)
    return F.cross_entropy(z, t, weight=w, reduction=reduction)


for scheme in ['inverse-frequency', 'inverse-sqrt', 'median-frequency', 'effective-number']:
    cases.append(case('class-weighted-ce', f'{scheme} weights, weighted mean', lambda z, t, s=scheme: cwce_ref(z, t, s, counts), [x, y],
                      {'classCounts': counts, 'weightScheme': scheme}))
cases.append(case('class-weighted-ce', 'inverse frequency, none', lambda z, t: cwce_ref(z, t, n=counts, reduction='none'), [x, y],
                  {'classCounts': counts, 'reduction': 'none'}))
cases.append(case('class-weighted-ce', 'logits of ±1e4', lambda z, t: cwce_ref(z, t, n=counts), [big, ybig], {'classCounts': counts}))


# ---- class-balanced-loss: Cui et al.'s code (weights per sample's class; sigmoid/focal on one-hot) ---
def cb_ref(z, t, n, beta=0.9999, base='softmax-ce', gamma=0.5, reduction='mean'):
    w = cb_weights(n, beta)
    oh = F.one_hot(t, z.shape[1]).double()
    ws = w[t]
    if base == 'softmax-ce':
        v = -(F.log_softmax(z, -1) * oh).sum(-1)
    else:
        bce = F.binary_cross_entropy_with_logits(z, oh, reduction='none')
        if base == 'focal':  # the code's modulator exp(−γ·y·z − γ·log(1 + exp(−z)))
            bce = torch.exp(-gamma * oh * z - gamma * torch.log1p(torch.exp(-z))) * bce
        v = bce.sum(-1)
    return RED[reduction](ws * v)


for base in ['softmax-ce', 'sigmoid-bce', 'focal']:
    cases.append(case('class-balanced-loss', f'{base}, β = 0.9999', lambda z, t, b=base: cb_ref(z, t, counts, base=b), [x, y],
                      {'classCounts': counts, 'baseLoss': base}))
cases.append(case('class-balanced-loss', 'softmax-ce, β = 0.99, none', lambda z, t: cb_ref(z, t, counts, beta=0.99, reduction='none'), [x, y],
                  {'classCounts': counts, 'beta': 0.99, 'reduction': 'none'}))
cases.append(case('class-balanced-loss', 'focal, γ = 2, sum', lambda z, t: cb_ref(z, t, counts, base='focal', gamma=2.0, reduction='sum'), [x, y],
                  {'classCounts': counts, 'baseLoss': 'focal', 'focalGamma': 2, 'reduction': 'sum'}))


# ---- focal: softmax form by definition; sigmoid form = torchvision.ops.sigmoid_focal_loss ---------
def focal_softmax_ref(z, t, gamma=2.0, w=None, reduction='mean'):
    lp = F.log_softmax(z, -1).gather(1, t[:, None])[:, 0]
    p = lp.exp()
    v = -(1 - p) ** gamma * lp
    if w is not None:
        v = v * w[t]
    return RED[reduction](v)


def focal_sigmoid_ref(z, t, alpha=0.25, gamma=2.0, reduction='mean'):
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, t, reduction='none')
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    return RED[reduction](loss)


soft = torch.rand(N, C, generator=g)
cases += [
    case('focal', 'softmax, γ = 2', focal_softmax_ref, [x, y]),
    case('focal', 'softmax, γ = 0.5, class weights, none', lambda z, t: focal_softmax_ref(z, t, 0.5, torch.tensor([0.25, 1.0, 2.0, 0.5]), 'none'), [x, y],
         {'gamma': 0.5, 'weight': torch.tensor([0.25, 1.0, 2.0, 0.5]), 'reduction': 'none'}),
    case('focal', 'sigmoid, binary targets', focal_sigmoid_ref, [x, mh]),
    case('focal', 'sigmoid, soft targets, α off, sum', lambda z, t: focal_sigmoid_ref(z, t, -1, 2.0, 'sum'), [x, soft], {'alpha': -1, 'reduction': 'sum'}),
]


# ---- ldam: the authors' LDAMLoss (margins C/n^{1/4}, max = m_max; s·(z − Δ onehot); F.cross_entropy) --
def ldam_ref(z, t, n, m_max=0.5, s=30.0, weight=None, reduction='mean'):
    m = 1.0 / torch.sqrt(torch.sqrt(n))
    m = m * (m_max / m.max())
    index = F.one_hot(t, z.shape[1]).bool()
    batch_m = m[t][:, None]
    out = torch.where(index, z - batch_m, z)
    return F.cross_entropy(s * out, t, weight=weight, reduction=reduction)


xc = torch.tanh(x)  # cosine-like logits
drw_w = cb_weights(counts, 0.9999)
cases += [
    case('ldam', 'counts, s = 30, m_max = 0.5', lambda z, t: ldam_ref(z, t, counts), [xc, y], {'classCounts': counts}),
    case('ldam', 'with DRW weights (weighted mean)', lambda z, t: ldam_ref(z, t, counts, weight=drw_w), [xc, y], {'classCounts': counts, 'weight': drw_w}),
    case('ldam', 's = 10, m_max = 0.3, none', lambda z, t: ldam_ref(z, t, counts, 0.3, 10.0, reduction='none'), [xc, y],
         {'classCounts': counts, 'mMax': 0.3, 's': 10, 'reduction': 'none'}),
]


# ---- logit-adjusted-loss / posthoc-logit-adjustment / vs-loss / sade -------------------------------
def la_ref(z, t, prior, tau=1.0, reduction='mean'):
    return F.cross_entropy(z + tau * torch.log(prior), t, reduction=reduction)


pri = counts / counts.sum()
cases += [
    case('logit-adjusted-loss', 'Balanced Softmax from counts (τ = 1)', lambda z, t: la_ref(z, t, pri), [x, y], {'classCounts': counts}),
    case('logit-adjusted-loss', 'priors, τ = 1.5, none', lambda z, t: la_ref(z, t, pri, 1.5, 'none'), [x, y], {'classPriors': pri, 'tau': 1.5, 'reduction': 'none'}),
    case('logit-adjusted-loss', 'logits of ±1e4', lambda z, t: la_ref(z, t, pri), [big, ybig], {'classCounts': counts}),
    case('posthoc-logit-adjustment', 'τ = 1 from counts', lambda z: z - torch.log(pri), [x], {'classCounts': counts}),
    case('posthoc-logit-adjustment', 'τ = 0.5 from priors', lambda z: z - 0.5 * torch.log(pri), [x], {'classPriors': pri, 'tau': 0.5}),
]


def vs_ref(z, t, n, gamma=0.2, tau=1.0, weight=None, reduction='mean'):
    delta = (n / n.max()) ** gamma
    iota = tau * torch.log(n / n.sum())
    return F.cross_entropy(z * delta + iota, t, weight=weight, reduction=reduction)


cases += [
    case('vs-loss', 'γ = 0.2, τ = 1', lambda z, t: vs_ref(z, t, counts), [x, y], {'classCounts': counts}),
    case('vs-loss', 'γ = 0.3, τ = 1.5, weights', lambda z, t: vs_ref(z, t, counts, 0.3, 1.5, drw_w), [x, y],
         {'classCounts': counts, 'gamma': 0.3, 'tau': 1.5, 'weight': drw_w}),
]

# SADE: the authors' inverse prior (sort, rank reversal) and three CEs.
counts_unsorted = torch.tensor([30.0, 500.0, 4.0, 120.0])


def sade_ref(v1, v2, v3, t, n, lam=2.0, reduction='mean'):
    prior = n / n.sum()
    value, idx0 = torch.sort(prior)
    _, idx1 = torch.sort(idx0)
    idx2 = prior.shape[0] - 1 - idx1
    inv = value.index_select(0, idx2)
    l1 = F.cross_entropy(v1, t, reduction='none')
    l2 = F.cross_entropy(v2 + torch.log(prior), t, reduction='none')
    l3 = F.cross_entropy(v3 + torch.log(prior) - lam * torch.log(inv), t, reduction='none')
    return RED[reduction](l1 + l2 + l3)


v2 = torch.randn(N, C, generator=g)
v3 = torch.randn(N, C, generator=g)
cases += [
    case('sade', 'λ = 2, unsorted counts', lambda a, b, c, t: sade_ref(a, b, c, t, counts_unsorted), [x, v2, v3, y], {'classCounts': counts_unsorted}),
    case('sade', 'λ = 1, none', lambda a, b, c, t: sade_ref(a, b, c, t, counts, 1.0, 'none'), [x, v2, v3, y], {'classCounts': counts, 'lam': 1, 'reduction': 'none'}),
]

# ---- drw: LDAM-DRW's train.py (betas = [0, 0.9999] switched at epoch 160) ---------------------------
cases += [
    case('drw', 'epoch 159: ones', lambda n: torch.ones_like(n), [counts], {'epoch': 159}, grad=False),
    case('drw', 'epoch 160: class-balanced', lambda n: cb_weights(n, 0.9999), [counts], {'epoch': 160}),
    case('drw', 'epoch 5, T0 = 5, β = 0.999', lambda n: cb_weights(n, 0.999), [counts], {'epoch': 5, 'deferEpoch': 5, 'beta': 0.999}),
]

# ---- bic-layer / lws / weight-aligning ------------------------------------------------------------
alpha_t, beta_t = torch.tensor(0.8), torch.tensor(-0.3)
cases += [
    case('bic-layer', '2 old classes, learnable α, β', lambda z, a, b: torch.cat([z[:, :2], a * z[:, 2:] + b], 1), [x, alpha_t, beta_t], {'numOld': 2}),
    case('bic-layer', 'all new, α = 1.5, β = 0.2 (numbers)', lambda z: 1.5 * z + 0.2, [x], {'alpha': 1.5, 'beta': 0.2}),
]
h = torch.randn(N, 3, generator=g)
W = torch.randn(C, 3, generator=g)
f = torch.rand(C, generator=g) + 0.5
cases.append(case('lws', 'f ⊙ (h Wᵀ)', lambda a, b, c: (a @ b.T) * c, [h, W, f]))
Wn = torch.randn(3, 5, generator=g) * 3
Wo = torch.randn(4, 5, generator=g)
cases.append(case('weight-aligning', 'γ = mean‖w_old‖ / mean‖w_new‖', lambda a, b: a * (b.norm(dim=1).mean() / a.norm(dim=1).mean()), [Wn, Wo]))

# ---- datasetequity-gfl: the official code's weights, summed ---------------------------------------
li = torch.rand(N, generator=g) * 2
pi_ = torch.tensor([0.0, 0.1, 0.5, 0.9, 1.0, 0.3])


def dse_ref(l, p, eta=1.0, gamma=5.0, reduction='sum'):
    w = (eta + (1 - p.detach()) ** gamma) / (eta + 1)
    return RED[reduction](w * l)


cases += [
    case('datasetequity-gfl', 'η = 1, γ = 5, sum', dse_ref, [li, pi_]),
    case('datasetequity-gfl', 'η = 0.3, γ = 2, mean', lambda l, p: dse_ref(l, p, 0.3, 2.0, 'mean'), [li, pi_], {'eta': 0.3, 'gamma': 2, 'reduction': 'mean'}),
]

# ---- density-normalized-edge-loss: per-edge loops -----------------------------------------------
M, R = 7, 4
el = torch.randn(M, R, generator=g)
elab = torch.tensor([0, 2, 0, 0, 1, 0, 3])
nl = torch.randn(3, 5, generator=g)
nlab = torch.tensor([4, 0, 2])


def dnorm_ref(logits, labels, nodes=None, nlabels=None, alpha=1.0, beta=1.0, gamma=1.0, variant='dnorm'):
    l = torch.stack([-F.log_softmax(logits[e], 0)[labels[e]] for e in range(len(labels))])
    fg = [e for e in range(len(labels)) if labels[e] > 0]
    bg = [e for e in range(len(labels)) if labels[e] == 0]
    mfg, mbg = max(len(fg), 1), max(len(bg), 1)
    sfg = sum(l[e] for e in fg) if fg else torch.tensor(0.0)
    sbg = sum(l[e] for e in bg) if bg else torch.tensor(0.0)
    if variant == 'baseline':
        edge = l.mean()
    elif variant == 'dnorm':
        edge = (alpha * sfg + beta * sbg) / mfg
    else:
        edge = alpha * sfg / mfg + beta * sbg / mbg
    if nodes is None:
        return gamma * edge
    return F.cross_entropy(nodes, nlabels) + gamma * edge


cases += [
    case('density-normalized-edge-loss', 'dnorm, edges only', dnorm_ref, [el, elab]),
    case('density-normalized-edge-loss', 'dnorm-fgbg with nodes, α = 2, β = 0.5, γ = 0.7',
         lambda a, b, c, d: dnorm_ref(a, b, c, d, 2.0, 0.5, 0.7, 'dnorm-fgbg'), [el, elab, nl, nlab],
         {'alpha': 2, 'beta': 0.5, 'gamma': 0.7, 'variant': 'dnorm-fgbg'}),
    case('density-normalized-edge-loss', 'baseline', lambda a, b: dnorm_ref(a, b, variant='baseline'), [el, elab], {'variant': 'baseline'}),
]


# ---- gumbel-optimized-loss: G = exp(−exp(−clamp(z))), BCE on G ------------------------------------
def gol_ref(z, t, lo=-4.0, hi=10.0, reduction='mean'):
    G = torch.exp(-torch.exp(-torch.clamp(z, lo, hi)))
    v = F.binary_cross_entropy(G, t, reduction='none').sum(-1)
    return RED[reduction](v)


cases += [
    case('gumbel-optimized-loss', 'multi-hot targets', gol_ref, [x, mh]),
    case('gumbel-optimized-loss', 'class indices, none', lambda z, t: gol_ref(z, F.one_hot(t, C).double(), reduction='none'), [x, y], {'reduction': 'none'}),
]


# ---- plasticc-weighted-logloss: the challenge's metric (per-class means of clipped log p) ---------
def plasticc_ref(z, t, w=None, clip=1e-15):
    p = torch.clamp(F.softmax(z, -1), clip, 1 - clip)
    k = z.shape[1]
    w = torch.ones(k) if w is None else w
    num, den = 0.0, 0.0
    for c in range(k):
        idx = (t == c)
        if idx.sum() == 0:
            continue
        num = num + w[c] * torch.log(p[idx, c]).mean()
        den = den + w[c]
    return -num / den


yp = torch.tensor([0, 0, 1, 1, 1, 3])  # class 2 absent
cases += [
    case('plasticc-weighted-logloss', 'unit weights, a class absent', plasticc_ref, [x, yp]),
    case('plasticc-weighted-logloss', 'class weights', lambda z, t: plasticc_ref(z, t, torch.tensor([1.0, 2.0, 1.0, 2.0])), [x, yp], {'weight': torch.tensor([1.0, 2.0, 1.0, 2.0])}),
]


# ---- asl: the authors' AsymmetricLoss (with and without the no-grad focusing weights) -------------
def asl_ref(z, t, gamma_neg=4, gamma_pos=0, clip=0.05, eps=1e-8, disable_grad=False, reduction='sum'):
    xs_pos = torch.sigmoid(z)
    xs_neg = 1 - xs_pos
    if clip is not None and clip > 0:
        xs_neg = (xs_neg + clip).clamp(max=1)
    los_pos = t * torch.log(xs_pos.clamp(min=eps))
    los_neg = (1 - t) * torch.log(xs_neg.clamp(min=eps))
    loss = los_pos + los_neg
    if gamma_neg > 0 or gamma_pos > 0:
        with torch.set_grad_enabled(not disable_grad):
            pt = xs_pos * t + xs_neg * (1 - t)
            one_sided_gamma = gamma_pos * t + gamma_neg * (1 - t)
            w = torch.pow(1 - pt, one_sided_gamma)
        loss = loss * w
    return RED[reduction](-loss)


cases += [
    case('asl', 'γ− = 4, γ+ = 0, m = 0.05 (sum)', lambda z, t: asl_ref(z, t, disable_grad=True), [x, mh]),
    case('asl', 'true gradient (detachFocusing off)', asl_ref, [x, mh], {'detachFocusing': False}),
    case('asl', 'detached focusing weights, γ+ = 1', lambda z, t: asl_ref(z, t, 4, 1, disable_grad=True), [x, mh], {'gammaPos': 1, 'detachFocusing': True}),
    case('asl', 'no clip, γ− = 2, none', lambda z, t: asl_ref(z, t, 2, 0, clip=0, reduction='none', disable_grad=True), [x, mh], {'gammaNeg': 2, 'clip': 0, 'reduction': 'none'}),
]


# ---- asl-single-label: the authors' ASLSingleLabel ------------------------------------------------
def asl_single_ref(z, t, gamma_pos=0, gamma_neg=4, eps=0.1, reduction='mean'):
    k = z.shape[-1]
    log_preds = F.log_softmax(z, -1)
    targets = torch.zeros_like(z).scatter_(1, t[:, None], 1)
    anti = 1 - targets
    xs_pos = torch.exp(log_preds) * targets
    xs_neg = (1 - torch.exp(log_preds)) * anti
    w = torch.pow(1 - xs_pos - xs_neg, gamma_pos * targets + gamma_neg * anti)
    lp = log_preds * w
    tc = targets * (1 - eps) + eps / k
    return RED[reduction]((-(tc * lp)).sum(-1))


cases += [
    case('asl-single-label', 'γ+ = 0, γ− = 4, ε = 0.1', asl_single_ref, [x, y]),
    case('asl-single-label', 'γ+ = 1, γ− = 2, ε = 0, none', lambda z, t: asl_single_ref(z, t, 1, 2, 0.0, 'none'), [x, y],
         {'gammaPos': 1, 'gammaNeg': 2, 'eps': 0, 'reduction': 'none'}),
]


# ---- spml-em-loss --------------------------------------------------------------------------------
def em_ref(z, s, alpha=0.1, reduction='mean'):
    q = torch.sigmoid(z)
    H = -(q * torch.log(q) + (1 - q) * torch.log(1 - q))
    v = (s * -torch.log(q) + (1 - s) * (-alpha * H)).mean(-1)
    return RED[reduction](v)


sp = torch.zeros(N, C)
sp[torch.arange(N), y] = 1.0
cases += [
    case('spml-em-loss', 'α = 0.1', em_ref, [x, sp]),
    case('spml-em-loss', 'α = 0.5, none', lambda z, s: em_ref(z, s, 0.5, 'none'), [x, sp], {'alpha': 0.5, 'reduction': 'none'}),
]


# ---- distribution-balanced-loss: the catalog's reading of the authors' ResampleLoss --------------
def db_ref(z, t, n, ntot, alpha=0.1, beta=10.0, mu=0.2, kappa=0.05, lam=2.0, reduction='mean'):
    rows = []
    for i in range(z.shape[0]):
        pI = sum(1.0 / n[c] for c in range(len(n)) if t[i, c] > 0)
        terms = []
        for c in range(len(n)):
            rh = 1.0 if pI == 0 else alpha + torch.sigmoid(beta * ((1.0 / n[c]) / pI - mu))
            p = n[c] / ntot
            zz = z[i, c] - kappa * torch.log(1 / p - 1)
            if t[i, c] > 0:
                terms.append(rh * F.softplus(-zz))
            else:
                terms.append(rh * F.softplus(lam * zz) / lam)
        rows.append(torch.stack(terms).mean())
    return RED[reduction](torch.stack(rows))


ml_counts = torch.tensor([300.0, 40.0, 90.0, 5.0])
cases += [
    case('distribution-balanced-loss', 'defaults, N_tot = 400', lambda z, t: db_ref(z, t, ml_counts, 400.0), [x, mh], {'classCounts': ml_counts, 'datasetSize': 400}),
    case('distribution-balanced-loss', 'μ = 0.3, λ = 5, none', lambda z, t: db_ref(z, t, ml_counts, 400.0, mu=0.3, lam=5.0, reduction='none'), [x, mh],
         {'classCounts': ml_counts, 'datasetSize': 400, 'mu': 0.3, 'lambda': 5, 'reduction': 'none'}),
]


# ---- decoupled-softmax: loops over positives ------------------------------------------------------
def dsm_ref(q, d, P, tau=0.05, reduction='mean'):
    s = q @ d.T / tau
    out = []
    for i in range(q.shape[0]):
        pos = [l for l in range(d.shape[0]) if P[i, l] > 0]
        neg = [l for l in range(d.shape[0]) if P[i, l] == 0]
        terms = []
        for l in pos:
            pool = torch.stack([s[i, l]] + [s[i, k] for k in neg])
            terms.append(s[i, l] - torch.logsumexp(pool, 0))
        out.append(-torch.stack(terms).mean())
    return RED[reduction](torch.stack(out))


qe = F.normalize(torch.randn(4, 3, generator=g), dim=1)
de = F.normalize(torch.randn(5, 3, generator=g), dim=1)
Pm = torch.tensor([[1.0, 0, 0, 1, 0], [0, 1, 0, 0, 0], [1, 1, 1, 0, 1], [1, 1, 1, 1, 1]])
cases += [
    case('decoupled-softmax', 'τ = 0.05, one row all positive', dsm_ref, [qe, de, Pm]),
    case('decoupled-softmax', 'τ = 0.5, none', lambda a, b, c: dsm_ref(a, b, c, 0.5, 'none'), [qe, de, Pm], {'tau': 0.5, 'reduction': 'none'}),
]


# ---- f1-threshold-selection: every candidate threshold tried with a loop --------------------------
def f1_ref(scores, t):
    out = []
    for k in range(scores.shape[1]):
        best, thr = -1.0, None
        P = t[:, k].sum().item()
        for th in sorted(set(scores[:, k].tolist()), reverse=True):
            pred = scores[:, k] >= th
            tp = (pred & (t[:, k] > 0)).sum().item()
            fp = (pred & (t[:, k] == 0)).sum().item()
            f1v = 2 * tp / (tp + fp + P)
            if f1v > best:
                best, thr = f1v, th
        out.append(thr)
    return torch.tensor(out)


sc = torch.tensor([[0.9, 0.2, 0.5], [0.8, 0.2, 0.1], [0.4, 0.7, 0.5], [0.3, 0.1, 0.5], [0.8, 0.6, 0.3], [0.1, 0.05, 0.2]])
ts = torch.tensor([[1.0, 0, 1], [0, 0, 0], [1, 1, 0], [0, 0, 1], [1, 1, 0], [0, 0, 0]])
cases.append(case('f1-threshold-selection', 'ties grouped', f1_ref, [sc, ts], grad=False))


# ---- multi-focal-modifier: the code form (class weight, γ− + w_c) ---------------------------------
def mfm_ref(z, t, n, gamma_pos=0.0, gamma_neg=4.0, clip=0.05, e=1 / 6, eps=1e-8, reduction='sum'):
    w = (1 - torch.log(n / n.max())) ** e
    p = torch.sigmoid(z)
    pm = (p - clip).clamp(min=0)
    pos = t * (1 - p) ** gamma_pos * torch.log(p.clamp(min=eps))
    neg = (1 - t) * pm ** (gamma_neg + w) * torch.log((1 - pm).clamp(min=eps))
    return RED[reduction](-(w * (pos + neg)))


cases += [
    case('multi-focal-modifier', 'class counts, defaults', lambda z, t: mfm_ref(z, t, ml_counts), [x, mh], {'classCounts': ml_counts}),
    case('multi-focal-modifier', 'γ+ = 1, mean', lambda z, t: mfm_ref(z, t, ml_counts, gamma_pos=1.0, reduction='mean'), [x, mh],
         {'classCounts': ml_counts, 'gammaPos': 1, 'reduction': 'mean'}),
]

# ---- ride-router: BCE with pos_weight -------------------------------------------------------------
rr = torch.randn(8, generator=g) * 2
rt = torch.tensor([1.0, 0, 0, 1, 0, 0, 0, 1])
cases += [
    case('ride-router', 'w1 = 100', lambda r, t: F.binary_cross_entropy_with_logits(r, t, pos_weight=torch.tensor(100.0)), [rr, rt]),
    case('ride-router', 'w1 = 5, none', lambda r, t: F.binary_cross_entropy_with_logits(r, t, pos_weight=torch.tensor(5.0), reduction='none'), [rr, rt],
         {'w1': 5, 'reduction': 'none'}),
]


# ---- vcb-loss -------------------------------------------------------------------------------------
def vcb_ref(xv, yv, npos, nneg, beta=0.999, reduction='mean'):
    wp = (1 - beta) / (1 - beta ** npos)
    wn = (1 - beta) / (1 - beta ** nneg)
    norm = (wp + wn) / 2
    wp, wn = wp / norm, wn / norm
    v = wp * yv * F.softplus(-xv) + wn * (1 - yv) * F.softplus(xv)
    return RED[reduction](v)


xv = torch.randn(3, 5, generator=g)
yv = (torch.rand(3, 5, generator=g) < 0.3).double()
npos = torch.tensor([10.0, 200.0, 3.0, 50.0, 1000.0])
nneg = torch.tensor([990.0, 800.0, 997.0, 950.0, 1.0])
cases.append(case('vcb-loss', 'per-vertex counts', lambda a, b: vcb_ref(a, b, npos, nneg), [xv, yv], {'positiveCounts': npos, 'negativeCounts': nneg}))

# ---- mdi-weights ----------------------------------------------------------------------------------
rho = torch.tensor([0.0, 0.2, 0.5, 0.9, 1.0, 0.35])
cases += [
    case('mdi-weights', 'c = 0, mean 1', lambda r: (1 - r) / (1 - r).mean(), [rho]),
    case('mdi-weights', 'c = 2, unnormalised', lambda r: (1 - r) / (1 + 2 * r), [rho], {'c': 2, 'normalize': False}),
]

# ---- backdoor-adjusted-prediction ---------------------------------------------------------------
zs = torch.randn(3, N, C, generator=g)
ps = torch.tensor([0.5, 0.3, 0.2])
cases += [
    case('backdoor-adjusted-prediction', 'uniform strata', lambda z: sum(F.softmax(z[s], -1) for s in range(3)) / 3, [zs]),
    case('backdoor-adjusted-prediction', 'strata priors', lambda z: sum(ps[s] * F.softmax(z[s], -1) for s in range(3)), [zs], {'strataPriors': ps}),
]


# ---- fracal ---------------------------------------------------------------------------------------
def fracal_ref(p, n, fd, lam=1.0, beta=1.0, form='softmax'):
    pi = n / n.sum()
    q = p / (pi ** lam * fd ** beta)
    return q / q.sum(-1, keepdim=True) if form == 'softmax' else q


pp = F.softmax(x, -1)
fd = torch.tensor([1.2, 1.8, 1.5, 1.9])
cases += [
    case('fracal', 'softmax form', lambda p: fracal_ref(p, counts, fd), [pp], {'classCounts': counts, 'fractalDimension': fd}),
    case('fracal', 'sigmoid form, λ = 0.5, β = 2', lambda p: fracal_ref(p, counts, fd, 0.5, 2.0, 'sigmoid'), [pp],
         {'classCounts': counts, 'fractalDimension': fd, 'lambda': 0.5, 'beta': 2, 'form': 'sigmoid'}),
]


# ---- utility-integrated-risk --------------------------------------------------------------------
def uir_ref(z, t, U=None, reduction='mean'):
    pbar = F.softmax(z, -1).mean(0)
    if U is None:
        U = torch.eye(z.shape[-1])
    v = -torch.log((U[t] * pbar).sum(-1))
    return RED[reduction](v)


Umat = torch.tensor([[1.0, 0.2, 0, 0], [0.1, 1, 0.3, 0], [0, 0, 1, 0.5], [0.2, 0, 0, 2]])
cases += [
    case('utility-integrated-risk', 'identity utility (ensemble NLL)', uir_ref, [zs, y]),
    case('utility-integrated-risk', 'utility matrix, none', lambda z, t: uir_ref(z, t, Umat, 'none'), [zs, y], {'utility': Umat, 'reduction': 'none'}),
]


# ---- amarx: margin CE by loops -------------------------------------------------------------------
def amarx_ref(hh, WW, t, v=1.0, reduction='mean'):
    z = hh @ WW.T
    out = []
    for i in range(hh.shape[0]):
        m = torch.stack([(v / 2) * ((WW[k] - WW[t[i]]) ** 2).sum() for k in range(WW.shape[0])])
        out.append(torch.logsumexp(z[i] + m, 0) - z[i, t[i]])
    return RED[reduction](torch.stack(out))


cases += [
    case('amarx', 'v = 1', amarx_ref, [h, W, y]),
    case('amarx', 'v = 0.3, none', lambda a, b, c: amarx_ref(a, b, c, 0.3, 'none'), [h, W, y], {'v': 0.3, 'reduction': 'none'}),
]


# ---- on-target-prior-estimation: Saerens et al.'s EM ----------------------------------------------
def em_prior_ref(p, src, iters):
    prior = src.clone()
    for _ in range(iters):
        post = p * (prior / src)
        post = post / post.sum(1, keepdim=True)
        prior = post.mean(0)
    return prior


psrc = F.softmax(torch.randn(10, C, generator=g) * 1.5, -1)
srcpri = torch.tensor([0.4, 0.3, 0.2, 0.1])
cases += [
    case('on-target-prior-estimation', 'uniform source prior, 100 iterations', lambda p: em_prior_ref(p, torch.full((C,), 1.0 / C), 100), [psrc]),
    case('on-target-prior-estimation', 'source prior, 5 iterations', lambda p: em_prior_ref(p, srcpri, 5), [psrc], {'sourcePriors': srcpri, 'emIters': 5}),
]

# ---- gfc-loss ------------------------------------------------------------------------------------
Gm = torch.tensor([0.2, 0.5, 1.0, 0.1])
cases.append(case('gfc-loss', 'gradient magnitudes', lambda z, t: (F.cross_entropy(z, t, reduction='none') * (Gm.mean() / Gm)[t]).mean(), [x, y],
                  {'gradientMagnitudes': Gm}))


# ---- ride-diversity: the authors' RIDELoss loop (LDAM or CE per expert, KL with per-class temperature) --
def ride_ref(z, t, n, lam=0.2, alpha=1.0, gamma=0.2, cls='ldam', s=30.0, m_max=0.5, weight=None, reduction='mean'):
    c = z.shape[-1]
    b = gamma * c * n / n.sum() + (1 - gamma)
    T = alpha * (b + 1 - b.max())
    Tm = T.mean()
    mean_logits = z.mean(0)
    qd = F.softmax(mean_logits / T, -1)
    total = 0
    for e in range(z.shape[0]):
        if cls == 'ldam':
            lc = ldam_ref(z[e], t, n, m_max, s, weight, 'none') if weight is None else \
                 -weight[t] * F.log_softmax(s * torch.where(F.one_hot(t, c).bool(), z[e] - (m_max * (n ** -0.25) / (n ** -0.25).max())[t][:, None], z[e]), -1).gather(1, t[:, None])[:, 0]
        else:
            lc = F.cross_entropy(z[e], t, reduction='none')
        kl = F.kl_div(F.log_softmax(z[e] / T, -1), qd, reduction='none').sum(-1)
        total = total + lc - lam * Tm * Tm * kl
    return RED[reduction](total)


ze = torch.randn(3, N, C, generator=g)
cases += [
    case('ride-diversity', 'LDAM experts, counts', lambda z, t: ride_ref(z, t, counts), [ze, y], {'classCounts': counts}),
    case('ride-diversity', 'CE experts, α = 1.5, none', lambda z, t: ride_ref(z, t, counts, alpha=1.5, cls='ce', reduction='none'), [ze, y],
         {'classCounts': counts, 'alpha': 1.5, 'clsLoss': 'ce', 'reduction': 'none'}),
]

# ---- dynamic-class-weighting -----------------------------------------------------------------------
Lk = torch.rand(C, generator=g)
f1s = torch.tensor([0.9, 0.5, 0.1, 0.0])


def dcw_ref(L, st, stat='f1', eps=1e-3):
    raw = 1 / (st + eps) if stat == 'f1' else st + eps
    w = raw / raw.sum() * len(raw)
    return (w * L).sum()


cases += [
    case('dynamic-class-weighting', 'F1 statistic', lambda L: dcw_ref(L, f1s), [Lk], {'classStats': f1s}),
    case('dynamic-class-weighting', 'loss statistic', lambda L: dcw_ref(L, f1s, 'loss'), [Lk], {'classStats': f1s, 'statistic': 'loss'}),
]


# ---- cse-loss ------------------------------------------------------------------------------------
def cse_ref(ff, tt, yy, n, ms=0.5, beta=0.9999, reduction='mean'):
    sim = F.normalize(ff, dim=1) @ F.normalize(tt, dim=1).T
    m = n ** -0.25
    m = ms * m / m.max()
    w = cb_weights(n, beta)
    v = (w * (yy * (1 - sim) + (1 - yy) * F.relu(sim - m))).sum(-1)
    return RED[reduction](v)


fe = torch.randn(N, 3, generator=g)
te = torch.randn(C, 3, generator=g)
cases += [
    case('cse-loss', 'counts, defaults', lambda a, b, yy: cse_ref(a, b, yy, ml_counts), [fe, te, mh], {'classCounts': ml_counts}),
    case('cse-loss', 'margin 0.2, β = 0.99, none', lambda a, b, yy: cse_ref(a, b, yy, ml_counts, 0.2, 0.99, 'none'), [fe, te, mh],
         {'classCounts': ml_counts, 'marginScale': 0.2, 'beta': 0.99, 'reduction': 'none'}),
]

# ---- spml-asymmetric-pseudo-label: thresholds on the detached scores -------------------------------
def apl_ref(z, s_, neg=0.3, pos=0.95, alpha=0.1, reduction='mean'):
    q = torch.sigmoid(z)
    qs = q.detach()
    un = 1 - s_
    pn = un * (qs < neg).double()
    pp = un * (qs > pos).double() * (qs >= neg).double()
    unk = un - pn - pp
    H = -(q * F.logsigmoid(z) + (1 - q) * F.logsigmoid(-z))
    v = (-(s_ + pp) * F.logsigmoid(z) - pn * F.logsigmoid(-z) - alpha * unk * H).mean(-1)
    return RED[reduction](v)


xa = torch.randn(N, C, generator=g) * 3
cases += [
    case('spml-asymmetric-pseudo-label', 'defaults', apl_ref, [xa, sp]),
    case('spml-asymmetric-pseudo-label', 'θ⁻ = 0.1, θ⁺ = 0.8, none', lambda z, s_: apl_ref(z, s_, 0.1, 0.8, reduction='none'), [xa, sp],
         {'negThreshold': 0.1, 'posThreshold': 0.8, 'reduction': 'none'}),
]

# Discrete targets ({0, 1} masks and multi-hot labels) are data, not parameters: their gradients are not compared.
DISCRETE_TARGETS = {'asl': [1], 'multi-focal-modifier': [1], 'distribution-balanced-loss': [1], 'spml-em-loss': [1],
                    'decoupled-softmax': [2], 'gumbel-optimized-loss': [1], 'f1-threshold-selection': [1],
                    'ride-router': [1], 'vcb-loss': [1], 'cse-loss': [2], 'spml-asymmetric-pseudo-label': [1]}
for rec in cases:
    if rec['grads']:
        for i in DISCRETE_TARGETS.get(rec['id'], []):
            rec['grads'][i] = None

if __name__ == '__main__':
    write('imbalance_multilabel', cases)
