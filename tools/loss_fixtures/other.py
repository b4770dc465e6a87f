"""'other' objectives, each written independently from its paper, the catalog's definition or the authors'
code (torch's own functions where they exist): the references for the 'other' entries."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(0)
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


# ---- mtt-trajectory-matching / intermediate-matching-loss (Cazenavette et al.; Shen et al.) -----------------
def mtt_ref(student, start, target):
    start, target = start.detach(), target.detach()
    return ((student - target) ** 2).sum() / ((start - target) ** 2).sum()


def intermediate_ref(student, start, targets, reduction='sum'):
    v = torch.stack([mtt_ref(student[n], start, targets[n]) for n in range(student.shape[0])])
    return RED[reduction](v)


P = 7
th0, thM = rn(P), rn(P)
cases += [
    case('mtt-trajectory-matching', 'flattened parameters', mtt_ref, [rn(P), th0, thM]),
    case('intermediate-matching-loss', 'three matched steps, sum', intermediate_ref, [rn(3, P), th0, rn(3, P)]),
    case('intermediate-matching-loss', 'none', intermediate_ref, [rn(2, P), th0, rn(2, P)], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- ccs-probe-loss (Burns et al. 2023) ---------------------------------------------------------------------
def ccs_ref(hp, hn, w, b=None, reduction='mean'):
    pp = torch.sigmoid(hp @ w + (0 if b is None else b))
    pn = torch.sigmoid(hn @ w + (0 if b is None else b))
    return RED[reduction]((pp - (1 - pn)) ** 2 + torch.min(pp, pn) ** 2)


N, D = 6, 4
cases += [
    case('ccs-probe-loss', 'with bias', ccs_ref, [rn(N, D), rn(N, D), rn(D), rn(())]),
    case('ccs-probe-loss', 'no bias, none', ccs_ref, [rn(N, D), rn(N, D), rn(D)], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- rectified-sigmoid-adaround (Nagel et al. 2020) ---------------------------------------------------------
def rect_ref(v, zeta=1.1, gamma=-0.1):
    return torch.clamp(torch.sigmoid(v) * (zeta - gamma) + gamma, 0, 1)


cases += [
    case('rectified-sigmoid-adaround', 'defaults (values in both clipped regions)', rect_ref, [torch.tensor([[-8.0, -0.5, 0.0], [0.3, 2.0, 9.0]])]),
    case('rectified-sigmoid-adaround', 'zeta = 1.2, gamma = -0.2', rect_ref, [rn(5, scale=2)], {'zeta': 1.2, 'gamma': -0.2}, {'zeta': 1.2, 'gamma': -0.2}),
]


# ---- ips-loss (Schnabel et al. 2016; Li et al. 2024) --------------------------------------------------------
def ips_ref(r_hat, r, o, p, propensity_clip=0.05, error='squared', reduction='mean'):
    e = (r_hat - r) ** 2 if error == 'squared' else F.binary_cross_entropy_with_logits(r_hat, r, reduction='none')
    return RED[reduction](o * e / torch.clamp(p.detach(), min=propensity_clip))


U, I = 4, 5
o = (torch.rand(U, I, generator=g) < 0.5).double()
p = torch.rand(U, I, generator=g)
p[0, 0] = 0.0
p[1, 2] = 0.01
cases += [
    case('ips-loss', 'squared error, clip 0.05', ips_ref, [rn(U, I), rn(U, I), o, p]),
    case('ips-loss', 'bce, clip 0.1, none', ips_ref, [rn(U, I, scale=2), torch.rand(U, I, generator=g), o, p],
         {'error': 'bce', 'propensityClip': 0.1, 'reduction': 'none'}, {'error': 'bce', 'propensity_clip': 0.1, 'reduction': 'none'}),
]


# ---- linear-cka (Kornblith et al. 2019: feature-space form) ------------------------------------------------
def cka_ref(x, y):
    # the kernel form: HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L)) with K = XXᵀ, L = YYᵀ, H the centring matrix
    n = x.shape[0]
    h = torch.eye(n) - torch.ones(n, n) / n
    k, l = h @ x @ x.T @ h, h @ y @ y.T @ h
    return (k * l).sum() / torch.sqrt((k * k).sum() * (l * l).sum())


xa = rn(8, 5)
cases += [
    case('linear-cka', 'random features', cka_ref, [xa, rn(8, 3)]),
    case('linear-cka', 'rotated and scaled copy gives 1', cka_ref, [xa, 3.0 * xa @ torch.linalg.qr(rn(5, 5))[0]], grad=False),
]


# ---- cdnv (Galanti et al. 2022) -----------------------------------------------------------------------------
def cdnv_ref(f, y):
    classes = sorted(set(y.tolist()))
    mu = {c: f[y == c].mean(0) for c in classes}
    var = {c: ((f[y == c] - mu[c]) ** 2).sum(1).mean() for c in classes}
    vals = [(var[i] + var[j]) / (2 * ((mu[i] - mu[j]) ** 2).sum()) for i in classes for j in classes if i != j]
    return torch.stack(vals).mean()


cases += [
    case('cdnv', 'three classes, one absent label', cdnv_ref, [rn(9, 3), torch.tensor([0, 0, 1, 3, 1, 3, 0, 1, 3])]),
]


# ---- false-head-rate ----------------------------------------------------------------------------------------
def fhr_ref(pred, y, head):
    tail = ~head[y]
    return ((tail & head[pred]).sum() / tail.sum()).float()


head = torch.tensor([True, True, False, False, False])
cases += [
    case('false-head-rate', '3 of 5 tail samples predicted head', fhr_ref,
         [torch.tensor([0, 2, 1, 3, 0, 4, 1]), torch.tensor([2, 2, 3, 3, 0, 4, 4]), head]),
]


# ---- frechet-distance (Heusel et al.; sqrtm of Σ1Σ2 through its complex eigenvalues) ------------------------
def fd_ref(x1, x2):
    mu1, mu2 = x1.mean(0), x2.mean(0)
    s1, s2 = torch.cov(x1.T), torch.cov(x2.T)
    ev = torch.linalg.eigvals(s1 @ s2)
    return ((mu1 - mu2) ** 2).sum() + torch.trace(s1) + torch.trace(s2) - 2 * torch.sqrt(ev).real.sum()


cases += [
    case('frechet-distance', 'full-rank covariances', fd_ref, [rn(12, 4), rn(10, 4) * 1.5 + 0.3], grad=False),
    case('frechet-distance', 'the same set gives 0', fd_ref, [xa, xa.clone()], grad=False),
]


# ---- gradient-matching-dc (Zhao et al. 2021, distance_wb) ---------------------------------------------------
def dc_ref(gs, gr, reduction='sum'):
    s, r = gs.reshape(gs.shape[0], -1), gr.reshape(gr.shape[0], -1)
    return RED[reduction](1 - torch.sum(s * r, -1) / (torch.norm(s, dim=-1) * torch.norm(r, dim=-1) + 0.000001))


cases += [
    case('gradient-matching-dc', 'conv weight gradient [O, I, h, w]', dc_ref, [rn(3, 2, 3, 3), rn(3, 2, 3, 3)]),
    case('gradient-matching-dc', 'linear weight gradient, none', dc_ref, [rn(4, 5), rn(4, 5)], {'reduction': 'none'}, {'reduction': 'none'}),
    case('dcc-contrastive-gradient-matching', 'the same distance on all-class gradients', dc_ref, [rn(4, 6), rn(4, 6)]),
]


# ---- prediction-error-classification (Zając et al. 2024) ----------------------------------------------------
def pec_ref(g_out, h, y, reduction='mean'):
    return RED[reduction](torch.stack([((g_out[i, y[i]] - h[i].detach()) ** 2).sum() for i in range(len(y))]))


cases += [
    case('prediction-error-classification', 'per-class students', pec_ref, [rn(5, 3, 4), rn(5, 4), torch.tensor([0, 2, 1, 2, 0])]),
]


# ---- recall-based-nondecomposable-metrics -------------------------------------------------------------------
def recall_ref(c, metric='min-recall', coverage_alpha=0.95):
    rec = torch.stack([c[k, k] / c[k].sum() for k in range(c.shape[0])])
    cov = c.sum(0) / c.sum()
    k = c.shape[0]
    return {
        'min-recall': rec.min(), 'mean-recall': rec.mean(), 'g-mean': torch.prod(rec) ** (1 / k),
        'h-mean': k / (1 / rec).sum(), 'min-coverage': cov.min(),
        'coverage-violation': torch.clamp(coverage_alpha / k - cov, min=0).max(),
    }[metric]


conf = torch.tensor([[30.0, 5, 5], [4, 12, 4], [1, 2, 7]])
for m in ['min-recall', 'mean-recall', 'g-mean', 'h-mean', 'min-coverage', 'coverage-violation']:
    cases.append(case('recall-based-nondecomposable-metrics', m, recall_ref, [conf], {'metric': m}, {'metric': m}))
cases.append(case('recall-based-nondecomposable-metrics', 'g-mean with a zero recall', recall_ref,
                  [torch.tensor([[3.0, 1.0], [2.0, 0.0]])], {'metric': 'g-mean'}, {'metric': 'g-mean'}, grad=False))


# ---- sade-test-time-aggregation (Zhang et al. 2022, test-time training code) --------------------------------
def sade_ref(v1, v2, omega, reduction='mean'):
    w = torch.softmax(omega, 0)
    p1 = torch.softmax(sum(w[e] * v1[e] for e in range(len(w))), 1)
    p2 = torch.softmax(sum(w[e] * v2[e] for e in range(len(w))), 1)
    return RED[reduction](-F.cosine_similarity(p1, p2, dim=1))


cases += [
    case('sade-test-time-aggregation', 'three experts', sade_ref, [rn(3, 5, 4, scale=2), rn(3, 5, 4, scale=2), rn(3)]),
    case('sade-test-time-aggregation', 'none', sade_ref, [rn(3, 2, 4), rn(3, 2, 4), rn(3)], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- test-time-style-shifting (Park et al. 2023; AdaIN) -----------------------------------------------------
def ttss_ref(f, smu, ssig, threshold=0.0, eps=1e-5):
    out = []
    for n in range(f.shape[0]):
        x = f[n]
        mu = x.mean((1, 2))
        sig = torch.sqrt(x.var((1, 2), unbiased=False) + eps)
        dist = torch.stack([torch.norm(mu.detach() - smu[d]) + torch.norm(sig.detach() - ssig[d]) for d in range(smu.shape[0])])
        d = int(dist.argmin())
        if dist[d] > threshold:
            x = ssig[d][:, None, None] * (x - mu[:, None, None]) / sig[:, None, None] + smu[d][:, None, None]
        out.append(x)
    return torch.stack(out)


feat = rn(3, 2, 3, 3) * torch.tensor([1.0, 4.0, 0.5])[:, None, None, None] + torch.tensor([0.0, 2.0, -1.0])[:, None, None, None]
smu, ssig = rn(2, 2) * 0.5, torch.rand(2, 2, generator=g) + 0.5
cases += [
    case('test-time-style-shifting', 'threshold 0: every sample shifted', ttss_ref, [feat, smu, ssig]),
    case('test-time-style-shifting', 'threshold 2: only far styles shifted', ttss_ref, [feat, smu, ssig], {'threshold': 2.0}, {'threshold': 2.0}),
]


# ---- neural-collapse-metrics (Papyan et al. 2020, their measurement code's formulas) ------------------------
def nc_ref(h, y, W, b=None, metric='nc1'):
    classes = sorted(set(y.tolist()))
    K = len(classes)
    M = torch.stack([h[y == c].mean(0) for c in classes])
    muG = M.mean(0)
    M_ = M - muG
    if metric == 'nc1':
        Sw = sum(torch.outer(h[i] - M[classes.index(int(y[i]))], h[i] - M[classes.index(int(y[i]))]) for i in range(len(y))) / len(y)
        Sb = M_.T @ M_ / K
        return torch.trace(Sw @ torch.linalg.pinv(Sb, rtol=1e-6, hermitian=True)) / K
    norms = torch.norm(M_, dim=1)
    cos = (M_ / norms[:, None]) @ (M_ / norms[:, None]).T
    off = ~torch.eye(K, dtype=torch.bool)
    if metric == 'nc2-equinorm':
        return norms.std() / norms.mean()
    if metric == 'nc2-equiangle':
        return cos[off].std()
    if metric == 'nc2-max-angle':
        return (cos[off] + 1 / (K - 1)).abs().mean()
    if metric == 'nc3':
        Wp = W[classes]
        return torch.norm(Wp / torch.norm(Wp) - M_ / torch.norm(M_))
    logits = h @ W.T + (0 if b is None else b)
    ncc = torch.tensor(classes)[torch.cdist(h, M).argmin(1)]
    return (logits.argmax(1) != ncc).double().mean()


hN, yN = rn(12, 5), torch.tensor([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 0])
hN = hN + 2 * rn(4, 5)[yN]
WN, bN = rn(5, 5), rn(5)
for m in ['nc1', 'nc2-equinorm', 'nc2-equiangle', 'nc2-max-angle', 'nc3', 'nc4']:
    cases.append(case('neural-collapse-metrics', m, nc_ref, [hN, yN, WN, bN], {'metric': m}, {'metric': m}, grad=False))


# ---- fetril-pseudo-features (Petit et al. 2023) ------------------------------------------------------------
def fetril_ref(W, b, f, y, mu, past):
    rows, labels = [f], list(y.tolist())
    new = sorted({c for c in y.tolist() if not past[c]})
    for c in range(len(past)):
        if not past[c]:
            continue
        sims = [F.cosine_similarity(mu[c].detach(), mu[n].detach(), dim=0) for n in new]
        n = new[int(torch.stack(sims).argmax())]
        rows.append(f[y == n] - mu[n] + mu[c])
        labels += [c] * int((y == n).sum())
    x = torch.cat(rows)
    return F.cross_entropy(x @ W.T + b, torch.tensor(labels))


cases += [
    case('fetril-pseudo-features', 'two past classes, two new', fetril_ref,
         [rn(4, 3), rn(4), rn(6, 3), torch.tensor([2, 3, 3, 2, 2, 3]), rn(4, 3), torch.tensor([True, True, False, False])]),
]


# ---- non-scaling-layernorm: F.layer_norm without weight -----------------------------------------------------
cases += [
    case('non-scaling-layernorm', 'with bias', lambda x, beta: F.layer_norm(x, (4,), None, beta, 1e-5), [rn(2, 3, 4), rn(4)]),
    case('non-scaling-layernorm', 'no bias, eps 1e-3', lambda x: F.layer_norm(x, (6,), None, None, 1e-3), [rn(3, 6) * 5], {'eps': 1e-3}),
]


# ---- opis (Zhang et al. 2024): torch.trapezoid of the variance across classes ------------------------------
def opis_ref(u, d):
    dev = ((u - u.mean(0)) ** 2).mean(0)
    return torch.trapezoid(dev, d) / (d[-1] - d[0])


cases += [
    case('opis', 'non-uniform grid', opis_ref, [torch.rand(4, 6, generator=g), torch.tensor([0.1, 0.2, 0.35, 0.5, 0.8, 1.0])]),
]


# ---- reject-option-surrogate (Mohri et al. 2024) ------------------------------------------------------------
def reject_ref(r, e, reject_cost=0.2, phi='logistic', a=1.0, b=1.0, reduction='mean'):
    Phi = (lambda t: torch.log2(1 + torch.exp(-t))) if phi == 'logistic' else (lambda t: torch.exp(-t))
    return RED[reduction](a * e * Phi(-r) + b * reject_cost * Phi(r))


ee = torch.tensor([1.0, 0, 0, 1, 0, 1])
cases += [
    case('reject-option-surrogate', 'logistic, defaults', reject_ref, [rn(6, scale=2), ee]),
    case('reject-option-surrogate', 'exponential, c = 0.4, a = 2, b = 0.5, none', reject_ref, [rn(6), ee],
         {'phi': 'exponential', 'rejectCost': 0.4, 'a': 2, 'b': 0.5, 'reduction': 'none'},
         {'phi': 'exponential', 'reject_cost': 0.4, 'a': 2.0, 'b': 0.5, 'reduction': 'none'}),
]


# ---- soft-histogram (triangular: linear interpolation between centres) -------------------------------------
def hist_ref(x, c, bin_width=None, kernel='triangular', eps=1e-8):
    c = c.detach()  # fixed bin centres
    w = bin_width if bin_width is not None else float(c[1] - c[0])
    u = (x[:, None] - c[None, :]) / w
    k = torch.clamp(1 - u.abs(), min=0) if kernel == 'triangular' else torch.exp(-u ** 2 / 2)
    h = k.sum(0)
    return h / (h.sum() + eps)


centres = torch.linspace(-2, 2, 9)
cases += [
    case('soft-histogram', 'triangular, spacing width', hist_ref, [rn(10), centres]),
    case('soft-histogram', 'gaussian, width 0.3', hist_ref, [rn(10), centres], {'kernel': 'gaussian', 'binWidth': 0.3}, {'kernel': 'gaussian', 'bin_width': 0.3}),
]


# ---- softmax-collapse-rate (Prieto et al. 2025): float64 softmax equal to 1 ---------------------------------
def sc_ref(z, y, rule='exact'):
    if rule == 'exact':
        return (torch.softmax(z, 1).gather(1, y[:, None]).squeeze(1) == 1).double().mean()
    other = z.scatter(1, y[:, None], float('-inf')).max(1).values
    return ((z.gather(1, y[:, None]).squeeze(1) - other) > torch.log(torch.tensor(1 / 2 ** -52))).double().mean()


zsc = torch.tensor([[100.0, 0.0, -3.0], [1.0, 2.0, 0.0], [0.0, 50.0, 0.0], [-5.0, 0.0, 60.0]])
ysc = torch.tensor([0, 1, 1, 2])
cases += [
    case('softmax-collapse-rate', 'exact, float64', sc_ref, [zsc, ysc], grad=False),
    case('softmax-collapse-rate', 'margin rule, float64 eps', sc_ref, [zsc, ysc], {'rule': 'margin'}, {'rule': 'margin'}, grad=False),
]


# ---- spectral-alignment-metric ----------------------------------------------------------------------------
def sa_ref(W, X, statistic='sign-diversity'):
    v1 = torch.linalg.svd(W)[2][0]
    a = X @ v1 / X.norm(dim=1)
    pos, neg = (a > 0).double().mean(), (a < 0).double().mean()
    if statistic == 'sign-diversity':
        return torch.minimum(pos, neg)
    if statistic == 'sign-entropy':
        return -(torch.special.xlogy(pos, pos) + torch.special.xlogy(neg, neg)) / torch.log(torch.tensor(2.0))
    return a.abs().mean()


Wsa, Xsa = rn(4, 5), rn(9, 5)
for st in ['sign-diversity', 'sign-entropy', 'mean-abs']:
    cases.append(case('spectral-alignment-metric', st, sa_ref, [Wsa, Xsa], {'statistic': st}, {'statistic': st}, grad=False))


# ---- conditional-transport-putm ----------------------------------------------------------------------------
def ct_ref(q, mu, pi, tau=1.0, cost='squared-euclidean'):
    C = torch.cdist(q, mu) ** 2 if cost == 'squared-euclidean' else 1 - F.cosine_similarity(q[:, None], mu[None], dim=-1)
    pf = torch.softmax(-C / tau + torch.log(pi)[None], 1)
    pb = torch.softmax(-C / tau, 0)
    return (pf * C).sum() / q.shape[0] + (pi * (pb * C).sum(0)).sum()


pri = torch.softmax(rn(3), 0)
cases += [
    case('conditional-transport-putm', 'squared Euclidean, tau 1', ct_ref, [rn(6, 4), rn(3, 4), pri]),
    case('conditional-transport-putm', 'cosine, tau 0.5', ct_ref, [rn(6, 4), rn(3, 4), pri], {'cost': 'cosine', 'tau': 0.5}, {'cost': 'cosine', 'tau': 0.5}),
]


# ---- balanced-split-information-gain ---------------------------------------------------------------------
def bsig_ref(z, y, mu=1.0):
    s = torch.sigmoid(z)
    def H(w):
        cnt = torch.stack([(w * (y == k)).sum() for k in sorted(set(y.tolist()))])
        p = cnt / cnt.sum()
        return -(p * torch.log(p)).sum()
    q = s.mean()
    ig = H(torch.ones_like(s)) - (q * H(s) + (1 - q) * H(1 - s))
    return -ig + mu * (q - 0.5) ** 2


cases += [
    case('balanced-split-information-gain', 'three classes, mu 1', bsig_ref, [rn(8, scale=2), torch.tensor([0, 1, 2, 2, 1, 0, 0, 2])]),
    case('balanced-split-information-gain', 'mu 5', bsig_ref, [rn(8), torch.tensor([0, 1, 1, 1, 0, 0, 1, 1])], {'mu': 5}, {'mu': 5.0}),
]


# ---- bn-prior-inversion (the catalog's squared form; BN statistics by F.batch_norm's training path) --------
def bn_ref(a, rm, rv, eps=1e-5):
    rm, rv = rm.detach(), rv.detach()  # the network's stored statistics are constants
    dims = [0] + list(range(2, a.dim()))
    mean = a.mean(dims)
    var = a.var(dims, unbiased=False)
    return ((mean - rm) ** 2).sum() + ((torch.sqrt(var + eps) - torch.sqrt(rv)) ** 2).sum()


cases += [
    case('bn-prior-inversion', 'conv activations [N, C, H, W]', bn_ref, [rn(3, 4, 2, 3) * 2 + 1, rn(4), torch.rand(4, generator=g) + 0.5]),
]


# ---- convex-hull-adaptive-shift ---------------------------------------------------------------------------
def chase_ref(x, logits):
    w = torch.softmax(logits, 1)
    o = torch.einsum('np,np...->n...', w, x)
    return x - o[:, None]


cases += [
    case('convex-hull-adaptive-shift', 'points [N, P, T, 3]', chase_ref, [rn(2, 5, 3, 3), rn(2, 5)]),
]


# ---- mask-prediction-bce-pruning (FTWT): sort + cumsum targets -------------------------------------------
def ftwt_ref(logits, mass, mass_threshold=0.9, reduction='mean'):
    m = torch.zeros_like(mass)
    for i in range(mass.shape[0]):
        v, idx = torch.sort(mass[i], descending=True)
        cum = torch.cumsum(v, 0)
        k = int((cum < mass_threshold * v.sum()).sum()) + 1
        m[i, idx[:k]] = 1
    return RED[reduction](F.binary_cross_entropy_with_logits(logits, m, reduction='none'))


mass = torch.rand(3, 6, generator=g) ** 3
cases += [
    case('mask-prediction-bce-pruning', 'threshold 0.9', ftwt_ref, [rn(3, 6, scale=2), mass]),
    case('mask-prediction-bce-pruning', 'threshold 0.5, none', ftwt_ref, [rn(3, 6), mass], {'massThreshold': 0.5, 'reduction': 'none'}, {'mass_threshold': 0.5, 'reduction': 'none'}),
]


# ---- multilayer-rate-distortion (CompressAI's RateDistortionLoss form, per image) ------------------------
def rd_ref(lik, xhat, x, lam=0.01, reduction='mean'):
    n, _, H, W = x.shape
    bpp = torch.log(lik.clamp(min=1e-9)).reshape(n, -1).sum(1) / (-math.log(2) * H * W)
    return RED[reduction](bpp + lam * ((xhat - x) ** 2).reshape(n, -1).mean(1))


lik = torch.rand(2, 4, 2, 2, generator=g)
lik[0, 0, 0, 0] = 0.0
cases += [
    case('multilayer-rate-distortion', 'lambda 0.01, a zero likelihood', rd_ref, [lik, rn(2, 3, 4, 4), rn(2, 3, 4, 4)]),
    case('multilayer-rate-distortion', 'lambda 0.1, none', rd_ref, [lik, rn(2, 3, 4, 4), rn(2, 3, 4, 4)], {'lambda': 0.1, 'reduction': 'none'}, {'lam': 0.1, 'reduction': 'none'}),
]


# ---- dualistic-meta-learning: the first-order MLDG expansion L_A + L_B − α⟨g_A, g_B⟩ (Li et al. 2018) --------
def mldg_first_order(la, lb, ga, gb, alpha=0.01):
    return la + lb - alpha * (ga * gb).sum()


cases += [
    case('dualistic-meta-learning', 'alpha 0.01', mldg_first_order, [torch.tensor(1.3), torch.tensor(0.7), rn(6), rn(6)]),
    case('dualistic-meta-learning', 'alpha 0.5', mldg_first_order, [torch.tensor(0.2), torch.tensor(2.0), rn(6), rn(6)], {'alpha': 0.5}, {'alpha': 0.5}),
]

write('other', cases)
