"""Robust / noisy-label objectives, each written from its paper's formula (or the authors' released code where the
catalog points to it) in plain PyTorch float64 — loops and torch's own functions, no shared code with graft."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(11)
N, C = 6, 5
x = torch.randn(N, C, generator=g) * 2
y = torch.tensor([0, 3, 4, 1, 1, 2])
big = torch.tensor([[1e4, -1e4, 0.0, 5e3], [-1e4, 1e4, 2.0, -3.0], [0.0, -1e4, 1e4, 1e4]])
ybig = torch.tensor([0, 2, 3])
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []


def probs(z):
    return torch.softmax(z, dim=1)


# ---- gce: (1 - p_y^q)/q (Zhang & Sabuncu 2018) ---------------------------------------------------
def gce_ref(z, t, q=0.7, reduction='mean'):
    py = probs(z)[torch.arange(len(t)), t]
    v = -torch.log(py) if q == 0 else (1 - py ** q) / q
    return RED[reduction](v)


cases += [case('gce', 'q = 0.7', gce_ref, [x, y]),
          case('gce', 'q = 0.3, none', gce_ref, [x, y], {'q': 0.3, 'reduction': 'none'}, {'q': 0.3, 'reduction': 'none'}),
          case('gce', 'q = 0 is cross-entropy, sum', gce_ref, [x, y], {'q': 0, 'reduction': 'sum'}, {'q': 0, 'reduction': 'sum'}),
          case('gce', 'q = 1 is 1 - p_y', gce_ref, [x, y], {'q': 1}, {'q': 1.0})]


# ---- mae-prob: sum_k |onehot - p| ---------------------------------------------------------------
def mae_ref(z, t, scale=2.0, reduction='mean'):
    v = (F.one_hot(t, z.shape[1]).double() - probs(z)).abs().sum(1) * (scale / 2)
    return RED[reduction](v)


cases += [case('mae-prob', 'scale 2 (L1 on the simplex)', mae_ref, [x, y], {'reduction': 'none'}, {'reduction': 'none'}),
          case('mae-prob', 'scale 1', mae_ref, [x, y], {'scale': 1}, {'scale': 1.0})]


# ---- rce: -sum_k p_k log clamp(onehot_k, e^A, 1) ------------------------------------------------
def rce_ref(z, t, A=-4.0, reduction='mean'):
    oh = torch.clamp(F.one_hot(t, z.shape[1]).double(), min=math.exp(A), max=1.0)
    return RED[reduction](-(probs(z) * torch.log(oh)).sum(1))


cases += [case('rce', 'A = -4', rce_ref, [x, y], {'reduction': 'none'}, {'reduction': 'none'}),
          case('rce', 'A = log 1e-4 (released code)', rce_ref, [x, y], {'A': math.log(1e-4)}, {'A': math.log(1e-4)})]


# ---- normalized-ce / normalized-focal / apl (Ma et al. 2020) -------------------------------------
def nce_ref(z, t, reduction='mean'):
    lp = F.log_softmax(z, 1)
    v = torch.stack([-lp[i, t[i]] / -(lp[i].sum()) for i in range(len(t))])
    return RED[reduction](v)


def focal_all(z, gamma):
    lp = F.log_softmax(z, 1)
    return -((1 - lp.exp()) ** gamma) * lp


def nfl_ref(z, t, gamma=0.5, reduction='mean'):
    fl = focal_all(z, gamma)
    v = torch.stack([fl[i, t[i]] / fl[i].sum() for i in range(len(t))])
    return RED[reduction](v)


def apl_ref(z, t, alpha=1.0, beta=1.0, active='nce', passive='rce', A=-4.0, gamma=0.5, reduction='mean'):
    act = nce_ref(z, t, 'none') if active == 'nce' else nfl_ref(z, t, gamma, 'none')
    pas = rce_ref(z, t, A, 'none') if passive == 'rce' else mae_ref(z, t, 2.0, 'none')
    return RED[reduction](alpha * act + beta * pas)


cases += [case('normalized-ce', 'NCE', nce_ref, [x, y], {'reduction': 'none'}, {'reduction': 'none'}),
          case('normalized-ce', 'NCE at logits of ±1e4', nce_ref, [big, ybig], {'reduction': 'none'}, {'reduction': 'none'}),
          case('normalized-focal', 'NFL gamma 0.5', nfl_ref, [x, y], {'reduction': 'none'}, {'reduction': 'none'}),
          case('normalized-focal', 'NFL gamma 2, sum', nfl_ref, [x, y], {'gamma': 2, 'reduction': 'sum'}, {'gamma': 2.0, 'reduction': 'sum'}),
          case('apl', 'NCE+RCE', apl_ref, [x, y]),
          case('apl', 'NCE+MAE, alpha 10 beta 0.1', apl_ref, [x, y], {'passive': 'mae', 'alpha': 10, 'beta': 0.1}, {'passive': 'mae', 'alpha': 10.0, 'beta': 0.1}),
          case('apl', 'NFL+RCE, none', apl_ref, [x, y], {'active': 'nfl', 'reduction': 'none'}, {'active': 'nfl', 'reduction': 'none'}),
          case('apl', 'NFL+MAE gamma 1', apl_ref, [x, y], {'active': 'nfl', 'passive': 'mae', 'gamma': 1}, {'active': 'nfl', 'passive': 'mae', 'gamma': 1.0})]


# ---- cw-margin: -max(z_y - max_{k!=y} z_k, -kappa) -----------------------------------------------
def cw_ref(z, t, kappa=0.0, reduction='mean'):
    v = []
    for i in range(len(t)):
        other = max(z[i, k] for k in range(z.shape[1]) if k != t[i])
        v.append(-torch.maximum(z[i, t[i]] - other, torch.tensor(-kappa)))
    return RED[reduction](torch.stack(v))


xm = x.clone()
xm[1, 3] -= 5  # a misclassified row, so the clamp bites
cases += [case('cw-margin', 'kappa 0', cw_ref, [xm, y], {'reduction': 'none'}, {'reduction': 'none'}),
          case('cw-margin', 'kappa 50, sum', cw_ref, [xm, y], {'kappa': 50, 'reduction': 'sum'}, {'kappa': 50.0, 'reduction': 'sum'})]


# ---- avg-top-k, cvar (min over eta form), kl-dro-reweight ----------------------------------------
losses = torch.rand(10, generator=g) * 3


def topk_ref(l, k=1):
    return torch.sort(l, descending=True).values[:k].mean()


def cvar_ref(l, alpha=0.1):
    # Rockafellar-Uryasev: min over eta of eta + mean(relu(l - eta))/alpha; the minimum is at a loss value.
    vals = [e + F.relu(l - e).mean() / alpha for e in l]
    return torch.stack(vals).min()


def kldro_ref(l, r=1.0, detach_weights=False):
    if detach_weights:
        w = torch.softmax(l.detach() / r, 0)
        return (w * l).sum()
    # max over w of w.l - r KL(w || u) evaluated at its maximiser w* = softmax(l/r)
    w = torch.softmax(l / r, 0)
    return (w * l).sum() - r * (w * torch.log(w * len(l))).sum()


cases += [case('avg-top-k', 'k = 1 (max)', topk_ref, [losses]),
          case('avg-top-k', 'k = 3', topk_ref, [losses], {'k': 3}, {'k': 3}),
          case('cvar', 'alpha 0.1 (top 1 of 10)', cvar_ref, [losses]),
          case('cvar', 'alpha 0.35 (fractional)', cvar_ref, [losses], {'alpha': 0.35}, {'alpha': 0.35}),
          case('cvar', 'alpha 1 (mean)', cvar_ref, [losses], {'alpha': 1}, {'alpha': 1.0}),
          case('kl-dro-reweight', 'r = 1', kldro_ref, [losses]),
          case('kl-dro-reweight', 'r = 5, detached weights', kldro_ref, [losses], {'r': 5, 'detachWeights': True}, {'r': 5.0, 'detach_weights': True})]


# ---- logit-clip ------------------------------------------------------------------------------------
def clip_ref(v, tau=1.0, p=2, eps=1e-12):
    out = []
    for row in v:
        nrm = torch.linalg.vector_norm(row, ord=p)
        out.append(row * torch.clamp(tau / torch.clamp(nrm, min=eps), max=1.0))
    return torch.stack(out)


small = torch.randn(3, 4, generator=g) * 0.1
cases += [case('logit-clip', 'tau 1, l2', clip_ref, [torch.cat([x[:, :4], small])]),
          case('logit-clip', 'tau 2.3, l1', clip_ref, [torch.cat([x[:, :4], small])], {'tau': 2.3, 'p': 1}, {'tau': 2.3, 'p': 1})]


# ---- ldr-kl: max over q in simplex of q.d - lam KL(q||u), solved by its closed form check ---------------
def ldr_ref(z, t, lam=10.0, c=0.1, normalize_scores=True, reduction='mean'):
    K = z.shape[1]
    f = F.softplus(z) / F.softplus(z).mean(1, keepdim=True) if normalize_scores else z
    v = []
    for i in range(len(t)):
        d = torch.stack([c * (k != t[i]) + f[i, k] - f[i, t[i]] for k in range(K)])
        q = torch.softmax(d / lam, 0)  # the maximiser
        v.append((q * d).sum() - lam * (q * torch.log(K * q)).sum())
    return RED[reduction](torch.stack(v))


cases += [case('ldr-kl', 'defaults (lam 10, c 0.1, softplus scores)', ldr_ref, [x, y]),
          case('ldr-kl', 'lam 1, c 1, raw scores, none', ldr_ref, [x, y], {'lam': 1, 'c': 1, 'normalizeScores': False, 'reduction': 'none'}, {'lam': 1.0, 'c': 1.0, 'normalize_scores': False, 'reduction': 'none'}),
          case('ldr-kl', 'lam 0.1', ldr_ref, [x, y], {'lam': 0.1}, {'lam': 0.1})]


# ---- easyllp (Busa-Fekete et al. 2023, the paper's estimator) ---------------------------------------
def easyllp_ref(z, a, bag_size=1.0, prior=None, reduction='mean'):
    p = a.mean(0) if prior is None else prior
    yt = bag_size * (a - p) + p
    if z.dim() == 1:
        v = yt * F.binary_cross_entropy_with_logits(z, torch.ones_like(z), reduction='none') + (1 - yt) * F.binary_cross_entropy_with_logits(z, torch.zeros_like(z), reduction='none')
    else:
        v = torch.stack([sum(yt[i, c] * F.cross_entropy(z[i:i + 1], torch.tensor([c])) for c in range(z.shape[1])) for i in range(z.shape[0])])
    return RED[reduction](v)


zb = torch.randn(8, generator=g) * 2
ab = torch.tensor([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75])
am = torch.softmax(torch.randn(N, C, generator=g), 1)
cases += [case('easyllp', 'binary, bags of 4, prior 0.4', easyllp_ref, [zb, ab], {'bagSize': 4, 'prior': 0.4, 'reduction': 'none'}, {'bag_size': 4.0, 'prior': 0.4, 'reduction': 'none'}),
          case('easyllp', 'binary, prior from the batch, k = 2', easyllp_ref, [zb, ab], {'bagSize': 2}, {'bag_size': 2.0}),
          case('easyllp', 'multiclass, prior [C], k = 3', easyllp_ref, [x, am], {'bagSize': 3, 'prior': torch.full((C,), 0.2)}, {'bag_size': 3.0, 'prior': torch.full((C,), 0.2)})]


# ---- group-dro (Sagawa et al. 2020) -----------------------------------------------------------------
def gdro_ref(l, grp, group_weights=None, eta=0.01, num_groups=None):
    G = num_groups or (len(group_weights) if group_weights is not None else int(grp.max()) + 1)
    means, present = [], []
    for gi in range(G):
        m = grp == gi
        means.append(l[m].mean() if m.any() else torch.tensor(0.0))
        present.append(bool(m.any()))
    means = torch.stack(means)
    if group_weights is None:
        return max(means[gi] for gi in range(G) if present[gi])
    q = group_weights * torch.exp(eta * means.detach())
    q = q / q.sum()
    return (q * means).sum()


lg = torch.rand(8, generator=g) * 2
grp = torch.tensor([0, 1, 1, 3, 0, 3, 3, 1])  # group 2 is empty
q0 = torch.tensor([0.1, 0.2, 0.3, 0.4])
cases += [case('group-dro', 'hard worst group, an empty group', gdro_ref, [lg, grp]),
          case('group-dro', 'online step, eta 0.5', gdro_ref, [lg, grp], {'groupWeights': q0, 'eta': 0.5}, {'group_weights': q0, 'eta': 0.5}),
          case('group-dro', 'membership mask [N, G]', lambda l, m: gdro_ref(l, m.argmax(1)), [lg, F.one_hot(grp, 4).double()])]



# ---- aldr-kl: lam_i from the previous lam (official closed form), then the LDR-KL value minus the penalty ----
def aldr_ref(z, t, lambda_prev=None, alpha=2.0, lam0=10.0, c=0.1, lam_min=1e-3, reduction='mean'):
    K = z.shape[1]
    f = F.softplus(z) / F.softplus(z).mean(1, keepdim=True)
    v = []
    for i in range(len(t)):
        prev = lam0 if lambda_prev is None else float(lambda_prev[i])
        q = torch.softmax(f[i].detach() / prev, 0)
        kl = (q * torch.log(K * q)).sum()
        lam = max(float(lam0 - lam0 * kl / (alpha * math.log(K))), lam_min)
        d = torch.stack([c * (k != t[i]) + f[i, k] - f[i, t[i]] for k in range(K)])
        v.append(lam * (torch.logsumexp(d / lam, 0) - math.log(K)) - alpha * math.log(K) / (2 * lam0) * (lam - lam0) ** 2)
    return RED[reduction](torch.stack(v))


lp = torch.tensor([10.0, 0.5, 3.0, 10.0, 0.05, 1.0])
cases += [case('aldr-kl', 'first visit (lam_prev = lam0)', aldr_ref, [x * 3, y]),
          case('aldr-kl', 'given lam_prev, none', aldr_ref, [x * 3, y], {'lambdaPrev': lp, 'reduction': 'none'}, {'lambda_prev': lp, 'reduction': 'none'}),
          case('aldr-kl', 'alpha 0.5, lam0 1 (lam floored)', aldr_ref, [x * 3, y], {'alpha': 0.5, 'lam0': 1}, {'alpha': 0.5, 'lam0': 1.0})]


# ---- reliability-filtered-entropy-min ----------------------------------------------------------------
def rfem_ref(z, e0_factor=0.4):
    p = torch.softmax(z, 1)
    H = -(p * torch.log(p)).sum(1)
    m = (H.detach() < e0_factor * math.log(z.shape[1])).double()
    return (m * H).sum() / max(1.0, float(m.sum()))


zr = torch.randn(8, 4, generator=g) * 3
cases += [case('reliability-filtered-entropy-min', 'E0 = 0.4 ln C', rfem_ref, [zr]),
          case('reliability-filtered-entropy-min', 'E0 = 0.8 ln C', rfem_ref, [zr], {'e0Factor': 0.8}, {'e0_factor': 0.8})]


# ---- f2c-consensus-ce: majority vote (ties -> lowest class), mean CE over variants -----------------
def f2c_ref(z, reduction='mean'):
    out = []
    for n in range(z.shape[0]):
        votes = [0] * z.shape[2]
        for v in range(z.shape[1]):
            votes[int(z[n, v].argmax())] += 1
        yhat = max(range(len(votes)), key=lambda k: (votes[k], -k))
        out.append(torch.stack([F.cross_entropy(z[n, v:v + 1], torch.tensor([yhat])) for v in range(z.shape[1])]).mean())
    return RED[reduction](torch.stack(out))


zf = torch.randn(4, 5, 3, generator=g) * 2
zf[3] = torch.tensor([[2.0, 1, 0], [0, 2, 1], [1, 0, 2], [2, 0, 1], [0, 2, 1]])  # a 2-2-1 tie: class 0 wins
cases += [case('f2c-consensus-ce', 'V = 5 variants, a tie', f2c_ref, [zf], {'reduction': 'none'}, {'reduction': 'none'}),
          case('f2c-consensus-ce', 'mean', f2c_ref, [zf])]


# ---- md-attack -------------------------------------------------------------------------------------
def md_ref(z, t, step=0, steps=20, stage1_fraction=0.2, term='target', reduction='mean'):
    v = []
    for i in range(len(t)):
        other = max(z[i, k] for k in range(z.shape[1]) if k != t[i])
        if step < int(stage1_fraction * steps):
            v.append(-z[i, t[i]] if term == 'target' else other)
        else:
            v.append(other - z[i, t[i]])
    return RED[reduction](torch.stack(v))


cases += [case('md-attack', 'stage 1, -z_y', md_ref, [x, y], {'reduction': 'none'}, {'reduction': 'none'}),
          case('md-attack', 'stage 1, max other', md_ref, [x, y], {'term': 'other', 'step': 3}, {'term': 'other', 'step': 3}),
          case('md-attack', 'stage 2 (step 4 of 20)', md_ref, [x, y], {'step': 4, 'reduction': 'sum'}, {'step': 4, 'reduction': 'sum'})]


# ---- smooth-adv-comp-sum -------------------------------------------------------------------------------
def sac_ref(z, za, t, nu=1.0, tau=1.0, reduction='mean'):
    py = torch.softmax(z, 1)[torch.arange(len(t)), t]
    phi = -torch.log(py) if tau == 1 else (py ** (tau - 1) - 1) / (1 - tau)
    dz = z - z[torch.arange(len(t)), t].unsqueeze(1)
    dza = za - za[torch.arange(len(t)), t].unsqueeze(1)
    return RED[reduction](phi + nu * torch.linalg.vector_norm(dza - dz, dim=1))


xa = x + 0.3 * torch.randn(N, C, generator=g)
cases += [case('smooth-adv-comp-sum', 'tau 1, nu 1', sac_ref, [x, xa, y]),
          case('smooth-adv-comp-sum', 'tau 1.5, nu 6, none', sac_ref, [x, xa, y], {'tau': 1.5, 'nu': 6, 'reduction': 'none'}, {'tau': 1.5, 'nu': 6.0, 'reduction': 'none'})]


# ---- taylor-pu-loss (the authors' TaylorVarPULoss) -----------------------------------------------------
def tpu_ref(fp, fu, order=1):
    t = torch.sigmoid(fu).mean()
    return -sum((1 - t) ** k / k for k in range(1, order + 1)) - torch.log(torch.sigmoid(fp)).mean()


fp = torch.randn(5, generator=g) + 1
fu = torch.randn(7, generator=g)
cases += [case('taylor-pu-loss', 'order 1', tpu_ref, [fp, fu]),
          case('taylor-pu-loss', 'order 4', tpu_ref, [fp, fu], {'order': 4}, {'order': 4})]


# ---- meta-loss-rescaling, dafa, pld-resampling, cpr-rejection, stratified-rejection-loss ------------------
wts = torch.rand(10, generator=g) + 0.1
cases += [case('meta-loss-rescaling', 'weighted mean', lambda l, w: (w * l).sum() / w.sum(), [losses, wts])]
ld = torch.rand(6, generator=g) * 2
wc = torch.tensor([1.2, 0.8, 1.0, 0.9, 1.1])
cases += [case('dafa', 'class-weighted mean', lambda l, t, w: (w[t] * l).mean(), [ld, y, wc]),
          case('dafa', 'none', lambda l, t, w: w[t] * l, [ld, y, wc], {'reduction': 'none'})]
lpool = torch.rand(3, 4, generator=g) * 3
cases += [case('pld-resampling', 'tau 1', lambda l: torch.softmax(-l, 1), [lpool]),
          case('pld-resampling', 'tau 0.5', lambda l: torch.softmax(-l / 0.5, 1), [lpool], {'tau': 0.5})]
xt = x.clone()
xt[[1, 4]] = xt[[1, 4]].flip(1)
cases += [case('cpr-rejection', 'argmax changes in rows 1 and 4', lambda a, b: (a.argmax(1) != b.argmax(1)).double(), [x, xt])]


def srl_ref(correct, rejected, epsp, form='ramp', alpha=0.5, t=2.0, eps=8 / 255, reduction='mean'):
    v = []
    for i in range(len(correct)):
        if rejected[i] > 0.5:
            v.append((epsp[i] <= alpha * eps).double() if form == 'step' else (1 - torch.clamp(epsp[i], max=eps) / eps) ** t)
        else:
            v.append(1 - correct[i])
    return RED[reduction](torch.stack(v))


cor = torch.tensor([1.0, 0, 1, 0, 1, 0])
rej = torch.tensor([0.0, 0, 1, 1, 1, 1])
ep = torch.tensor([0.01, 0.02, 0.005, 0.02, 0.04, 0.0])
cases += [case('stratified-rejection-loss', 'ramp t = 2', srl_ref, [cor, rej, ep], {'reduction': 'none'}, {'reduction': 'none'}),
          case('stratified-rejection-loss', 'step alpha 0.5', srl_ref, [cor, rej, ep], {'form': 'step'}, {'form': 'step'}, grad=False)]


# ---- tabasco-wjsd (probabilities, directly) and tabasco-acd (loops) ---------------------------------------
def wjsd_ref(z, t, reduction='none'):
    p = torch.softmax(z, 1)
    v = []
    for i in range(len(t)):
        oh = F.one_hot(t[i], z.shape[1]).double()
        w1 = p[i, t[i]]
        m = w1 * p[i] + (1 - w1) * oh
        kl_pm = (p[i] * torch.log(p[i] / m)).sum()
        kl_om = -torch.log(m[t[i]])
        v.append(w1 * kl_pm + (1 - w1) * kl_om)
    return RED[reduction](torch.stack(v))


def acd_ref(f, p, t, confident_ratio=0.5, reduction='none'):
    fn = f / f.norm(dim=1, keepdim=True)
    cents = {}
    for k in range(p.shape[1]):
        idx = [i for i in range(len(t)) if t[i] == k]
        if not idx:
            continue
        idx.sort(key=lambda i: (-float(p[i, k]), i))
        keep = idx[:math.ceil(confident_ratio * len(idx))]
        cents[k] = fn[keep].mean(0)
    v = torch.stack([1 - F.cosine_similarity(f[i], cents[int(t[i])], dim=0) for i in range(len(t))])
    return RED[reduction](v)


feats = torch.randn(N, 3, generator=g)
pr = torch.softmax(torch.randn(N, C, generator=g), 1)
cases += [case('tabasco-wjsd', 'per-sample scores', wjsd_ref, [x, y]),
          case('tabasco-wjsd', 'mean', wjsd_ref, [x, y], {'reduction': 'mean'}, {'reduction': 'mean'}),
          case('tabasco-acd', 'r = 0.5', lambda f, p, t: acd_ref(f, p, t), [feats, pr, y]),
          case('tabasco-acd', 'r = 1, sum', lambda f, p, t: acd_ref(f, p, t, 1.0, 'sum'), [feats, pr, y], {'confidentRatio': 1, 'reduction': 'sum'})]


# ---- spectral-risk-fdiv: the max over the permutahedron by enumerating every pooling of sorted positions ----
def perm_feasible(q, sigma):
    a, b = sorted(q.tolist()), sorted(sigma)
    if abs(sum(a) - sum(b)) > 1e-10:
        return False
    pa = pb = 0.0
    for u, v in zip(a, b):
        pa += u
        pb += v
        if pa < pb - 1e-10:
            return False
    return True


def srm_spectrum(n, kind, alpha=0.5, draws=2.0, rho=1.0):
    if kind == 'cvar':
        return [max(0.0, min((i + 1) / n, 1) - max(i / n, 1 - alpha)) / alpha for i in range(n)]
    if kind == 'extremile':
        return [((i + 1) ** draws - i ** draws) / n ** draws for i in range(n)]
    return [math.exp(-rho) * (math.exp(rho * (i + 1) / n) - math.exp(rho * i / n)) / (1 - math.exp(-rho)) for i in range(n)]


def srm_ref(l, nu=1.0, spectrum='cvar', divergence='chi2', **kw):
    n = len(l)
    sigma = srm_spectrum(n, spectrum, **kw)
    lv = l.detach()
    order = sorted(range(n), key=lambda i: float(lv[i]))
    best, best_q = -float('inf'), None

    def objective(q):
        d = n * ((q - 1 / n) ** 2).sum() if divergence == 'chi2' else sum(float(v) * math.log(n * float(v)) for v in q if v > 0)
        return float((q * lv).sum()) - nu * float(d), float(d)

    for mask in range(2 ** (n - 1)):  # cut after sorted position r when bit r is set
        blocks, start = [], 0
        for r in range(n - 1):
            if mask >> r & 1:
                blocks.append(list(range(start, r + 1)))
                start = r + 1
        blocks.append(list(range(start, n)))
        q = torch.zeros(n)
        for B in blocks:
            if divergence == 'chi2':
                z = [1 / n + float(lv[order[r]]) / (2 * nu * n) for r in B]
                shift = sum(z[j] - sigma[r] for j, r in enumerate(B)) / len(B)
                for j, r in enumerate(B):
                    q[order[r]] = z[j] - shift
            else:
                s = torch.tensor([float(lv[order[r]]) / nu for r in B])
                ls = torch.logsumexp(torch.log(torch.tensor([sigma[r] for r in B])), 0)
                fit = torch.logsumexp(s, 0) - ls - math.log(n)
                for j, r in enumerate(B):
                    q[order[r]] = torch.exp(s[j] - fit) / n
        if torch.isfinite(q).all() and (q >= -1e-12).all() and perm_feasible(q, sigma):
            val, d = objective(q)
            if val > best:
                best, best_q, best_d = val, q.clone(), d
    return (best_q * l).sum() - nu * best_d


ls5 = torch.tensor([0.3, 2.0, 1.1, 0.7, 1.6, 0.2])
cases += [case('spectral-risk-fdiv', 'CVaR 0.5, chi2, nu 1', srm_ref, [ls5]),
          case('spectral-risk-fdiv', 'CVaR 0.5, chi2, nu 0.05', lambda l: srm_ref(l, nu=0.05), [ls5], {'nu': 0.05}),
          case('spectral-risk-fdiv', 'extremile r 2, kl, nu 0.5', lambda l: srm_ref(l, nu=0.5, spectrum='extremile', divergence='kl'), [ls5], {'nu': 0.5, 'spectrum': 'extremile', 'divergence': 'kl'}),
          case('spectral-risk-fdiv', 'esrm rho 2, chi2, nu 0.2', lambda l: srm_ref(l, nu=0.2, spectrum='esrm', rho=2.0), [ls5], {'nu': 0.2, 'spectrum': 'esrm', 'rho': 2})]

write('robust_noisy_label', cases)
