"""Regularizer objectives (the second half of the category's ids), each written from its paper or the
catalog's definition in plain float64 PyTorch, independently of the TypeScript: the references for the
'regularizer_b' batch of entries."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(11)
N, C = 6, 5
x = torch.randn(N, C, generator=g) * 2
y = torch.tensor([0, 3, 4, 1, 1, 2])
y2 = torch.tensor([2, 2, 0, 4, 1, 3])
big = torch.tensor([[1e4, -1e4, 0.0, 5e3], [-1e4, 1e4, 2.0, -3.0], [0.0, -1e4, 1e4, 1e4]])
ybig = torch.tensor([0, 2, 3])
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []


def ce(z, t):
    return F.cross_entropy(z, t, reduction='none')


# ---- maxsup: CE + alpha * (max_k z_k - mean_k z_k) -----------------------------------------------
def maxsup_ref(z, t, alpha=0.1, reduction='mean'):
    return RED[reduction](ce(z, t) + alpha * (z.max(dim=1).values - z.mean(dim=1)))


cases += [
    case('maxsup', 'alpha 0.1 (default)', maxsup_ref, [x, y]),
    case('maxsup', 'alpha 0.3, none', maxsup_ref, [x, y], {'alpha': 0.3, 'reduction': 'none'}, {'alpha': 0.3, 'reduction': 'none'}),
    # No tied maxima here: at a tie the subgradient of max is a choice (torch's max picks one index, amax splits).
    case('maxsup', 'logits of ±1e4, sum', maxsup_ref, [big[:2], ybig[:2]], {'reduction': 'sum'}, {'reduction': 'sum'}),
]


# ---- mixup-ce / regmixup: soft-target CE against lam*onehot(ya) + (1 - lam)*onehot(yb) ----------------
def mixup_ref(z, ya, yb, lam, reduction='mean'):
    q = lam.reshape(-1, 1) * F.one_hot(ya, z.shape[1]) + (1 - lam.reshape(-1, 1)) * F.one_hot(yb, z.shape[1])
    return RED[reduction](-(q * F.log_softmax(z, dim=1)).sum(1))


lam_s = torch.tensor(0.37)
lam_v = torch.rand(N, generator=g)
cases += [
    case('mixup-ce', 'one lambda per batch', mixup_ref, [x, y, y2, lam_s]),
    case('mixup-ce', 'lambda per sample, none', mixup_ref, [x, y, y2, lam_v], {'reduction': 'none'}, {'reduction': 'none'}),
    case('mixup-ce', 'lambda 1 is plain CE on ya, logits of ±1e4', mixup_ref, [big, ybig, torch.tensor([1, 1, 0]), torch.tensor(1.0)]),
]


def regmixup_ref(z, t, zm, tb, lam, eta=1.0, reduction='mean'):
    q = lam.reshape(-1, 1) * F.one_hot(t, z.shape[1]) + (1 - lam.reshape(-1, 1)) * F.one_hot(tb, z.shape[1])
    return RED[reduction](ce(z, t) + eta * -(q * F.log_softmax(zm, dim=1)).sum(1))


xm = torch.randn(N, C, generator=g) * 2
cases += [
    case('regmixup', 'eta 1 (default), one lambda', regmixup_ref, [x, y, xm, y2, torch.tensor(0.55)]),
    case('regmixup', 'eta 0.5, lambda per sample, none', regmixup_ref, [x, y, xm, y2, lam_v], {'eta': 0.5, 'reduction': 'none'}, {'eta': 0.5, 'reduction': 'none'}),
]


# ---- moe-load-balancing-loss: alpha * sum_i f_i P_i, f_i = E/(K T) * #tokens routed to i ---------------
def moe_ref(s, mask=None, alpha=0.01, top_k=1):
    T, E = s.shape
    if mask is None:
        mask = torch.zeros(T, E)
        for t in range(T):
            for i in torch.topk(s[t].detach(), top_k).indices.tolist():
                mask[t, i] = 1.0
    f = (E / (top_k * T)) * mask.detach().sum(0)
    P = s.mean(0)
    return alpha * (f * P).sum()


sm = torch.softmax(torch.randn(7, 4, generator=g), dim=1)
m2 = torch.zeros(7, 4)
for t in range(7):
    m2[t, torch.randperm(4, generator=g)[:2]] = 1.0
cases += [
    case('moe-load-balancing-loss', 'top-1 from the scores (Switch)', moe_ref, [sm]),
    case('moe-load-balancing-loss', 'top-2 from the scores, alpha 1e-3', moe_ref, [sm], {'alpha': 1e-3, 'topK': 2}, {'alpha': 1e-3, 'top_k': 2}),
    case('moe-load-balancing-loss', 'a given top-2 mask', lambda s, m: moe_ref(s, m, top_k=2), [sm, m2], {'topK': 2}),
]


# ---- multi-sample-dropout: mean over M masks of CE(W (m*h)/(1-p) + b, y) ----------------------------
def msd_ref(h, W, t, b=None, masks=None, p=0.5, reduction='mean'):
    losses = []
    for m in masks:
        z = (m * h / (1 - p)) @ W.T
        if b is not None:
            z = z + b
        losses.append(ce(z, t))
    return RED[reduction](torch.stack(losses).mean(0))


h = torch.randn(N, 3, generator=g)
Wc = torch.randn(C, 3, generator=g)
bc = torch.randn(C, generator=g)
masks8 = (torch.rand(8, N, 3, generator=g) > 0.5).double()
masks3 = (torch.rand(3, N, 3, generator=g) > 0.2).double()
cases += [
    case('multi-sample-dropout', 'M 8, p 0.5, given masks, with bias', lambda h, W, t, b: msd_ref(h, W, t, b, masks8), [h, Wc, y, bc], {'masks': masks8}),
    case('multi-sample-dropout', 'M 3, p 0.2, no bias, none', lambda h, W, t: msd_ref(h, W, t, None, masks3, 0.2, 'none'), [h, Wc, y], {'M': 3, 'p': 0.2, 'masks': masks3, 'reduction': 'none'}),
]


# ---- norm-loss: lam * sum_i (1 - sqrt(||w_i||^2 + eps))^2 ----------------------------------------
def norm_ref(w, lam=1e-3, eps=1e-8, reduction='sum'):
    r = w.reshape(w.shape[0], -1)
    return RED[reduction](lam * (1 - torch.sqrt((r ** 2).sum(1) + eps)) ** 2)


wconv = torch.randn(4, 2, 3, 3, generator=g) * 0.3
cases += [
    case('norm-loss', 'conv kernel [4, 2, 3, 3] (default: sum)', norm_ref, [wconv]),
    case('norm-loss', 'linear [5, 3], lam 0.01, none', norm_ref, [Wc], {'lam': 0.01, 'reduction': 'none'}, {'lam': 0.01, 'reduction': 'none'}),
]


# ---- spectral-decoupling: CE + (lambda/2) ||z - gamma||^2 ------------------------------------------
def sd_ref(z, t, lam=0.01, gamma=0.0, reduction='mean'):
    return RED[reduction](ce(z, t) + lam / 2 * ((z - gamma) ** 2).sum(1))


gam = torch.randn(C, generator=g)
cases += [
    case('spectral-decoupling', 'lambda 0.01 (default)', sd_ref, [x, y]),
    case('spectral-decoupling', 'lambda 0.1, gamma 2, none', sd_ref, [x, y], {'lambda': 0.1, 'gamma': 2.0, 'reduction': 'none'}, {'lam': 0.1, 'gamma': 2.0, 'reduction': 'none'}),
    case('spectral-decoupling', 'per-class gamma', sd_ref, [x, y], {'gamma': gam}, {'gamma': gam}),
    case('spectral-decoupling', 'logits of ±1e4', sd_ref, [big, ybig]),
]


# ---- saf-trajectory-loss: CE + lam * KL(softmax(zpast/tau) || softmax(z/tau)) ------------------------
def saf_ref(z, zp, t, lam=0.3, tau=5.0, reduction='mean'):
    kl = F.kl_div(F.log_softmax(z / tau, dim=1), F.log_softmax(zp / tau, dim=1), log_target=True, reduction='none').sum(1)
    return RED[reduction](ce(z, t) + lam * kl)


xp = x + torch.randn(N, C, generator=g)
cases += [
    case('saf-trajectory-loss', 'lam 0.3, tau 5 (defaults)', lambda z, zp, t: saf_ref(z, zp.detach(), t), [x, xp, y]),
    case('saf-trajectory-loss', 'lam 1, tau 1, none', lambda z, zp, t: saf_ref(z, zp.detach(), t, 1.0, 1.0, 'none'), [x, xp, y], {'lam': 1, 'tau': 1, 'reduction': 'none'}),
]


# ---- wasserstein-init-regularizer: lam * mean (sort(theta) - sort(theta0))^2 ----------------------
def w2_ref(th, th0, lam=1e-3):
    return lam * ((torch.sort(th.flatten()).values - torch.sort(th0.detach().flatten()).values) ** 2).mean()


th0 = torch.randn(4, 5, generator=g) * 0.1
th = th0 + torch.randn(4, 5, generator=g) * 0.05
cases += [
    case('wasserstein-init-regularizer', 'lam 1e-3 (default)', w2_ref, [th, th0]),
    case('wasserstein-init-regularizer', 'lam 1', lambda a, b: w2_ref(a, b, 1.0), [th, th0 * 2], {'lam': 1}),
]


# ---- wdr-loss: k1 (kurt - 1.8)^2 + k2 skew^2 of the standardised weights ----------------------------
def wdr_ref(w, k1=0.015, k2=1.0, kt=1.8, st=0.0, eps=1e-8):
    z = (w.flatten() - w.mean()) / (w.std() + eps)
    return k1 * ((z ** 4).mean() - kt) ** 2 + k2 * ((z ** 3).mean() - st) ** 2


wexp = torch.distributions.Exponential(torch.tensor(2.0)).sample((5, 6)) - 0.3
cases += [
    case('wdr-loss', 'gaussian weights (defaults)', wdr_ref, [wconv]),
    case('wdr-loss', 'skewed weights, k1 0.1, kurt target 3', lambda w: wdr_ref(w, 0.1, 1.0, 3.0), [wexp], {'k1': 0.1, 'kurtTarget': 3}),
]


# ---- weight-decay-l2 / weight-centralization ---------------------------------------------------
cases += [
    case('weight-decay-l2', 'lambda 5e-4 (default)', lambda w: 5e-4 / 2 * (w ** 2).sum(), [wconv]),
    case('weight-decay-l2', 'lambda 5e-3 (weight balancing)', lambda w: 5e-3 / 2 * (w ** 2).sum(), [Wc], {'lambda': 5e-3}),
    case('weight-centralization', 'lambda 1 (default)', lambda w, a: ((w - a.detach()) ** 2).sum(), [th, th0]),
    case('weight-centralization', 'lambda 0.01', lambda w, a: 0.01 * ((w - a.detach()) ** 2).sum(), [wconv, wconv * 0.9], {'lambda': 0.01}),
]


# ---- weight-compander: mu-law g(w) = sign(w) log(1 + mu|w|)/log(1 + mu) --------------------------------
cases += [
    case('weight-compander', 'mu 255 (default)', lambda w: torch.sign(w) * torch.log1p(255 * w.abs()) / math.log1p(255), [wconv]),
    case('weight-compander', 'mu 5', lambda w: torch.sign(w) * torch.log1p(5 * w.abs()) / math.log1p(5), [Wc], {'mu': 5}),
]


# ---- t-similarity-diversity: mean_m CE + gamma * mean_u (1/(M(M-1))) sum_{m != m'} p_m . p_m' --------------
def tsd_ref(zl, t, zu, gamma=1.0):
    Nl, M, _ = zl.shape
    ce_term = sum(F.cross_entropy(zl[:, m], t) for m in range(M)) / M
    p = torch.softmax(zu, dim=-1)
    s = 0
    for a in range(M):
        for b in range(M):
            if a != b:
                s = s + (p[:, a] * p[:, b]).sum(-1)
    return ce_term + gamma * (s / (M * (M - 1))).mean()


zl = torch.randn(N, 4, C, generator=g) * 1.5
zu = torch.randn(7, 4, C, generator=g) * 1.5
cases += [
    case('t-similarity-diversity', 'M 4 heads, gamma 1 (default)', tsd_ref, [zl, y, zu]),
    case('t-similarity-diversity', 'gamma 0.3', lambda a, b, c: tsd_ref(a, b, c, 0.3), [zl, y, zu], {'gamma': 0.3}),
]


# ---- nc-feature-regularizers: lW * mean ||h - c_y||^2 + lB * mean_{j != k} (cos(c_j - cbar, c_k - cbar) + 1/(K-1))^2 ----
def nc_ref(h, t, c, lw=1.0, lb=1.0, normalize=False):
    K = c.shape[0]
    hh = F.normalize(h, dim=1, eps=0) if normalize else h
    cc = F.normalize(c, dim=1, eps=0) if normalize else c
    lw_term = ((hh - cc[t]) ** 2).sum(1).mean()
    cent = c - c.mean(0, keepdim=True)
    lb_term = 0
    for j in range(K):
        for k in range(K):
            if j != k:
                lb_term = lb_term + (F.cosine_similarity(cent[j], cent[k], dim=0, eps=0) + 1 / (K - 1)) ** 2
    return lw * lw_term + lb * lb_term / (K * (K - 1))


hf = torch.randn(N, 3, generator=g)
tk = torch.tensor([0, 1, 2, 3, 1, 0])
cent = torch.randn(4, 3, generator=g)
cases += [
    case('nc-feature-regularizers', 'given centres, weights 1 (default)', nc_ref, [hf, tk, cent]),
    case('nc-feature-regularizers', 'normalised, lambdaW 0.5, lambdaB 2', lambda a, b, c: nc_ref(a, b, c, 0.5, 2.0, True), [hf, tk, cent], {'lambdaW': 0.5, 'lambdaB': 2, 'normalize': True}),
]


# ---- noisy-softmax: CE with f_y - alpha ||W_y|| ||x|| |sigma z| -----------------------------------------
def noisy_ref(xf, W, t, z, alpha=0.1, sigma=1.0, reduction='mean'):
    f = xf @ W.T
    drop = alpha * W[t].norm(dim=1) * xf.norm(dim=1) * (sigma * z).abs()
    f = f - F.one_hot(t, W.shape[0]) * drop[:, None]
    return RED[reduction](ce(f, t))


zn = torch.randn(N, generator=g)
cases += [
    case('noisy-softmax', 'alpha 0.1, sigma 1 (defaults), given noise', lambda a, b, c: noisy_ref(a, b, c, zn), [h, Wc, y], {'noise': zn}),
    case('noisy-softmax', 'alpha 0.5, sigma 2, none', lambda a, b, c: noisy_ref(a, b, c, zn, 0.5, 2.0, 'none'), [h, Wc, y], {'noise': zn, 'alpha': 0.5, 'sigma': 2, 'reduction': 'none'}),
]


# ---- spectral-regularizer-cl: lam (sigma^k - 1)^2, sigma = u^T W v --------------------------------
Wsp = torch.randn(4, 3, generator=g) * 0.7
U_, S_, Vh_ = torch.linalg.svd(Wsp)
u1 = F.normalize(U_[:, 0] + 0.05 * torch.randn(4, generator=g), dim=0)
v1 = F.normalize(Vh_[0] + 0.05 * torch.randn(3, generator=g), dim=0)
cases += [
    case('spectral-regularizer-cl', 'lam 1e-4, k 2 (defaults)', lambda W, u, v: 1e-4 * ((u.detach() @ W @ v.detach()) ** 2 - 1) ** 2, [Wsp, u1, v1]),
    case('spectral-regularizer-cl', 'lam 1, k 1', lambda W, u, v: ((u.detach() @ W @ v.detach()) - 1) ** 2, [Wsp, u1, v1], {'lam': 1, 'k': 1}),
]


# ---- token-utility-ae: mean_{t,d} (F - R)^2 + lambda * keep term, per image ------------------------------
def tok_ref(Ft, R, k, lam=0.1, r=None, reduction='mean'):
    mse = ((Ft.detach() - R) ** 2).mean((1, 2))
    keep = k.mean(1) if r is None else (k.mean(1) - r).abs()
    return RED[reduction](mse + lam * keep)


Ft = torch.randn(3, 4, 2, generator=g)
kk = torch.rand(3, 4, generator=g)
Rt = Ft * kk[..., None] + 0.1 * torch.randn(3, 4, 2, generator=g)
cases += [
    case('token-utility-ae', 'lambda 0.1 (default), mean keep', tok_ref, [Ft, Rt, kk]),
    case('token-utility-ae', 'lambda 1, target ratio 0.25, none', lambda a, b, c: tok_ref(a, b, c, 1.0, 0.25, 'none'), [Ft, Rt, kk], {'lambda': 1, 'targetKeepRatio': 0.25, 'reduction': 'none'}),
]


# ---- simplex-etf-classifier: W^T = sqrt(K/(K-1)) U V^T, logits h W^T ----------------------------------
def orth(a):
    Q, R = torch.linalg.qr(a)
    s = torch.sign(torch.diagonal(R))
    s[s == 0] = 1
    return Q * s


def etf_ref(hh, G, sparsity=0.0):
    G = G.detach()
    D, K = G.shape
    U = orth(G[:, :K - 1])
    V = orth((torch.eye(K) - 1.0 / K)[:, :K - 1])
    W = math.sqrt(K / (K - 1)) * V @ U.T
    drop = math.floor(sparsity * K * D)
    if drop:
        flat = W.flatten().clone()
        flat[torch.argsort(flat.abs())[:drop]] = 0
        W = flat.reshape(K, D)
    return hh @ W.T


Gd = torch.randn(5, 4, generator=g)
Gk = torch.randn(3, 4, generator=g)
hd = torch.randn(N, 5, generator=g)
cases += [
    case('simplex-etf-classifier', 'K 4 in D 5 (dense)', etf_ref, [hd, Gd]),
    case('simplex-etf-classifier', 'K = D + 1 = 4, SSE-C sparsity 0.3', lambda a, b: etf_ref(a, b, 0.3), [h, Gk], {'sparsity': 0.3}),
]


# ---- sam-sharpness-term: L(w + rho g/||g||) - L(w), exact (second order) or with eps held constant -------------
def sam_ref(W, hh, t, rho=0.05, first_order=False):
    L = lambda w: F.cross_entropy(hh.detach() @ w.T, t)
    base = L(W)
    (gw,) = torch.autograd.grad(base, W, create_graph=not first_order, retain_graph=True)
    step = rho * gw / torch.sqrt((gw ** 2).sum() + 1e-24)
    return L(W + (step.detach() if first_order else step)) - base


cases += [
    case('sam-sharpness-term', 'rho 0.05 (default), exact gradient', sam_ref, [Wc, h, y]),
    case('sam-sharpness-term', 'rho 0.5, first order (SAM)', lambda a, b, c: sam_ref(a, b, c, 0.5, True), [Wc, h, y], {'rho': 0.5, 'firstOrder': True}),
]


# ---- miu-unlearning: weighted retain CE + mi * I_forget + calib * |I_retain(h) - I_retain(h0)| ------------------
def mi_ref(zg, gl):
    G = zg.shape[1]
    freq = torch.bincount(gl, minlength=G).double() / gl.numel()
    H = -sum(float(p) * math.log(float(p)) for p in freq if p > 0)
    return H + F.log_softmax(zg, dim=1).gather(1, gl[:, None]).mean()


def miu_ref(zf, gf, zr, yr, gr, zrg, z0g, mi=1.0, cal=1.0, w=None):
    nll = F.cross_entropy(zr, yr, reduction='none')
    ce_term = (nll * (w[gr] if w is not None else 1)).mean()
    return ce_term + mi * mi_ref(zf, gf) + cal * (mi_ref(zrg, gr) - mi_ref(z0g.detach(), gr)).abs()


zf = torch.randn(5, 3, generator=g)
gf = torch.tensor([0, 0, 1, 2, 0])
zrg = torch.randn(N, 3, generator=g)
z0g = torch.randn(N, 3, generator=g) * 2
gr = torch.tensor([0, 1, 1, 2, 2, 2])
orig_counts, retain_counts = [50, 30, 20], [10, 30, 20]
wg = torch.tensor([(o / 100) / (r / 60) for o, r in zip(orig_counts, retain_counts)])
cases += [
    case('miu-unlearning', 'weights 1 (default), no reweighting', miu_ref, [zf, gf, x, y, gr, zrg, z0g]),
    case('miu-unlearning', 'group weights from counts, mi 0.5, calib 2', lambda *a: miu_ref(*a, 0.5, 2.0, wg), [zf, gf, x, y, gr, zrg, z0g], {'miWeight': 0.5, 'calibWeight': 2, 'groupWeights': wg}),
]

write('regularizer_b', cases)
