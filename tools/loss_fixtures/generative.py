"""generative/LM objectives, each written independently from its paper or the authors' code (torch's own
F.cross_entropy / binary_cross_entropy_with_logits / softplus where they exist): the references for the
'generative-lm' entries. Stop-gradients of the definitions are .detach() here too."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(14)
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


# ---- cut-cross-entropy: dense F.cross_entropy on E C^T (the paper's oracle) ----------------------------------
def cce_ref(e, c, y, ignoreIndex=-100, logitSoftcap=None, reduction='mean', blockSize=None):
    z = e @ c.T
    if logitSoftcap is not None:
        z = logitSoftcap * torch.tanh(z / logitSoftcap)
    return F.cross_entropy(z, y, ignore_index=ignoreIndex, reduction=reduction)


E, Cw = rn(6, 4, scale=1.5), rn(11, 4)
y = torch.tensor([3, 0, 10, 7, -100, 3])
cases += [
    case('cut-cross-entropy', 'default blocks, ignore_index', cce_ref, [E, Cw, y]),
    case('cut-cross-entropy', 'blockSize 4, sum', cce_ref, [E, Cw, y], {'blockSize': 4, 'reduction': 'sum'}, {'reduction': 'sum'}),
    case('cut-cross-entropy', 'blockSize 3, softcap 2, none', cce_ref, [E, Cw, y], {'blockSize': 3, 'logitSoftcap': 2, 'reduction': 'none'}, {'logitSoftcap': 2.0, 'reduction': 'none'}),
]


# ---- GAN family: per-sample D and G losses, means over real plus over fake ---------------------------------
def gan_ref(kind, player, gen='nonsaturating'):
    def f(dfake, dreal=None, gp=None, lambdaGp=10.0, reduction='mean'):
        if player == 'D':
            if kind == 'hinge': v = F.relu(1 - dreal) + F.relu(1 + dfake)
            elif kind == 'ls': v = 0.5 * (dreal - 1) ** 2 + 0.5 * dfake ** 2
            elif kind == 'ns': v = F.binary_cross_entropy_with_logits(dreal, torch.ones_like(dreal), reduction='none') + F.binary_cross_entropy_with_logits(dfake, torch.zeros_like(dfake), reduction='none')
            else:
                v = dfake - dreal
                if gp is not None:
                    v = v + lambdaGp * (gp.flatten(1).norm(dim=1) - 1) ** 2
        else:
            if kind in ('hinge', 'w'): v = -dfake
            elif kind == 'ls': v = 0.5 * (dfake - 1) ** 2
            elif gen == 'nonsaturating': v = F.binary_cross_entropy_with_logits(dfake, torch.ones_like(dfake), reduction='none')
            else: v = -F.binary_cross_entropy_with_logits(dfake, torch.zeros_like(dfake), reduction='none')
        return RED[reduction](v)
    return f


df, dr = rn(5, scale=2), rn(5, scale=2)
for id_, kind in [('gan-hinge', 'hinge'), ('gan-least-squares', 'ls'), ('gan-nonsaturating', 'ns')]:
    cases += [
        case(id_, 'discriminator', gan_ref(kind, 'D'), [df, dr]),
        case(id_, 'generator, none', gan_ref(kind, 'G'), [df], {'reduction': 'none'}, {'reduction': 'none'}),
    ]
cases.append(case('gan-nonsaturating', 'minimax generator, sum', gan_ref('ns', 'G', 'minimax'), [df], {'generator': 'minimax', 'reduction': 'sum'}, {'reduction': 'sum'}))
# The critic's input gradient at interpolates, from a real critic D(x) = sum(tanh(x W)): the penalty term only sees it.
xr, xf, al, W = rn(5, 3), rn(5, 3), torch.rand(5, 1, generator=g), rn(3, 2)
xh = (al * xr + (1 - al) * xf).requires_grad_()
gp = torch.autograd.grad(torch.tanh(xh @ W).sum(), xh, create_graph=True)[0].detach()
cases += [
    case('gan-wasserstein-gp', 'critic with gradient penalty', gan_ref('w', 'D'), [df, dr, gp]),
    case('gan-wasserstein-gp', 'critic, lambda 2, none', gan_ref('w', 'D'), [df, dr, gp], {'lambdaGp': 2, 'reduction': 'none'}, {'lambdaGp': 2.0, 'reduction': 'none'}),
    case('gan-wasserstein-gp', 'generator', gan_ref('w', 'G'), [df]),
]


# ---- VAE family -------------------------------------------------------------------------------------------
def kl_ref(mu, logvar, reduction='mean'):
    return RED[reduction](-0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1))


def elbo_ref(xhat, x, mu, logvar, beta=1.0, gamma=1.0, likelihood='gaussian', reduction='mean'):
    if likelihood == 'bernoulli':
        rec = F.binary_cross_entropy_with_logits(xhat, x, reduction='none').flatten(1).sum(1)
    else:
        d = x[0].numel()
        gam = gamma if isinstance(gamma, torch.Tensor) else torch.tensor(gamma)
        rec = ((x - xhat) ** 2).flatten(1).sum(1) / (2 * gam) + d / 2 * torch.log(gam)
    return RED[reduction](rec + beta * (-0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)))


def gamma_bal_ref(xhat, x, mu, logvar, gammaMin=1e-3, gamma=None, reduction='mean'):
    d = x[0].numel()
    mse = ((x - xhat) ** 2).flatten(1).mean(1)
    gam = torch.clamp(mse.detach().mean(), min=gammaMin) if gamma is None else torch.tensor(max(gamma, gammaMin))
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)
    return RED[reduction](d * mse / (2 * gam) + d / 2 * torch.log(gam) + kl)


mu, lv = rn(4, 3), rn(4, 3, scale=0.5)
x, xhat = rn(4, 2, 3), rn(4, 2, 3)
xb = (torch.rand(4, 6, generator=g) > 0.5).double()
lg = rn(4).abs() + 0.3
cases += [
    case('vae-gaussian-kl', 'default mean', kl_ref, [mu, lv]),
    case('vae-gaussian-kl', 'none', kl_ref, [mu, lv], {'reduction': 'none'}, {'reduction': 'none'}),
    case('vae-elbo', 'gaussian, gamma 1', elbo_ref, [xhat, x, mu, lv]),
    case('vae-elbo', 'beta 4, gamma 0.3, none', elbo_ref, [xhat, x, mu, lv], {'beta': 4, 'gamma': 0.3, 'reduction': 'none'}, {'beta': 4.0, 'gamma': 0.3, 'reduction': 'none'}),
    case('vae-elbo', 'per-sample gamma tensor', elbo_ref, [xhat, x, mu, lv], {'gamma': lg}, {'gamma': lg}),
    case('vae-elbo', 'bernoulli', elbo_ref, [rn(4, 6, scale=2), xb, mu, lv], {'likelihood': 'bernoulli'}, {'likelihood': 'bernoulli'}),
    case('vae-gamma-balancing', 'batch MSE', gamma_bal_ref, [xhat, x, mu, lv]),
    case('vae-gamma-balancing', 'given gamma 0.5, none', gamma_bal_ref, [xhat, x, mu, lv], {'gamma': 0.5, 'reduction': 'none'}, {'gamma': 0.5, 'reduction': 'none'}),
    case('vae-gamma-balancing', 'gamma floored at gamma_min', gamma_bal_ref, [xhat, xhat + 1e-3, mu, lv], {'gammaMin': 0.01}, {'gammaMin': 0.01}),
]


def cat_vae_ref(dec, x, a, reduction='mean'):
    q = F.softmax(a, -1)
    kl = (q * (F.log_softmax(a, -1) + math.log(a.shape[-1]))).sum((1, 2))
    return RED[reduction](F.binary_cross_entropy_with_logits(dec, x, reduction='none').sum(1) + kl)


cases += [
    case('categorical-vae-elbo-gumbel', 'L = 3 latents of K = 4', cat_vae_ref, [rn(4, 6, scale=2), xb, rn(4, 3, 4, scale=2)]),
    case('categorical-vae-elbo-gumbel', 'none', cat_vae_ref, [rn(4, 6, scale=2), xb, rn(4, 3, 4, scale=2)], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- consistency-model distances and the iCT objective ---------------------------------------------------
def ph_ref(a, b, c=None, reduction='mean'):
    c = 0.00054 * math.sqrt(a[0].numel()) if c is None else c
    return RED[reduction](torch.sqrt(((a - b) ** 2).flatten(1).sum(1) + c * c) - c)


def cauchy_ref(a, b, c=1.0, reduction='mean'):
    return RED[reduction](torch.log(1 + ((a - b) ** 2).flatten(1).sum(1) / (2 * c * c)))


def ct_ref(student, teacher, s, s1, distance='pseudo-huber', c=None, reduction='mean'):
    teacher = teacher.detach()
    r2 = ((student - teacher) ** 2).flatten(1).sum(1)
    if distance == 'l2': d = r2
    elif distance == 'cauchy': d = torch.log(1 + r2 / (2 * (1.0 if c is None else c) ** 2))
    else:
        cc = 0.00054 * math.sqrt(student[0].numel()) if c is None else c
        d = torch.sqrt(r2 + cc * cc) - cc
    return RED[reduction](d / (s1 - s).detach())


a4, b4 = rn(4, 2, 5), rn(4, 2, 5)
sig = torch.tensor([0.002, 0.5, 3.0, 40.0])
sig1 = torch.tensor([0.01, 0.8, 5.5, 80.0])
cases += [
    case('pseudo-huber-loss', 'iCT c', ph_ref, [a4, b4]),
    case('pseudo-huber-loss', 'c = 0.5, none', ph_ref, [a4, b4], {'c': 0.5, 'reduction': 'none'}, {'c': 0.5, 'reduction': 'none'}),
    case('pseudo-huber-loss', 'tiny residuals (r^2 << c^2)', ph_ref, [a4, a4 + 1e-6 * b4], {'c': 1, 'reduction': 'sum'}, {'c': 1.0, 'reduction': 'sum'}),
    case('cauchy-loss', 'c = 1', cauchy_ref, [a4, b4]),
    case('cauchy-loss', 'c = 0.3, none', cauchy_ref, [a4, b4], {'c': 0.3, 'reduction': 'none'}, {'c': 0.3, 'reduction': 'none'}),
    case('consistency-training-loss', 'pseudo-Huber (iCT)', ct_ref, [a4, b4, sig, sig1]),
    case('consistency-training-loss', 'Cauchy c = 0.5 (sLCT), none', ct_ref, [a4, b4, sig, sig1], {'distance': 'cauchy', 'c': 0.5, 'reduction': 'none'}, {'distance': 'cauchy', 'c': 0.5, 'reduction': 'none'}),
    case('consistency-training-loss', 'squared l2', ct_ref, [a4, b4, sig, sig1], {'distance': 'l2'}, {'distance': 'l2'}),
]


# ---- diffusion -----------------------------------------------------------------------------------------------
def diff_ref(out, x0, eps, al, sg, prediction='epsilon', weight=None, reduction='mean'):
    shp = (-1,) + (1,) * (x0.dim() - 1)
    tgt = eps if prediction == 'epsilon' else x0 if prediction == 'x0' else al.view(shp) * eps - sg.view(shp) * x0
    v = ((out - tgt) ** 2).flatten(1).mean(1)
    return RED[reduction](v if weight is None else v * weight)


abar = torch.tensor([0.99, 0.7, 0.3, 0.02])
al, sg = abar.sqrt(), (1 - abar).sqrt()
wt = torch.tensor([1.0, 0.5, 2.0, 0.1])
cases += [
    case('diffusion-denoising-loss', 'epsilon (simple)', diff_ref, [a4, b4, rn(4, 2, 5), al, sg]),
    case('diffusion-denoising-loss', 'x0, weighted, none', diff_ref, [a4, b4, rn(4, 2, 5), al, sg], {'prediction': 'x0', 'weight': wt, 'reduction': 'none'}, {'prediction': 'x0', 'weight': wt, 'reduction': 'none'}),
    case('diffusion-denoising-loss', 'v', diff_ref, [a4, b4, rn(4, 2, 5), al, sg], {'prediction': 'v'}, {'prediction': 'v'}),
]


def lv_ref(w, divergence='log-variance'):
    return w.mean() if divergence == 'kl' else w.var(unbiased=False)


wlr = rn(6, scale=3)
cases += [case('log-variance-path-loss', 'variance', lv_ref, [wlr]), case('log-variance-path-loss', 'reverse KL', lv_ref, [wlr], {'divergence': 'kl'}, {'divergence': 'kl'})]


def gram_ref(fx, fy, reduction='mean'):
    def gm(f):
        n, c = f.shape[:2]
        f = f.reshape(n, c, -1)
        return torch.bmm(f, f.transpose(1, 2)) / (c * f.shape[2])
    return RED[reduction](((gm(fx) - gm(fy)) ** 2).mean((1, 2)))


cases += [case('gram-style-loss', '[2, 3, 2, 2] features', gram_ref, [rn(2, 3, 2, 2), rn(2, 3, 2, 2)]),
          case('gram-style-loss', 'none', gram_ref, [rn(3, 2, 5), rn(3, 2, 5)], {'reduction': 'none'}, {'reduction': 'none'})]


# ---- token-level LM objectives -----------------------------------------------------------------------------
def z_ref(z, mask=None, c=1e-4, reduction='mean'):
    v = c * torch.logsumexp(z, -1) ** 2
    if mask is None: return RED[reduction](v)
    m = mask.double()
    return {'none': v * m, 'sum': (v * m).sum(), 'mean': (v * m).sum() / m.sum()}[reduction]


Z = rn(2, 4, 6, scale=3)
tmask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0]]).bool()
cases += [
    case('palm-z-loss', 'default c, [N, V]', z_ref, [rn(5, 7, scale=3)]),
    case('palm-z-loss', 'c = 0.01, masked [N, T, V]', z_ref, [Z, tmask], {'c': 0.01}, {'c': 0.01}),
    case('palm-z-loss', 'masked, none', z_ref, [Z, tmask], {'reduction': 'none'}, {'reduction': 'none'}),
]

V = 6
Y = torch.tensor([[1, 2, 1, 3], [0, 0, 5, -100]])


def seq_nll_ref(z, y, mask=None, ignoreIndex=-100, labelSmoothing=0.0, average='token', reduction='mean'):
    if mask is not None:
        y = torch.where(mask, y, torch.full_like(y, ignoreIndex))
    per = F.cross_entropy(z.permute(0, 2, 1), y, ignore_index=ignoreIndex, label_smoothing=labelSmoothing, reduction='none')
    if reduction == 'none': return per
    if reduction == 'sum' or average == 'sequence':
        return per.sum() / (1 if reduction == 'sum' else z.shape[0])
    return F.cross_entropy(z.permute(0, 2, 1), y, ignore_index=ignoreIndex, label_smoothing=labelSmoothing)


cases += [
    case('sequence-nll', 'token mean, ignore_index', seq_nll_ref, [Z, Y]),
    case('sequence-nll', 'label smoothing 0.1 with a mask', seq_nll_ref, [Z, Y, tmask], {'labelSmoothing': 0.1}, {'labelSmoothing': 0.1}),
    case('sequence-nll', 'sequence average', seq_nll_ref, [Z, Y], {'average': 'sequence'}, {'average': 'sequence'}),
    case('sequence-nll', 'none', seq_nll_ref, [Z, Y], {'reduction': 'none'}, {'reduction': 'none'}),
]

freq = torch.tensor([100.0, 3.0, 40.0, 0.0, 7.0, 1.0])


def pdl_ref(z, y, fr, alpha=1.0, eps=1e-7, reduction='mean'):
    w = 1.0 / (fr.detach() + eps) ** alpha
    if reduction == 'mean':
        return F.cross_entropy(z.permute(0, 2, 1), y, weight=w, ignore_index=-100)
    return RED[reduction](F.cross_entropy(z.permute(0, 2, 1), y, weight=w, ignore_index=-100, reduction='none'))


cases += [
    case('power-law-decay-loss', 'alpha 1', pdl_ref, [Z, torch.tensor([[1, 2, 1, 4], [0, 0, 5, -100]]), freq]),
    case('power-law-decay-loss', 'alpha 0.5, none', pdl_ref, [Z, torch.tensor([[1, 2, 1, 4], [0, 0, 5, -100]]), freq], {'alpha': 0.5, 'reduction': 'none'}, {'alpha': 0.5, 'reduction': 'none'}),
]


def ul_ref(z, y, alpha=1.0, reduction='mean'):
    # Welleck et al.'s candidate construction, position by position: previous targets, minus the current one.
    lp = F.log_softmax(z, -1)
    n, t, v = z.shape
    out = torch.zeros(n, t)
    cnt = 0
    for b in range(n):
        for i in range(t):
            if y[b, i] == -100: continue
            cand = {int(y[b, j]) for j in range(i) if y[b, j] != -100} - {int(y[b, i])}
            ul = sum(-torch.log1p(-lp[b, i, c].exp()) for c in cand) if cand else torch.zeros(())
            out[b, i] = -lp[b, i, y[b, i]] + alpha * ul
            cnt += 1
    return {'none': out, 'sum': out.sum(), 'mean': out.sum() / cnt}[reduction]


def ct_tok_ref(z, y, window=None, reduction='mean'):
    n, t, v = z.shape
    m = math.ceil(t / 2) if window is None else window
    out = torch.zeros(n, t)
    cnt = 0
    for b in range(n):
        for i in range(t):
            if y[b, i] == -100: continue
            negs = {int(y[b, j]) for j in range(max(0, i - m), i) if y[b, j] != -100} - {int(y[b, i])}
            ce = F.cross_entropy(z[b, i:i + 1], y[b, i:i + 1])
            ct = torch.log1p(sum(torch.exp(z[b, i, k] - z[b, i, y[b, i]]) for k in negs)) if negs else torch.zeros(())
            out[b, i] = ce + ct
            cnt += 1
    return {'none': out, 'sum': out.sum(), 'mean': out.sum() / cnt}[reduction]


Z2 = rn(2, 6, 5, scale=2)
Y2 = torch.tensor([[1, 2, 1, 3, 2, 4], [0, 0, 4, -100, 4, 1]])
cases += [
    case('unlikelihood-loss', 'alpha 1', ul_ref, [Z2, Y2]),
    case('unlikelihood-loss', 'alpha 0.5, none', ul_ref, [Z2, Y2], {'alpha': 0.5, 'reduction': 'none'}, {'alpha': 0.5, 'reduction': 'none'}),
    case('contrastive-token-loss', 'window T/2', ct_tok_ref, [Z2, Y2]),
    case('contrastive-token-loss', 'window 1, none', ct_tok_ref, [Z2, Y2], {'window': 1, 'reduction': 'none'}, {'window': 1, 'reduction': 'none'}),
]


def emo_ref(z, y, emb, reduction='mean'):
    # The official EMO code's form: cost 1 − cosine of the frozen embeddings, 0.5·(CE + sg(CE/DEMD)·DEMD).
    emb = F.normalize(emb.detach(), dim=-1)
    q = F.softmax(z, -1)
    demd = 1 - ((q @ emb) * emb[y]).sum(-1)
    ce = F.cross_entropy(z, y, reduction='none')
    return RED[reduction](0.5 * (ce + (ce / demd).detach() * demd))


cases += [
    case('emo-loss', 'token mean', emo_ref, [rn(5, 6, scale=2), torch.tensor([0, 5, 2, 2, 1]), rn(6, 3)]),
    case('emo-loss', 'none', emo_ref, [rn(5, 6, scale=2), torch.tensor([0, 5, 2, 2, 1]), rn(6, 3)], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- kNN-LM: Khandelwal et al.'s interpolation, with p_kNN by scatter-add as in their code ------------------
def knn_ref(z, y, d, vals, lambda_=0.25, T=1.0, reduction='mean'):
    a = F.softmax(-d / T, -1)
    pknn = torch.zeros_like(z).scatter_add(1, vals, a)
    p = lambda_ * pknn + (1 - lambda_) * F.softmax(z, -1)
    return RED[reduction](-torch.log(p.gather(1, y[:, None])[:, 0]))


zk = rn(4, 5, scale=2)
yk = torch.tensor([1, 3, 0, 4])
dk = torch.rand(4, 3, generator=g) * 4
vk = torch.tensor([[1, 1, 2], [0, 2, 4], [0, 3, 0], [2, 2, 2]])  # the last row has no neighbour with value y
cases += [
    case('knn-lm-interpolation', 'lambda 0.25, a row without the target among the neighbours', lambda z, y, d, v, **o: knn_ref(z, y, d, v, **o), [zk, yk, dk, vk]),
    case('knn-lm-interpolation', 'lambda 0.6, T 2, none', lambda z, y, d, v, **o: knn_ref(z, y, d, v, lambda_=0.6, T=2.0, **o), [zk, yk, dk, vk], {'lambda': 0.6, 'T': 2, 'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- f-CLSWGAN and BAGAN ----------------------------------------------------------------------------------------
def fcls_ref(dfake, logits, y, dreal=None, gp=None, beta=0.01, lambdaGp=10.0, reduction='mean'):
    if dreal is None:
        v = -dfake + beta * F.cross_entropy(logits, y, reduction='none')
    else:
        v = dfake - dreal + (lambdaGp * (gp.flatten(1).norm(dim=1) - 1) ** 2 if gp is not None else 0)
    return RED[reduction](v)


lc = rn(5, 4, scale=2)
yc = torch.tensor([0, 3, 2, 2, 1])
cases += [
    case('f-clswgan', 'generator: -D + beta CE', fcls_ref, [df, lc, yc]),
    case('f-clswgan', 'generator, beta 1, none', fcls_ref, [df, lc, yc], {'beta': 1, 'reduction': 'none'}, {'beta': 1.0, 'reduction': 'none'}),
    case('f-clswgan', 'critic with gradient penalty', fcls_ref, [df, lc, yc, dr, gp]),
]


def bagan_ref(fake_logits, c, real_logits=None, y=None, reduction='mean'):
    if real_logits is None:
        return RED[reduction](F.cross_entropy(fake_logits, c, reduction='none'))
    k = fake_logits.shape[1] - 1
    return RED[reduction](F.cross_entropy(real_logits, y, reduction='none') + F.cross_entropy(fake_logits, torch.full_like(c, k), reduction='none'))


fl, rl = rn(5, 4, scale=2), rn(5, 4, scale=2)
cases += [
    case('bagan-losses', 'generator', bagan_ref, [fl, torch.tensor([0, 2, 1, 1, 0])]),
    case('bagan-losses', 'discriminator, none', bagan_ref, [fl, torch.tensor([0, 2, 1, 1, 0]), rl, torch.tensor([2, 2, 0, 1, 0])], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- diffusion B entries ----------------------------------------------------------------------------------------
def debias_ref(eh, eps, al, sg, clip=5.0, reduction='mean'):
    w = torch.clamp((sg ** 2 / al ** 2).detach(), max=clip)
    return RED[reduction](w * ((eh - eps) ** 2).flatten(1).mean(1))


def dmd_ref(x, mr, mf, reduction='mean'):
    # The DMD2 code: grad = (p_real - p_fake) / |p_real|.mean, p = x - pred; loss = 0.5 * mse(x, (x - grad).detach()).
    p_real, p_fake = x - mr.detach(), x - mf.detach()
    grad = torch.nan_to_num((p_real - p_fake) / p_real.abs().flatten(1).mean(1).view(-1, *([1] * (x.dim() - 1))))
    return RED[reduction](0.5 * ((x - (x - grad).detach()) ** 2).flatten(1).mean(1))


def diti_ref(eh, eps, reduction='mean'):
    return RED[reduction](((eps - eh) ** 2).flatten(1).sum(1))


cases += [
    case('debiased-diffusion-weighting', 'clip 5', debias_ref, [a4, b4, al, sg]),
    case('debiased-diffusion-weighting', 'clip 100, none', debias_ref, [a4, b4, al, sg], {'clip': 100, 'reduction': 'none'}, {'clip': 100.0, 'reduction': 'none'}),
    case('dmd-distribution-matching-loss', 'surrogate value and gradient', dmd_ref, [a4, b4, rn(4, 2, 5)]),
    case('dmd-distribution-matching-loss', 'none', dmd_ref, [a4, b4, rn(4, 2, 5)], {'reduction': 'none'}, {'reduction': 'none'}),
    case('diti-feature-compensation', 'sum of squares per sample', diti_ref, [a4, b4]),
]


# ---- MTP, set output, SoftSRV, NoiseFiT, ADD ---------------------------------------------------------------------
def mtp_lc_ref(h, t, reduction='mean'):
    return RED[reduction](((h - t.detach()) ** 2).sum(-1).mean(-1))


def mtp_ce_ref(ml, y, ntp=None, smp=None, mtpWeight=1.0, samplerWeight=1.0, reduction='mean'):
    v = mtpWeight * F.cross_entropy(ml.permute(0, 2, 1), y, reduction='none').sum(1)
    if ntp is not None: v = v + F.cross_entropy(ntp, y[:, 0], reduction='none')
    if smp is not None: v = v + samplerWeight * F.cross_entropy(smp.permute(0, 2, 1), y, reduction='none').sum(1)
    return RED[reduction](v)


ym = torch.tensor([[1, 4, 0], [2, 2, 3]])
cases += [
    case('mtp-latent-consistency', 'k = 3', mtp_lc_ref, [rn(2, 3, 4), rn(2, 3, 4)]),
    case('mtp-masked-input-ce', 'mask positions only', mtp_ce_ref, [rn(2, 3, 5, scale=2), ym]),
    case('mtp-masked-input-ce', 'with NTP and sampler heads, w 0.5 / 2, none', mtp_ce_ref, [rn(2, 3, 5, scale=2), ym, rn(2, 5), rn(2, 3, 5)], {'mtpWeight': 0.5, 'samplerWeight': 2, 'reduction': 'none'}, {'mtpWeight': 0.5, 'samplerWeight': 2.0, 'reduction': 'none'}),
]


def set_min_ref(lp, mask=None, reduction='mean'):
    nll = -(lp * (mask.double() if mask is not None else 1)).sum(-1)
    return RED[reduction](nll.min(-1).values)


lps = F.log_softmax(rn(3, 4, 5), -1)
cases += [
    case('set-output-nll-min-order', 'K = 4 orderings', set_min_ref, [lps]),
    case('set-output-nll-min-order', 'masked, none', set_min_ref, [lps, torch.rand(3, 4, 5, generator=g) > 0.3], {'reduction': 'none'}, {'reduction': 'none'}),
]


def softsrv_ref(z, y, promptLength=0, reduction='mean'):
    z, y = z[:, promptLength:], y[:, promptLength:]
    return RED[reduction](F.cross_entropy(z.permute(0, 2, 1), y, ignore_index=-100, reduction='none').sum(1))


def noisefit_ref(zn, zc, y, a=1.0, b=1.0, reduction='mean'):
    pc = F.softmax(zc.detach(), -1)
    lpn = F.log_softmax(zn, -1)
    ce = F.cross_entropy(zn.permute(0, 2, 1), y, ignore_index=-100, reduction='none')
    soft = -(pc * lpn).sum(-1)
    kl = F.kl_div(lpn, pc, reduction='none').sum(-1)
    keep = (y != -100).double()
    v = (ce + a * soft + b * kl) * keep
    return {'none': v, 'sum': v.sum(), 'mean': v.sum() / keep.sum()}[reduction]


def add_ref(z, y, weight=None, reduction='mean'):
    ce = F.cross_entropy(z, y, reduction='none')
    if ce.dim() > 1: ce = ce.flatten(1).sum(1)
    return RED[reduction](ce if weight is None else ce * weight)


cases += [
    case('softsrv-soft-prompt-nll', 'sequence sums', softsrv_ref, [Z, Y]),
    case('softsrv-soft-prompt-nll', 'prompt length 2, none', softsrv_ref, [Z, Y], {'promptLength': 2, 'reduction': 'none'}, {'promptLength': 2, 'reduction': 'none'}),
    case('noisefit-hybrid-loss', 'a = b = 1', noisefit_ref, [Z, rn(2, 4, 6, scale=3), Y]),
    case('noisefit-hybrid-loss', 'a 0.3, b 2, none', noisefit_ref, [Z, rn(2, 4, 6, scale=3), Y], {'a': 0.3, 'b': 2, 'reduction': 'none'}, {'a': 0.3, 'b': 2.0, 'reduction': 'none'}),
    case('add-timestep-ce', '[N, C] with weights', add_ref, [rn(4, 5, scale=2), torch.tensor([0, 4, 2, 2])], {'weight': wt}, {'weight': wt}),
    case('add-timestep-ce', 'token sequences [N, C, T], none', add_ref, [rn(2, 5, 3, scale=2), torch.tensor([[0, 4, 2], [1, 1, 3]])], {'reduction': 'none'}, {'reduction': 'none'}),
]


# ---- black-box proper loss, GDAN, MELLE ----------------------------------------------------------------------
def bb_ref(x, y, includeTargetTerm=True):
    def coll(a):
        m = len(a)
        return sum(float(a[i] == a[j]) for i in range(m) for j in range(i + 1, m)) / max(m * (m - 1) / 2, 1)
    cross = sum(float(xi == yj) for xi in x for yj in y) / (len(x) * len(y))
    return torch.tensor(coll(x) - 2 * cross + (coll(y) if includeTargetTerm else 0.0))


bx, by = torch.tensor([0, 1, 1, 2, 0, 1]), torch.tensor([1, 2, 2, 0, 3])
cases += [
    case('black-box-proper-loss-discrete', 'degree 2 with the target term', bb_ref, [bx, by], grad=False),
    case('black-box-proper-loss-discrete', 'without the target term', bb_ref, [bx, by], {'includeTargetTerm': False}, {'includeTargetTerm': False}, grad=False),
]


def gdan_ref(dg, dreg, dre, cyc, att, player='generator', lambda_=1.0, reduction='mean'):
    if player == 'discriminator':
        v = F.softplus(-dre) + F.softplus(dg) + F.softplus(dreg)
    else:
        v = F.softplus(-dg) + F.softplus(-dreg) + lambda_ * ((cyc - att) ** 2).sum(-1)
    return RED[reduction](v)


gargs = [rn(4, scale=2), rn(4, scale=2), rn(4, scale=2), rn(4, 3), rn(4, 3)]
cases += [
    case('gdan-cyclic-dual-adversarial', 'generator and regressor', gdan_ref, gargs),
    case('gdan-cyclic-dual-adversarial', 'discriminator, none', gdan_ref, gargs, {'player': 'discriminator', 'reduction': 'none'}, {'player': 'discriminator', 'reduction': 'none'}),
    case('gdan-cyclic-dual-adversarial', 'lambda 3', lambda *a, **o: gdan_ref(*a, lambda_=3.0, **o), gargs, {'lambda': 3}, {}),
]


def melle_ref(yh, mu, lv, y, s, st, lambda_=0.1, beta=0.5, gamma=1.0, reduction='mean'):
    reg = (yh - y).abs().flatten(1).mean(1) + ((yh - y) ** 2).flatten(1).mean(1)
    kl = (0.5 * (lv.exp() + (mu - y) ** 2 - 1 - lv).sum(-1)).mean(-1)
    flux = -(mu[:, 1:] - y[:, :-1]).abs().sum(-1).mean(-1)
    stop = F.binary_cross_entropy_with_logits(s, st, reduction='none').mean(-1)
    return RED[reduction](reg + lambda_ * kl + beta * flux + gamma * stop)


margs = [rn(2, 4, 3), rn(2, 4, 3), rn(2, 4, 3, scale=0.5), rn(2, 4, 3), rn(2, 4, scale=2), torch.tensor([[0.0, 0, 0, 1], [0, 0, 1, 1]])]
cases += [
    case('melle-objective', 'default weights', melle_ref, margs),
    case('melle-objective', 'lambda 1, beta 0, gamma 2, none', lambda *a, **o: melle_ref(*a, lambda_=1.0, **o), margs, {'lambda': 1, 'beta': 0, 'gamma': 2, 'reduction': 'none'}, {'beta': 0.0, 'gamma': 2.0, 'reduction': 'none'}),
]


# ---- DDC (the authors' train-whole.py: mse(feature_target, feature_source + feature_dir).mean(-1), time-weighted) ----
def ddc_ref(ft, fs, d, weight=None, reduction='mean'):
    v = F.mse_loss(ft, fs.detach() + d.detach().unsqueeze(0), reduction='none').mean(-1)
    return RED[reduction](v if weight is None else v * weight)


ftr, fsr = rn(4, 6), rn(4, 6)
fdir = rn(4, 6).mean(0) - rn(5, 6).mean(0)
talpha = 20 ** (torch.tensor([10.0, 250, 600, 999]) / 1000)
cases += [
    case('directional-distribution-consistency', 'unweighted', ddc_ref, [ftr, fsr, fdir]),
    case('directional-distribution-consistency', 'alpha_t = 20^(t/1000), none', ddc_ref, [ftr, fsr, fdir], {'weight': talpha, 'reduction': 'none'}, {'weight': talpha, 'reduction': 'none'}),
]


def egeot_ref(fy, fhat):
    return fhat.mean() - fy.mean()


cases.append(case('energy-guided-entropic-ot', 'EBM surrogate', egeot_ref, [rn(5), rn(7)]))

write('generative', cases)
