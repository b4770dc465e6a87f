"""Leftover entries (set b): SCoRe, P2OT, GroCo, written independently from the catalog's definitions and the
papers, as plain per-set / per-sample loops in float64: the references for those entries."""
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(7)
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


# ---- SCoRe: f over each class set, by explicit index lists -----------------------------------------------------
def kernel(z, kind, tau):
    u = F.normalize(z, dim=-1)
    c = u @ u.T
    return torch.exp(c / tau) if kind == 'exp' else c


def set_f(s, idx, instance, lam):
    n = s.shape[0]
    out_idx = [i for i in range(n) if i not in idx]
    if len(idx) == 0:
        return s.sum() * 0
    if instance == 'graph-cut':
        cross = sum(s[i, j] for i in idx for j in out_idx) if out_idx else s.sum() * 0
        intra = sum(s[i, j] for i in idx for j in idx)
        return cross - lam * intra
    if instance == 'facility-location':
        return sum(torch.max(torch.stack([s[i, j] for j in idx])) for i in out_idx) if out_idx else s.sum() * 0
    sub = s[idx][:, idx]
    return torch.logdet(sub + lam * torch.eye(len(idx)))


def score_ref(z, y, total_correlation=False, instance='graph-cut', lam=1.0, kind='cosine', tau=0.1):
    s = kernel(z, kind, tau)
    loss = sum(set_f(s, [i for i in range(len(y)) if y[i] == k], instance, lam) for k in sorted(set(y.tolist())))
    if total_correlation:
        loss = loss - set_f(s, list(range(len(y))), instance, lam)
    return loss


z, y = rn(7, 3), torch.tensor([0, 2, 0, 1, 2, 0, 5])
for tc, id in [(False, 'score-total-information'), (True, 'score-total-correlation')]:
    cases += [
        case(id, 'graph-cut, defaults', lambda a, b: score_ref(a, b, tc), [z, y]),
        case(id, 'graph-cut, exp kernel tau 0.5, lambda 0.5', lambda a, b: score_ref(a, b, tc, 'graph-cut', 0.5, 'exp', 0.5), [z, y],
             {'lambda': 0.5, 'kernel': 'exp', 'tau': 0.5}),
        case(id, 'facility-location', lambda a, b: score_ref(a, b, tc, 'facility-location'), [z, y], {'instance': 'facility-location'}),
        case(id, 'log-det, lambda 0.5', lambda a, b: score_ref(a, b, tc, 'log-det', 0.5), [z, y], {'instance': 'log-det', 'lambda': 0.5}),
        case(id, 'log-det, exp kernel tau 1', lambda a, b: score_ref(a, b, tc, 'log-det', 1.0, 'exp', 1.0), [z, y],
             {'instance': 'log-det', 'kernel': 'exp', 'tau': 1}),
    ]

# ---- P2OT: the virtual-cluster scaling loop in the log domain, per entry, then the mass-weighted CE ----------
def p2ot_ref(x, rho=0.1, lam=1.0, eps=0.1, iters=100):
    n, k = x.shape
    logp = F.log_softmax(x, -1)
    with torch.no_grad():
        cost = torch.cat([-logp, torch.zeros(n, 1)], 1)  # the virtual cluster costs 0
        b = [rho / k] * k + [1 - rho]
        phi = [lam / (lam + eps)] * k + [1.0]
        f, gg = [0.0] * n, [0.0] * (k + 1)
        for _ in range(iters):
            f = [-torch.log(torch.tensor(float(n))) - torch.logsumexp(torch.stack([-cost[i, j] / eps + gg[j] for j in range(k + 1)]), 0) for i in range(n)]
            gg = [phi[j] * ((torch.log(torch.tensor(b[j]))) - torch.logsumexp(torch.stack([-cost[i, j] / eps + f[i] for i in range(n)]), 0)) for j in range(k + 1)]
        q = torch.stack([torch.stack([torch.exp(-cost[i, j] / eps + f[i] + gg[j]) for j in range(k)]) for i in range(n)])
    w = q.sum(1)
    y = q.argmax(1)
    ce = torch.stack([-logp[i, y[i]] for i in range(n)])
    return (w * ce).sum() / w.sum()


x = rn(6, 3, scale=2.0)
cases += [
    case('p2ot', 'defaults (rho 0.1)', p2ot_ref, [x]),
    case('p2ot', 'rho 0.6, lambda 0.5, eps 0.5, 30 iters', lambda a: p2ot_ref(a, 0.6, 0.5, 0.5, 30), [x], {'rho': 0.6, 'lambda': 0.5, 'epsilon': 0.5, 'iters': 30}),
    case('p2ot', 'rho 1 (no virtual mass)', lambda a: p2ot_ref(a, 1.0), [rn(5, 4)], {'rho': 1}),
]


# ---- GroCo: per layer an explicit [M, M] soft-swap matrix; P = L_M ... L_1; BCE of each item's block mass vs 1 ----
def groco_ref(d, pos, beta=10.0, reduction='mean'):
    out = []
    for b in range(d.shape[0]):
        m = d.shape[1]
        x, perm = d[b], torch.eye(m)
        for layer in range(m):
            rows = [torch.eye(m)[i] for i in range(m)]
            for i in range(layer % 2, m - 1, 2):
                a, abar = torch.sigmoid(beta * (x[i + 1] - x[i])), torch.sigmoid(-beta * (x[i + 1] - x[i]))  # abar = 1 - a, unrounded
                rows[i] = a * torch.eye(m)[i] + abar * torch.eye(m)[i + 1]
                rows[i + 1] = abar * torch.eye(m)[i] + a * torch.eye(m)[i + 1]
            swap = torch.stack(rows)
            x, perm = swap @ x, swap @ perm
        npos = int(pos[b].sum())
        mass = torch.stack([perm[:npos, i].sum() if pos[b, i] else perm[npos:, i].sum() for i in range(m)])
        # BCE against 1 = -log m clamped at 100 (PyTorch's forward; its backward's 1e-12 floor on m(1 - m) is left out)
        out.append(-torch.clamp(torch.log(mass), min=-100).mean())
    v = torch.stack(out)
    return {'none': v, 'sum': v.sum(), 'mean': v.mean()}[reduction]


d = rn(4, 5).abs()
pos = torch.tensor([[1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 1, 0, 1], [0, 1, 1, 1, 0]], dtype=torch.bool)
cases += [
    case('groco', 'defaults (beta 10)', groco_ref, [d, pos]),
    case('groco', 'beta 3, none', lambda a, b: groco_ref(a, b, 3.0, 'none'), [d, pos], {'steepness': 3, 'reduction': 'none'}),
    case('groco', 'steep (beta 200) saturates some swaps, sum', lambda a, b: groco_ref(a, b, 200.0, 'sum'), [d, pos], {'steepness': 200, 'reduction': 'sum'}),
]


# ---- SBCL: per-anchor loops over explicit positive and candidate sets ------------------------------------------
def sbcl_ref(x1, x2, y, q, tau=0.1, tau_b=0.07, gamma=0.25, class_tau=None, reduction='mean'):
    x, y, q = torch.cat([x1, x2]), torch.cat([y, y]), torch.cat([q, q])
    m = x.shape[0]
    z = F.normalize(x, dim=-1)
    s = z @ z.T
    out = []
    for i in range(m):
        v = (i + m // 2) % m
        def term(pos, cand, t):
            if not pos:
                return s.sum() * 0
            lse = torch.logsumexp(torch.stack([s[i, a] / t for a in cand]), 0)
            return -torch.stack([s[i, p] / t - lse for p in pos]).mean()
        sub = term([p for p in range(m) if p != i and q[p] == q[i]], [a for a in range(m) if a != i], tau)
        t = class_tau[y[i]] if class_tau is not None else tau
        pos = [p for p in range(m) if (y[p] == y[i] and q[p] != q[i]) or p == v]
        cand = [a for a in range(m) if q[a] != q[i] or a == v]
        out.append(tau / tau_b * sub + gamma * term(pos, cand, t))
    out = torch.stack(out)
    return {'none': 0.5 * (out[:m // 2] + out[m // 2:]), 'sum': 0.5 * out.sum(), 'mean': out.mean()}[reduction]


y = torch.tensor([0, 0, 0, 1, 1, 0], dtype=torch.int32)
q = torch.tensor([0, 0, 2, 5, 5, 2], dtype=torch.int32)
x1, x2 = rn(6, 3), rn(6, 3)
ct = torch.tensor([0.2, 0.05])
cases += [
    case('sbcl', 'defaults (tau 0.1, tau_b 0.07, gamma 0.25)', sbcl_ref, [x1, x2, y, q]),
    case('sbcl', 'per-class temperatures, gamma 1, none', lambda a, a2, b, c: sbcl_ref(a, a2, b, c, 0.1, 0.07, 1.0, ct, 'none'), [x1, x2, y, q],
         {'gamma': 1, 'classTau': ct, 'reduction': 'none'}),
    case('sbcl', 'sum', lambda a, a2, b, c: sbcl_ref(a, a2, b, c, reduction='sum'), [x1, x2, y, q], {'reduction': 'sum'}),
]


# ---- sparse-cbm: the authors' three bottleneck criteria, the Gumbel noise given as U --------------------------
def gumbel_sample(c, u, tau, dim):
    return F.softmax((c - torch.log(-torch.log(u))) / tau, dim=dim)


def sparse_cbm_ref(c, w=None, method='gumbel', tau=1.0, lam=5e-4, u=None):
    if method == 'l1':
        return lam * torch.norm(w, p=1) / c.shape[1]
    if method == 'contrastive':
        return -0.5 * (torch.diag(F.log_softmax(c, dim=0)).mean() + torch.diag(F.log_softmax(c, dim=1)).mean())
    return 0.5 * ((-torch.log(gumbel_sample(c, u[0], tau, 0))).mean() + (-torch.log(gumbel_sample(c, u[1], tau, 1))).mean())


c, w = rn(4, 5), rn(5, 3)
u = torch.rand(2, 4, 5, generator=g).clamp(1e-6, 1 - 1e-6)
cases += [
    case('sparse-cbm', 'gumbel with given noise', lambda a: sparse_cbm_ref(a, u=u), [c], {'noise': u}),
    case('sparse-cbm', 'gumbel, tau 0.5', lambda a: sparse_cbm_ref(a, tau=0.5, u=u), [c], {'noise': u, 'tau': 0.5}),
    case('sparse-cbm', 'contrastive (non-square: min(N, K) diagonal)', lambda a: sparse_cbm_ref(a, method='contrastive'), [c], {'method': 'contrastive'}),
    case('sparse-cbm', 'l1, lambda 1e-3', lambda a, b: sparse_cbm_ref(a, b, 'l1', lam=1e-3), [c, w], {'method': 'l1', 'lambda': 1e-3}),
]

write('leftovers_b', cases)
