"""Regression and distribution objectives ('regression/distribution'), each written independently from its paper,
the catalog's definition or the authors' code (torch's own functions where they exist): plain PyTorch float64."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(0)
N = 6
yhat = torch.randn(N, generator=g)
y = torch.randn(N, generator=g)
yhat2 = torch.randn(3, 4, generator=g)
y2 = torch.randn(3, 4, generator=g)
ypos = torch.rand(N, generator=g) * 3 + 0.2
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []

# ---- aliases of the PyTorch losses: the catalog's ids reach F.* -------------------------------------------
cases += [
    case('mse', 'F.mse_loss', lambda a, b: F.mse_loss(a, b), [yhat2, y2]),
    case('l1-mae', 'F.l1_loss', lambda a, b: F.l1_loss(a, b), [yhat2, y2]),
    case('huber', 'F.huber_loss delta = 0.5', lambda a, b: F.huber_loss(a, b, delta=0.5), [yhat2 * 2, y2], {'delta': 0.5}),
    case('smooth-l1', 'F.smooth_l1_loss beta = 0.5, none', lambda a, b: F.smooth_l1_loss(a, b, beta=0.5, reduction='none'), [yhat2 * 2, y2], {'beta': 0.5, 'reduction': 'none'}),
    case('kl-divergence', "F.kl_div batchmean", lambda a, b: F.kl_div(a, b, reduction='batchmean'), [F.log_softmax(yhat2, 1), F.softmax(y2, 1)], {'reduction': 'batchmean'}),
    case('gaussian-nll', 'F.gaussian_nll_loss', lambda a, b, v: F.gaussian_nll_loss(a, b, v), [yhat2, y2, torch.rand(3, 4, generator=g) + 0.1]),
    case('poisson-nll', 'F.poisson_nll_loss (log input)', lambda a, b: F.poisson_nll_loss(a, b), [yhat2, torch.poisson(torch.ones(3, 4) * 2, generator=g)]),
]

# ---- elementwise regression losses --------------------------------------------------------------------------
def log_cosh(a, b, reduction='mean'):
    return RED[reduction](torch.log(torch.cosh(a - b)))


def pinball(a, b, q=0.5, reduction='mean'):
    d = b - a
    return RED[reduction](torch.where(d >= 0, q * d, (q - 1) * d))


def mape(a, b, eps=1e-8, percent=True, reduction='mean'):
    return RED[reduction](torch.abs((b - a) / (b + eps)) * (100 if percent else 1))


def mbe(a, b, reduction='mean'):
    return RED[reduction](b - a)


def msle(a, b, reduction='mean'):
    return RED[reduction]((torch.log1p(b) - torch.log1p(torch.clamp(a, min=0))) ** 2)


cases += [
    case('log-cosh', 'mean', log_cosh, [yhat2 * 3, y2]),
    case('log-cosh', 'none, large residuals (stable form)', lambda a, b: torch.abs(a - b) + F.softplus(-2 * torch.abs(a - b)) - math.log(2), [torch.tensor([800.0, -900.0, 0.3]), torch.tensor([0.0, 0.0, 0.1])], {'reduction': 'none'}),
    case('quantile-pinball', 'q = 0.5', pinball, [yhat2, y2]),
    case('quantile-pinball', 'q = 0.9, none', lambda a, b: pinball(a, b, 0.9, 'none'), [yhat2, y2], {'q': 0.9, 'reduction': 'none'}),
    case('mape', 'percent', mape, [yhat, ypos]),
    case('mape', 'fraction, sum', lambda a, b: mape(a, b, percent=False, reduction='sum'), [yhat, ypos], {'percent': False, 'reduction': 'sum'}),
    case('mean-bias-error', 'mean', mbe, [yhat2, y2]),
    case('msle', 'mean (one negative prediction clamped to 0)', msle, [torch.tensor([0.5, 2.0, -0.3, 4.0]), torch.tensor([1.0, 0.0, 2.0, 3.5])]),
]

# ---- aggregate error measures (the survey's definitions) ----------------------------------------------------
pos_hat = torch.rand(N, generator=g) * 3
cases += [
    case('rmse', 'sqrt(mean + eps)', lambda a, b: torch.sqrt(torch.mean((b - a) ** 2) + 1e-12), [yhat2, y2]),
    case('rmsle', 'sqrt(msle + eps)', lambda a, b: torch.sqrt(torch.mean((torch.log1p(b) - torch.log1p(a.clamp(min=0))) ** 2) + 1e-12), [pos_hat, ypos]),
    case('nrmse', 'range', lambda a, b: torch.sqrt(torch.mean((b - a) ** 2) + 1e-12) / (b.max() - b.min() + 1e-12), [yhat, y]),
    case('nrmse', 'mean', lambda a, b: torch.sqrt(torch.mean((b - a) ** 2) + 1e-12) / (b.mean() + 1e-12), [yhat, ypos], {'normaliser': 'mean'}),
    case('nrmse', 'std (population)', lambda a, b: torch.sqrt(torch.mean((b - a) ** 2) + 1e-12) / (b.std(unbiased=False) + 1e-12), [yhat, y], {'normaliser': 'std'}),
    case('rrmse', 'survey form', lambda a, b: torch.sqrt(torch.mean((b - a) ** 2) / torch.sum(a ** 2)), [yhat, y]),
    case('rrmse', 'RMSE / mean(y)', lambda a, b: torch.sqrt(torch.mean((b - a) ** 2)) / b.mean(), [yhat, ypos], {'form': 'mean'}),
    case('relative-absolute-error', 'RAE', lambda a, b: torch.sum(torch.abs(b - a)) / (torch.sum(torch.abs(b - b.mean())) + 1e-8), [yhat, y]),
    case('relative-squared-error', 'RSE', lambda a, b: torch.sum((b - a) ** 2) / (torch.sum((b - b.mean()) ** 2) + 1e-8), [yhat2, y2]),
]

# ---- bins: HL-Gauss, two-hot, W1 over ordered bins ----------------------------------------------------------
K = 7
z = torch.randn(N, K, generator=g) * 2
yt = torch.tensor([-12.0, -3.3, 0.0, 2.5, 9.9, 15.0])


def hl_gauss(z, y, v_min=-10.0, v_max=10.0, sor=0.75, reduction='mean'):
    K = z.shape[1]
    w = (v_max - v_min) / K
    sigma = sor * w
    edges = torch.linspace(v_min, v_max, K + 1)
    yc = y.detach().clamp(v_min, v_max)[:, None]
    Phi = lambda x: 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    cdf = Phi((edges[None] - yc) / sigma)
    q = (cdf[:, 1:] - cdf[:, :-1]) / (cdf[:, -1:] - cdf[:, :1])
    return RED[reduction](-(q * F.log_softmax(z, 1)).sum(1))


def two_hot(z, y, v_min=-10.0, v_max=10.0, reduction='mean'):
    K = z.shape[1]
    c = torch.linspace(v_min, v_max, K)
    yc = y.detach().clamp(v_min, v_max)
    q = torch.zeros(len(y), K)
    for n in range(len(y)):
        l = min(int(torch.searchsorted(c, yc[n], right=True)) - 1, K - 2)
        ql = (c[l + 1] - yc[n]) / (c[l + 1] - c[l])
        q[n, l] = ql
        q[n, l + 1] = 1 - ql
    return RED[reduction](-(q * F.log_softmax(z, 1)).sum(1))


def w1_bins(z, t, centres=None, reduction='mean'):
    K = z.shape[1]
    c = torch.arange(K, dtype=torch.float64) if centres is None else centres
    p = F.softmax(z, 1)
    tt = F.one_hot(t, K).double() if t.dtype == torch.int64 else t
    # independent of the CDF form: scipy-style |CDF difference| integrated between consecutive centres
    Fp, Ft = torch.cumsum(p, 1), torch.cumsum(tt, 1)
    return RED[reduction](((Fp - Ft)[:, :-1].abs() * (c[1:] - c[:-1])).sum(1))


tb = torch.tensor([0, 3, 6, 2, 2, 5])
soft = F.softmax(torch.randn(N, K, generator=g), 1)
cent = torch.tensor([0.0, 0.5, 1.5, 2.0, 4.0, 7.0, 7.5])
cases += [
    case('hl-gauss', 'defaults, targets beyond the range clamped', hl_gauss, [z, yt]),
    case('hl-gauss', 'range [-5, 5], sigma/w = 1.5, none', lambda a, b: hl_gauss(a, b, -5.0, 5.0, 1.5, 'none'), [z, yt], {'vMin': -5, 'vMax': 5, 'sigmaOverBinWidth': 1.5, 'reduction': 'none'}),
    case('two-hot-ce', 'defaults', two_hot, [z, yt]),
    case('two-hot-ce', 'range [-3, 3], sum', lambda a, b: two_hot(a, b, -3.0, 3.0, 'sum'), [z, yt], {'vMin': -3, 'vMax': 3, 'reduction': 'sum'}),
    case('wasserstein-1-ordinal-bins', 'class targets, unit spacing', w1_bins, [z, tb]),
    case('wasserstein-1-ordinal-bins', 'soft targets, given centres, none', lambda a, b: w1_bins(a, b, cent, 'none'), [z, soft], {'binCenters': cent, 'reduction': 'none'}),
]
# independent check of the W1 closed form: sum_k p_k |c_k - c_y| for one-hot targets
cases += [case('wasserstein-1-ordinal-bins', 'one-hot: sum_k p_k |c_k - c_y|', lambda a, b: (F.softmax(a, 1) * (cent[None] - cent[b][:, None]).abs()).sum(1).mean(), [z, tb], {'binCenters': cent})]

# ---- bags: aggregate responses ------------------------------------------------------------------------------
f = torch.randn(8, generator=g)
bag = torch.tensor([0, 0, 1, 1, 1, 3, 3, 0])  # bag 2 is empty
ybar = torch.randn(4, generator=g)


def bag_loss(f, bag, ybar):
    ks = [k for k in range(len(ybar)) if (bag == k).any()]
    return torch.stack([(ybar[k] - f[bag == k].mean()) ** 2 for k in ks]).mean()


def inst_loss(f, bag, ybar):
    ks = [k for k in range(len(ybar)) if (bag == k).any()]
    return torch.stack([((ybar[k] - f[bag == k]) ** 2).mean() for k in ks]).mean()


def interp(f, bag, ybar, rho=0.5):
    ks = [k for k in range(len(ybar)) if (bag == k).any()]
    return torch.stack([(ybar[k] - f[bag == k].mean()) ** 2 + rho * ((f[bag == k] - f[bag == k].mean()) ** 2).mean() for k in ks]).mean()


cases += [
    case('bag-level-loss', 'mean over non-empty bags', bag_loss, [f, bag, ybar]),
    case('instance-level-loss-aggregate', 'mean over bags of the instance errors', inst_loss, [f, bag, ybar]),
    case('interpolating-bag-instance', 'rho = 0.5 (default)', interp, [f, bag, ybar]),
    case('interpolating-bag-instance', 'rho = 0: the bag loss', bag_loss, [f, bag, ybar], {'rho': 0}),
    case('interpolating-bag-instance', 'rho = 1: the instance loss', inst_loss, [f, bag, ybar], {'rho': 1}),
]

# ---- number-token losses --------------------------------------------------------------------------------------
B, T, V = 2, 5, 9
zl = torch.randn(B, T, V, generator=g) * 2
tgt = torch.tensor([[0, 3, 5, 8, 1], [4, 4, 7, 2, 6]])
num_ids = torch.tensor([3, 4, 5, 6, 7])
num_vals = torch.tensor([2.0, 0.0, 1.0, 5.0, 3.0])  # unsorted on purpose


def ntl(z, y, ids, vals, kind='mse', p=2.0, lam=0.3):
    vals = vals.detach()
    ce = F.cross_entropy(z.reshape(-1, z.shape[-1]), y.reshape(-1))
    terms = []
    for b in range(z.shape[0]):
        for t in range(z.shape[1]):
            hit = (ids == y[b, t]).nonzero()
            if len(hit) == 0:
                continue
            q = F.softmax(z[b, t, ids], 0)
            vy = vals[hit[0, 0]]
            if kind == 'mse':
                terms.append(torch.abs((q * vals).sum() - vy) ** p)
            else:
                terms.append((q * (vals - vy).abs()).sum())  # W1 to a point mass
    return ce + lam * torch.stack(terms).mean()


cases += [
    case('ntl-mse', 'p = 2, lambda = 0.3', ntl, [zl, tgt, num_ids, num_vals]),
    case('ntl-mse', 'p = 1, lambda = 1', lambda *a: ntl(*a, p=1.0, lam=1.0), [zl, tgt, num_ids, num_vals], {'p': 1, 'lambda': 1}),
    case('ntl-was', 'lambda = 0.3 (W1 to the target value)', lambda *a: ntl(*a, kind='was'), [zl, tgt, num_ids, num_vals]),
]

# ---- Balanced MSE (BMC, the authors' bmc_loss) --------------------------------------------------------------
def bmc(pred, target, noise_var):
    logits = -(pred[:, None] - target[None, :]) ** 2 / (2 * noise_var)
    loss = F.cross_entropy(logits, torch.arange(pred.shape[0]), reduction='none')
    return loss * (2 * noise_var).detach()


sig = torch.tensor(0.8)
cases += [
    case('balanced-mse', 'sigma option 1, mean', lambda a, b: bmc(a, b, torch.tensor(1.0)).mean(), [yhat, y]),
    case('balanced-mse', 'learnable sigma tensor, none', lambda a, b, s: bmc(a, b, s ** 2), [yhat, y, sig], {'reduction': 'none'}),
]

# ---- classification-aided regression ------------------------------------------------------------------------
Kc = 4
zc = torch.randn(N, Kc, generator=g)


def car(a, zc, y, lam=1.0, reg='mse', lo=None, hi=None):
    lo = y.min() if lo is None else torch.tensor(lo)
    hi = y.max() if hi is None else torch.tensor(hi)
    b = torch.clamp(torch.floor((y.detach() - lo) / (hi - lo) * zc.shape[1]), 0, zc.shape[1] - 1).long()
    r = (a - y) ** 2 if reg == 'mse' else (a - y).abs()
    return (r + lam * F.cross_entropy(zc, b, reduction='none')).mean()


cases += [
    case('classification-aided-regression', 'mse, batch range', car, [yhat, zc, y]),
    case('classification-aided-regression', 'l1, range [-1, 1], lambda 0.5', lambda a, b, c: car(a, b, c, 0.5, 'l1', -1.0, 1.0), [yhat, zc, y], {'regLoss': 'l1', 'vMin': -1, 'vMax': 1, 'lambda': 0.5}),
]

# ---- kernel MMD ------------------------------------------------------------------------------------------------
X = torch.randn(5, 3, generator=g)
Y = torch.randn(4, 3, generator=g) + 0.5


def mmd(x, y, bandwidth=None, mul=2.0, num=5, unbiased=True):
    tot = torch.cat([x, y])
    d2 = ((tot[:, None] - tot[None]) ** 2).sum(-1)
    n = tot.shape[0]
    h = d2.detach().sum() / (n * n - n) if bandwidth is None else torch.tensor(bandwidth)
    Kt = sum(torch.exp(-d2 / (h * mul ** (i - num // 2))) for i in range(num))
    m = x.shape[0]
    kxx, kyy, kxy = Kt[:m, :m], Kt[m:, m:], Kt[:m, m:]
    if unbiased:
        nn_ = y.shape[0]
        return (kxx.sum() - kxx.diag().sum()) / (m * (m - 1)) + (kyy.sum() - kyy.diag().sum()) / (nn_ * (nn_ - 1)) - 2 * kxy.mean()
    return kxx.mean() + kyy.mean() - 2 * kxy.mean()


cases += [
    case('kernel-mmd', 'unbiased, median-style bandwidth (detached)', mmd, [X, Y]),
    case('kernel-mmd', 'biased (CHASE form), h = 2, one kernel', lambda a, b: mmd(a, b, 2.0, 2.0, 1, False), [X, Y], {'bandwidth': 2, 'kernelNum': 1, 'unbiased': False}),
]

# ---- Cauchy-Schwarz divergences ---------------------------------------------------------------------------------
Bm = 5
ea, eb, ec = (torch.randn(Bm, 4, generator=g) for _ in range(3))
lab = torch.tensor([0, 1, 0, 2, 1])


def cs_kde(x, y, sigma=1.0):
    k = lambda a, b: torch.exp(-((a[:, None] - b[None]) ** 2).sum(-1) / (2 * sigma ** 2)).mean()
    return torch.log(k(x, x)) + torch.log(k(y, y)) - 2 * torch.log(k(x, y))


def cs_discrete(a, b, labels, tau=0.1, eps=1e-8):
    q = (labels[:, None] == labels[None]).double().clamp(min=eps)
    def one(x, y):
        p = F.softmax(F.cosine_similarity(x[:, None], y[None], dim=-1) / tau, 1)
        return (-torch.log((p * q).sum(1) ** 2 / ((p ** 2).sum(1) * (q ** 2).sum(1)))).mean()
    return one(a, b) + one(b, a)


def gcs(t, a, i, labels, tau=0.1, eps=1e-8, reduction='mean'):
    q = (labels[:, None] == labels[None]).double().clamp(min=eps)
    P = lambda x, y: F.softmax(F.cosine_similarity(x[:, None], y[None], dim=-1) / tau, 1).clamp(min=eps)
    n4 = lambda m: (m ** 4).sum(1) ** 0.25
    def one(p1, p2, p3):
        return -torch.log((p1 * p2 * p3 * q).sum(1) / (n4(p1) * n4(p2) * n4(p3) * n4(q)))
    return RED[reduction](one(P(t, a), P(t, i), P(a, i)) + one(P(a, t), P(i, t), P(i, a)))


cases += [
    case('cs-divergence', 'kernel-density form, sigma = 1', cs_kde, [X, Y]),
    case('cs-divergence', 'kernel-density form, sigma = 2', lambda a, b: cs_kde(a, b, 2.0), [X, Y], {'sigma': 2}),
    case('cs-divergence', 'discrete form, tau = 0.1', cs_discrete, [ea, eb, lab]),
    case('cs-divergence', 'discrete form, tau = 1', lambda a, b, c: cs_discrete(a, b, c, 1.0), [ea, eb, lab], {'tau': 1}),
    case('generalized-cs-divergence', 'tau = 0.2, mean (no entry near the eps clamp)', lambda *x: gcs(*x, tau=0.2), [ea, eb, ec, lab], {'tau': 0.2}),
    case('generalized-cs-divergence', 'tau = 0.5, none', lambda *x: gcs(*x, tau=0.5, reduction='none'), [ea, eb, ec, lab], {'tau': 0.5, 'reduction': 'none'}),
]

# ---- CR-FIQA / ViT-FIQA: ArcFace (or CosFace) + lambda * SmoothL1(q, sg(CR)) ------------------------------
Nf, Df, Cf = 5, 4, 3
emb = torch.randn(Nf, Df, generator=g)
Wc = torch.randn(Cf, Df, generator=g)
idl = torch.tensor([0, 2, 1, 1, 0])
qual = torch.rand(Nf, generator=g)


def fiqa(x, y, W, q, lam=10.0, beta=0.5, s=64.0, m=0.5, eps=1e-9, head='arcface', reduction='mean'):
    cos = F.normalize(x, dim=1) @ F.normalize(W, dim=1).T
    cy = cos.gather(1, y[:, None])[:, 0]
    if head == 'arcface':
        sin = torch.sqrt((1 - cy ** 2).clamp(min=0))
        phi = cy * math.cos(m) - sin * math.sin(m)
        phi = torch.where(cy > math.cos(math.pi - m), phi, cy - m * math.sin(m))  # InsightFace's th / mm
    else:
        phi = cy - m
    logits = s * torch.where(F.one_hot(y, cos.shape[1]).bool(), phi[:, None], cos)
    ce = F.cross_entropy(logits, y, reduction='none')
    c = cos.detach()
    ccs = c.gather(1, y[:, None])[:, 0]
    nn_ = c.masked_fill(F.one_hot(y, c.shape[1]).bool(), -2).max(1).values
    cr = ccs / (nn_ + 1 + eps)
    return RED[reduction](ce + lam * F.smooth_l1_loss(q, cr, beta=beta, reduction='none'))


cases += [
    case('cr-fiqa', 'defaults', fiqa, [emb, idl, Wc, qual]),
    case('cr-fiqa', 's = 16, m = 0.3, lambda = 1, none', lambda *a: fiqa(*a, lam=1.0, s=16.0, m=0.3, reduction='none'), [emb, idl, Wc, qual], {'s': 16, 'm': 0.3, 'lambda': 1, 'reduction': 'none'}),
    case('vit-fiqa', 'ArcFace head (default)', fiqa, [emb, idl, Wc, qual]),
    case('vit-fiqa', 'CosFace head m = 0.35, s = 30', lambda *a: fiqa(*a, s=30.0, m=0.35, head='cosface'), [emb, idl, Wc, qual], {'marginLoss': 'cosface', 'm': 0.35, 's': 30}),
]

# ---- many-facet Rasch (rating scale): explicit category probabilities ---------------------------------------
Nr, Kr = 6, 3
th, de, la = (torch.randn(Nr, generator=g) for _ in range(3))
tau = torch.tensor([-1.0, 0.2, 0.8])
rat = torch.tensor([0, 3, 1, 2, 2, 0])


def rasch(th, de, la, tau, x, reduction='sum'):
    out = []
    for n in range(len(x)):
        eta = [torch.zeros(())]
        for k in range(1, len(tau) + 1):
            eta.append(eta[-1] + (th[n] - de[n] - la[n] - tau[k - 1]))
        eta = torch.stack(eta)
        p = torch.exp(eta) / torch.exp(eta).sum()
        out.append(-torch.log(p[x[n]]))
    return RED[reduction](torch.stack(out))


cases += [
    case('many-facet-rasch', 'sum (default)', rasch, [th, de, la, tau, rat]),
    case('many-facet-rasch', 'none', lambda *a: rasch(*a, reduction='none'), [th, de, la, tau, rat], {'reduction': 'none'}),
]

# ---- softmax-gated Gaussian MoE NLL ---------------------------------------------------------------------------
Ng, Dg, Eg = 5, 2, 3
Xg, yg = torch.randn(Ng, Dg, generator=g), torch.randn(Ng, generator=g)
b1, b0, ag, bg = torch.randn(Eg, Dg, generator=g), torch.randn(Eg, generator=g), torch.randn(Eg, Dg, generator=g), torch.randn(Eg, generator=g)
sg_ = torch.rand(Eg, generator=g) + 0.3


def gmoe(X, y, b1, b0, a, b, s, top_k=None, reduction='mean'):
    logits = X @ b1.T + b0
    if top_k is not None:
        thr = logits.topk(top_k, 1).values[:, -1:]
        logits = logits.masked_fill(logits < thr, float('-inf'))
    gw = torch.softmax(logits, 1)
    mu = X @ a.T + b
    dens = torch.exp(-(y[:, None] - mu) ** 2 / (2 * s ** 2)) / torch.sqrt(2 * math.pi * s ** 2)
    return RED[reduction](-torch.log((gw * dens).sum(1)))


cases += [
    case('softmax-gating-gmoe-nll', 'dense gating', gmoe, [Xg, yg, b1, b0, ag, bg, sg_]),
    case('softmax-gating-gmoe-nll', 'top-2 gating, none', lambda *a: gmoe(*a, top_k=2, reduction='none'), [Xg, yg, b1, b0, ag, bg, sg_], {'topK': 2, 'reduction': 'none'}),
]

# ---- softmax regression, APRE, JSD -----------------------------------------------------------------------------
Am, bv, xv = torch.randn(6, 3, generator=g), torch.rand(6, generator=g) / 3, torch.randn(3, generator=g)
cases += [
    case('softmax-regression', 'plain', lambda A, b, x: 0.5 * ((torch.exp(A @ x) / torch.exp(A @ x).sum() - b) ** 2).sum(), [Am, bv, xv]),
    case('softmax-regression', 'l2Reg = 0.1', lambda A, b, x: 0.5 * ((torch.softmax(A @ x, 0) - b) ** 2).sum() + 0.05 * (x ** 2).sum(), [Am, bv, xv], {'l2Reg': 0.1}),
]
xa, mua, sa = torch.randn(4, 3, generator=g), torch.randn(4, 3, generator=g), torch.rand(4, 3, generator=g) + 0.2
cases += [
    case('apre', 'w1 = w2 = 0.5: Gaussian NLL summed over dims (F.gaussian_nll_loss)', lambda x, m, s: F.gaussian_nll_loss(m, x, s ** 2, reduction='none', eps=0).sum(1).mean(), [xa, mua, sa]),
    case('apre', 'w1 = 1, w2 = 0.2, none', lambda x, m, s: (((x - m) ** 2 / s ** 2) + 0.2 * torch.log(s ** 2)).sum(1), [xa, mua, sa], {'w1': 1, 'w2': 0.2, 'reduction': 'none'}),
]


def jsd(a, b, T=1.0, reduction='mean'):
    p, q = F.softmax(a / T, 1), F.softmax(b / T, 1)
    m = (p + q) / 2
    return RED[reduction](0.5 * F.kl_div(m.log(), p, reduction='none').sum(1) + 0.5 * F.kl_div(m.log(), q, reduction='none').sum(1))


za, zb = torch.randn(4, 5, generator=g) * 2, torch.randn(4, 5, generator=g) * 2
cases += [
    case('js-divergence', 'T = 1 (F.kl_div to the midpoint)', jsd, [za, zb]),
    case('js-divergence', 'T = 3, none', lambda a, b: jsd(a, b, 3.0, 'none'), [za, zb], {'temperature': 3, 'reduction': 'none'}),
]

# ---- feature losses, PINN residual ----------------------------------------------------------------------------
fa, fb = torch.randn(2, 3, 4, 4, generator=g), torch.randn(2, 3, 4, 4, generator=g)
wl = torch.rand(3, generator=g)


def lpips_layer(x, y, w):
    nx = x / (torch.sqrt((x ** 2).sum(1, keepdim=True)) + 1e-10)
    ny = y / (torch.sqrt((y ** 2).sum(1, keepdim=True)) + 1e-10)
    return ((nx - ny.detach()) ** 2 * w[None, :, None, None]).sum(1).mean((1, 2)).mean()


cases += [
    case('perceptual-loss', 'feature MSE', lambda x, y: F.mse_loss(x, y.detach(), reduction='none').mean((1, 2, 3)).mean(), [fa, fb]),
    case('perceptual-loss', 'LPIPS form with channel weights', lambda x, y: lpips_layer(x, y, wl), [fa, fb], {'lpips': True, 'channelWeight': wl}),
    case('high-frequency-perceptual-loss', 'L1 (default), none', lambda x, y: (x - y.detach()).abs().mean((1, 2, 3)), [fa, fb], {'reduction': 'none'}),
    case('high-frequency-perceptual-loss', 'L2, layer weight 0.5', lambda x, y: 0.5 * ((x - y.detach()) ** 2).mean(), [fa, fb], {'norm': 'l2', 'layerWeight': 0.5}),
]
ri, rbd = torch.randn(7, generator=g), torch.randn(3, generator=g)
cases += [
    case('pinn-residual', 'interior only', lambda r: (r ** 2).mean(), [ri]),
    case('pinn-residual', 'with boundary, lambda_b = 10', lambda r, b: (r ** 2).mean() + 10 * (b ** 2).mean(), [ri, rbd], {'boundaryWeight': 10}),
]

write('regression', cases)
