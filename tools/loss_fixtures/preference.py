"""Preference and RL objectives, each written independently from its paper or from TRL's trainers
(trl/trainer/dpo_trainer.py dpo_loss, cpo_trainer.py, orpo_trainer.py odds_ratio_loss, grpo_trainer.py
_compute_loss): the references for the 'preference/RL' entries. Reference, old-policy and reward tensors
are detached inside, as the losses hold them constant."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(0)
N, T, S = 5, 4, 3
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}


def seq_lp(n):
    return -torch.rand(n, generator=g) * 8 - 0.5


def tok_lp(n, t):
    return torch.log_softmax(torch.randn(n, t, 6, generator=g), -1)[..., 0]


pc, pr, rc, rr = seq_lp(N), seq_lp(N), seq_lp(N), seq_lp(N)
cases = []


# ---- dpo: TRL dpo_loss, loss_type 'sigmoid' (label_smoothing 0) ------------------------------------------
def dpo_ref(pc, pr, rc, rr, beta=0.1, reduction='mean'):
    logits = (pc - pr) - (rc.detach() - rr.detach())
    return RED[reduction](-F.logsigmoid(beta * logits))


cases += [
    case('dpo', 'beta = 0.1 (default)', dpo_ref, [pc, pr, rc, rr]),
    case('dpo', 'beta = 0.5, none', dpo_ref, [pc, pr, rc, rr], {'beta': 0.5, 'reduction': 'none'}, {'beta': 0.5, 'reduction': 'none'}),
    case('dpo', 'margins of ±1e4 (logsigmoid)', dpo_ref, [torch.tensor([-1.0, -3e4]), torch.tensor([-3e4, -1.0]), torch.tensor([-2.0, -2.0]), torch.tensor([-2.0, -2.0])], {'beta': 1, 'reduction': 'sum'}, {'beta': 1.0, 'reduction': 'sum'}),
]


# ---- ipo: TRL loss_type 'ipo': (logits - 1/(2*beta))**2 with beta = tau ----------------------------------
def ipo_ref(pc, pr, rc, rr, tau=0.1, reduction='mean'):
    logits = (pc - pr) - (rc.detach() - rr.detach())
    return RED[reduction]((logits - 1 / (2 * tau)) ** 2)


cases += [
    case('ipo', 'tau = 0.1 (default)', ipo_ref, [pc, pr, rc, rr]),
    case('ipo', 'tau = 1, none', ipo_ref, [pc, pr, rc, rr], {'tau': 1, 'reduction': 'none'}, {'tau': 1.0, 'reduction': 'none'}),
]


# ---- osp-soft-preference-ce: TRL's label-smoothed (cDPO) form with a per-pair label -------------------------
def osp_ref(pc, pr, rc, rr, s, beta=0.1, reduction='mean'):
    h = beta * ((pc - pr) - (rc.detach() - rr.detach()))
    s = s.detach()
    return RED[reduction](-F.logsigmoid(h) * s - F.logsigmoid(-h) * (1 - s))


strength = torch.tensor([1.0, 0.0, 0.5, 0.8, 0.3])
cases += [
    case('osp-soft-preference-ce', 'beta = 0.1', osp_ref, [pc, pr, rc, rr, strength]),
    case('osp-soft-preference-ce', 'beta = 1, none', osp_ref, [pc, pr, rc, rr, strength], {'beta': 1, 'reduction': 'none'}, {'beta': 1.0, 'reduction': 'none'}),
]


# ---- cpo: TRL CPOTrainer loss_type 'sigmoid' + cpo_alpha * nll (per-sample here) ---------------------------
def cpo_ref(pc, pr, beta=0.1, alpha=1.0, reduction='mean'):
    return RED[reduction](-F.logsigmoid(beta * (pc - pr)) + alpha * (-pc))


cases += [
    case('cpo', 'defaults', cpo_ref, [pc, pr]),
    case('cpo', 'beta = 1, alpha = 0.5, none', cpo_ref, [pc, pr], {'beta': 1, 'alpha': 0.5, 'reduction': 'none'}, {'beta': 1.0, 'alpha': 0.5, 'reduction': 'none'}),
]


# ---- slic-hf: max(0, delta - lp_w + lp_l) - lambda * lp_ref ------------------------------------------------
def slic_ref(pc, pr, target=None, delta=1.0, lam=0.5, reduction='mean'):
    v = torch.clamp(delta - pc + pr, min=0)
    if target is not None:
        v = v - lam * target
    return RED[reduction](v)


tgt = seq_lp(N)
cases += [
    case('slic-hf', 'hinge only', slic_ref, [pc, pr]),
    case('slic-hf', 'with target, delta = 2, lambda = 1, none', slic_ref, [pc, pr, tgt], {'delta': 2, 'lambda': 1, 'reduction': 'none'}, {'delta': 2.0, 'lam': 1.0, 'reduction': 'none'}),
]

# ---- token-level inputs ------------------------------------------------------------------------------------
tc, tr = tok_lp(N, T), tok_lp(N, S)
mc = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0], [1, 1, 1, 0]], dtype=torch.bool)
mr = torch.tensor([[1, 1, 0], [1, 1, 1], [1, 0, 0], [1, 1, 1], [1, 1, 0]], dtype=torch.bool)


def avg(lp, m):
    return (lp * m).sum(-1) / m.sum(-1) if m is not None else lp.mean(-1)


# ---- simpo: TRL CPOTrainer loss_type 'simpo': -logsigmoid(beta * (avg_w - avg_l) - gamma) -------------------
def simpo_ref(c, r, mc=None, mr=None, beta=2.0, gamma=1.0, reduction='mean'):
    return RED[reduction](-F.logsigmoid(beta * (avg(c, mc) - avg(r, mr)) - gamma))


cases += [
    case('simpo', 'defaults, no masks', simpo_ref, [tc, tr]),
    case('simpo', 'masks, beta = 2.5, gamma = 0.5, none', simpo_ref, [tc, tr, mc, mr], {'beta': 2.5, 'gamma': 0.5, 'reduction': 'none'}, {'beta': 2.5, 'gamma': 0.5, 'reduction': 'none'}),
]


# ---- orpo: TRL odds_ratio_loss on average log-probs: log1p(-exp(lp)) as TRL writes it; NLL = -avg_w ------------
def orpo_ref(c, r, mc=None, mr=None, lam=0.1, reduction='mean'):
    w, l = avg(c, mc), avg(r, mr)
    log_odds = (w - l) - (torch.log1p(-torch.exp(w)) - torch.log1p(-torch.exp(l)))
    return RED[reduction](-w - lam * F.logsigmoid(log_odds))


cases += [
    case('orpo', 'defaults, no masks', orpo_ref, [tc, tr]),
    case('orpo', 'masks, lambda = 1, none', orpo_ref, [tc, tr, mc, mr], {'lambda': 1, 'reduction': 'none'}, {'lam': 1.0, 'reduction': 'none'}),
    case('orpo', 'log-probs near 0 (log1mexp branch)', orpo_ref, [torch.tensor([[-1e-3, -2e-3]]), torch.tensor([[-0.1, -5.0, -0.2]])], {'reduction': 'sum'}, {'reduction': 'sum'}),
]


# ---- dco-pass-at-n: -log(1 - (1 - p)^N), p = exp(sum of answer-token log-probs) -----------------------------
def dco_ref(lp, m=None, n=16, reduction='mean'):
    ell = (lp * m).sum(-1) if m is not None else lp.sum(-1)
    p = torch.exp(ell)
    return RED[reduction](-torch.log(1 - (1 - p) ** n))


small = torch.tensor([[-0.01, -0.02, 0.0, -0.03], [-0.5, -0.2, -0.1, -0.3], [-3.0, -4.0, -2.0, -5.0]])
cases += [
    case('dco-pass-at-n', 'N = 16 (default), no mask', dco_ref, [small]),
    case('dco-pass-at-n', 'N = 1 is cross-entropy, masked, none', dco_ref, [tc, mc], {'n': 1, 'reduction': 'none'}, {'n': 1, 'reduction': 'none'}),
    case('dco-pass-at-n', 'N = 64, masked, sum', dco_ref, [tc, mc], {'n': 64, 'reduction': 'sum'}, {'n': 64, 'reduction': 'sum'}),
]


# ---- implicit-prm-ce: BCE with logits on r = beta * sum_t m (lp - lp_ref) ------------------------------------
def prm_ref(lp, ref, label, m=None, beta=0.05, reduction='mean'):
    d = lp - ref.detach()
    r = beta * ((d * m).sum(-1) if m is not None else d.sum(-1))
    return RED[reduction](F.binary_cross_entropy_with_logits(r, label.detach(), reduction='none'))


tref = tok_lp(N, T)
lab = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0])
cases += [
    case('implicit-prm-ce', 'beta = 0.05, no mask', prm_ref, [tc, tref, lab]),
    case('implicit-prm-ce', 'beta = 1, masked, none', prm_ref, [tc * 5, tref, lab, mc], {'beta': 1, 'reduction': 'none'}, {'beta': 1.0, 'reduction': 'none'}),
]


# ---- kl-regularized-rlhf-pg: REINFORCE with the KL as a reward penalty and a batch-mean baseline ---------------
def rlhf_ref(r, lp, ref, beta=0.05, baseline='mean', reduction='mean'):
    shaped = r.detach() - beta * (lp.detach() - ref.detach())
    if baseline == 'mean':
        shaped = shaped - shaped.mean()
    return RED[reduction](-shaped * lp)


rew = torch.randn(N, generator=g)
cases += [
    case('kl-regularized-rlhf-pg', 'defaults (gradient = -(coef) d log pi)', rlhf_ref, [rew, pc, rc]),
    case('kl-regularized-rlhf-pg', 'beta = 0.5, no baseline, none', rlhf_ref, [rew, pc, rc], {'beta': 0.5, 'baseline': 'none', 'reduction': 'none'}, {'beta': 0.5, 'baseline': 'none', 'reduction': 'none'}),
]


# ---- the GRPO family: TRL GRPOTrainer (advantages (r - mean) / (std + 1e-4), per-token clipped surrogate, k3 KL) --
def advantages(r, group, scale=True):
    rg = r.detach().view(-1, group)
    a = rg - rg.mean(1, keepdim=True)
    if scale:
        a = a / (rg.std(1, keepdim=True) + 1e-4)
    return a.reshape(-1, 1)


def per_token(lp, old, r, group, lo, hi, scale=True):
    a = advantages(r, group, scale)
    ratio = torch.exp(lp - old.detach())
    return -torch.min(ratio * a, torch.clamp(ratio, 1 - lo, 1 + hi) * a)


def grpo_ref(lp, old, r, ref=None, m=None, eps=0.2, beta=0.04, group=None, reduction='mean'):
    l = per_token(lp, old, r, group or lp.shape[0], eps, eps)
    if ref is not None:
        d = ref.detach() - lp
        l = l + beta * (torch.exp(d) - d - 1)
    m = torch.ones_like(lp, dtype=torch.bool) if m is None else m
    return RED[reduction]((l * m).sum(1) / m.sum(1))


G = 6
glp = tok_lp(G, T)
gold = glp + 0.3 * torch.randn(G, T, generator=g)
gref = tok_lp(G, T)
grew = torch.tensor([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])
gm = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]], dtype=torch.bool)
cases += [
    case('grpo', 'one group, no KL, no mask', grpo_ref, [glp, gold, grew]),
    case('grpo', 'k3 KL, mask, none', grpo_ref, [glp, gold, grew, gref, gm], {'reduction': 'none'}, {'reduction': 'none'}),
    case('grpo', 'two groups of 3, eps = 0.1, beta = 0.1', grpo_ref, [glp, gold, grew, gref, gm], {'epsClip': 0.1, 'beta': 0.1, 'groupSize': 3}, {'eps': 0.1, 'beta': 0.1, 'group': 3}),
]


def dapo_ref(lp, old, r, m=None, lo=0.2, hi=0.28, group=None):
    l = per_token(lp, old, r, group or lp.shape[0], lo, hi)
    m = torch.ones_like(lp, dtype=torch.bool) if m is None else m
    return (l * m).sum() / m.sum()


cases += [
    case('dapo-token-aggregation', 'defaults, no mask', dapo_ref, [glp, gold, grew]),
    case('dapo-token-aggregation', 'mask, two groups, eps_high = 0.5', dapo_ref, [glp, gold, grew, gm], {'epsHigh': 0.5, 'groupSize': 3}, {'hi': 0.5, 'group': 3}),
]


def dr_grpo_ref(lp, old, r, m=None, eps=0.2, lmax=None, group=None):
    l = per_token(lp, old, r, group or lp.shape[0], eps, eps, scale=False)
    m = torch.ones_like(lp, dtype=torch.bool) if m is None else m
    return (l * m).sum() / (lp.shape[0] * (lmax or lp.shape[1]))


cases += [
    case('dr-grpo', 'defaults (L_max = T)', dr_grpo_ref, [glp, gold, grew]),
    case('dr-grpo', 'mask, L_max = 16, two groups', dr_grpo_ref, [glp, gold, grew, gm], {'maxLength': 16, 'groupSize': 3}, {'lmax': 16, 'group': 3}),
]


def delta_l_ref(l, m=None, alpha=1.0, M=None):
    m = torch.ones_like(l, dtype=torch.bool) if m is None else m
    lengths = m.sum(1).double()
    x = lengths ** (-alpha)
    x = x / x.sum()
    return (x * (l * m).sum(1)).sum() / (M or l.shape[1])


tl = torch.randn(G, T, generator=g)
cases += [
    case('delta-l-normalization', 'alpha = 1, no mask', delta_l_ref, [tl]),
    case('delta-l-normalization', 'alpha = 1, mask, M = 8', delta_l_ref, [tl, gm], {'maxLength': 8}, {'M': 8}),
    case('delta-l-normalization', 'alpha = 0 is 1/G (Dr. GRPO)', delta_l_ref, [tl, gm], {'alpha': 0}, {'alpha': 0.0}),
    case('delta-l-normalization', 'alpha = 0.75', delta_l_ref, [tl, gm], {'alpha': 0.75}, {'alpha': 0.75}),
]


# ---- ggd-td-nll: the generalized-Gaussian density's NLL, written directly with torch.lgamma ---------------------
def ggd_ref(delta, alpha, beta, mu=None, reduction='mean'):
    x = delta - (mu if mu is not None else 0)
    return RED[reduction]((x.abs() / alpha) ** beta + torch.log(2 * alpha) + torch.lgamma(1 / beta) - torch.log(beta))


dl = torch.randn(N, generator=g) * 2
al = torch.rand(N, generator=g) + 0.3
be = torch.tensor([2.0, 1.0, 1.5, 3.0, 0.7])
cases += [
    case('ggd-td-nll', 'mixed shapes', ggd_ref, [dl, al, be]),
    case('ggd-td-nll', 'with mu, none', ggd_ref, [dl, al, be, torch.randn(N, generator=g)], {'reduction': 'none'}, {'reduction': 'none'}),
]
# beta = 2 is Gaussian with alpha = sqrt(2) sigma: NLL = (x/alpha)^2 + log(2 alpha) + lgamma(1/2) - log 2 = -log N(x; 0, sigma^2).
sig = torch.tensor([0.5, 1.0, 2.0])
xg = torch.tensor([0.3, -1.2, 2.5])
gauss = case('ggd-td-nll', 'beta = 2 equals the Gaussian NLL', lambda d, a, b, reduction='none': -torch.distributions.Normal(0.0, a / math.sqrt(2)).log_prob(d) + 0 * b, [xg, sig * math.sqrt(2), torch.full((3,), 2.0)], {'reduction': 'none'}, {'reduction': 'none'}, grad=False)
cases.append(gauss)


# ---- ggd-biv-weighting: BIV weights normalised over the batch, held constant ------------------------------------
def biv_ref(l, var, xi=0.1, reduction='sum'):
    inv = 1 / (var.detach() + xi)
    return RED[reduction](inv / inv.sum() * l)


lv = torch.randn(N, generator=g) ** 2
vv = torch.rand(N, generator=g) * 3
cases += [
    case('ggd-biv-weighting', 'xi = 0.1, sum (default)', biv_ref, [lv, vv]),
    case('ggd-biv-weighting', 'xi = 1, none', biv_ref, [lv, vv], {'xi': 1, 'reduction': 'none'}, {'xi': 1.0, 'reduction': 'none'}),
]


# ---- ctrl-u-uncertainty-reward-loss: sg(w(|l1 - l2|)) * (l1 + l2) / 2 ---------------------------------------------
def ctrlu_ref(l1, l2, weight='exp', temperature=1.0, reduction='mean'):
    u = (l1.detach() - l2.detach()).abs() / temperature
    w = torch.exp(-u) if weight == 'exp' else 1 / (1 + u)
    return RED[reduction](w * (l1 + l2) / 2)


c1, c2 = torch.rand(N, generator=g) * 2, torch.rand(N, generator=g) * 2
cases += [
    case('ctrl-u-uncertainty-reward-loss', 'exp weight (default)', ctrlu_ref, [c1, c2]),
    case('ctrl-u-uncertainty-reward-loss', 'inverse weight, tau = 0.5, none', ctrlu_ref, [c1, c2], {'weight': 'inverse', 'temperature': 0.5, 'reduction': 'none'}, {'weight': 'inverse', 'temperature': 0.5, 'reduction': 'none'}),
]


# ---- spo-preference-degree: DPO + lambda * CE(degree head) --------------------------------------------------------
def spo_ref(pc, pr, rc, rr, z, k, beta=0.1, lam=1.0, reduction='mean'):
    dpo = -F.logsigmoid(beta * ((pc - pr) - (rc.detach() - rr.detach())))
    return RED[reduction](dpo + lam * F.cross_entropy(z, k, reduction='none'))


zd = torch.randn(N, 4, generator=g) * 2
kd = torch.tensor([0, 3, 1, 2, 0])
cases += [
    case('spo-preference-degree', 'defaults', spo_ref, [pc, pr, rc, rr, zd, kd]),
    case('spo-preference-degree', 'beta = 0.5, lambda = 0.3, none', spo_ref, [pc, pr, rc, rr, zd, kd], {'beta': 0.5, 'lambda': 0.3, 'reduction': 'none'}, {'beta': 0.5, 'lam': 0.3, 'reduction': 'none'}),
]


# ---- haepo: -sum softmax(cumulative log-lik) * normalised returns - bH * H + bKL * KL ----------------------------
def haepo_ref(lp, ref, R, m=None, bH=0.01, bKL=0.05):
    m = torch.ones_like(lp, dtype=torch.bool) if m is None else m
    ell = (lp * m).sum(1)
    w = torch.softmax(ell, 0)
    Rd = R.detach()
    rhat = (Rd - Rd.mean()) / (Rd.std() + 1e-4)
    H = -(lp * m).sum() / m.sum()
    d = ref.detach() - lp
    kl = ((torch.exp(d) - d - 1) * m).sum() / m.sum()
    return -(w * rhat).sum() - bH * H + bKL * kl


cases += [
    case('haepo', 'defaults, no mask', haepo_ref, [glp, gref, torch.randn(G, generator=g)]),
    case('haepo', 'mask, beta_H = 0.1, beta_KL = 0.5', haepo_ref, [glp, gref, torch.randn(G, generator=g), gm], {'betaH': 0.1, 'betaKL': 0.5}, {'bH': 0.1, 'bKL': 0.5}),
]

write('preference', cases)
