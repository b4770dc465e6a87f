"""Contrastive / self-supervised entries, group g3: AMCL, BYOL cross-similarity (CCSL / CSSL), Core-tuning, DBPM and
E2MC, written independently as plain loops over heads, anchors, pairs and dimensions in float64 (from the papers and
the authors' released code: LeiWangR/cl, Vanint/Core-tuning, lanxiang1017/DynamicBadPairMining_ICLR24, deepc94/e2mc);
the references for those entries."""
import math
import torch
from common import case, write

g = torch.Generator().manual_seed(19)
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


def unit(v):
    return v / torch.sqrt((v * v).sum())


def cos(a, b):
    return (unit(a) * unit(b)).sum()


def softplus(x):
    return torch.log1p(torch.exp(-x.abs())) + torch.clamp(x, min=0)


def reduce(values, reduction):
    return {'mean': lambda v: v.mean(), 'sum': lambda v: v.sum(), 'none': lambda v: v}[reduction](values)


# ---- AMCL: per head, per anchor view, a softmax over every other view with logits s/tau - beta*Omega(tau) ----------
def amcl_ref(z1, z2, tau, beta=0.01, dim=None, reduction='mean'):
    h, n, d = z1.shape
    dd = d if dim is None else dim
    out = []
    for i in range(n):
        total = 0
        for c in range(h):
            views = [z1[c, j] for j in range(n)] + [z2[c, j] for j in range(n)]
            for a in (i, i + n):
                p = a + n if a < n else a - n
                logits = {}
                for b in range(2 * n):
                    if b == a:
                        continue
                    t = tau[c, a // n, a % n, b // n, b % n]
                    omega = dd / 2 * torch.log(t) + 1 / t
                    logits[b] = cos(views[a], views[b]) / t - beta * omega
                lse = torch.logsumexp(torch.stack(list(logits.values())), 0)
                total = total + 0.5 * (lse - logits[p])
        out.append(total)
    return reduce(torch.stack(out), reduction)


def temperatures(h, n):
    return 0.05 + 1.5 * torch.rand(h, 2, n, 2, n, generator=g)


z1, z2 = rn(2, 4, 3), rn(2, 4, 3)
tau = temperatures(2, 4)
cases += [
    case('amcl', 'defaults, 2 heads', amcl_ref, [z1, z2, tau]),
    case('amcl', 'beta 0.5, dim 6, none', lambda a, b, t: amcl_ref(a, b, t, 0.5, 6, 'none'), [z1, z2, tau], {'beta': 0.5, 'dim': 6, 'reduction': 'none'}),
    case('amcl', 'one head, beta 0 (per-pair temperature InfoNCE), sum', lambda a, b, t: amcl_ref(a, b, t, 0.0, None, 'sum'),
         [rn(1, 5, 4), rn(1, 5, 4), temperatures(1, 5)], {'beta': 0, 'reduction': 'sum'}),
    case('amcl', '3 heads, batch of 2', amcl_ref, [rn(3, 2, 5, scale=2.0), rn(3, 2, 5), temperatures(3, 2)]),
]


# ---- BYOL cross-similarity: self-labelled cross pairs (online q_i, target t_j of the other view) ----------------------
def byol_cross_ref(q1, q2, t1, t2, similarity='cosine', tp=0.8, tn=0.2, reduction='mean'):
    n = q1.shape[0]

    def direction(q, t, i):
        terms = []
        for j in range(n):
            tj = t[j].detach()
            if similarity == 'cosine':
                s = cos(q[i], tj)
                if i == j or s.item() >= tp:
                    terms.append(2 - 2 * s)
            else:
                a = (q[i] * tj).sum()
                s = torch.sigmoid(a).item()
                if i == j or s >= tp:
                    terms.append(-torch.log(torch.sigmoid(a)))
                elif s <= tn:
                    terms.append(-torch.log(1 - torch.sigmoid(a)))
        return sum(terms) / len(terms)

    return reduce(torch.stack([direction(q1, t2, i) + direction(q2, t1, i) for i in range(n)]), reduction)


q1, q2 = rn(6, 4), rn(6, 4)
t1, t2 = q2 + 0.3 * rn(6, 4), q1 + 0.3 * rn(6, 4)  # targets near the other view's predictions
cases += [
    case('byol-cross-similarity', 'CCSL defaults', byol_cross_ref, [q1, q2, t1, t2]),
    case('byol-cross-similarity', 'CCSL theta+ 0.3, none', lambda *x: byol_cross_ref(*x, 'cosine', 0.3, 0.2, 'none'), [q1, q2, t1, t2],
         {'thetaPositive': 0.3, 'reduction': 'none'}),
    case('byol-cross-similarity', 'CSSL defaults, none', lambda *x: byol_cross_ref(*x, 'sigmoid', 0.8, 0.2, 'none'), [q1, q2, t1, t2],
         {'similarity': 'sigmoid', 'reduction': 'none'}),
    case('byol-cross-similarity', 'CSSL theta+ 0.6, theta- 0.4, sum', lambda *x: byol_cross_ref(*x, 'sigmoid', 0.6, 0.4, 'sum'),
         [q1 * 1.5, q2, t1, t2 * 1.5], {'similarity': 'sigmoid', 'thetaPositive': 0.6, 'thetaNegative': 0.4, 'reduction': 'sum'}),
]


# ---- Core-tuning: soft CE + eta * focal SupCon over rows with identical targets as classes ----------------------------
def core_tuning_ref(logits, emb, targets, eta=10.0, tau=0.07):
    m, c = logits.shape
    ce = sum(-(targets[r] * torch.log_softmax(logits[r], 0)).sum() for r in range(m)) / m
    z = [unit(emb[r]) for r in range(m)]
    same = lambda a, b: all(targets[a, k].item() == targets[b, k].item() for k in range(c))
    con, anchors = 0, 0
    for r in range(m):
        others = [b for b in range(m) if b != r]
        lse = torch.logsumexp(torch.stack([(z[r] * z[b]).sum() / tau for b in others]), 0)
        pos = [p for p in others if same(r, p)]
        if pos:
            anchors += 1
        for p in pos:
            logp = (z[r] * z[p]).sum() / tau - lse
            con = con - (1 - torch.exp(logp)) * logp / m
    return ce + (eta * con / anchors if anchors else 0)


def onehot(labels, c):
    return torch.nn.functional.one_hot(torch.tensor(labels), c).double()


y_real = onehot([0, 1, 0, 2, 1], 3)
y_mix = torch.stack([0.2 * y_real[0] + 0.8 * y_real[1], 0.2 * y_real[0] + 0.8 * y_real[1], 0.5 * y_real[3] + 0.5 * y_real[4]])
targets = torch.cat([y_real, y_mix])
cases += [
    case('core-tuning', 'defaults, 5 real rows and 3 mixed rows (two identical)', core_tuning_ref, [rn(8, 3, scale=2.0), rn(8, 4), targets]),
    case('core-tuning', 'eta 1, tau 0.5', lambda *x: core_tuning_ref(*x, 1.0, 0.5), [rn(8, 3), rn(8, 4), targets], {'eta': 1, 'tau': 0.5}),
    case('core-tuning', 'no row shares its target: CE only', core_tuning_ref, [rn(3, 3), rn(3, 2), onehot([0, 1, 2], 3)]),
]


# ---- DBPM: epoch-weighted history means, population outliers reweighted by the normal density of the loss ----------
def dbpm_ref(losses, ids, history, cut_np=2.0, cut_fp=3.0, warmup=50, total=80, reduction='mean'):
    p, e = history.shape
    if e < max(warmup, 1):
        return reduce(losses, reduction)
    means = [sum(history[k, t].item() * (t + 1) / total for t in range(e)) / e for k in range(p)]
    mu = sum(means) / p
    sd = math.sqrt(sum((v - mu) ** 2 for v in means) / p)
    out = []
    for i in range(len(losses)):
        m = means[ids[i].item()]
        bad = sd > 0 and (m <= mu - cut_np * sd or m >= mu + cut_fp * sd)
        w = math.exp(-0.5 * ((losses[i].item() - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi)) if bad else 1.0
        out.append(w * losses[i])
    return reduce(torch.stack(out), reduction)


history = 2 + 0.3 * rn(8, 5)
history[3] += 2.0  # a faulty-looking pair
history[6] -= 1.5  # a noisy-looking pair
ids = torch.tensor([3, 0, 6, 6, 1, 7])
losses = 1 + 0.5 * rn(6)
cases += [
    case('dbpm', 'warmup 0, T 10, cuts 1.5 / 1.5, none', lambda l, i, h: dbpm_ref(l, i, h, 1.5, 1.5, 0, 10, 'none'), [losses, ids, history],
         {'warmupEpochs': 0, 'totalEpochs': 10, 'cutNoisy': 1.5, 'cutFaulty': 1.5, 'reduction': 'none'}),
    case('dbpm', 'warmup 5, T 5, cuts 1 / 2, mean', lambda l, i, h: dbpm_ref(l, i, h, 1.0, 2.0, 5, 5), [losses * 0.1, ids, history],
         {'warmupEpochs': 5, 'totalEpochs': 5, 'cutNoisy': 1, 'cutFaulty': 2}),
    case('dbpm', 'defaults: still warming up', dbpm_ref, [losses, ids, history]),
]


# ---- E2MC: m-spacing marginal entropies of the normal-CDF-mapped embeddings, off-diagonal covariance --------------------
def e2mc_ref(z, ent=10.0, covw=1.0, eps=1.1920928955078125e-7):
    n, d = z.shape
    if n < 2:
        return z.sum() * 0
    u = [[0.5 * (1 + torch.erf(z[i, k] / math.sqrt(2))) for k in range(d)] for i in range(n)]
    col_mean = [sum(u[i][k] for i in range(n)) / n for k in range(d)]
    uc = [[u[i][k] - col_mean[k] for k in range(d)] for i in range(n)]
    m = int(round(math.sqrt(n)))
    h = 0
    for k in range(d):
        col = sorted([uc[i][k] for i in range(n)], key=lambda t: t.item())
        h = h + sum(torch.log((n + 1) / m * (col[i + m] - col[i]) + eps) for i in range(n - m)) / (n - m) / d
    cov = 0
    for a in range(d):
        for b in range(d):
            if a != b:
                cov = cov + (sum(uc[i][a] * uc[i][b] for i in range(n)) / (n - 1)) ** 2
    return covw * cov / d - ent * h


cases += [
    case('e2mc', 'defaults, N 9', e2mc_ref, [rn(9, 3)]),
    case('e2mc', 'entropy weight 2, covariance weight 0.5, N 12', lambda z: e2mc_ref(z, 2.0, 0.5), [rn(12, 4, scale=0.7)],
         {'entropyWeight': 2, 'covWeight': 0.5}),
    case('e2mc', 'N 2, epsilon 1e-3', lambda z: e2mc_ref(z, eps=1e-3), [rn(2, 3)], {'epsilon': 1e-3}),
]

write('s19_contrastive_a', cases)
