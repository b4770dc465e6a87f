"""Distillation objectives, each written independently from its paper, the catalog's definition or the authors'
code (torch's own F.kl_div / cross_entropy where they exist): the references for the 'distillation' entries.
Teacher-side tensors are detached inside each reference, as the losses hold them constant."""
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(0)
N, C = 5, 4
zs = torch.randn(N, C, generator=g) * 2
zt = torch.randn(N, C, generator=g) * 2
y = torch.tensor([0, 3, 1, 1, 2])
big_s = torch.tensor([[1e4, -1e4, 0.0, 5e3], [-1e4, 1e4, 2.0, -3.0], [0.0, -1e4, 1e4, 1e4]])
big_t = torch.tensor([[-1e4, 1e4, 3.0, 0.0], [1e4, -1e4, 1e4, -5e3], [2.0, 1e4, -1e4, 0.0]])
ybig = torch.tensor([0, 2, 3])
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []


# ---- kd-kl: Hinton et al.; F.kl_div(log_softmax(s/T), softmax(t/T), 'batchmean') * T^2 --------------------
def kd_kl_ref(s, t, target=None, T=4.0, alpha=0.9, reduction='mean'):
    t = t.detach()
    kd = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction='none').sum(1) * T * T
    v = kd if target is None else (1 - alpha) * F.cross_entropy(s, target, reduction='none') + alpha * kd
    return RED[reduction](v)


cases += [
    case('kd-kl', 'T = 4 (default), batchmean', kd_kl_ref, [zs, zt]),
    case('kd-kl', 'T = 1, none', kd_kl_ref, [zs, zt], {'T': 1, 'reduction': 'none'}, {'T': 1.0, 'reduction': 'none'}),
    case('kd-kl', 'with labels: (1 - alpha) CE + alpha T^2 KL', kd_kl_ref, [zs, zt, y]),
    case('kd-kl', 'with labels, T = 2, alpha = 0.5, sum', kd_kl_ref, [zs, zt, y], {'T': 2, 'alpha': 0.5, 'reduction': 'sum'}, {'T': 2.0, 'alpha': 0.5, 'reduction': 'sum'}),
    case('kd-kl', 'logits of ±1e4', kd_kl_ref, [big_s, big_t, ybig], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- binary-kl-logit: per-class Bernoulli KL of sigmoids (the clamped-probability form, away from the clamp) ----
def binary_kl_ref(s, t, T=2.0, reduction='mean'):
    qt = torch.sigmoid(t.detach() / T)
    qs = torch.sigmoid(s / T)
    kl = qt * (torch.log(qt) - torch.log(qs)) + (1 - qt) * (torch.log(1 - qt) - torch.log(1 - qs))
    return RED[reduction](kl.sum(1) * T * T)


def binary_kl_stable(s, t, T=2.0, reduction='mean'):
    a, b = s / T, t.detach() / T
    kl = torch.sigmoid(b) * (F.logsigmoid(b) - F.logsigmoid(a)) + torch.sigmoid(-b) * (F.logsigmoid(-b) - F.logsigmoid(-a))
    return RED[reduction](kl.sum(1) * T * T)


cases += [
    case('binary-kl-logit', 'T = 2 (default)', binary_kl_ref, [zs, zt]),
    case('binary-kl-logit', 'T = 1, none', binary_kl_ref, [zs, zt], {'T': 1, 'reduction': 'none'}, {'T': 1.0, 'reduction': 'none'}),
    case('binary-kl-logit', 'logits of ±1e4 (logsigmoid form)', binary_kl_stable, [big_s, big_t], {'reduction': 'sum'}, {'reduction': 'sum'}),
]


# ---- dual-head-kd ---------------------------------------------------------------------------------------
def dual_head_ref(z1, z2, t, target, T=4.0, alpha=1.0, beta=1.0, reduction='mean'):
    t = t.detach()
    kd = F.kl_div(F.log_softmax(z1 / T, 1), F.softmax(t / T, 1), reduction='none').sum(1) * T * T
    qt, qs = torch.sigmoid(t / T), torch.sigmoid(z2 / T)
    bkl = (qt * (qt.log() - qs.log()) + (1 - qt) * ((1 - qt).log() - (1 - qs).log())).sum(1) * T * T
    return RED[reduction](F.cross_entropy(z1, target, reduction='none') + alpha * kd + beta * bkl)


z2 = torch.randn(N, C, generator=g)
cases += [
    case('dual-head-kd', 'defaults', dual_head_ref, [zs, z2, zt, y]),
    case('dual-head-kd', 'T = 2, alpha = 0.5, beta = 2, none', dual_head_ref, [zs, z2, zt, y], {'T': 2, 'alpha': 0.5, 'beta': 2, 'reduction': 'none'}, {'T': 2.0, 'alpha': 0.5, 'beta': 2.0, 'reduction': 'none'}),
]


# ---- meal-v2-ensemble-kd: soft CE against the mean of the teachers' softmaxes ------------------------------
def meal_ens_ref(s, teachers, T=1.0, reduction='mean'):
    pbar = sum(F.softmax(teachers[m].detach() / T, 1) for m in range(teachers.shape[0])) / teachers.shape[0]
    return RED[reduction](-(pbar * F.log_softmax(s / T, 1)).sum(1))


teachers = torch.randn(3, N, C, generator=g) * 2
cases += [
    case('meal-v2-ensemble-kd', 'three teachers, T = 1', meal_ens_ref, [zs, teachers]),
    case('meal-v2-ensemble-kd', 'T = 2, none', meal_ens_ref, [zs, teachers], {'T': 2, 'reduction': 'none'}, {'T': 2.0, 'reduction': 'none'}),
]


# ---- listwise-score-distillation ---------------------------------------------------------------------------
def listwise_ref(s, t, tauS=0.02, tauT=None, weight=1.0, reduction='mean'):
    tauT = tauS if tauT is None else tauT
    kl = F.kl_div(F.log_softmax(s / tauS, 1), F.log_softmax(t.detach() / tauT, 1), reduction='none', log_target=True).sum(1)
    return RED[reduction](weight * kl)


ss = torch.rand(N, 6, generator=g) * 0.2
st = torch.rand(N, 6, generator=g) * 0.2
cases += [
    case('listwise-score-distillation', 'tau_s = 0.02 on both lists', listwise_ref, [ss, st]),
    case('listwise-score-distillation', 'tau_s = 0.05, tau_t = 0.1, weight 0.5, none', listwise_ref, [ss, st], {'tauS': 0.05, 'tauT': 0.1, 'weight': 0.5, 'reduction': 'none'}, {'tauS': 0.05, 'tauT': 0.1, 'weight': 0.5, 'reduction': 'none'}),
]


# ---- class-relation-kd ----------------------------------------------------------------------------------
def crkd_ref(s, t, w=None, tau=1.0, reduction='mean'):
    kl = F.kl_div(F.log_softmax(s / tau, 1), F.softmax(t.detach() / tau, 1), reduction='none').sum(1)
    return RED[reduction](kl if w is None else w * kl)


w = torch.rand(N, generator=g)
cases += [
    case('class-relation-kd', 'unweighted, tau = 1', crkd_ref, [zs, zt]),
    case('class-relation-kd', 'per-sample weights, tau = 0.5, none', crkd_ref, [zs, zt, w], {'tau': 0.5, 'reduction': 'none'}, {'tau': 0.5, 'reduction': 'none'}),
]


# ---- bd-kd: the reading a = (H_t + eps)/(H_t + H_s + 2 eps) ---------------------------------------------------
def bdkd_ref(s, t, target, tau=3.0, eps=1e-8, reduction='mean'):
    pt, ps = F.softmax(t.detach() / tau, 1), F.softmax(s / tau, 1)
    ht = -(pt * pt.log()).sum(1)
    hs = -(ps * ps.log()).sum(1)
    a = (ht + eps) / (ht + hs + 2 * eps)
    fwd = (pt * (pt.log() - ps.log())).sum(1)
    rev = (ps * (ps.log() - pt.log())).sum(1)
    return RED[reduction](F.cross_entropy(s, target, reduction='none') + tau ** 2 * (a * fwd + (1 - a) * rev))


cases += [
    case('bd-kd', 'tau = 3 (default)', bdkd_ref, [zs, zt, y]),
    case('bd-kd', 'tau = 1, none', bdkd_ref, [zs, zt, y], {'tau': 1, 'reduction': 'none'}, {'tau': 1.0, 'reduction': 'none'}),
]


# ---- tgeo-kd ----------------------------------------------------------------------------------------------
def tgeo_ref(s, t, target, ratio, tau=4.0, reduction='mean'):
    kd = F.kl_div(F.log_softmax(s / tau, 1), F.softmax(t.detach() / tau, 1), reduction='none').sum(1) * tau * tau
    return RED[reduction](ratio * kd + (1 - ratio) * F.cross_entropy(s, target, reduction='none'))


ratio = torch.rand(N, generator=g)
cases += [
    case('tgeo-kd', 'tau = 4, per-sample ratios', tgeo_ref, [zs, zt, y, ratio]),
    case('tgeo-kd', 'tau = 2, none', tgeo_ref, [zs, zt, y, ratio], {'tau': 2, 'reduction': 'none'}, {'tau': 2.0, 'reduction': 'none'}),
]


# ---- mtard ------------------------------------------------------------------------------------------------
def mtard_ref(s, sa, tc, ta, wClean=0.5, tauClean=1.0, tauAdv=1.0, reduction='mean'):
    kc = F.kl_div(F.log_softmax(s, 1), F.softmax(tc.detach() / tauClean, 1), reduction='none').sum(1)
    ka = F.kl_div(F.log_softmax(sa, 1), F.softmax(ta.detach() / tauAdv, 1), reduction='none').sum(1)
    return RED[reduction](wClean * kc + (1 - wClean) * ka)


sa = torch.randn(N, C, generator=g) * 2
ta = torch.randn(N, C, generator=g) * 2
cases += [
    case('mtard', 'w_c = 1/2, both temperatures 1', mtard_ref, [zs, sa, zt, ta]),
    case('mtard', 'w_c = 0.3, tau_c = 2, tau_a = 0.5, none', mtard_ref, [zs, sa, zt, ta], {'wClean': 0.3, 'tauClean': 2, 'tauAdv': 0.5, 'reduction': 'none'}, {'wClean': 0.3, 'tauClean': 2.0, 'tauAdv': 0.5, 'reduction': 'none'}),
]


# ---- gpg-loss: the chain over subnets, each later one guided by the detached previous one --------------------
def gpg_ref(z, guide, target, alpha=0.5, T=1.0, labelSmoothing=0.1, reduction='mean'):
    v = F.cross_entropy(z[0], target, label_smoothing=labelSmoothing, reduction='none')
    for k in range(1, z.shape[0]):
        kl = F.kl_div(F.log_softmax(z[k] / T, 1), F.softmax(guide[k - 1].detach() / T, 1), reduction='none').sum(1)
        v = v + alpha * kl + (1 - alpha) * F.cross_entropy(z[k], target, reduction='none')
    return RED[reduction](v)


zsub = torch.randn(3, N, C, generator=g) * 2
cases += [
    case('gpg-loss', 'three subnets, defaults', lambda z, target, **kw: gpg_ref(z, z, target, **kw), [zsub, y]),
    case('gpg-loss', 'alpha = 0.8, T = 2, no smoothing, none', lambda z, target, **kw: gpg_ref(z, z, target, **kw), [zsub, y], {'alpha': 0.8, 'T': 2, 'labelSmoothing': 0, 'reduction': 'none'}, {'alpha': 0.8, 'T': 2.0, 'labelSmoothing': 0.0, 'reduction': 'none'}),
]


# ---- pld: Plackett-Luce over (y first, then descending teacher logits), weights softmax(t/T) at each rank ----
def pld_ref(s, t, target, T=1.0, reduction='mean'):
    t = t.detach()
    p = F.softmax(t / T, 1)
    out = []
    for i in range(s.shape[0]):
        rest = [int(k) for k in torch.argsort(t[i], descending=True) if int(k) != int(target[i])]
        perm = [int(target[i])] + rest
        v = s.new_zeros(())
        for k in range(len(perm)):
            tail = torch.stack([s[i, perm[l]] for l in range(k, len(perm))])
            v = v + p[i, perm[k]] * (torch.logsumexp(tail, 0) - s[i, perm[k]])
        out.append(v)
    return RED[reduction](torch.stack(out))


cases += [
    case('pld', 'T = 1', pld_ref, [zs, zt, y]),
    case('pld', 'T = 3, none', pld_ref, [zs, zt, y], {'T': 3, 'reduction': 'none'}, {'T': 3.0, 'reduction': 'none'}),
]


# ---- nd-loss / cosine-teacher-class-mean: the authors' per-sample loop ------------------------------------------
def nd_ref(s, t, centres, target, weight=1.0, reduction='mean'):
    vals = []
    for i in range(s.shape[0]):
        c = centres[int(target[i])].detach()
        e = c / c.norm(p=2)
        vals.append(1 - torch.dot(s[i], e) / torch.max(s[i].norm(p=2), t[i].detach().norm(p=2)))
    return RED[reduction](torch.stack(vals) * weight)


def cos_mean_ref(s, centres, target, reduction='mean'):
    return RED[reduction](1 - F.cosine_similarity(s, centres.detach()[target], dim=1))


D, K = 6, 3
emb_s = torch.randn(N, D, generator=g)
emb_t = torch.randn(N, D, generator=g) * 1.2
centres = torch.randn(K, D, generator=g)
yk = torch.tensor([0, 2, 1, 1, 0])
cases += [
    case('nd-loss', 'weight 1', nd_ref, [emb_s, emb_t, centres, yk]),
    case('nd-loss', 'weight 4, none', nd_ref, [emb_s, emb_t, centres, yk], {'weight': 4, 'reduction': 'none'}, {'weight': 4.0, 'reduction': 'none'}),
    case('cosine-teacher-class-mean', 'mean', cos_mean_ref, [emb_s, centres, yk]),
    case('cosine-teacher-class-mean', 'none', cos_mean_ref, [emb_s, centres, yk], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- fitnet-feature-l2 / lolcats-attention-transfer: MSE of (regressed) features ------------------------------
def fitnet_ref(fs, ft, W=None, reduction='mean'):
    h = fs if W is None else F.conv2d(fs, W[:, :, None, None])
    return RED[reduction](((h - ft.detach()) ** 2).flatten(1).mean(1))


fs4 = torch.randn(2, 3, 2, 2, generator=g)
ft4 = torch.randn(2, 5, 2, 2, generator=g)
W = torch.randn(5, 3, generator=g)
fs2, ft2 = torch.randn(N, 4, generator=g), torch.randn(N, 4, generator=g)
cases += [
    case('fitnet-feature-l2', 'identity regressor, [N, D]', fitnet_ref, [fs2, ft2]),
    case('fitnet-feature-l2', '1x1-conv regressor on [N, C, H, W] (F.conv2d)', fitnet_ref, [fs4, ft4, W]),
    case('fitnet-feature-l2', '1x1-conv regressor, none', fitnet_ref, [fs4, ft4, W], {'reduction': 'none'}, {'reduction': 'none'}),
]


def lolcats_ref(ylin, ysm, layerWeight=1.0, reduction='mean'):
    if reduction == 'mean':
        return layerWeight * F.mse_loss(ylin, ysm.detach())  # nn.MSELoss(reduction='mean'), the authors' criterion
    return RED[reduction](layerWeight * ((ylin - ysm.detach()) ** 2).flatten(1).mean(1))


ylin = torch.randn(2, 4, 3, generator=g)
ysm = torch.randn(2, 4, 3, generator=g)
yh_lin, yh_sm = torch.randn(2, 2, 3, 4, generator=g), torch.randn(2, 2, 3, 4, generator=g)
cases += [
    case('lolcats-attention-transfer', '[B, T, D], nn.MSELoss mean', lolcats_ref, [ylin, ysm]),
    case('lolcats-attention-transfer', '[B, H, T, D], layer weight 0.5, none', lolcats_ref, [yh_lin, yh_sm], {'layerWeight': 0.5, 'reduction': 'none'}, {'layerWeight': 0.5, 'reduction': 'none'}),
]


# ---- der-logit-replay ----------------------------------------------------------------------------------------
def der_ref(z, target, zbuf, zstored, alpha=0.3):
    return F.cross_entropy(z, target) + alpha * F.mse_loss(zbuf, zstored.detach())


zbuf = torch.randn(3, C, generator=g) * 2
zst = torch.randn(3, C, generator=g) * 2
cases += [
    case('der-logit-replay', 'alpha = 0.3', der_ref, [zs, y, zbuf, zst]),
    case('der-logit-replay', 'alpha = 0.5', der_ref, [zs, y, zbuf, zst], {'alpha': 0.5}, {'alpha': 0.5}),
]


# ---- naive-weighted-ce-transfer / sel-transfer --------------------------------------------------------------
def naive_ref(z, a, pt, reduction='mean'):
    return RED[reduction](-pt.detach() * F.log_softmax(z, 1).gather(1, a[:, None]).squeeze(1))


def sel_ref(z, a, pt, reduction='mean'):
    return RED[reduction]((F.log_softmax(z, 1).gather(1, a[:, None]).squeeze(1) - pt.detach().log()) ** 2)


pt = torch.rand(N, generator=g) * 0.9 + 0.05
cases += [
    case('naive-weighted-ce-transfer', 'mean', naive_ref, [zs, y, pt]),
    case('naive-weighted-ce-transfer', 'none', naive_ref, [zs, y, pt], {'reduction': 'none'}, {'reduction': 'none'}),
    case('sel-transfer', 'mean', sel_ref, [zs, y, pt]),
    case('sel-transfer', 'none', sel_ref, [zs, y, pt], {'reduction': 'none'}, {'reduction': 'none'}),
    case('sel-transfer', 'student logits of ±1e4', sel_ref, [big_s, ybig, torch.tensor([0.5, 0.25, 1.0])], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- multi-aspect-kd: CE + lambda * mean BCE-with-logits (torch's) ---------------------------------------------
def multi_aspect_ref(z, target, za, ta, reduction='mean', **kw):
    lam = kw.get('lambda', 1.0)
    bce = F.binary_cross_entropy_with_logits(za, ta.detach(), reduction='none').mean(1)
    return RED[reduction](F.cross_entropy(z, target, reduction='none') + lam * bce)


za = torch.randn(N, 6, generator=g) * 2
tas = torch.rand(N, 6, generator=g)
cases += [
    case('multi-aspect-kd', 'lambda = 1', multi_aspect_ref, [zs, y, za, tas]),
    case('multi-aspect-kd', 'lambda = 0.3, none', multi_aspect_ref, [zs, y, za, tas], {'lambda': 0.3, 'reduction': 'none'}, {'lambda': 0.3, 'reduction': 'none'}),
]


# ---- tesla: soft CE to the augmentation-averaged teacher, minus the entropy of the batch-mean prediction --------
def tesla_ref(z, tp, diversityWeight=1.0):
    yhat = tp.detach().mean(1)
    p = F.softmax(z, 1)
    pbar = p.mean(0)
    return -(yhat * F.log_softmax(z, 1)).sum(1).mean() + diversityWeight * (pbar * pbar.log()).sum()


tp = F.softmax(torch.randn(N, 3, C, generator=g) * 2, -1)
cases += [
    case('tesla', 'three augmentations', tesla_ref, [zs, tp]),
    case('tesla', 'diversity weight 0.5', tesla_ref, [zs, tp], {'diversityWeight': 0.5}, {'diversityWeight': 0.5}),
]


# ---- meal-v2-discriminator: BCE with logits, teacher real / student fake; non-saturating student term ---------
def meal_disc_ref(ds, dt=None, role='student', weight=1.0, reduction='mean'):
    if role == 'student':
        return RED[reduction](weight * F.binary_cross_entropy_with_logits(ds, torch.ones_like(ds), reduction='none'))
    return RED[reduction](F.binary_cross_entropy_with_logits(dt, torch.ones_like(dt), reduction='none')
                          + F.binary_cross_entropy_with_logits(ds, torch.zeros_like(ds), reduction='none'))


ds = torch.randn(N, generator=g) * 2
dt = torch.randn(N, generator=g) * 2
cases += [
    case('meal-v2-discriminator', 'student role', meal_disc_ref, [ds]),
    case('meal-v2-discriminator', 'student role, weight 0.5, none', meal_disc_ref, [ds], {'weight': 0.5, 'reduction': 'none'}, {'weight': 0.5, 'reduction': 'none'}),
    case('meal-v2-discriminator', 'discriminator role', meal_disc_ref, [ds, dt], {'role': 'discriminator'}, {'role': 'discriminator'}),
]


# ---- grd-relation-distillation ----------------------------------------------------------------------------
def grd_ref(fn, fo, w=None, form='mse', temperature=1.0, reduction='mean'):
    rn = F.normalize(fn, dim=1) @ F.normalize(fn, dim=1).T
    ro = (F.normalize(fo.detach(), dim=1) @ F.normalize(fo.detach(), dim=1).T)
    ww = torch.ones_like(rn) if w is None else (w[:, None] if w.dim() == 1 else w).detach()
    if form == 'mse':
        v = (ww * (rn - ro) ** 2).mean(1)
    else:
        v = (ww * F.kl_div(F.log_softmax(rn / temperature, 1), F.softmax(ro / temperature, 1), reduction='none')).sum(1)
    return RED[reduction](v)


fo = emb_s + 0.3 * torch.randn(N, D, generator=g)
wpair = torch.rand(N, N, generator=g)
cases += [
    case('grd-relation-distillation', 'mse form', grd_ref, [emb_s, fo]),
    case('grd-relation-distillation', 'mse form, pair weights, none', grd_ref, [emb_s, fo, wpair], {'reduction': 'none'}, {'reduction': 'none'}),
    case('grd-relation-distillation', 'kl form, tau = 0.5, per-sample weights', grd_ref, [emb_s, fo, w], {'form': 'kl', 'temperature': 0.5}, {'form': 'kl', 'temperature': 0.5}),
]

write('distillation', cases)
