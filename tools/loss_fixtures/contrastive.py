"""Contrastive and self-supervised objectives, each written independently from its paper, the catalog's
definition or the authors' released code (plain loops where the formula is per anchor): the references for the
'contrastive/self-supervised' entries."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(0)
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


def unit(x):
    return F.normalize(x, dim=-1)


# ---- infonce: CE over [l_pos, l_neg] with target 0 (MoCo's code), or the in-batch CE(QK^T/tau, arange) ----------
def infonce_ref(q, k, neg=None, tau=0.07, normalize=True, reduction='mean'):
    if normalize:
        q, k = unit(q), unit(k)
        neg = unit(neg) if neg is not None else None
    if neg is None:
        logits = q @ k.T / tau
        target = torch.arange(q.shape[0])
    else:
        l_pos = torch.einsum('nc,nc->n', q, k).unsqueeze(-1)
        l_neg = q @ neg.T if neg.dim() == 2 else torch.einsum('nc,nkc->nk', q, neg)
        logits = torch.cat([l_pos, l_neg], 1) / tau
        target = torch.zeros(q.shape[0], dtype=torch.long)
    return F.cross_entropy(logits, target, reduction=reduction)


q, k = rn(5, 4), rn(5, 4)
cases += [
    case('infonce', 'in-batch negatives', infonce_ref, [q, k]),
    case('infonce', 'shared queue negatives [K, D], tau 0.2, none', infonce_ref, [q, k, rn(7, 4)], {'tau': 0.2, 'reduction': 'none'}, {'tau': 0.2, 'reduction': 'none'}),
    case('infonce', 'per-query negatives [N, K, D], sum', infonce_ref, [q, k, rn(5, 3, 4)], {'reduction': 'sum'}, {'reduction': 'sum'}),
    case('infonce', 'raw critic scores (normalize false), tau 1', infonce_ref, [q, k], {'normalize': False, 'tau': 1}, {'normalize': False, 'tau': 1.0}),
]


# ---- nt-xent: SimCLR's 2N x 2N loop ---------------------------------------------------------------------------
def ntxent_ref(z1, z2, tau=0.5, reduction='mean'):
    n = z1.shape[0]
    z = unit(torch.cat([z1, z2]))
    s = z @ z.T / tau
    losses = []
    for i in range(2 * n):
        p = (i + n) % (2 * n)
        others = [s[i, j] for j in range(2 * n) if j != i]
        losses.append(torch.logsumexp(torch.stack(others), 0) - s[i, p])
    losses = torch.stack(losses)
    if reduction == 'none':
        return 0.5 * (losses[:n] + losses[n:])
    return RED[reduction](losses) if reduction == 'sum' else losses.mean()


z1, z2 = rn(4, 3), rn(4, 3)
cases += [
    case('nt-xent', 'tau 0.5', ntxent_ref, [z1, z2]),
    case('nt-xent', 'tau 0.1, none', ntxent_ref, [z1, z2], {'tau': 0.1, 'reduction': 'none'}, {'tau': 0.1, 'reduction': 'none'}),
]


# ---- supcon: the official SupConLoss (Khosla et al.), rewritten as a per-anchor loop ---------------------------
def supcon_ref(x, y, tau=0.1, base_temperature=None, relu=False, reduction='mean'):
    tb = tau if base_temperature is None else base_temperature
    z = unit(F.relu(x) if relu else x)
    s = z @ z.T / tau
    m = x.shape[0]
    vals, valid = [], []
    for i in range(m):
        others = [a for a in range(m) if a != i]
        pos = [p for p in others if y[p] == y[i]]
        lse = torch.logsumexp(s[i, others], 0)
        if pos:
            vals.append(-(tau / tb) * torch.stack([s[i, p] - lse for p in pos]).mean())
            valid.append(True)
        else:
            vals.append(s[i, i] * 0)
            valid.append(False)
    vals = torch.stack(vals)
    if reduction == 'none':
        return vals
    if reduction == 'sum':
        return vals.sum()
    return vals.sum() / max(1, sum(valid))


xs = rn(8, 4)
ys = torch.tensor([0, 1, 0, 2, 1, 0, 3, 2])
cases += [
    case('supcon', 'tau 0.1, one anchor without a positive', supcon_ref, [xs, ys]),
    case('supcon', 'tau 0.07, tau_b 0.07 vs 0.1 (SBCL), none', supcon_ref, [xs, ys], {'tau': 0.1, 'baseTemperature': 0.07, 'reduction': 'none'}, {'tau': 0.1, 'base_temperature': 0.07, 'reduction': 'none'}),
    case('supcon', 'ReLU before normalising', supcon_ref, [xs, ys], {'relu': True}, {'relu': True}),
]


# ---- clip-symmetric: CLIP's pseudo-code --------------------------------------------------------------------------
def clip_ref(a, b, t=2.6593, max_scale=100.0, reduction='mean'):
    scale = min(math.exp(t), max_scale)
    logits = scale * unit(a) @ unit(b).T
    lab = torch.arange(a.shape[0])
    if reduction == 'none':
        return 0.5 * (F.cross_entropy(logits, lab, reduction='none') + F.cross_entropy(logits.T, lab, reduction='none'))
    return 0.5 * (F.cross_entropy(logits, lab, reduction=reduction) + F.cross_entropy(logits.T, lab, reduction=reduction))


a, b = rn(5, 4), rn(5, 4)
cases += [
    case('clip-symmetric', 'logit scale log(1/0.07)', clip_ref, [a, b]),
    case('clip-symmetric', 'scale capped at 100, none', clip_ref, [a, b], {'logitScale': 5.0, 'reduction': 'none'}, {'t': 5.0, 'reduction': 'none'}),
]


# ---- siglip: the paper's Algorithm 1 -----------------------------------------------------------------------------
def siglip_ref(x, y, t_prime=math.log(10), b=-10.0, normalize=True, reduction='mean'):
    if normalize:
        x, y = unit(x), unit(y)
    n = x.shape[0]
    logits = x @ y.T * math.exp(t_prime) + b
    labels = 2 * torch.eye(n) - torch.ones(n, n)
    per = -F.logsigmoid(labels * logits).sum(1)
    return RED[reduction](per)


cases += [
    case('siglip', "t' = log 10, b = -10", siglip_ref, [a, b]),
    case('siglip', "t' = 2, b = 0.5, none", siglip_ref, [a, b], {'tPrime': 2.0, 'bias': 0.5, 'reduction': 'none'}, {'t_prime': 2.0, 'b': 0.5, 'reduction': 'none'}),
]


# ---- uniformity: Wang & Isola's code: torch.pdist(x, p=2).pow(2).mul(-t).exp().mean().log() --------------------
def uniformity_ref(x, t=2.0):
    return torch.pdist(unit(x), p=2).pow(2).mul(-t).exp().mean().log()


cases += [
    case('uniformity', 't = 2', uniformity_ref, [rn(6, 3)]),
    case('uniformity', 't = 5', uniformity_ref, [rn(6, 3)], {'t': 5}, {'t': 5.0}),
]


# ---- barlow-twins: the official code (BatchNorm1d(affine=False), c = bn(z1).T @ bn(z2) / N) ------------------
def barlow_ref(za, zb, lambd=0.005):
    bn = torch.nn.BatchNorm1d(za.shape[1], affine=False).double()
    c = bn(za).T @ bn(zb) / za.shape[0]
    on = (torch.diagonal(c) - 1).pow(2).sum()
    off = c.flatten()[:-1].view(c.shape[0] - 1, c.shape[0] + 1)[:, 1:].flatten().pow(2).sum()
    return on + lambd * off


cases += [
    case('barlow-twins', 'lambda 0.005', barlow_ref, [rn(8, 4), rn(8, 4)]),
    case('barlow-twins', 'lambda 0.5', barlow_ref, [rn(8, 4), rn(8, 4)], {'lambda': 0.5}, {'lambd': 0.5}),
]


# ---- byol: the paper's normalised MSE, symmetrised ------------------------------------------------------------------
def byol_ref(q1, q2, t1, t2, reduction='mean'):
    def l(x, y):
        return 2 - 2 * F.cosine_similarity(x, y.detach(), dim=-1)
    return RED[reduction](l(q1, t2) + l(q2, t1))


cases += [case('byol', 'two views', byol_ref, [rn(5, 4), rn(5, 4), rn(5, 4), rn(5, 4)]),
          case('byol', 'none', byol_ref, [rn(5, 4), rn(5, 4), rn(5, 4), rn(5, 4)], {'reduction': 'none'}, {'reduction': 'none'})]


# ---- smile-mine: Song & Ermon's smile_lower_bound / dv bound ---------------------------------------------------------
def smile_ref(f, tau=5.0, estimator='smile'):
    n = f.shape[0]
    fm = torch.clamp(f, -tau, tau) if estimator == 'smile' else f
    off = fm[~torch.eye(n, dtype=torch.bool)]
    log_mean = torch.logsumexp(off, 0) - math.log(n * (n - 1))
    return -(torch.diagonal(f).mean() - log_mean)


T = rn(5, 5, scale=4.0)
cases += [case('smile-mine', 'SMILE, tau 5 (some scores clipped)', smile_ref, [T]),
          case('smile-mine', 'SMILE, tau 1', smile_ref, [T], {'tau': 1}, {'tau': 1.0}),
          case('smile-mine', 'MINE (DV)', smile_ref, [T], {'estimator': 'mine'}, {'estimator': 'mine'})]


# ---- dsla: graph discrimination CE(score, 0), edit-distance pair loss -------------------------------------------------
def dsla_gd_ref(s, reduction='mean'):
    return F.cross_entropy(s, torch.zeros(s.shape[0], dtype=torch.long), reduction=reduction)


def dsla_ed_ref(h0, h, e, lam=0.7, reduction='mean'):
    out = []
    for b_ in range(h0.shape[0]):
        r = [torch.norm(h[b_, m] - h0[b_]) / e[b_, m] for m in range(h.shape[1])]
        pairs = [(r[i] - r[j]) ** 2 for i in range(len(r)) for j in range(i + 1, len(r))]
        out.append(lam * torch.stack(pairs).mean())
    return RED[reduction](torch.stack(out))


cases += [case('dsla-graph-discrimination', 'M = 4', dsla_gd_ref, [rn(4, 5, scale=2)]),
          case('dsla-graph-discrimination', 'none', dsla_gd_ref, [rn(4, 5, scale=2)], {'reduction': 'none'}, {'reduction': 'none'}),
          case('dsla-edit-distance', 'M = 3, lambda 0.7', dsla_ed_ref, [rn(4, 3), rn(4, 3, 3), torch.rand(4, 3, generator=g) * 3 + 1]),
          case('dsla-edit-distance', 'lambda 1, none', dsla_ed_ref, [rn(4, 3), rn(4, 3, 3), torch.rand(4, 3, generator=g) * 3 + 1], {'lambda': 1, 'reduction': 'none'}, {'lam': 1.0, 'reduction': 'none'})]


# ---- rmt-symmetric-ce: RMT's symmetric_cross_entropy ----------------------------------------------------------
def rmt_sce_ref(xs, xt, reduction='mean'):
    xt = xt.detach()
    v = -0.5 * (xt.softmax(1) * xs.log_softmax(1)).sum(1) - 0.5 * (xs.softmax(1) * xt.log_softmax(1)).sum(1)
    return RED[reduction](v)


cases += [case('rmt-symmetric-ce', 'student vs teacher', rmt_sce_ref, [rn(5, 4, scale=2), rn(5, 4, scale=2)]),
          case('rmt-symmetric-ce', 'none', rmt_sce_ref, [rn(5, 4, scale=2), rn(5, 4, scale=2)], {'reduction': 'none'}, {'reduction': 'none'})]


# ---- rotation-prediction: CE over the 4 rotations ---------------------------------------------------------------
def rot_ref(z, r, reduction='mean'):
    return F.cross_entropy(z, r, reduction=reduction)


cases += [case('rotation-prediction', '4 rotations of 2 images', rot_ref, [rn(8, 4, scale=2), torch.tensor([0, 0, 1, 1, 2, 2, 3, 3])])]


# ---- mae-reconstruction: MAE's forward_loss ------------------------------------------------------------------
def mae_ref(pred, target, mask, norm_pix_loss=True, reduction='mean'):
    if norm_pix_loss:
        mean = target.mean(dim=-1, keepdim=True)
        var = target.var(dim=-1, keepdim=True)
        target = (target - mean) / (var + 1.e-6) ** .5
    loss = ((pred - target) ** 2).mean(dim=-1)
    if reduction == 'none':
        return loss * mask
    if reduction == 'sum':
        return (loss * mask).sum()
    return (loss * mask).sum() / mask.sum()


mask = torch.tensor([[1., 0, 1, 1], [0, 1, 1, 0], [1, 1, 0, 1]])
cases += [case('mae-reconstruction', 'norm_pix_loss', mae_ref, [rn(3, 4, 5), rn(3, 4, 5), mask]),
          case('mae-reconstruction', 'raw pixels', mae_ref, [rn(3, 4, 5), rn(3, 4, 5), mask], {'normPixLoss': False}, {'norm_pix_loss': False}),
          case('mae-reconstruction', 'none', mae_ref, [rn(3, 4, 5), rn(3, 4, 5), mask], {'reduction': 'none'}, {'reduction': 'none'})]


# ---- pim: -lambda H(mean p) + mean H(p) + CE on the labelled ---------------------------------------------------
def pim_ref(z, y=None, lam=1.0):
    p = z.softmax(1)
    h = lambda q: -(q * torch.log(q)).sum(-1)
    loss = -lam * h(p.mean(0)) + h(p).mean()
    if y is not None:
        lab = y >= 0
        loss = loss + F.cross_entropy(z[lab], y[lab])
    return loss


zp = rn(6, 4, scale=2)
cases += [case('pim', 'unlabelled only', pim_ref, [zp]),
          case('pim', 'labelled and unlabelled, lambda 0.5', pim_ref, [zp, torch.tensor([1, -1, 0, -1, 3, 2])], {'lambda': 0.5}, {'lam': 0.5})]


# ---- am-aam-contrastive: Lepage & Dehak's symmetric contrastive loss with margins ---------------------------------
def amaam_ref(u, v, s=20.0, m=0.1, margin_type='am', intra_view=False, reduction='mean'):
    n = u.shape[0]
    un, vn = unit(u), unit(v)
    cross = un @ vn.T
    uu, vv = un @ un.T, vn @ vn.T

    def direction(sim, within):
        out = []
        for i in range(n):
            c = sim[i, i]
            if margin_type == 'am':
                t = c - m
            else:
                t = torch.cos(torch.acos(torch.clamp(c, -1, 1)) + m)
            neg = [sim[i, j] for j in range(n) if j != i]
            if intra_view:
                neg += [within[i, j] for j in range(n) if j != i]
            logits = s * torch.stack([t] + neg)
            out.append(torch.logsumexp(logits, 0) - logits[0])
        return torch.stack(out)
    per = 0.5 * (direction(cross, uu) + direction(cross.T, vv))
    return RED[reduction](per)


u, v = rn(5, 4), rn(5, 4)
cases += [case('am-aam-contrastive', 'AM, s 20, m 0.1', amaam_ref, [u, v]),
          case('am-aam-contrastive', 'AAM, m 0.2, none', amaam_ref, [u, v], {'marginType': 'aam', 'm': 0.2, 'reduction': 'none'}, {'margin_type': 'aam', 'm': 0.2, 'reduction': 'none'}),
          case('am-aam-contrastive', 'AM with within-view negatives', amaam_ref, [u, v], {'intraView': True}, {'intra_view': True})]


# ==== level B readings (the catalog's definitions, written as loops) ==================================================
def sfc_ref(v, t, gamma=2.0, tau=0.07, reduction='mean'):
    l = unit(v) @ unit(t).T / tau
    n = l.shape[0]
    out = []
    for i in range(n):
        acc = 0
        for j in range(n):
            y = 1.0 if i == j else 0.0
            p = torch.sigmoid(l[i, j]) if y else 1 - torch.sigmoid(l[i, j])
            acc = acc - (1 - p) ** gamma * torch.log(p)
        out.append(acc)
    return RED[reduction](torch.stack(out))


cases += [case('sigmoid-focal-contrastive', 'gamma 2, tau 0.07', sfc_ref, [a, b]),
          case('sigmoid-focal-contrastive', 'gamma 1, tau 0.5, none', sfc_ref, [a, b], {'gamma': 1, 'tau': 0.5, 'reduction': 'none'}, {'gamma': 1.0, 'tau': 0.5, 'reduction': 'none'})]


def fedbr_ref(hl, hg, hp, tau=0.5, weight=1.0, reduction='mean'):
    pos = torch.exp(F.cosine_similarity(hl, hg.detach()) / tau)
    neg = torch.exp(F.cosine_similarity(hl, hp) / tau)
    return RED[reduction](-weight * torch.log(pos / (pos + neg)))


cases += [case('fedbr-feature-contrast', 'tau 0.5', fedbr_ref, [rn(5, 4), rn(5, 4), rn(5, 4)]),
          case('fedbr-feature-contrast', 'tau 0.1, weight 2, none', fedbr_ref, [rn(5, 4), rn(5, 4), rn(5, 4)], {'tau': 0.1, 'weight': 2, 'reduction': 'none'}, {'tau': 0.1, 'weight': 2.0, 'reduction': 'none'})]


def rmt_proto_ref(f, c, y, aug=None, tau=0.1, reduction='mean'):
    def term(x):
        logits = F.cosine_similarity(x.unsqueeze(1), c.detach().unsqueeze(0), dim=-1) / tau
        return F.cross_entropy(logits, y, reduction='none')
    v = term(f) if aug is None else term(f) + term(aug)
    return RED[reduction](v)


fy = torch.tensor([0, 2, 1, 2, 0])
cases += [case('rmt-source-prototype-contrastive', 'prototypes only', rmt_proto_ref, [rn(5, 4), rn(3, 4), fy]),
          case('rmt-source-prototype-contrastive', 'with the augmented view, none', rmt_proto_ref, [rn(5, 4), rn(3, 4), fy, rn(5, 4)], {'reduction': 'none'}, {'reduction': 'none'})]

xv = rn(6, 4)
sol = torch.tensor([1., 0, 0, 1, 1, 0])
cases += [case('inter-variable-contrastive', 'SupCon on 0/1 solution values', lambda x, y: supcon_ref(x, y.long(), tau=0.1), [xv, sol])]


def cadae_ref(rec, x, e, y, alpha=0.5, tau=0.1, reduction='mean'):
    mse = ((rec - x) ** 2).mean(-1)
    con = supcon_ref(e, y, tau=tau, reduction='none')
    return RED[reduction](alpha * mse + (1 - alpha) * con)


cases += [case('class-aware-contrastive-dae', 'alpha 0.5', cadae_ref, [rn(8, 5), rn(8, 5), xs, ys]),
          case('class-aware-contrastive-dae', 'alpha 0.8, tau 0.2, none', cadae_ref, [rn(8, 5), rn(8, 5), xs, ys], {'alpha': 0.8, 'tau': 0.2, 'reduction': 'none'}, {'alpha': 0.8, 'tau': 0.2, 'reduction': 'none'})]


def scat_ref(z1, z2, rot, r, jig, pi, tau=0.5, lam=1.0, reduction='mean'):
    v = ntxent_ref(z1, z2, tau, 'none') + lam * (F.cross_entropy(rot, r, reduction='none') + F.cross_entropy(jig, pi, reduction='none'))
    return RED[reduction](v)


cases += [case('scatsimclr-pretext', 'lambda 1', scat_ref, [z1, z2, rn(4, 4), torch.tensor([0, 3, 1, 2]), rn(4, 6), torch.tensor([5, 0, 2, 2])]),
          case('scatsimclr-pretext', 'lambda 0.3, none', scat_ref, [z1, z2, rn(4, 4), torch.tensor([0, 3, 1, 2]), rn(4, 6), torch.tensor([5, 0, 2, 2])], {'lambda': 0.3, 'reduction': 'none'}, {'lam': 0.3, 'reduction': 'none'})]


def sycon_ref(q, k, kp, negp, negc, tau=0.2, reduction='mean'):
    v = infonce_ref(q, k, negp.detach(), tau=tau, reduction='none') + infonce_ref(q, kp.detach(), negc.detach(), tau=tau, reduction='none')
    return RED[reduction](v)


cases += [case('sy-con', 'tau 0.2', sycon_ref, [rn(4, 3), rn(4, 3), rn(4, 3), rn(6, 3), rn(6, 3)])]


def hnf_ref(q, p, n, tau=0.02, rho=0.95, margin=None, in_batch=True, reduction='mean'):
    q, p, n = unit(q), unit(p), unit(n)
    out = []
    for i in range(q.shape[0]):
        sp = q[i] @ p[i]
        terms = [sp / tau]
        for k_ in range(n.shape[1]):
            sn = q[i] @ n[i, k_]
            keep = sn < (rho * sp if margin is None else sp - margin)
            if keep:
                terms.append(sn / tau)
        if in_batch:
            terms += [q[i] @ p[j] / tau for j in range(q.shape[0]) if j != i]
        out.append(torch.logsumexp(torch.stack(terms), 0) - sp / tau)
    return RED[reduction](torch.stack(out))


hq = rn(4, 3)
hp_ = hq + 0.3 * rn(4, 3)
hn = torch.stack([hq + 0.2 * rn(4, 3), rn(4, 3), rn(4, 3), hq + 0.5 * rn(4, 3)], 1)
cases += [case('infonce-hard-negative-filter', 'rho 0.95, in-batch', hnf_ref, [hq, hp_, hn], {'tau': 0.1}, {'tau': 0.1}),
          case('infonce-hard-negative-filter', 'margin 0.1, mined only, none', hnf_ref, [hq, hp_, hn], {'tau': 0.1, 'margin': 0.1, 'inBatch': False, 'reduction': 'none'}, {'tau': 0.1, 'margin': 0.1, 'in_batch': False, 'reduction': 'none'})]


def tempnet_ref(ell, tau, rho=0.1, reduction='mean'):
    v = tau * torch.log(torch.exp(ell / tau.unsqueeze(1)).mean(1)) + tau * rho
    return RED[reduction](v)


cases += [case('tempnet-kl-dro', 'rho 0.1', tempnet_ref, [rn(4, 6), torch.rand(4, generator=g) + 0.2]),
          case('tempnet-kl-dro', 'rho 2, none', tempnet_ref, [rn(4, 6), torch.rand(4, generator=g) + 0.2], {'rho': 2, 'reduction': 'none'}, {'rho': 2.0, 'reduction': 'none'})]


def wdm_ref(f, gr=None, lam=10.0):
    nce = F.cross_entropy(f, torch.arange(f.shape[0]))
    if gr is None:
        return nce
    return nce + lam * ((gr.norm(dim=-1) - 1) ** 2).mean()


cases += [case('wasserstein-dependency-measure', 'InfoNCE on critic scores', wdm_ref, [rn(5, 5, scale=2)]),
          case('wasserstein-dependency-measure', 'with a gradient penalty, lambda 10', wdm_ref, [rn(5, 5, scale=2), rn(6, 3)])]


def scatter_ref(h, c=None, weight=1.0, reduction='mean'):
    hn = unit(h)
    cc = hn.mean(0) if c is None else c.detach()
    return RED[reduction](-weight * ((hn - cc) ** 2).sum(-1))


cases += [case('hyperspherical-scattering', 'in-batch centre', scatter_ref, [rn(6, 3)]),
          case('hyperspherical-scattering', 'EMA centre, weight 0.5, none', scatter_ref, [rn(6, 3), rn(3) * 0.2], {'weight': 0.5, 'reduction': 'none'}, {'weight': 0.5, 'reduction': 'none'})]


def icon_ref(f, p, kernel='cosine', tau=0.5, debias=0.0, reduction='mean'):
    n = f.shape[0]
    out = []
    for i in range(n):
        js = [j for j in range(n) if j != i]
        if kernel == 'cosine':
            k = torch.stack([F.cosine_similarity(f[i], f[j], dim=0) / tau for j in js])
        elif kernel == 'gaussian':
            k = torch.stack([-((f[i] - f[j]) ** 2).sum() / tau for j in js])
        else:
            k = torch.stack([-torch.log(1 + ((f[i] - f[j]) ** 2).sum() / tau) for j in js])
        logq = k - torch.logsumexp(k, 0)
        pt = torch.stack([(1 - debias) * p[i, j] + debias / (n - 1) for j in js])
        out.append((torch.xlogy(pt, pt) - pt * logq).sum())
    return RED[reduction](torch.stack(out))


pn = torch.rand(5, 5, generator=g) * (1 - torch.eye(5))
pn = pn / pn.sum(1, keepdim=True)
fi = rn(5, 3)
cases += [case('i-con', 'cosine kernel, tau 0.5', icon_ref, [fi, pn]),
          case('i-con', 'gaussian kernel, debias 0.2, none', icon_ref, [fi, pn], {'kernel': 'gaussian', 'tau': 2, 'debias': 0.2, 'reduction': 'none'}, {'kernel': 'gaussian', 'tau': 2.0, 'debias': 0.2, 'reduction': 'none'}),
          case('i-con', 'student-t kernel', icon_ref, [fi, pn], {'kernel': 'student-t'}, {'kernel': 'student-t'})]


def softclt_inst_ref(r, D, a=0.5, tau_i=1.0, reduction='mean'):
    _, n, T, _ = r.shape
    rr = r.reshape(2 * n, T, -1)
    per = torch.zeros(2 * n)
    for t in range(T):
        s = rr[:, t] @ rr[:, t].T
        for i in range(2 * n):
            js = [j for j in range(2 * n) if j != i]
            logp = s[i, js] - torch.logsumexp(s[i, js], 0)
            l = 0
            for idx, j in enumerate(js):
                w = 1.0 if j == (i + n) % (2 * n) else 2 * a * torch.sigmoid(-tau_i * D[i % n, j % n])
                l = l - w * logp[idx]
            per[i] = per[i] + l / T
    v = 0.5 * (per[:n] + per[n:])
    return RED[reduction](v)


def softclt_temp_ref(r, tau_t=1.0, reduction='mean'):
    _, n, T, _ = r.shape
    out = []
    for b_ in range(n):
        x = torch.cat([r[0, b_], r[1, b_]], 0)
        s = x @ x.T
        acc = 0
        for t in range(2 * T):
            ss = [u for u in range(2 * T) if u != t]
            logp = s[t, ss] - torch.logsumexp(s[t, ss], 0)
            for idx, u in enumerate(ss):
                w = 1.0 if u == (t + T) % (2 * T) else 2 * torch.sigmoid(torch.tensor(-tau_t * abs(t % T - u % T)))
                acc = acc - w * logp[idx]
        out.append(acc / (2 * T))
    return RED[reduction](torch.stack(out))


rts = rn(2, 3, 4, 2)
Dm = torch.cdist(rn(3, 5), rn(3, 5)) * 0.3
Dm = (Dm + Dm.T) / 2
cases += [case('softclt-instance', 'a 0.5, tau_I 1', softclt_inst_ref, [rts, Dm]),
          case('softclt-instance', 'a 0.3, tau_I 4, none', softclt_inst_ref, [rts, Dm], {'a': 0.3, 'tauI': 4, 'reduction': 'none'}, {'a': 0.3, 'tau_i': 4.0, 'reduction': 'none'}),
          case('softclt-temporal', 'tau_T 1', softclt_temp_ref, [rts]),
          case('softclt-temporal', 'tau_T 0.5, none', softclt_temp_ref, [rts], {'tauT': 0.5, 'reduction': 'none'}, {'tau_t': 0.5, 'reduction': 'none'})]


def cacr_ref(q, kp, kn, t_pos=1.0, t_neg=2.0, reduction='mean'):
    out = []
    for i in range(q.shape[0]):
        qi = unit(q[i])
        cp = torch.stack([((qi - unit(kp[i, m])) ** 2).sum() for m in range(kp.shape[1])])
        cn = torch.stack([((qi - unit(kn[i, k_])) ** 2).sum() for k_ in range(kn.shape[1])])
        out.append((torch.softmax(t_pos * cp, 0) * cp).sum() - (torch.softmax(-t_neg * cn, 0) * cn).sum())
    return RED[reduction](torch.stack(out))


cases += [case('cacr', 't+ 1, t- 2', cacr_ref, [rn(4, 3), rn(4, 2, 3), rn(4, 5, 3)]),
          case('cacr', 't+ 0.5, t- 4, none', cacr_ref, [rn(4, 3), rn(4, 2, 3), rn(4, 5, 3)], {'tPos': 0.5, 'tNeg': 4, 'reduction': 'none'}, {'t_pos': 0.5, 't_neg': 4.0, 'reduction': 'none'})]

write('contrastive', cases)
