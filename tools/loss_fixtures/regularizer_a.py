"""Regularizer objectives (first half of the category), each written independently from its paper, the catalog's
definition or the authors' released code, in plain float64 PyTorch: the references for the regularizer_a entries."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(11)
randn = lambda *s: torch.randn(*s, generator=g)
rand = lambda *s: torch.rand(*s, generator=g)
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []

N, C = 6, 5
x = randn(N, C) * 2
y = torch.tensor([0, 3, 4, 1, 1, 2])
big = torch.tensor([[1e4, -1e4, 0.0, 5e3], [-1e4, 1e4, 2.0, -3.0], [0.0, -1e4, 1e4, 1e4]])
ybig = torch.tensor([0, 2, 3])


# ---- label-smoothing-ce: q = (1 - eps) onehot + eps/C against log_softmax; torch's own label_smoothing too -------
def ls_ref(z, t, eps=0.1, reduction='mean'):
    q = (1 - eps) * F.one_hot(t, z.shape[1]).double() + eps / z.shape[1]
    return RED[reduction](-(q * F.log_softmax(z, 1)).sum(1))


def ls_torch(z, t, eps=0.1, reduction='mean'):
    return F.cross_entropy(z, t, label_smoothing=eps, reduction=reduction)


cases += [
    case('label-smoothing-ce', 'eps = 0.1 (default)', ls_ref, [x, y]),
    case('label-smoothing-ce', 'torch cross_entropy(label_smoothing=0.2), none', ls_torch, [x, y], {'eps': 0.2, 'reduction': 'none'}, {'eps': 0.2, 'reduction': 'none'}),
    case('label-smoothing-ce', 'eps = 0 is cross-entropy, sum', ls_torch, [x, y], {'eps': 0, 'reduction': 'sum'}, {'eps': 0.0, 'reduction': 'sum'}),
    case('label-smoothing-ce', 'logits of ±1e4', ls_ref, [big, ybig], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- entropy-minimization -----------------------------------------------------------------------------------
def ent_ref(z, weight=0.1, reduction='mean'):
    p = F.softmax(z, 1)
    h = -(p * torch.where(p > 0, p.log(), torch.zeros_like(p))).sum(1)
    return RED[reduction](weight * h)


cases += [
    case('entropy-minimization', 'weight 0.1 (default)', ent_ref, [x]),
    case('entropy-minimization', 'weight 1, none', ent_ref, [x], {'weight': 1, 'reduction': 'none'}, {'weight': 1.0, 'reduction': 'none'}),
    case('entropy-minimization', 'logits of ±1e4 (value only)', ent_ref, [big], {'reduction': 'sum'}, {'reduction': 'sum'}, grad=False),
]


# ---- fedld-margin-control: the authors' MarginalLogLoss (CE + lambda log(1 + ||softmax||^2)) ------------------
def fedld_ref(z, t, lam=0.03):
    return F.cross_entropy(z, t) + lam * torch.log(1 + torch.norm(F.softmax(z, 1), p=2) ** 2)


cases += [
    case('fedld-margin-control', 'lambda 0.03 (default)', fedld_ref, [x, y]),
    case('fedld-margin-control', 'lambda 1', fedld_ref, [x, y], {'lambda': 1}, {'lam': 1.0}),
    case('fedld-margin-control', 'logits of ±1e4', fedld_ref, [big, ybig]),
]


# ---- maxnorm-constraint: torch.renorm-style projection onto the ball of radius delta -------------------------
def maxnorm_ref(w, delta=1.0):
    n = w.norm(dim=-1, keepdim=True)
    return w * torch.clamp(delta / n, max=1.0)


wm = randn(5, 4) * torch.tensor([[0.1], [1.0], [0.3], [2.0], [0.2]])
cases += [
    case('maxnorm-constraint', 'delta 1 (default): rows inside and outside the ball', maxnorm_ref, [wm]),
    case('maxnorm-constraint', 'delta 0.5', maxnorm_ref, [wm], {'delta': 0.5}, {'delta': 0.5}),
    case('maxnorm-constraint', 'torch.renorm(p=2, dim=0, maxnorm=0.7)', lambda w: torch.renorm(w, 2, 0, 0.7), [wm], {'delta': 0.7}, grad=False),
]


# ---- dropblock: given block centres, timm-style valid region, max-pool, rescale ---------------------------------
def dropblock_ref(xx, seeds, block=5):
    B, Cc, H, W = xx.shape
    k = min(block, H, W)
    ii = torch.arange(H).view(H, 1)
    jj = torch.arange(W).view(1, W)
    valid = ((ii >= k // 2) & (ii < H - (k - 1) // 2) & (jj >= k // 2) & (jj < W - (k - 1) // 2)).double()
    s = seeds * valid
    dropped = torch.zeros_like(s)
    for a in range(H):  # output (a, b) is dropped when a seed lies in rows a - k//2 .. a + (k-1)//2 (the block around it)
        for b in range(W):
            r0, r1 = max(0, a - (k - 1) // 2), min(H, a + k // 2 + 1)
            c0, c1 = max(0, b - (k - 1) // 2), min(W, b + k // 2 + 1)
            dropped[:, :, a, b] = s[:, :, r0:r1, c0:c1].amax(dim=(-2, -1))
    mask = 1 - dropped
    return xx * mask * mask.numel() / (mask.sum() + 1e-7)


xd = randn(2, 3, 7, 8)
seeds = (rand(2, 3, 7, 8) < 0.08).double()
cases += [
    case('dropblock', 'block 3 from given seeds', lambda a: dropblock_ref(a, seeds, 3), [xd], {'seeds': seeds, 'blockSize': 3}),
    case('dropblock', 'block 4 (even: block spans centre - 1 .. centre + 2)', lambda a: dropblock_ref(a, seeds, 4), [xd], {'seeds': seeds, 'blockSize': 4}),
    case('dropblock', 'block 5 (default)', lambda a: dropblock_ref(a, seeds, 5), [xd], {'seeds': seeds}),
    case('dropblock', 'training false is the identity', lambda a: a * 1, [xd], {'training': False}),
]


# ---- adaround ------------------------------------------------------------------------------------------------
def adaround_ref(W, V, X, s, zeta=1.1, gamma=-0.1, lam=0.01, beta=20.0, n=-8, p=7):
    h = torch.clamp(torch.sigmoid(V) * (zeta - gamma) + gamma, 0, 1)
    wq = s * torch.clamp(torch.floor(W.detach() / s.detach()) + h, n, p)
    rec = ((X @ W.t() - X @ wq.t()) ** 2).sum()
    freg = (1 - (2 * h - 1).abs() ** beta).sum()
    return rec + lam * freg


Wa = randn(4, 6) * 0.5
Va = randn(4, 6) * 1.5
Xa = randn(10, 6)
sa = torch.tensor([[0.1], [0.15], [0.08], [0.2]])
cases += [
    case('adaround', 'per-channel step, beta 20 (default)', adaround_ref, [Wa, Va, Xa, sa]),
    case('adaround', 'one step, beta 2, lambda 0.1', lambda W, V, X, s: adaround_ref(W, V, X, s, lam=0.1, beta=2.0), [Wa, Va, Xa, torch.tensor(0.12)], {'beta': 2, 'lam': 0.1}),
    case('adaround', '3-bit unsigned grid (clipped)', lambda W, V, X, s: adaround_ref(W, V, X, s, n=0, p=7), [Wa, Va, Xa, sa], {'qMin': 0, 'qMax': 7}),
]


# ---- dbat-disagreement: the D-BAT paper's two forms, eps 1e-7 ------------------------------------------------
def dbat_ref(p2, p1, alpha=1.0, eps=1e-7, reduction='mean'):
    p1 = p1.detach()
    if p2.shape[1] == 2:
        v = -torch.log(p1[:, 0] * p2[:, 1] + p1[:, 1] * p2[:, 0] + eps)
    else:
        idx = torch.arange(p1.shape[0])
        a = p1.argmax(1)
        b = p2.argmax(1)
        v = -torch.log(p1[idx, a] * (1 - p2[idx, a]) + p2[idx, b] * (1 - p1[idx, b]) + eps)
    return RED[reduction](alpha * v)


p2 = F.softmax(randn(N, C), 1)
p1 = F.softmax(randn(N, C) * 2, 1)
p2b = F.softmax(randn(N, 2), 1)
p1b = F.softmax(randn(N, 2), 1)
cases += [
    case('dbat-disagreement', 'multiclass', dbat_ref, [p2, p1]),
    case('dbat-disagreement', 'binary (C = 2), none, alpha 0.5', lambda a, b: dbat_ref(a, b, alpha=0.5, reduction='none'), [p2b, p1b], {'alpha': 0.5, 'reduction': 'none'}),
    case('dbat-disagreement', 'one-hot probabilities (the eps keeps the log finite)', dbat_ref, [torch.eye(3), torch.eye(3)], {}, grad=False),
]


# ---- divdis-diversity: pairwise MI between heads (ordered pairs i != j) + KL of the marginals to the prior ------
def divdis_ref(p, lam1=1.0, lam2=1.0, prior=None):
    H, Nn, Cc = p.shape
    mi = 0
    for i in range(H):
        for j in range(H):
            if i == j:
                continue
            joint = sum(torch.outer(p[i, n], p[j, n]) for n in range(Nn)) / Nn
            prod = torch.outer(p[i].mean(0), p[j].mean(0))
            mi = mi + (joint * (joint.log() - prod.log())).sum()
    q = torch.full((Cc,), 1 / Cc) if prior is None else prior
    reg = sum((p[h].mean(0) * (p[h].mean(0).log() - q.log())).sum() for h in range(H))
    return lam1 * mi + lam2 * reg


pd = F.softmax(randn(3, 8, 4) * 1.5, -1)
prior = torch.tensor([0.4, 0.3, 0.2, 0.1])
cases += [
    case('divdis-diversity', 'three heads, uniform prior', divdis_ref, [pd]),
    case('divdis-diversity', 'given prior, lambda1 2, lambda2 0.5', lambda p: divdis_ref(p, 2.0, 0.5, prior), [pd], {'lambda1': 2, 'lambda2': 0.5, 'prior': prior}),
]


# ---- domain-alignment-split-penalty ------------------------------------------------------------------------------
def split_ref(sS, sT, weight=1.0, form='cross-domain'):
    ms, mt = sS.mean(-1), sT.mean(-1)
    pen = (ms - mt) ** 2 if form == 'cross-domain' else (ms - 0.5) ** 2 + (mt - 0.5) ** 2
    return weight * pen.sum()


sS = torch.sigmoid(randn(4, 7))
sT = torch.sigmoid(randn(4, 5) + 0.5)
cases += [
    case('domain-alignment-split-penalty', 'cross-domain', split_ref, [sS, sT]),
    case('domain-alignment-split-penalty', 'balanced, weight 0.3', lambda a, b: split_ref(a, b, 0.3, 'balanced'), [sS, sT], {'form': 'balanced', 'weight': 0.3}),
]


# ---- domain-balance-loss: -mean[0.5 log D + 0.5 log(1 - D)], D = sigmoid(d) ----------------------------------------
def dbal_ref(d, weight=1.0, reduction='mean'):
    D = torch.sigmoid(d)
    return RED[reduction](-weight * (0.5 * torch.log(D) + 0.5 * torch.log(1 - D)))


dd = randn(8) * 2
cases += [
    case('domain-balance-loss', 'discriminator logits', dbal_ref, [dd]),
    case('domain-balance-loss', 'weight 2, none', lambda d: dbal_ref(d, 2.0, 'none'), [dd], {'weight': 2, 'reduction': 'none'}),
    case('domain-balance-loss', 'logits of ±1e4 (softplus form)', lambda d: (F.softplus(-d) + F.softplus(d)).mul(0.5).mean(), [torch.tensor([1e4, -1e4, 0.0])]),
]


# ---- fedbr-output-balancing: KL(u || softmax(z)) --------------------------------------------------------------
def fedbr_ref(z, weight=1.0, reduction='mean'):
    K = z.shape[1]
    u = torch.full_like(z, 1 / K)
    v = (u * (u.log() - F.log_softmax(z, 1))).sum(1)
    return RED[reduction](weight * v)


cases += [
    case('fedbr-output-balancing', 'KL to uniform', fedbr_ref, [x]),
    case('fedbr-output-balancing', 'torch kl_div(batchmean), weight 0.5', lambda z: 0.5 * F.kl_div(F.log_softmax(z, 1), torch.full_like(z, 1 / z.shape[1]), reduction='batchmean'), [x], {'weight': 0.5}),
    case('fedbr-output-balancing', 'none', lambda z: fedbr_ref(z, reduction='none'), [x], {'reduction': 'none'}),
]


# ---- feature-norm-regularizer ----------------------------------------------------------------------------------
h = randn(6, 8)
cases += [
    case('feature-norm-regularizer', 'lambda_FR 1e-4 (default)', lambda a: 1e-4 * (a.norm(dim=1) ** 2).mean(), [h]),
    case('feature-norm-regularizer', 'lambda_FR 0.5, none', lambda a: 0.5 * a.norm(dim=1) ** 2, [h], {'lambdaFR': 0.5, 'reduction': 'none'}),
]


# ---- fourier-head-freq-reg: gamma sum_k k^2 |c_k|^2 over complex coefficients -------------------------------------
def fourier_ref(re, im=None, gamma=1e-6, reduction='mean'):
    c = torch.complex(re, im if im is not None else torch.zeros_like(re))
    k = torch.arange(1, re.shape[1] + 1, dtype=torch.float64)
    return RED[reduction](gamma * (k ** 2 * c.abs() ** 2).sum(1))


cre, cim = randn(4, 6), randn(4, 6)
cases += [
    case('fourier-head-freq-reg', 'complex coefficients, gamma 1e-6', fourier_ref, [cre, cim]),
    case('fourier-head-freq-reg', 'real coefficients, gamma 0.01, sum', lambda a: fourier_ref(a, gamma=0.01, reduction='sum'), [cre], {'gamma': 0.01, 'reduction': 'sum'}),
]


# ---- gradient-collision: sum_{i<j} cos(g_i, g_j) -----------------------------------------------------------------
def gc_ref(G, weight=1.0):
    B = G.shape[0]
    return weight * sum(F.cosine_similarity(G[i], G[j], dim=0) for i in range(B) for j in range(i + 1, B))


Gc = randn(4, 10)
cases += [
    case('gradient-collision', 'four mini-batch gradients', gc_ref, [Gc]),
    case('gradient-collision', 'two, weight 0.1', lambda a: gc_ref(a, 0.1), [Gc[:2]], {'weight': 0.1}),
]


# ---- fairness-disparity-penalty ------------------------------------------------------------------------------------
def fair_ref(l, gid, lam=1.0, penalty='abs'):
    overall = l.mean()
    means = torch.stack([l[gid == k].mean() for k in sorted(set(gid.tolist()))])
    if penalty == 'abs':
        return overall + lam * (means - overall).abs().sum()
    return overall + lam * means.var(unbiased=False)


lf = rand(9) * 2
gf = torch.tensor([0, 2, 2, 0, 1, 2, 0, 0, 1])
gsparse = torch.tensor([0, 3, 3, 0, 1, 3, 0, 0, 1])  # group 2 empty
cases += [
    case('fairness-disparity-penalty', 'group ids, abs', fair_ref, [lf, gf]),
    case('fairness-disparity-penalty', 'group ids with an empty group, variance, lambda 2', lambda l, gg: fair_ref(l, gg, 2.0, 'variance'), [lf, gsparse], {'lambda': 2, 'penalty': 'variance'}),
    case('fairness-disparity-penalty', 'membership matrix (one-hot rows)', lambda l, m: fair_ref(l, gf), [lf, F.one_hot(gf, 3).double()]),
]


# ---- febs: per-group upper bound, weights normalised to mean 1 over the groups present ------------------------------
def febs_ref(l, gid, bound='mean-std', k=1.0, reduction='mean'):
    d = l.detach()
    groups = sorted(set(gid.tolist()))
    ub = {}
    for gg in groups:
        v = d[gid == gg]
        ub[gg] = v.max() if bound == 'max' else v.mean() + k * v.std(unbiased=False)
    avg = sum(ub.values()) / len(groups)
    w = torch.stack([ub[int(gg)] / avg for gg in gid])
    return RED[reduction](w * l)


cases += [
    case('febs', 'mean + std bound', febs_ref, [lf, gf]),
    case('febs', 'max bound, empty group, none', lambda l, gg: febs_ref(l, gg, 'max', reduction='none'), [lf, gsparse], {'bound': 'max', 'reduction': 'none'}),
    case('febs', 'mean + 2 std, sum', lambda l, gg: febs_ref(l, gg, k=2.0, reduction='sum'), [lf, gf], {'k': 2, 'reduction': 'sum'}),
]


# ---- igb-task-weighting --------------------------------------------------------------------------------------------
def igb_ref(L, L0, tau=1.0, gap='ratio'):
    L0 = L0.detach()
    gg = L.detach() / L0 if gap == "ratio" else L.detach() - L0
    w = len(L) * torch.exp(gg / tau) / torch.exp(gg / tau).sum()
    return (w * L).sum()


Lt = rand(4) * 2 + 0.1
L0 = rand(4) * 2 + 0.5
cases += [
    case('igb-task-weighting', 'ratio gaps, tau 1', igb_ref, [Lt, L0]),
    case('igb-task-weighting', 'difference gaps, tau 0.5', lambda a, b: igb_ref(a, b, 0.5, 'difference'), [Lt, L0], {'tau': 0.5, 'gap': 'difference'}),
]


# ---- convergesmooth ------------------------------------------------------------------------------------------------
def cs_ref(L, Lp, lam=1.0, stride=0.0, reduction='mean'):
    return RED[reduction](L + lam * F.relu((L - Lp.detach()).abs() - stride))


Lc = rand(6) * 2
Lp = Lc.detach() + torch.tensor([0.5, -0.05, 0.2, -0.8, 0.01, 0.3])
cases += [
    case('convergesmooth', 'per-sample losses, stride 0.1, lambda 2', lambda a, b: cs_ref(a, b, 2.0, 0.1), [Lc, Lp], {'lambda': 2, 'stride': 0.1}),
    case('convergesmooth', 'scalar batch loss (default)', cs_ref, [torch.tensor(1.7), torch.tensor(1.2)]),
    case('convergesmooth', 'none', lambda a, b: cs_ref(a, b, 0.5, 0.25, 'none'), [Lc, Lp], {'lambda': 0.5, 'stride': 0.25, 'reduction': 'none'}),
]


# ---- arl-modality-reweighting ----------------------------------------------------------------------------------------
def arl_ref(fused, uni, t, eps=1e-8):
    loss = F.cross_entropy(fused, t)
    M = uni.shape[0]
    inv, terms = [], []
    for m in range(M):
        p = F.softmax(uni[m], 1)[torch.arange(len(t)), t]
        inv.append(1 / (p.detach().var(unbiased=False) + eps))
        terms.append(F.cross_entropy(uni[m], t) + (1 - p).mean() ** 2)
    inv = torch.stack(inv)
    alpha = inv / inv.sum()
    return loss + sum(alpha[m] * terms[m] for m in range(M))


cases += [
    case('arl-modality-reweighting', 'two modalities', arl_ref, [x, torch.stack([randn(N, C), randn(N, C) * 3]), y]),
    case('arl-modality-reweighting', 'three modalities', arl_ref, [x, randn(3, N, C) * 2, y]),
]


# ---- kernel-causal-balancing --------------------------------------------------------------------------------------
def kcb_ref(ph, o, xx, c, bw=1.0, w=None):
    M = ph.shape[0]
    phi = torch.exp(-torch.cdist(xx, c) ** 2 / (2 * bw ** 2))  # [M, J]
    gap = ((o / ph)[:, None] * phi).sum(0) - phi.sum(0)
    w = torch.ones(c.shape[0]) if w is None else w
    return (w * gap ** 2).sum() / M ** 2


ph = rand(10) * 0.8 + 0.15
ob = (rand(10) < 0.4).double()
xk = randn(10, 3)
ck = randn(4, 3)
wk = torch.tensor([0.5, 1.0, 2.0, 0.25])
cases += [
    case('kernel-causal-balancing', 'bandwidth 1, uniform landmark weights', kcb_ref, [ph, ob, xk, ck]),
    case('kernel-causal-balancing', 'bandwidth 0.7, landmark weights', lambda a, b, c2, d: kcb_ref(a, b, c2, d, 0.7, wk), [ph, ob, xk, ck], {'bandwidth': 0.7, 'landmarkWeights': wk}),
]


# ---- ignite-sharpness-constraint -------------------------------------------------------------------------------------
def ignite_ref(base, G, lam=0.0, eps=0.1):
    return base + lam * (G.norm(dim=1).mean() - eps)


cases += [
    case('ignite-sharpness-constraint', 'lambda 0.7, eps 0.5', lambda a, b: ignite_ref(a, b, 0.7, 0.5), [torch.tensor(0.9), randn(5, 7)], {'lam': 0.7, 'eps': 0.5}),
    case('ignite-sharpness-constraint', 'lambda 0 (start): the base loss', ignite_ref, [torch.tensor(0.9), randn(5, 7)]),
]


# ---- adawpt-pruning-loss ---------------------------------------------------------------------------------------------
def adawpt_ref(xr, ys, c, m, lam=1.0, rec='l1', eps=1e-3):
    r = (xr - ys).abs().mean() if rec == 'l1' else torch.sqrt((xr - ys) ** 2 + eps ** 2).mean()
    return r + lam * F.binary_cross_entropy(c, m)


xr, ys = randn(2, 3, 4, 4), randn(2, 3, 4, 4)
ck2 = rand(2, 4) * 0.9 + 0.05
mk = torch.tensor([[1.0, 0, 0, 1], [0, 0, 1, 1]])
cases += [
    case('adawpt-pruning-loss', 'L1 + BCE', adawpt_ref, [xr, ys, ck2, mk]),
    case('adawpt-pruning-loss', 'Charbonnier, lambda 0.1', lambda a, b, c2, d: adawpt_ref(a, b, c2, d, 0.1, 'charbonnier'), [xr, ys, ck2, mk], {'lambda': 0.1, 'rec': 'charbonnier'}),
]


# ---- f2c-consensus-alignment -------------------------------------------------------------------------------------------
def f2c_ref(R, Z):
    Z = Z.detach()
    out = []
    for i in range(R.shape[0]):
        vote = Z[i].argmax(-1)
        counts = torch.bincount(vote, minlength=Z.shape[-1])
        yhat = int(counts.argmax())  # first maximum
        conf = F.softmax(Z[i], -1)[:, yhat]
        maj = vote == yhat
        anchor = maj & (conf >= conf[maj].mean())
        centre = R[i][anchor].detach().mean(0)
        others = [v for v in range(R.shape[1]) if not anchor[v]]
        out.append(sum(1 - F.cosine_similarity(R[i, v], centre, dim=0) for v in others) / max(len(others), 1) if others else torch.tensor(0.0))
    return torch.stack([o if isinstance(o, torch.Tensor) else torch.tensor(o) for o in out]).mean()


Rf = randn(4, 5, 6)
Zf = randn(4, 5, 3) * 2
cases += [case('f2c-consensus-alignment', 'five variants, three classes', f2c_ref, [Rf, Zf])]

write('regularizer_a', cases)
