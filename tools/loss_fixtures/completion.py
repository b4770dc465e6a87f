"""Completion pass of metric-learning/face, multi-label and contrastive/self-supervised: each reference written in
plain float64 torch from the paper, the catalog's reading, or the authors' released code where it exists (NBC-Softmax:
gayanku/NBC-Softmax code.py; UNPG: Jung-Jun-Uk/UNPG models/build.py and head.py): loops and probabilities where
graft's entries use masks and log space."""
import math
import torch
import torch.nn.functional as F
from common import RED, case, ce, cosmat, face_batch, write

g, N, D, C, x, y, W = face_batch(11)
cases = []


# ---- metric-learning/face ------------------------------------------------------------------------------------
def nbc_ref(x, y, W, ratio=0.5, tau=0.2, reduction='mean'):
    # the authors' ProjContrastiveModel_BC1.loss_calculation (proj_dim 0) mixed with a bias-free softmax
    nc = W.shape[0]
    onehot = F.one_hot(y, nc).double()
    cc = torch.sum(x.unsqueeze(1) * onehot.unsqueeze(2), 0) / torch.clamp(onehot.sum(0).unsqueeze(-1), min=1.0)
    v = cc[onehot.sum(0) > 0]
    dis = v @ v.T
    nrm = torch.sqrt(torch.sum(v ** 2, 1)).reshape(-1, 1)
    dis = (1 - torch.eye(len(v))) * (dis / (nrm @ nrm.T))
    nbc = torch.log(torch.exp(tau * dis).sum(1) + 1e-10).mean() / nc
    return RED[reduction]((1 - ratio) * ce(x @ W.t(), y) + ratio * nbc)


def arcface_ref(x, y, W, s=64.0, m=0.5):
    cos = cosmat(x, W)
    c = cos[torch.arange(len(y)), y]
    phi = c * math.cos(m) - torch.sqrt(1 - c * c) * math.sin(m)
    phi = torch.where(c > math.cos(math.pi - m), phi, c - math.sin(math.pi - m) * m)
    return ce(s * torch.where(F.one_hot(y, W.shape[0]).bool(), phi[:, None], cos), y).mean()


def unpg_ref(x, y, W, s=64.0, m=0.5, wisk=1.5, base='arcface', reduction='mean'):
    cosine = cosmat(x, W)
    oh = F.one_hot(y, W.shape[0])
    cosine = torch.cos(torch.acos(cosine) + m * oh) if base == 'arcface' else cosine - m * oh
    nx = F.normalize(x)
    sim = (nx @ nx.t()).reshape(-1)
    neg = (y.unsqueeze(1) != y.unsqueeze(0)).triu(diagonal=1).reshape(-1)
    sn = torch.sort(sim[neg])[0]
    l = sn.size(0)
    lq, uq = sn[int(0.25 * l)], sn[int(0.75 * l)]
    iqr = uq - lq
    sn = sn[torch.logical_and(sn <= uq + wisk * iqr, sn >= lq - wisk * iqr)]
    logits = s * torch.cat([cosine, torch.ones(len(y), 1) * sn], 1)
    return RED[reduction](ce(logits, y))


def cct_ref(u, y, centers, margin=0.8, negative='nearest', reduction='mean'):
    un, cn = F.normalize(u, dim=1), F.normalize(centers, dim=1)
    out = []
    for i in range(len(y)):
        d = ((un[i] - cn) ** 2).sum(1)
        others = [k for k in range(len(cn)) if k != y[i]]
        if negative == 'nearest':
            out.append(torch.relu(margin + d[y[i]] - torch.stack([d[k] for k in others]).min()))
        else:
            out.append(torch.stack([torch.relu(margin + d[y[i]] - d[k]) for k in others]).mean())
    return RED[reduction](torch.stack(out))


def proto_triplet_ref(q, yq, sup, ys, margin=1.0, distance='euclidean', negatives='all', reduction='mean'):
    classes = sorted(set(ys.tolist()))
    protos = {k: sup[ys == k].mean(0) for k in classes}
    def dist(a, b):
        if distance == 'euclidean':
            return torch.sqrt(((a - b) ** 2).sum())
        if distance == 'squared-euclidean':
            return ((a - b) ** 2).sum()
        return 1 - F.cosine_similarity(a, b, dim=0)
    out = []
    for i in range(len(yq)):
        k0 = int(yq[i])
        if k0 not in protos:
            out.append(q[i].sum() * 0)
            continue
        dp = dist(q[i], protos[k0])
        dn = torch.stack([dist(q[i], protos[k]) for k in classes if k != k0])
        out.append(torch.relu(dp - dn + margin).mean() if negatives == 'all' else torch.relu(dp - dn.min() + margin))
    return RED[reduction](torch.stack(out))


def symface_ref(l, r, lam=1.0, distance='squared-euclidean', reduction='mean'):
    a, b = F.normalize(l, dim=1), F.normalize(r, dim=1)
    v = ((a - b) ** 2).sum(1) if distance == 'squared-euclidean' else 1 - (a * b).sum(1)
    return RED[reduction](lam * v)


def madacos_ref(x, y, W, rho=0.02, s_prev=None, m_prev=0.0, reduction='mean'):
    cos = cosmat(x, W)
    nc = W.shape[0]
    with torch.no_grad():
        sp = math.sqrt(2) * math.log(nc - 1) if s_prev is None else s_prev
        oh = F.one_hot(y, nc).bool()
        b_avg = torch.where(oh, torch.zeros_like(cos), torch.exp(sp * cos)).sum() / len(y)
        theta = torch.acos(cos[torch.arange(len(y)), y])
        med = torch.median(theta)
        s = max(sp, (torch.log(b_avg) / torch.cos(torch.clamp(med, max=math.pi / 4))).item())
        m = max(m_prev, (torch.cos(med) - (torch.log(b_avg) + math.log(rho / (1 - rho))) / s).item())
    return RED[reduction](ce(s * (cos - m * F.one_hot(y, nc)), y))


def hyp_pc_ref(e, c=1.0, clip_r=2.0):
    nrm = e.norm(dim=1, keepdim=True)
    e = torch.minimum(torch.ones_like(nrm), clip_r / nrm) * e
    sc = math.sqrt(c)
    un = e.norm(dim=1, keepdim=True)
    z = torch.tanh(sc * un) * e / (sc * un)
    h = len(z) // 2
    a, b = -z[:h], z[h:2 * h]
    ab = (a * b).sum(1, keepdim=True)
    a2, b2 = (a * a).sum(1, keepdim=True), (b * b).sum(1, keepdim=True)
    mob = ((1 + 2 * c * ab + c * b2) * a + (1 - c * a2) * b) / (1 + 2 * c * ab + c * c * a2 * b2)
    return (2 / sc * torch.atanh(sc * mob.norm(dim=1))).mean()


def dimco_ref(u, labels):
    p = torch.softmax(u, -1)
    ent = lambda q: -(q * torch.log(q)).sum(-1)
    total = ent(p.mean(0))
    for k in labels.unique():
        sel = labels == k
        total = total - sel.double().mean() * ent(p[sel].mean(0))
    return -total.sum()


ye = torch.tensor([2, 0, 2, 1, 0, 2])
sup = torch.randn(5, D, generator=g)
ys = torch.tensor([1, 4, 1, 0, 4])
cases += [
    case('nbc-softmax', 'authors\' code, ratio 0.5, tau 0.2', nbc_ref, [x, y, W]),
    case('nbc-softmax', 'ratio 0.8, tau 1, none', nbc_ref, [x, y, W], {'ratio': 0.8, 'tau': 1, 'reduction': 'none'}, {'ratio': 0.8, 'tau': 1.0, 'reduction': 'none'}),
    case('unicom', 'both rates 1 = ArcFace m 0.3', lambda a, b, w: arcface_ref(a, b, w, m=0.3), [x, y, W], {'classSampleRate': 1, 'dimSampleRate': 1}),
    case('unpg', 'authors\' code, arcface, wisk 1.5', unpg_ref, [x, y, W]),
    case('unpg', 'cosface m 0.35, s 30, wisk 0, none', unpg_ref, [x, y, W], {'base': 'cosface', 'm': 0.35, 's': 30, 'wisk': 0, 'reduction': 'none'}, {'base': 'cosface', 'm': 0.35, 's': 30.0, 'wisk': 0.0, 'reduction': 'none'}),
    case('class-center-triplet', 'nearest, margin 0.8', cct_ref, [x, y, W]),
    case('class-center-triplet', 'all, margin 1.5, none', cct_ref, [x, y, W], {'negative': 'all', 'margin': 1.5, 'reduction': 'none'}, {'negative': 'all', 'margin': 1.5, 'reduction': 'none'}),
    case('proto-triplet', 'euclidean, all, margin 1', proto_triplet_ref, [x, torch.tensor([1, 4, 0, 2, 1, 4]), sup, ys]),
    case('proto-triplet', 'cosine, hardest, margin 0.3, none', proto_triplet_ref, [x, torch.tensor([1, 4, 0, 2, 1, 4]), sup, ys], {'distance': 'cosine', 'negatives': 'hardest', 'margin': 0.3, 'reduction': 'none'}, {'distance': 'cosine', 'negatives': 'hardest', 'margin': 0.3, 'reduction': 'none'}),
    case('proto-triplet', 'squared euclidean, sum', proto_triplet_ref, [x, torch.tensor([1, 4, 0, 2, 1, 4]), sup, ys], {'distance': 'squared-euclidean', 'reduction': 'sum'}, {'distance': 'squared-euclidean', 'reduction': 'sum'}),
    case('symface-symmetry', 'squared L2', symface_ref, [x, x + 0.3 * torch.randn(N, D, generator=g)]),
    case('symface-symmetry', 'cosine, lambda 0.5, none', symface_ref, [x, x + 0.3 * torch.randn(N, D, generator=g)], {'distance': 'cosine', 'lambda': 0.5, 'reduction': 'none'}, {'distance': 'cosine', 'lam': 0.5, 'reduction': 'none'}),
    case('madacos', 'initial state', madacos_ref, [x, y, W]),
    case('madacos', 'state s 40, m 0.1, rho 0.1', madacos_ref, [x, y, W], {'sPrev': 40, 'mPrev': 0.1, 'rho': 0.1}, {'s_prev': 40.0, 'm_prev': 0.1, 'rho': 0.1}),
    case('hyperbolic-pairwise-confusion', 'c 1, r 2', hyp_pc_ref, [x]),
    case('hyperbolic-pairwise-confusion', 'c 0.5, r 1, odd batch', hyp_pc_ref, [x[:5] * 0.3], {'c': 0.5, 'clipR': 1}, {'c': 0.5, 'clip_r': 1.0}),
    case('dimco', 'M 3 code positions, K 4', dimco_ref, [torch.randn(N, 3, 4, generator=g) * 2, ye]),
]


# ---- multi-label ---------------------------------------------------------------------------------------------
def hybrid_ref(z, yt, A, e, class_weight=None, lam1=0.1, lam2=0.1, tau=0.1, reduction='mean'):
    bce = F.binary_cross_entropy_with_logits(z, yt, reduction='none')
    if class_weight is not None:
        bce = bce * class_weight
    p = torch.sigmoid(z)
    n, c = z.shape
    corr = torch.stack([sum(A[j, k] * (p[b, j] - p[b, k]) ** 2 for j in range(c) for k in range(c)) for b in range(n)])
    zn = F.normalize(e, dim=1)
    con = []
    for i in range(n):
        pos = [j for j in range(n) if j != i and (yt[i] * yt[j]).sum() > 0]
        if not pos:
            con.append(zn[i].sum() * 0)
            continue
        others = [a for a in range(n) if a != i]
        lse = torch.logsumexp(torch.stack([zn[i] @ zn[a] / tau for a in others]), 0)
        con.append(-torch.stack([zn[i] @ zn[j] / tau - lse for j in pos]).mean())
    return RED[reduction](bce.sum(1) + lam1 * corr + lam2 * torch.stack(con))


zl = torch.randn(N, C, generator=g) * 2
yl = torch.tensor([[1, 0, 0, 1, 0], [0, 1, 0, 0, 0], [1, 0, 1, 0, 0], [0, 0, 0, 0, 1], [0, 1, 0, 1, 0], [0, 0, 1, 0, 0]], dtype=torch.float64)
A = (yl.T @ yl) / N
cw = torch.rand(C, generator=g) + 0.5
cases += [
    case('hybrid-multilabel-loss', 'defaults (0.1, 0.1, 0.1)', hybrid_ref, [zl, yl, A, x]),
    case('hybrid-multilabel-loss', 'class weights, lambda 1 and 0.5, tau 0.5, none', hybrid_ref, [zl, yl, A, x], {'classWeight': cw, 'lambda1': 1, 'lambda2': 0.5, 'tau': 0.5, 'reduction': 'none'}, {'class_weight': cw, 'lam1': 1.0, 'lam2': 0.5, 'tau': 0.5, 'reduction': 'none'}),
]

write('completion', cases)
