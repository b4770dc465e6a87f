"""metric-learning/face objectives, each written from its paper / the authors' released code (plain float64 torch,
acos where the papers take it, loops where the authors loop): the references for the metric_learning fixtures."""
import math
import torch
import torch.nn.functional as F
from common import RED, case, ce, cosmat, face_batch, write

g, N, D, C, x, y, W = face_batch(7)
cases = []


# ---- margin softmaxes: InsightFace-style target replacement (acos / cos), authors' formulas ----------------
def arcface_ref(x, y, W, s=64.0, m=0.5, easy_margin=False, reduction='mean'):
    cos = cosmat(x, W)
    c = cos[torch.arange(len(y)), y]
    sin = torch.sqrt(1 - c * c)
    phi = c * math.cos(m) - sin * math.sin(m)
    phi = torch.where(c > 0, phi, c) if easy_margin else torch.where(c > math.cos(math.pi - m), phi, c - math.sin(math.pi - m) * m)
    oh = F.one_hot(y, W.shape[0]).bool()
    return RED[reduction](ce(s * torch.where(oh, phi[:, None], cos), y))


def combined_ref(x, y, W, s=64.0, m1=1.0, m2=0.3, m3=0.2, reduction='mean'):
    cos = cosmat(x, W)
    th = torch.acos(cos[torch.arange(len(y)), y])
    t = torch.cos(m1 * th + m2) - m3
    oh = F.one_hot(y, W.shape[0]).bool()
    return RED[reduction](ce(s * torch.where(oh, t[:, None], cos), y))


def cosface_ref(x, y, W, s=64.0, m=0.35, reduction='mean'):
    cos = cosmat(x, W)
    return RED[reduction](ce(s * (cos - m * F.one_hot(y, W.shape[0])), y))


def normsoftmax_ref(x, y, W, T=0.05, reduction='mean'):
    return RED[reduction](ce(cosmat(x, W) / T, y))


def subcenter_ref(x, y, W3, s=64.0, m=0.5):
    Cc, K, Dd = W3.shape
    cos = (F.normalize(x, dim=1) @ F.normalize(W3, dim=2).reshape(Cc * K, Dd).t()).reshape(-1, Cc, K).max(2).values
    c = cos[torch.arange(len(y)), y]
    phi = torch.cos(torch.acos(c) + m)
    phi = torch.where(c > math.cos(math.pi - m), phi, c - math.sin(math.pi - m) * m)
    oh = F.one_hot(y, Cc).bool()
    return ce(s * torch.where(oh, phi[:, None], cos), y).mean()


def sphereface_ref(x, y, W, m=4, lam=5.0, reduction='mean'):
    # A-Softmax (the SphereFace code): psi(theta) = (-1)^k cos(m theta) - 2k, k = floor(m theta / pi)
    cos = cosmat(x, W)
    norm = x.norm(dim=1, keepdim=True)
    c = cos[torch.arange(len(y)), y]
    th = torch.acos(c.clamp(-1, 1))
    k = torch.floor(m * th.detach() / math.pi)
    psi = (-1) ** k * torch.cos(m * th) - 2 * k
    t = (lam * c + psi) / (1 + lam)
    oh = F.one_hot(y, W.shape[0]).bool()
    return RED[reduction](ce(norm * torch.where(oh, t[:, None], cos), y))


def sphereface2_ref(x, y, W, r=30.0, m=0.4, lam=0.7, t=3.0, b=-30.0, reduction='mean'):
    cos = cosmat(x, W)
    gc = 2 * ((cos + 1) / 2) ** t - 1
    oh = F.one_hot(y, W.shape[0]).double()
    pos = lam / r * F.softplus(-(r * (gc - m) + b))
    neg = (1 - lam) / r * F.softplus(r * (gc + m) + b)
    return RED[reduction]((oh * pos + (1 - oh) * neg).sum(1))


def sface_ref(x, y, W, s=64.0, k=80.0, a=0.8, b=1.22):
    # the SFace code (sface_loss): detached sigmoid weights
    cos = cosmat(x, W)
    output = cos * s
    one_hot = F.one_hot(y, W.shape[0]).double()
    zero_hot = 1 - one_hot
    WyiX = torch.sum(one_hot * output, 1)
    with torch.no_grad():
        theta_yi = torch.acos(WyiX / s)
        weight_yi = 1.0 / (1.0 + torch.exp(-k * (theta_yi - a)))
    intra = -weight_yi * WyiX
    Wj = zero_hot * output
    with torch.no_grad():
        theta_j = torch.acos(Wj / s)
        weight_j = 1.0 / (1.0 + torch.exp(k * (theta_j - b)))
    inter = torch.sum(weight_j * Wj, 1)
    return intra.mean() + inter.mean()


def adaface_ref(x, y, W, m=0.4, h=0.333, s=64.0, eps=1e-3, batch_mean=None, batch_std=None):
    # the AdaFace code (head.py AdaFace.forward), with the running statistics given
    norms = x.norm(dim=1, keepdim=True)
    cosine = cosmat(x, W).clamp(-1 + eps, 1 - eps)
    safe = torch.clip(norms, min=0.001, max=100).clone().detach()
    mean = safe.mean() if batch_mean is None else batch_mean
    std = safe.std() if batch_std is None else batch_std
    scaler = torch.clip((safe - mean) / (std + eps) * h, -1, 1)
    m_arc = torch.zeros(y.size(0), cosine.size(1)).scatter_(1, y.reshape(-1, 1), 1.0)
    theta = cosine.acos()
    theta_m = torch.clip(theta + m_arc * (m * scaler * -1), min=eps, max=math.pi - eps)
    cosine = theta_m.cos()
    m_cos = torch.zeros(y.size(0), cosine.size(1)).scatter_(1, y.reshape(-1, 1), 1.0) * (m + m * scaler)
    return ce((cosine - m_cos) * s, y).mean()


cases += [
    case('arcface', 'defaults s 64, m 0.5', arcface_ref, [x, y, W]),
    case('arcface', 'easy margin, s 30, none', arcface_ref, [x, y, W], {'s': 30, 'easyMargin': True, 'reduction': 'none'}, {'s': 30.0, 'easy_margin': True, 'reduction': 'none'}),
    case('arcface', 'large m (fallback branch), sum', arcface_ref, [x, y, W], {'m': 2.5, 's': 10, 'reduction': 'sum'}, {'m': 2.5, 's': 10.0, 'reduction': 'sum'}),
    case('combined-margin', 'defaults (1, 0.3, 0.2)', combined_ref, [x, y, W]),
    case('combined-margin', 'multiplicative m1 = 1.35, none', combined_ref, [x, y, W], {'m1': 1.35, 'm2': 0.1, 'm3': 0.05, 's': 16, 'reduction': 'none'}, {'m1': 1.35, 'm2': 0.1, 'm3': 0.05, 's': 16.0, 'reduction': 'none'}),
    case('cosface', 'defaults s 64, m 0.35', cosface_ref, [x, y, W]),
    case('cosface', 's 30, m 0.2, none', cosface_ref, [x, y, W], {'s': 30, 'm': 0.2, 'reduction': 'none'}, {'s': 30.0, 'm': 0.2, 'reduction': 'none'}),
    case('norm-softmax', 'T 0.05', normsoftmax_ref, [x, y, W]),
    case('norm-softmax', 'T 0.5, sum', normsoftmax_ref, [x, y, W], {'T': 0.5, 'reduction': 'sum'}, {'T': 0.5, 'reduction': 'sum'}),
    case('sub-center-arcface', 'K 3', subcenter_ref, [x, y, torch.randn(C, 3, D, generator=g)]),
    case('sphereface', 'm 4, lambda 5', sphereface_ref, [x, y, W]),
    case('sphereface', 'm 2, lambda 0, none', sphereface_ref, [x, y, W], {'m': 2, 'lambda': 0, 'reduction': 'none'}, {'m': 2, 'lam': 0.0, 'reduction': 'none'}),
    case('sphereface2', 'defaults', sphereface2_ref, [x, y, W]),
    case('sphereface2', 'r 10, b -5, t 1, none', sphereface2_ref, [x, y, W], {'r': 10, 'b': -5, 't': 1, 'reduction': 'none'}, {'r': 10.0, 'b': -5.0, 't': 1.0, 'reduction': 'none'}),
    case('sface', 'defaults', sface_ref, [x, y, W]),
    case('sface', 'k 10, a 1.2, b 1.4', sface_ref, [x, y, W], {'k': 10, 'a': 1.2, 'b': 1.4}, {'k': 10.0, 'a': 1.2, 'b': 1.4}),
    case('adaface', 'batch statistics', adaface_ref, [x, y, W]),
    case('adaface', 'running statistics given', adaface_ref, [x, y, W], {'batchMean': 1.8, 'batchStd': 0.7}, {'batch_mean': 1.8, 'batch_std': 0.7}),
    case('partial-fc', 'sample rate 1 = ArcFace on every class', arcface_ref, [x, y, W], {'sampleRate': 1}),
    case('elasticface', 'sigma 0 = ArcFace without fallback', lambda a, b, c: combined_ref(a, b, c, m2=0.5, m3=0.0), [x, y, W], {'sigma': 0}),
    case('elasticface', 'cos variant, sigma 0 = CosFace', lambda a, b, c: cosface_ref(a, b, c, m=0.35), [x, y, W], {'sigma': 0, 'variant': 'cos', 'm': 0.35}),
]


# ---- pair, triplet and proxy losses --------------------------------------------------------------------
def triplet_explicit(a, p, n, margin=0.2, squared=False, reduction='mean'):
    dp, dn = (a - p).norm(dim=1), (a - n).norm(dim=1)
    if squared:
        dp, dn = dp ** 2, dn ** 2
    return RED[reduction](F.relu(dp - dn + margin))


def triplet_mined(e, labels, _negative=None, margin=0.2, mining='all'):
    n = len(labels)
    d = torch.cdist(e, e)
    if mining == 'batch-hard':
        vals = []
        for i in range(n):
            pos = [d[i, j] for j in range(n) if j != i and labels[j] == labels[i]]
            neg = [d[i, j] for j in range(n) if labels[j] != labels[i]]
            if pos and neg:
                vals.append(F.relu(torch.stack(pos).max() - torch.stack(neg).min() + margin))
        return torch.stack(vals).mean()
    if mining == 'semi-hard':
        vals = []
        for i in range(n):
            neg = [j for j in range(n) if labels[j] != labels[i]]
            if not neg:
                continue
            for j in range(n):
                if j == i or labels[j] != labels[i]:
                    continue
                far = [k for k in neg if d[i, k] > d[i, j]]
                k = min(far, key=lambda k: d[i, k].item()) if far else max(neg, key=lambda k: d[i, k].item())
                vals.append(F.relu(d[i, j] - d[i, k] + margin))
        return torch.stack(vals).mean()
    vals = [F.relu(d[a, p] - d[a, q] + margin) for a in range(n) for p in range(n) for q in range(n)
            if p != a and labels[p] == labels[a] and labels[q] != labels[a]]
    return torch.stack(vals).mean()


e = torch.randn(8, 3, generator=g)
ye = torch.tensor([0, 1, 0, 2, 1, 2, 0, 3])
a3, p3, n3 = torch.randn(5, 3, generator=g), torch.randn(5, 3, generator=g), torch.randn(5, 3, generator=g)
cases += [
    case('triplet', 'explicit, margin 0.2', triplet_explicit, [a3, p3, n3]),
    case('triplet', 'explicit, squared, margin 1, none', triplet_explicit, [a3, p3, n3], {'margin': 1, 'squared': True, 'reduction': 'none'}, {'margin': 1.0, 'squared': True, 'reduction': 'none'}),
    case('triplet', 'in-batch, all triplets', triplet_mined, [e, ye, None], {'mining': 'all', 'margin': 1}, {'margin': 1.0, 'mining': 'all'}),
    case('triplet', 'in-batch, batch-hard', triplet_mined, [e, ye, None], {'mining': 'batch-hard', 'margin': 1}, {'margin': 1.0, 'mining': 'batch-hard'}),
    case('triplet', 'in-batch, semi-hard', triplet_mined, [e, ye, None], {'mining': 'semi-hard', 'margin': 0.5}, {'margin': 0.5, 'mining': 'semi-hard'}),
]


def contrastive_ref(a, b, same, margin=1.0, form='euclidean', half=False, reduction='mean'):
    if form == 'euclidean':
        d = (a - b).norm(dim=1)
        v = same * d ** 2 + (1 - same) * F.relu(margin - d) ** 2
    else:
        s = F.cosine_similarity(a, b)
        v = same * (1 - s) + (1 - same) * F.relu(s - margin)
    return RED[reduction](0.5 * v if half else v)


same = torch.tensor([1., 0, 0, 1, 0])
cases += [
    case('contrastive-pair', 'euclidean, margin 1', contrastive_ref, [a3, p3, same], {'margin': 2}, {'margin': 2.0}),
    case('contrastive-pair', 'cosine, margin 0.5, half, none', contrastive_ref, [a3, p3, same], {'form': 'cosine', 'margin': 0.1, 'half': True, 'reduction': 'none'}, {'form': 'cosine', 'margin': 0.1, 'half': True, 'reduction': 'none'}),
]


def ms_ref(e, labels, alpha=2.0, beta=50.0, lam=0.5, eps=0.1):
    # the official MS loss loop (self excluded by index)
    S = cosmat(e, e)
    n = len(labels)
    loss = []
    for i in range(n):
        pos_ = S[i][(labels == labels[i]) & (torch.arange(n) != i)]
        neg_ = S[i][labels != labels[i]]
        if len(pos_) < 1 or len(neg_) < 1:
            loss.append(torch.zeros((), dtype=S.dtype))
            continue
        neg = neg_[neg_ + eps > pos_.min()]
        pos = pos_[pos_ - eps < neg_.max()]
        if len(neg) < 1 or len(pos) < 1:
            loss.append(torch.zeros((), dtype=S.dtype))
            continue
        loss.append(1 / alpha * torch.log(1 + torch.exp(-alpha * (pos - lam)).sum()) + 1 / beta * torch.log(1 + torch.exp(beta * (neg - lam)).sum()))
    return torch.stack(loss).mean()


def circle_ref(e, labels, m=0.25, gamma=256.0):
    S = cosmat(e, e)
    n = len(labels)
    out = []
    for i in range(n):
        sp = S[i][(labels == labels[i]) & (torch.arange(n) != i)]
        sn = S[i][labels != labels[i]]
        if len(sp) == 0 or len(sn) == 0:
            out.append(torch.zeros((), dtype=S.dtype))
            continue
        ap = torch.clamp_min(-sp.detach() + 1 + m, 0.)
        an = torch.clamp_min(sn.detach() + m, 0.)
        out.append(F.softplus(torch.logsumexp(-ap * (sp - (1 - m)) * gamma, 0) + torch.logsumexp(an * (sn - m) * gamma, 0)))
    return torch.stack(out).mean()


def proxy_anchor_ref(e, labels, P, alpha=32.0, mrg=0.1):
    # the authors' code (Proxy_Anchor.forward)
    cos = F.linear(F.normalize(e), F.normalize(P))
    P_one_hot = F.one_hot(labels, P.shape[0]).double()
    N_one_hot = 1 - P_one_hot
    pos_exp = torch.exp(-alpha * (cos - mrg))
    neg_exp = torch.exp(alpha * (cos + mrg))
    with_pos = torch.nonzero(P_one_hot.sum(dim=0) != 0).squeeze(dim=1)
    P_sim_sum = torch.where(P_one_hot == 1, pos_exp, torch.zeros_like(pos_exp)).sum(dim=0)
    N_sim_sum = torch.where(N_one_hot == 1, neg_exp, torch.zeros_like(neg_exp)).sum(dim=0)
    return torch.log(1 + P_sim_sum).sum() / len(with_pos) + torch.log(1 + N_sim_sum).sum() / P.shape[0]


e2 = F.normalize(e, dim=1) * 0.3 + torch.randn(8, 3, generator=g) * 0.1
cases += [
    case('multi-similarity', 'defaults', ms_ref, [e, ye]),
    case('multi-similarity', 'beta 10, lambda 0.2, eps 0.5', ms_ref, [e, ye], {'beta': 10, 'lambda': 0.2, 'eps': 0.5}, {'beta': 10.0, 'lam': 0.2, 'eps': 0.5}),
    case('circle', 'gamma 32', circle_ref, [e, ye], {'gamma': 32}, {'gamma': 32.0}),
    case('circle', 'defaults (gamma 256)', circle_ref, [e2, ye]),
    case('proxy-anchor', 'defaults', proxy_anchor_ref, [e, ye, torch.randn(5, 3, generator=g)]),
    case('proxy-anchor', 'alpha 4, delta 0.3', proxy_anchor_ref, [e, ye, torch.randn(5, 3, generator=g)], {'alpha': 4, 'delta': 0.3}, {'alpha': 4.0, 'mrg': 0.3}),
]


def center_ref(f, labels, centers, lam=0.003, reduction='mean'):
    return RED[reduction](lam * 0.5 * ((f - centers[labels]) ** 2).sum(1))


def npair_ref(f, fp, l2_reg=0.002):
    S = f @ fp.t()
    return F.cross_entropy(S, torch.arange(len(f))) + l2_reg * ((f ** 2).sum(1) + (fp ** 2).sum(1)).mean()


def opl_ref(features, labels, gamma=0.5):
    # the authors' OrthogonalProjectionLoss
    features = F.normalize(features, p=2, dim=1)
    labels = labels[:, None]
    mask = torch.eq(labels, labels.t()).bool()
    eye = torch.eye(mask.shape[0], mask.shape[1]).bool()
    mask_pos = mask.masked_fill(eye, 0).double()
    mask_neg = (~mask).double()
    dot = features @ features.t()
    pos = (mask_pos * dot).sum() / (mask_pos.sum() + 1e-6)
    neg = (mask_neg * dot).sum() / (mask_neg.sum() + 1e-6)
    return (1.0 - pos) + gamma * torch.abs(neg)


def tcm_ref(e, labels, m_pos=0.9, m_neg=0.5, lp=1.0, ln=1.0):
    S = cosmat(e, e)
    n = len(labels)
    P = [(i, j) for i in range(n) for j in range(n) if i != j and labels[i] == labels[j]]
    Nn = [(i, j) for i in range(n) for j in range(n) if labels[i] != labels[j]]
    hp = [m_pos - S[i, j] for i, j in P if S[i, j] <= m_pos]
    hn = [S[i, j] - m_neg for i, j in Nn if S[i, j] >= m_neg]
    t = lambda v: torch.stack(v).mean() if v else torch.zeros(())
    return lp * t(hp) + ln * t(hn)


def proto_ref(q, labels, protos, reduction='mean'):
    return RED[reduction](F.cross_entropy(-torch.cdist(q, protos) ** 2, labels, reduction='none'))


def ncm_ref(h, means, similarity='cosine'):
    return cosmat(h, means) if similarity == 'cosine' else -torch.cdist(h, means) ** 2


cases += [
    case('center-loss', 'lambda 0.003', center_ref, [x, y, W]),
    case('center-loss', 'lambda 1, none', center_ref, [x, y, W], {'lambda': 1, 'reduction': 'none'}, {'lam': 1.0, 'reduction': 'none'}),
    case('n-pair', 'l2_reg 0.002', npair_ref, [a3, p3]),
    case('n-pair', 'l2_reg 0.1', npair_ref, [a3, p3], {'l2Reg': 0.1}, {'l2_reg': 0.1}),
    case('orthogonal-projection-loss', 'gamma 0.5', opl_ref, [e, ye]),
    case('orthogonal-projection-loss', 'gamma 2', opl_ref, [e, ye], {'gamma': 2}, {'gamma': 2.0}),
    case('threshold-consistent-margin', 'defaults', tcm_ref, [e2, ye]),
    case('threshold-consistent-margin', 'm+ 0.5, m- 0.1, weights', tcm_ref, [e, ye], {'mPos': 0.5, 'mNeg': 0.1, 'lambdaPos': 2, 'lambdaNeg': 0.5}, {'m_pos': 0.5, 'm_neg': 0.1, 'lp': 2.0, 'ln': 0.5}),
    case('prototypical-loss', 'squared euclidean', proto_ref, [x, torch.tensor([0, 2, 1, 1, 0, 2]), torch.randn(3, D, generator=g)]),
    case('prototypical-loss', 'none', proto_ref, [x, torch.tensor([0, 2, 1, 1, 0, 2]), torch.randn(3, D, generator=g)], {'reduction': 'none'}, {'reduction': 'none'}),
    case('ncm-cosine-classifier', 'cosine', ncm_ref, [x, W]),
    case('ncm-cosine-classifier', 'euclidean', ncm_ref, [x, W], {'similarity': 'euclidean'}, {'similarity': 'euclidean'}),
]

write('metric_learning', cases)
