"""Group g6 (other, preference/RL, generative): balanced inner-loop CE, InfoPrompt's head and representation losses,
the mean-shift outlier score, STEER, ShiQ, the DPA-logic compiled losses and NCT's noise consistency loss. Written
independently from the papers' and the authors' code's definitions as plain per-sample / per-token / per-world loops
in float64: the references for those entries."""
import math
import torch
from common import case, write

g = torch.Generator().manual_seed(19)
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


def neg_logp(*shape):
    """Negative log-probability-like values (−softplus of normals, all < 0)."""
    return -torch.nn.functional.softplus(rn(*shape))


def reduce(values, reduction):
    return {'mean': lambda v: v.mean(), 'sum': lambda v: v.sum(), 'none': lambda v: v}[reduction](values)


# ---- balanced inner-loop loss (AST distill.py): CE scaled by the start-epoch factor --------------------------------
def balanced_ref(z, y, s=0, m=20, reduction='mean'):
    mid = m // 2
    w = math.log(s - mid + 8, 5) if s >= mid else 1 / math.log(mid - s + 8, 5)
    vals = torch.stack([w * (torch.logsumexp(z[i], 0) - z[i, y[i]]) for i in range(z.shape[0])])
    return reduce(vals, reduction)


z, y = rn(5, 4, scale=2.0), torch.tensor([0, 3, 1, 1, 2])
cases += [
    case('balanced-inner-loop-loss', 'defaults (s 0, M 20)', balanced_ref, [z, y]),
    case('balanced-inner-loop-loss', 's 15, M 20, sum', lambda a, b: balanced_ref(a, b, 15, 20, 'sum'), [z, y], {'startEpoch': 15, 'reduction': 'sum'}),
    case('balanced-inner-loop-loss', 's 12 (the middle), M 25, none', lambda a, b: balanced_ref(a, b, 12, 25, 'none'), [z, y],
         {'startEpoch': 12, 'maxStartEpoch': 25, 'reduction': 'none'}),
    case('balanced-inner-loop-loss', 's 3, M 7', lambda a, b: balanced_ref(a, b, 3, 7), [z, y], {'startEpoch': 3, 'maxStartEpoch': 7}),
]


# ---- mean-shift outlier score: kNN means (self included) by explicit sorting, then the squared error ---------------
def mss_ref(recon, x, k=10, iters=1, reduction='none'):
    n = x.shape[0]
    kk = min(k, n)
    y = x
    for _ in range(iters):
        yd = y.detach()
        rows = []
        for i in range(n):
            d = [float(((yd[i] - yd[j]) ** 2).sum()) for j in range(n)]
            nb = sorted(range(n), key=lambda j: d[j])[:kk]
            rows.append(torch.stack([y[j] for j in nb]).mean(0))
        y = torch.stack(rows)
    vals = torch.stack([((recon[i] - y[i]) ** 2).sum() for i in range(n)])
    return reduce(vals, reduction)


x = rn(7, 3)
x[6] = x[6] * 4  # an outlier
recon = x + rn(7, 3, scale=0.3)
cases += [
    case('mean-shift-outlier-score', 'k 3, 1 step', lambda a, b: mss_ref(a, b, 3, 1), [recon, x], {'k': 3}),
    case('mean-shift-outlier-score', 'k 3, 2 steps, mean', lambda a, b: mss_ref(a, b, 3, 2, 'mean'), [recon, x], {'k': 3, 'iterations': 2, 'reduction': 'mean'}),
    case('mean-shift-outlier-score', 'k 4, 3 steps', lambda a, b: mss_ref(a, b, 4, 3), [recon, x], {'k': 4, 'iterations': 3}),
    case('mean-shift-outlier-score', 'defaults: k 10 > N (every point shifts to the mean)', mss_ref, [recon, x]),
    case('mean-shift-outlier-score', '0 steps: the plain reconstruction error, sum', lambda a, b: mss_ref(a, b, 3, 0, 'sum'), [recon, x],
         {'k': 3, 'iterations': 0, 'reduction': 'sum'}),
]


# ---- InfoPrompt (JoshuaWu1997/infoprompt): one positive first, per-row negatives ----------------------------------
def nce_first(pos, negs):
    return torch.logsumexp(torch.stack([pos] + negs), 0) - pos


def head_ref(p, e, w, mask=None, tau=None, weight=0.1, reduction='mean'):
    d = w.shape[1]
    t = math.sqrt(d) if tau is None else tau
    hbar = w.mean(0)
    vals = []
    for i in range(p.shape[0]):
        pos = (p[i].mean(0) * hbar).sum() / t
        negs = [(e[i, j] * hbar).sum() / t for j in range(e.shape[1]) if mask is None or bool(mask[i, j])]
        vals.append(weight * nce_first(pos, negs))
    return reduce(torch.stack(vals), reduction)


P, E, W = rn(3, 2, 4), rn(3, 5, 4), rn(2, 4)
mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0, 0]], dtype=torch.bool)
cases += [
    case('infoprompt-head-loss', 'defaults (tau sqrt D, weight 0.1)', head_ref, [P, E, W]),
    case('infoprompt-head-loss', 'padding mask', lambda a, b, c, m: head_ref(a, b, c, m), [P, E, W, mask]),
    case('infoprompt-head-loss', 'tau 0.5, weight 1, none', lambda a, b, c, m: head_ref(a, b, c, m, 0.5, 1.0, 'none'), [P, E, W, mask],
         {'tau': 0.5, 'weight': 1, 'reduction': 'none'}),
]


def repr_ref(c, u, v, tau=None, weight=0.2, reduction='mean'):
    t = math.sqrt(c.shape[1]) if tau is None else tau
    vals = []
    for i in range(c.shape[0]):
        pos = (c[i] * u[i]).sum() / t
        negs = [(c[i] * v[i, k]).sum() / t for k in range(v.shape[1])]
        vals.append(weight * nce_first(pos, negs))
    return reduce(torch.stack(vals), reduction)


C, U, V = rn(3, 4), rn(3, 4), rn(3, 5, 4)
cases += [
    case('infoprompt-representation-loss', 'defaults (tau sqrt D, weight 0.2)', repr_ref, [C, U, V]),
    case('infoprompt-representation-loss', 'tau 1, weight 1, none', lambda a, b, c: repr_ref(a, b, c, 1.0, 1.0, 'none'), [C, U, V],
         {'tau': 1, 'weight': 1, 'reduction': 'none'}),
]


# ---- STEER (zz-haooo/STEER core_algos.py): weights from |Omega| (no grad), dual-clip PPO, aggregation ------------
def steer_ref(lp, old, adv, ent, mask=None, eps_low=0.2, eps_high=0.28, c=10.0, wmin=0.8, wmax=1.0, mapping='exp', agg='token-mean'):
    n, t = lp.shape
    m = [[True if mask is None else bool(mask[i, j]) for j in range(t)] for i in range(n)]
    metric = {}
    for i in range(n):
        for j in range(t):
            xv = min(max(math.exp(float(lp[i, j])), 1e-8), 1 - 1e-8)
            f = xv * (1 - xv) * (math.log(xv) + float(ent[i, j]))
            po = min(max(math.exp(float(old[i, j])), 1e-8), 1.0)
            om = float(adv[i, j]) / po * f
            metric[i, j] = abs(om) if math.isfinite(om) else 0.0
    valid = [metric[i, j] for i in range(n) for j in range(t) if m[i][j]]
    hi, lo = max(valid), min(valid)
    w = {}
    for (i, j), mv in metric.items():
        if mapping == 'exp':
            kappa = -math.log(wmin) / max(hi, 0.02)
            wv = min(max(math.exp(-kappa * mv), wmin), 1.0)
        else:
            wv = wmax - (mv - lo) * ((wmax - wmin) / (hi - lo)) if hi > lo else (wmin + wmax) / 2
            wv = min(max(wv, wmin), wmax)
        w[i, j] = wv if m[i][j] else 0.0
    tok = {}
    for i in range(n):
        for j in range(t):
            a = float(adv[i, j])
            ratio = torch.exp(torch.clamp(lp[i, j] - old[i, j].detach(), -20, 20))
            l1 = -a * ratio
            l2 = -a * torch.clamp(ratio, 1 - eps_low, 1 + eps_high)
            l = torch.maximum(l1, l2)
            if a < 0:
                l = torch.minimum(torch.tensor(-a * c), l)
            tok[i, j] = l * w[i, j]
    rows = [[tok[i, j] for j in range(t) if m[i][j]] for i in range(n)]
    zero = lp.sum() * 0
    if agg == 'token-mean':
        return sum(sum(r, zero) for r in rows) / sum(len(r) for r in rows)
    if agg == 'seq-mean-token-sum':
        return sum(sum(r, zero) for r in rows) / n
    if agg == 'seq-mean-token-mean':
        return sum(sum(r, zero) / len(r) for r in rows) / n
    return sum(sum(r, zero) for r in rows) / t


LP, OLD = neg_logp(3, 5), None
OLD = LP + rn(3, 5, scale=0.3)
OLD = torch.minimum(OLD, torch.full_like(OLD, -1e-3))
ADV = torch.tensor([[1.2], [-0.7], [0.4]]).expand(3, 5).clone()
ENT = torch.rand(3, 5, generator=g) * 2
TMASK = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], dtype=torch.float64)
cases += [
    case('steer-entropy-reweighting', 'defaults (exp mapping, token mean), mask', steer_ref, [LP, OLD, ADV, ENT, TMASK]),
    case('steer-entropy-reweighting', 'linear mapping 0.8..1.2, symmetric clip 0.2, c 3',
         lambda *a: steer_ref(*a, eps_high=0.2, c=3.0, wmax=1.2, mapping='linear'), [LP, OLD, ADV, ENT, TMASK],
         {'epsHigh': 0.2, 'clipRatioC': 3, 'weightMax': 1.2, 'mapping': 'linear'}),
    case('steer-entropy-reweighting', 'seq-mean-token-mean', lambda *a: steer_ref(*a, agg='seq-mean-token-mean'), [LP, OLD, ADV, ENT, TMASK],
         {'aggregation': 'seq-mean-token-mean'}),
    case('steer-entropy-reweighting', 'seq-mean-token-sum', lambda *a: steer_ref(*a, agg='seq-mean-token-sum'), [LP, OLD, ADV, ENT, TMASK],
         {'aggregation': 'seq-mean-token-sum'}),
    case('steer-entropy-reweighting', 'seq-mean-token-sum-norm, no mask', lambda *a: steer_ref(*a, agg='seq-mean-token-sum-norm'), [LP, OLD, ADV, ENT],
         {'aggregation': 'seq-mean-token-sum-norm'}),
]


# ---- ShiQ: logits as shifted Q, V = beta*lse, one-step and multi-step residuals by explicit sums --------------------
def shiq_ref(logits, tokens, ref, rew, mask=None, beta=0.1, gamma=1.0, multi=True, reduction='mean'):
    n, t, _ = logits.shape
    m = [[True if mask is None else bool(mask[i, j]) for j in range(t)] for i in range(n)]
    vals = []
    for i in range(n):
        value = [beta * torch.logsumexp(logits[i, j], 0) for j in range(t)]
        delta = []
        for j in range(t):
            nxt = value[j + 1] if j + 1 < t and m[i][j + 1] else 0.0
            q = beta * (logits[i, j, tokens[i, j]] - ref[i, j].detach())
            delta.append(q - rew[i, j].detach() - gamma * nxt if m[i][j] else logits.sum() * 0)
        total = logits.sum() * 0
        for k in range(t):
            if not m[i][k]:
                continue
            r = sum((gamma ** (j - k) * delta[j] for j in range(k, t) if m[i][j]), logits.sum() * 0) if multi else delta[k]
            total = total + r ** 2
        vals.append(total)
    return reduce(torch.stack(vals), reduction)


LG = rn(2, 4, 5, scale=1.5)
TK = torch.tensor([[0, 4, 2, 1], [3, 3, 0, 2]])
REF = neg_logp(2, 4)
REW = torch.tensor([[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, -0.5, 0.0]])
SMASK = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.bool)
cases += [
    case('shiq-bellman-loss', 'defaults (multi-step, beta 0.1), mask', shiq_ref, [LG, TK, REF, REW, SMASK]),
    case('shiq-bellman-loss', 'one-step', lambda *a: shiq_ref(*a, multi=False), [LG, TK, REF, REW, SMASK], {'multiStep': False}),
    case('shiq-bellman-loss', 'beta 0.5, gamma 0.9, none', lambda *a: shiq_ref(*a, beta=0.5, gamma=0.9, reduction='none'), [LG, TK, REF, REW, SMASK],
         {'beta': 0.5, 'gamma': 0.9, 'reduction': 'none'}),
    case('shiq-bellman-loss', 'no mask, one-step, gamma 0.5, sum', lambda *a: shiq_ref(*a, gamma=0.5, multi=False, reduction='sum'), [LG, TK, REF, REW],
         {'gamma': 0.5, 'multiStep': False, 'reduction': 'sum'}),
]


# ---- DPA logic: semantic loss over the four worlds (M_w, M_l), weights in probability space -------------------------
def dpa_ref(lw, ll, rw=None, rl=None, A=(2, 3), B=(1, 3), beta=0.1, reduction='mean'):
    vals = []
    for i in range(lw.shape[0]):
        if rw is None:
            pw, pl = torch.exp(lw[i]), torch.exp(ll[i])
        else:
            pw, pl = torch.sigmoid(beta * (lw[i] - rw[i].detach())), torch.sigmoid(beta * (ll[i] - rl[i].detach()))

        def weight(c):
            return (pw if c >= 2 else 1 - pw) * (pl if c % 2 == 1 else 1 - pl)
        wa = sum(weight(c) for c in A)
        wb = sum(weight(c) for c in B)
        vals.append(-torch.log(wa / (wa + wb)))
    return reduce(torch.stack(vals), reduction)


LW, LL = -torch.rand(5, generator=g) * 3 - 0.05, -torch.rand(5, generator=g) * 3 - 0.05
RW, RL = LW + rn(5, scale=0.5), LL + rn(5, scale=0.5)
# the identities the structures are meant to reproduce
assert torch.allclose(dpa_ref(LW, LL, reduction='none'), -torch.nn.functional.logsigmoid(LW - LL))
assert torch.allclose(dpa_ref(LW, LL, RW, RL, A=(2,), B=(1,), reduction='none'), -torch.nn.functional.logsigmoid(0.1 * ((LW - RW) - (LL - RL))))
LW1 = LW.clone()
LW1[2] = 0.0  # a certain chosen response (p = 1)
cases += [
    case('dpa-logic-derived-losses', 'defaults: the CPO structure', dpa_ref, [LW, LL]),
    case('dpa-logic-derived-losses', "ORPO's odds structure {2} vs {1}", lambda a, b: dpa_ref(a, b, A=(2,), B=(1,)), [LW, LL],
         {'trueWorlds': [2], 'falseWorlds': [1]}),
    case('dpa-logic-derived-losses', 'reference setting, {2} vs {1} (DPO), beta 0.1', lambda a, b, c, d: dpa_ref(a, b, c, d, A=(2,), B=(1,)), [LW, LL, RW, RL],
         {'trueWorlds': [2], 'falseWorlds': [1]}),
    case('dpa-logic-derived-losses', 'derived {2} vs {1, 3}, none', lambda a, b: dpa_ref(a, b, A=(2,), B=(1, 3), reduction='none'), [LW, LL],
         {'trueWorlds': [2], 'falseWorlds': [1, 3], 'reduction': 'none'}),
    case('dpa-logic-derived-losses', 'reference setting, {2, 3} vs {0, 1}, beta 0.5, sum',
         lambda a, b, c, d: dpa_ref(a, b, c, d, A=(2, 3), B=(0, 1), beta=0.5, reduction='sum'), [LW, LL, RW, RL],
         {'trueWorlds': [2, 3], 'falseWorlds': [0, 1], 'beta': 0.5, 'reduction': 'sum'}),
    case('dpa-logic-derived-losses', 'a certain chosen response (log p = 0), {0, 2} vs {1, 3}, none',
         lambda a, b: dpa_ref(a, b, A=(0, 2), B=(1, 3), reduction='none'), [LW1, LL], {'trueWorlds': [0, 2], 'falseWorlds': [1, 3], 'reduction': 'none'}),
]


# ---- NCT noise consistency: per-sample mean squared errors, stop-gradient targets --------------------------------
def nct_ref(out, tgt, bout=None, base=None, lam=1.0, reduction='mean'):
    vals = []
    for i in range(out.shape[0]):
        v = ((out[i] - tgt[i].detach()) ** 2).mean()
        if bout is not None:
            v = v + lam * ((bout[i] - base[i].detach()) ** 2).mean()
        vals.append(v)
    return reduce(torch.stack(vals), reduction)


O, T, BO, BA = rn(3, 2, 2), rn(3, 2, 2), rn(3, 2, 2), rn(3, 2, 2)
cases += [
    case('noise-consistency-loss', 'consistency term only', nct_ref, [O, T]),
    case('noise-consistency-loss', 'with the boundary term, lambda 0.5', lambda a, b, c, d: nct_ref(a, b, c, d, 0.5), [O, T, BO, BA], {'boundaryWeight': 0.5}),
    case('noise-consistency-loss', 'with the boundary term, none', lambda a, b, c, d: nct_ref(a, b, c, d, reduction='none'), [O, T, BO, BA], {'reduction': 'none'}),
]

write('s19_other_preference', cases)
