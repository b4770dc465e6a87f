"""Segmentation/overlap and ranking/retrieval objectives, each written independently from its paper, the catalog's
definition or the authors' code (torch's own functions where they exist): the references for those entries."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(0)
RED = {'none': lambda v: v, 'mean': torch.mean, 'sum': torch.sum}
cases = []
N, C, H, W = 2, 3, 4, 5
probs = torch.softmax(torch.randn(N, C, H, W, generator=g), 1)
labels = torch.randint(0, C, (N, H, W), generator=g)
labels[1][labels[1] == 2] = 0  # class 2 absent from image 1
onehot = F.one_hot(labels, C).permute(0, 3, 1, 2).double()
soft = torch.softmax(torch.randn(N, C, H, W, generator=g) * 2, 1)


def sums(x, batch):
    dims = ([0] if batch else []) + list(range(2, x.dim()))
    return x.sum(dims).reshape(1 if batch else x.shape[0], x.shape[1])


def class_mean(l, t_sum, present):
    w = (t_sum > 0).double() if present else torch.ones_like(l)
    return (l * w).sum(1) / w.sum(1).clamp(min=1e-12)


# ---- soft Dice / Tversky / focal Tversky / soft Jaccard (nnU-Net-style sums) ---------------------------------
def dice_ref(p, t, smooth=1.0, sq=False, batch=False, present=False, reduction='mean'):
    t = F.one_hot(t, p.shape[1]).movedim(-1, 1).double() if t.dtype == torch.int64 else t
    i, sp, st = sums(p * t, batch), sums(p ** 2 if sq else p, batch), sums(t ** 2 if sq else t, batch)
    v = class_mean(1 - (2 * i + smooth) / (sp + st + smooth), sums(t, batch), present)
    return RED[reduction](v.reshape(()) if batch else v)


def tversky_ref(p, t, alpha=0.3, beta=0.7, smooth=1.0, gamma=None, batch=False, present=False, reduction='mean'):
    t = F.one_hot(t, p.shape[1]).movedim(-1, 1).double() if t.dtype == torch.int64 else t
    tp, fp, fn = sums(p * t, batch), sums(p * (1 - t), batch), sums((1 - p) * t, batch)
    l = 1 - (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
    if gamma is not None:
        l = l ** gamma
    v = class_mean(l, sums(t, batch), present)
    return RED[reduction](v.reshape(()) if batch else v)


def jaccard_ref(p, t, smooth=1.0, present=True, log=False, reduction='mean'):
    t = F.one_hot(t, p.shape[1]).movedim(-1, 1).double() if t.dtype == torch.int64 else t
    i, u = sums(p * t, False), sums(p + t - p * t, False)
    j = (i + smooth) / (u + smooth)
    return RED[reduction](class_mean(-j.log() if log else 1 - j, sums(t, False), present))


cases += [
    case('soft-dice', 'defaults, class indices [N, H, W]', dice_ref, [probs, labels]),
    case('soft-dice', 'one-hot, squared denominator, present classes, none', dice_ref, [probs, onehot], {'squaredDenominator': True, 'classSet': 'present', 'reduction': 'none'}, {'sq': True, 'present': True, 'reduction': 'none'}),
    case('soft-dice', 'batch dice, smooth 1e-5', dice_ref, [probs, onehot], {'batchDice': True, 'smooth': 1e-5}, {'batch': True, 'smooth': 1e-5}),
    case('tversky', 'defaults', tversky_ref, [probs, labels]),
    case('tversky', 'alpha = beta = 0.5 (Dice), present, sum', tversky_ref, [probs, onehot], {'alpha': 0.5, 'beta': 0.5, 'classSet': 'present', 'reduction': 'sum'}, {'alpha': 0.5, 'beta': 0.5, 'present': True, 'reduction': 'sum'}),
    case('focal-tversky', 'defaults', lambda p, t: tversky_ref(p, t, gamma=0.75), [probs, labels]),
    case('focal-tversky', 'gamma 2, batch', lambda p, t: tversky_ref(p, t, gamma=2.0, batch=True), [probs, onehot], {'gamma': 2, 'batchDice': True}),
    case('soft-jaccard', 'defaults (present classes)', jaccard_ref, [probs, labels]),
    case('soft-jaccard', 'log loss, all classes, none', jaccard_ref, [probs, onehot], {'logLoss': True, 'classSet': 'all', 'reduction': 'none'}, {'log': True, 'present': False, 'reduction': 'none'}),
]


# ---- JDT losses (Wang & Blaschko's JDTLoss.compute_score, norm 1 / 2) ------------------------------------------
def jdt_ref(p, t, alpha=1.0, beta=1.0, smooth=1e-3, norm=1, gamma=1.0, log=False, per_image=False, class_set='auto', w=None, reduction='mean'):
    hard = t.dtype == torch.int64
    t = F.one_hot(t, p.shape[1]).movedim(-1, 1).double() if hard else t
    b = not per_image
    if norm == 1:
        pc, tc, dc = sums(p, b), sums(t, b), sums((p - t).abs(), b)
    else:
        pc, tc, dc = sums(p ** 2, b), sums(t ** 2, b), sums((p - t) ** 2, b)
    tp = (pc + tc - dc) / 2
    fp, fn = pc - tp, tc - tp
    score = (tp + smooth) / (tp + alpha * fp + beta * fn + smooth)
    l = -score.log() if log else (1 - score) ** gamma
    present = (hard if class_set == 'auto' else class_set == 'present')
    act = (sums(t, b) > 0).double() if present else torch.ones_like(l)
    if w is not None:
        act = act * w
    v = (l * act).sum(1) / act.sum(1)
    return RED[reduction](v.reshape(()) if b else v)


def jml_ref(p, t, variant='JML1', smooth=1.0, log=False, per_image=False, reduction='mean'):
    hard = t.dtype == torch.int64
    t = F.one_hot(t, p.shape[1]).movedim(-1, 1).double() if hard else t
    b = not per_image
    diff = sums((p - t).abs(), b)
    if variant == 'JML1':
        plus = sums(p + t, b)
        score = (plus - diff + smooth) / (plus + diff + smooth)
    else:
        dot = sums(p * t, b)
        score = (dot + smooth) / (dot + diff + smooth)
    l = -score.log() if log else 1 - score
    act = (sums(t, b) > 0).double() if hard else torch.ones_like(l)
    v = (l * act).sum(1) / act.sum(1)
    return RED[reduction](v.reshape(()) if b else v)


cw = torch.tensor([0.5, 1.0, 2.0])
cases += [
    case('jdt-tversky-semimetric', 'defaults, soft targets', jdt_ref, [probs, soft]),
    case('jdt-tversky-semimetric', 'alpha 0.3 beta 0.7, hard labels, per image, none', jdt_ref, [probs, labels], {'alpha': 0.3, 'beta': 0.7, 'perImage': True, 'reduction': 'none'}, {'alpha': 0.3, 'beta': 0.7, 'per_image': True, 'reduction': 'none'}),
    case('dice-semimetric-loss', 'defaults, soft targets', lambda p, t: jdt_ref(p, t, 0.5, 0.5), [probs, soft]),
    case('dice-semimetric-loss', 'hard labels, log loss', lambda p, t: jdt_ref(p, t, 0.5, 0.5, log=True), [probs, labels], {'logLoss': True}),
    case('dice-semimetric-loss', 'norm 2, gamma 2, class weights, per image', lambda p, t: jdt_ref(p, t, 0.5, 0.5, norm=2, gamma=2.0, per_image=True, w=cw), [probs, soft], {'norm': 2, 'gamma': 2, 'classWeights': cw, 'perImage': True}),
    case('jaccard-metric-loss', 'JML1 defaults, soft targets', jml_ref, [probs, soft]),
    case('jaccard-metric-loss', 'JML2, hard labels, per image, none', jml_ref, [probs, labels], {'variant': 'JML2', 'perImage': True, 'reduction': 'none'}, {'variant': 'JML2', 'per_image': True, 'reduction': 'none'}),
    case('jaccard-metric-loss', 'JML1 log loss, smooth 1e-3', jml_ref, [probs, soft], {'logLoss': True, 'smooth': 1e-3}, {'log': True, 'smooth': 1e-3}),
]


# ---- Lovász-softmax (Berman et al.'s lovasz_softmax_flat / lovasz_grad) -----------------------------------------
def lovasz_grad(gt_sorted):
    p = len(gt_sorted)
    gts = gt_sorted.sum()
    intersection = gts - gt_sorted.cumsum(0)
    union = gts + (1 - gt_sorted).cumsum(0)
    jaccard = 1. - intersection / union
    if p > 1:
        jaccard[1:p] = jaccard[1:p] - jaccard[0:-1]
    return jaccard


def lovasz_flat(probas, labels, classes='present'):
    if probas.numel() == 0:
        return probas * 0.
    losses = []
    for c in range(probas.size(1)):
        fg = (labels == c).double()
        if classes == 'present' and fg.sum() == 0:
            continue
        errors = (fg - probas[:, c]).abs()
        errors_sorted, perm = torch.sort(errors, 0, descending=True)
        losses.append(torch.dot(errors_sorted, lovasz_grad(fg[perm]).double()))
    return torch.stack(losses).mean() if losses else probas.sum() * 0.


def flatten(p, l, ignore):
    c = p.size(1)
    p = p.movedim(1, -1).reshape(-1, c)
    l = l.reshape(-1)
    keep = l != ignore
    return p[keep], l[keep]


def lovasz_ref(p, l, classes='present', per_image=False, ignore=-100, reduction='mean'):
    if per_image:
        v = torch.stack([lovasz_flat(*flatten(p[i:i + 1], l[i:i + 1], ignore), classes) for i in range(p.shape[0])])
        return RED[reduction](v)
    return lovasz_flat(*flatten(p, l, ignore), classes)


lab_ig = labels.clone()
lab_ig[0, 0, :3] = 255
hard = F.one_hot(probs.argmax(1), C).permute(0, 3, 1, 2).double()
cases += [
    case('lovasz-softmax', 'defaults (present classes, whole batch)', lovasz_ref, [probs, labels]),
    case('lovasz-softmax', 'per image, all classes, none', lovasz_ref, [probs, labels], {'perImage': True, 'classes': 'all', 'reduction': 'none'}, {'per_image': True, 'classes': 'all', 'reduction': 'none'}),
    case('lovasz-softmax', 'ignore index 255', lovasz_ref, [probs, lab_ig], {'ignoreIndex': 255}, {'ignore': 255}),
    case('lovasz-softmax', 'hard predictions: 1 - IoU', lovasz_ref, [hard, labels], grad=False),
]


# ---- box losses (torchvision's formulas) -----------------------------------------------------------------------
def box_ref(kind, p, t, eps=1e-7, reduction='mean'):
    x1, y1, x2, y2 = p.unbind(-1)
    a1, b1, a2, b2 = t.unbind(-1)
    xk1, yk1, xk2, yk2 = torch.max(x1, a1), torch.max(y1, b1), torch.min(x2, a2), torch.min(y2, b2)
    inter = (xk2 - xk1).clamp(min=0) * (yk2 - yk1).clamp(min=0)
    union = (x2 - x1) * (y2 - y1) + (a2 - a1) * (b2 - b1) - inter
    iou = inter / (union + eps)
    xc1, yc1, xc2, yc2 = torch.min(x1, a1), torch.min(y1, b1), torch.max(x2, a2), torch.max(y2, b2)
    if kind == 'iou':
        loss = 1 - iou
    elif kind == 'giou':
        area_c = (xc2 - xc1) * (yc2 - yc1)
        loss = 1 - (iou - (area_c - union) / (area_c + eps))
    else:
        diag = (xc2 - xc1) ** 2 + (yc2 - yc1) ** 2 + eps
        dist = ((x1 + x2) / 2 - (a1 + a2) / 2) ** 2 + ((y1 + y2) / 2 - (b1 + b2) / 2) ** 2
        loss = 1 - iou + dist / diag
        if kind == 'ciou':
            w, h, wg, hg = x2 - x1, y2 - y1, a2 - a1, b2 - b1
            v = (4 / (math.pi ** 2)) * torch.pow(torch.atan(wg / hg) - torch.atan(w / h), 2)
            with torch.no_grad():
                alpha = v / (1 - iou + v + eps)
            loss = loss + alpha * v
    return RED[reduction](loss)


def boxes(n):
    xy = torch.rand(n, 2, generator=g) * 4
    wh = torch.rand(n, 2, generator=g) * 3 + 0.5
    return torch.cat([xy, xy + wh], 1)


bp, bt = boxes(5), boxes(5)
bt[4] = torch.tensor([20., 20., 21., 22.])  # disjoint
for kind, id in [('iou', 'box-iou-loss'), ('giou', 'giou-loss'), ('diou', 'diou-loss'), ('ciou', 'ciou-loss')]:
    cases += [
        case(id, 'overlapping and disjoint boxes', lambda p, t, k=kind: box_ref(k, p, t), [bp, bt]),
        case(id, 'none', lambda p, t, k=kind: box_ref(k, p, t, reduction='none'), [bp, bt], {'reduction': 'none'}),
    ]


# ---- SSIM (pytorch_ssim, as BASNet) and the BASNet hybrid loss ------------------------------------------------
def gauss_window(size, sigma):
    gs = torch.tensor([math.exp(-(x - size // 2) ** 2 / float(2 * sigma ** 2)) for x in range(size)])
    gs = gs / gs.sum()
    return (gs[:, None] @ gs[None, :])[None, None]


def ssim_img(x, y, size=11, sigma=1.5, C1=0.01 ** 2, C2=0.03 ** 2):
    ch = x.shape[1]
    w = gauss_window(size, sigma).expand(ch, 1, size, size).contiguous()
    conv = lambda t: F.conv2d(t, w, padding=size // 2, groups=ch)
    m1, m2 = conv(x), conv(y)
    s1, s2, s12 = conv(x * x) - m1 ** 2, conv(y * y) - m2 ** 2, conv(x * y) - m1 * m2
    return ((2 * m1 * m2 + C1) * (2 * s12 + C2)) / ((m1 ** 2 + m2 ** 2 + C1) * (s1 + s2 + C2))


def ssim_ref(x, y, window=11, sigma=1.5, reduction='mean'):
    return RED[reduction](1 - ssim_img(x, y, window, sigma).mean((1, 2, 3)))


sx = torch.rand(2, 2, 12, 13, generator=g)
sy = (sx + 0.3 * torch.rand(2, 2, 12, 13, generator=g)).clamp(0, 1)
cases += [
    case('ssim-loss', 'defaults (11x11, sigma 1.5)', ssim_ref, [sx, sy]),
    case('ssim-loss', 'window 5, sigma 1, none', ssim_ref, [sx, sy], {'window': 5, 'sigma': 1, 'reduction': 'none'}, {'window': 5, 'sigma': 1.0, 'reduction': 'none'}),
]


def basnet_ref(P, G, reduction='mean'):
    out = 0
    for k in range(P.shape[0]):
        p = P[k]
        bce = F.binary_cross_entropy(p, G, reduction='none').mean((1, 2, 3))
        iou = 1 - (p * G).sum((1, 2, 3)) / (p + G - p * G).sum((1, 2, 3))
        out = out + bce + (1 - ssim_img(p, G).mean((1, 2, 3))) + iou
    return RED[reduction](out)


bg = (torch.rand(2, 1, 12, 13, generator=g) > 0.5).double()
bP = torch.sigmoid(torch.randn(3, 2, 1, 12, 13, generator=g))
cases += [case('basnet-hybrid-loss', 'three side outputs', basnet_ref, [bP, bg]),
          case('basnet-hybrid-loss', 'none', basnet_ref, [bP, bg], {'reduction': 'none'}, {'reduction': 'none'})]


# ---- CPS, self-adjusting Dice, skeleton recall, ES-Dice, UniSeg BCE, co-training, CBC, BACS ------------------
z1, z2 = torch.randn(N, C, H, W, generator=g) * 2, torch.randn(N, C, H, W, generator=g) * 2


def cps_ref(a, b, y=None, lam=1.5, reduction='mean'):
    ya, yb = a.detach().argmax(1), b.detach().argmax(1)
    v = lam * (F.cross_entropy(b, ya, reduction='none') + F.cross_entropy(a, yb, reduction='none'))
    if y is not None:
        v = v + F.cross_entropy(a, y, reduction='none') + F.cross_entropy(b, y, reduction='none')
    return RED[reduction](v)


cases += [case('cross-pseudo-supervision', 'unlabelled (defaults)', cps_ref, [z1, z2]),
          case('cross-pseudo-supervision', 'labelled, lambda 6, none', cps_ref, [z1, z2, labels], {'lambda': 6, 'reduction': 'none'}, {'lam': 6.0, 'reduction': 'none'})]


def sadice_ref(p, y, alpha=1.0, gamma=1.0, reduction='mean'):
    y = F.one_hot(y, p.shape[1]).double() if y.dtype == torch.int64 else y
    q = (1 - p) ** alpha * p
    return RED[reduction](1 - (2 * q * y + gamma) / (q + y + gamma))


sp = torch.softmax(torch.randn(6, 4, generator=g), 1)
sy = torch.randint(0, 4, (6,), generator=g)
cases += [case('self-adjusting-dice', 'defaults, class indices', sadice_ref, [sp, sy]),
          case('self-adjusting-dice', 'alpha 0.5, gamma 0.1, binary maps, none', sadice_ref, [probs, onehot], {'alpha': 0.5, 'gamma': 0.1, 'reduction': 'none'}, {'alpha': 0.5, 'gamma': 0.1, 'reduction': 'none'})]


def skel_ref(p, s, weight=1.0, eps=1e-8, batch=False, reduction='mean'):
    r = sums(p * s, batch) / (sums(s, batch) + eps)
    v = weight * (1 - r.mean(1))
    return RED[reduction](v.reshape(()) if batch else v)


skel = (torch.rand(N, C, H, W, generator=g) > 0.6).double()
cases += [case('skeleton-recall', 'defaults', skel_ref, [probs, skel]),
          case('skeleton-recall', 'batch, weight 2', skel_ref, [probs, skel], {'batchDice': True, 'weight': 2}, {'batch': True, 'weight': 2.0})]


def esdice_ref(p, t, grp, metric='dice'):
    n = p.shape[0]
    p, t = p.reshape(n, -1), t.reshape(n, -1)
    i = (p * t).sum(1)
    s = p.sum(1) + t.sum(1)
    d = torch.stack([torch.tensor(1.0) if s[k] == 0 else (2 * i[k] / s[k] if metric == 'dice' else i[k] / (s[k] - i[k])) for k in range(n)])
    D = d.mean()
    spread = sum((D - d[grp == gg].mean()).abs() for gg in grp.unique())
    return D / (1 + spread)


ep = (torch.rand(6, 4, 4, generator=g) > 0.5).double()
et = (torch.rand(6, 4, 4, generator=g) > 0.5).double()
egrp = torch.tensor([0, 2, 2, 0, 2, 0])
cases += [case('equity-scaled-dice', 'three groups, one empty', esdice_ref, [ep, et, egrp], grad=False),
          case('equity-scaled-dice', 'ES-IoU', lambda p, t, gr: esdice_ref(p, t, gr, 'iou'), [ep, et, egrp], {'metric': 'iou'}, grad=False)]


def uniseg_ref(z, t, m, reduction='mean'):
    l = F.binary_cross_entropy_with_logits(z, t, reduction='none')
    mm = m[:, :, None, None].expand_as(z)
    return l * mm if reduction == 'none' else ((l * mm).sum() / mm.sum() if reduction == 'mean' else (l * mm).sum())


lsp = torch.tensor([[1., 1., 0.], [0., 1., 1.]])
cases += [case('class-independent-bce-multidataset', 'two datasets', uniseg_ref, [z1, onehot, lsp]),
          case('class-independent-bce-multidataset', 'none', uniseg_ref, [z1, onehot, lsp], {'reduction': 'none'}, {'reduction': 'none'})]
cases += [case('co-training-consistency-dual-path', 'l2', lambda a, b: ((a - b) ** 2).mean(), [probs, soft]),
          case('co-training-consistency-dual-path', 'l1, weight 0.5, none', lambda a, b: 0.5 * (a - b).abs(), [probs, soft], {'distance': 'l1', 'weight': 0.5, 'reduction': 'none'})]


def cbc_ref(pa, pb, thr=0.8):
    def one(s, t):
        t = t.detach()
        y = (t > 0.5).double()
        conf = (torch.max(t, 1 - t) > thr).double()
        return (F.binary_cross_entropy(s, y, reduction='none') * conf).sum() / conf.sum().clamp(min=1)
    return one(pb, pa) + one(pa, pb)


pa, pb = torch.rand(2, 6, 6, generator=g), torch.rand(2, 6, 6, generator=g)
cases += [case('cross-model-confident-bce', 'threshold 0.8', cbc_ref, [pa, pb]),
          case('cross-model-confident-bce', 'threshold 0.6', lambda a, b: cbc_ref(a, b, 0.6), [pa, pb], {'threshold': 0.6})]


def bacs_ref(z, y, f, mu, thr=1.0, dw=0.5, bg=0, reduction='mean'):
    ce = F.cross_entropy(z, y, reduction='none')
    d = torch.cdist(f.detach().movedim(1, -1).reshape(-1, f.shape[1]), mu.detach()).min(1).values.reshape(y.shape)
    w = torch.where((d < thr) & (y == bg), torch.tensor(dw), torch.tensor(1.0))
    return (w * ce).sum() / w.sum() if reduction == 'mean' else w * ce


feat = torch.randn(N, 4, H, W, generator=g) * 0.6
cent = torch.randn(3, 4, generator=g) * 0.3
cases += [case('background-aware-ce-bacs', 'defaults', bacs_ref, [z1, labels, feat, cent]),
          case('background-aware-ce-bacs', 'threshold 1.5, weight 0.2, none', bacs_ref, [z1, labels, feat, cent], {'distanceThreshold': 1.5, 'downWeight': 0.2, 'reduction': 'none'}, {'thr': 1.5, 'dw': 0.2, 'reduction': 'none'})]


# ==== ranking/retrieval ========================================================================================
cases += [case('bpr-loss', 'defaults', lambda a, b: F.softplus(b - a).mean(), [torch.randn(6, generator=g), torch.randn(6, generator=g)]),
          case('bpr-loss', 'scores of ±1e4, none', lambda a, b: -F.logsigmoid(a - b), [torch.tensor([1e4, -1e4, 3.0]), torch.tensor([-1e4, 1e4, 3.0])], {'reduction': 'none'})]


def cosent_ref(c, y, lam=20.0):
    d = lam * (c[None, :] - c[:, None])
    d = d - (1 - (y[:, None] > y[None, :]).double()) * 1e12
    return torch.logsumexp(torch.cat([torch.zeros(1), d.reshape(-1)]), 0)


cc = torch.rand(7, generator=g) * 2 - 1
cy = torch.tensor([0., 1., 2., 2., 5., 3., 1.])  # ties
cases += [case('cosent', 'lambda 20, tied gold scores', cosent_ref, [cc, cy]),
          case('cosent', 'lambda 5', lambda c, y: cosent_ref(c, y, 5.0), [cc, cy], {'lambda': 5})]


def hpm_ref(s, l):
    l = l.detach()
    pos = (l[:, None, :] > l[:, :, None]).double()
    neg = (l[:, None, :] < l[:, :, None]).double()
    d = s[:, None, :] - s[:, :, None]
    return (-pos * torch.log(torch.sigmoid(d)) - neg * torch.log(1 - torch.sigmoid(d))).sum() / (pos + neg).sum()


hl = torch.rand(3, 6, generator=g)
hl[0, 1] = hl[0, 2]  # a tie
cases += [case('hpm-relative-loss-prediction', 'ties excluded', hpm_ref, [torch.randn(3, 6, generator=g), hl])]

SUR = {'logistic': lambda t: F.softplus(-t), 'squared': lambda t: (1 - t) ** 2, 'hinge': lambda t: (1 - t).clamp(min=0)}


def auc_pair_ref(f, y, sur='logistic'):
    out = []
    for c in range(f.shape[1]):
        P, Nn = f[y[:, c] == 1, c], f[y[:, c] == 0, c]
        if len(P) and len(Nn):
            out.append(SUR[sur](P[:, None] - Nn[None, :]).mean())
    return torch.stack(out).mean()


def auc_rw_ref(f, y, sur='logistic'):
    out = []
    for c in range(f.shape[1]):
        P, Nn = f[y[:, c] == 1, c], f[y[:, c] == 0, c]
        out.append((SUR[sur](P).mean() if len(P) else 0) + (SUR[sur](-Nn).mean() if len(Nn) else 0))
    return sum(out) / len(out)


af = torch.randn(6, 4, generator=g)
ay = (torch.rand(6, 4, generator=g) > 0.5).double()
ay[:, 3] = 1  # a label without negatives (skipped)
for s in ['logistic', 'squared', 'hinge']:
    cases += [case('macro-auc-pairwise-surrogate', s, lambda f, y, s=s: auc_pair_ref(f, y, s), [af, ay], {'surrogate': s}),
              case('macro-auc-reweighted-univariate-surrogate', s, lambda f, y, s=s: auc_rw_ref(f, y, s), [af, ay], {'surrogate': s}),
              case('macro-auc-univariate-surrogate', s, lambda f, y, s=s: SUR[s]((2 * y - 1) * f).mean(), [af, ay], {'surrogate': s})]


def mw_ref(s, y, mask=None, tau=1.0, pooled=False, reduction='mean'):
    vals, tot, cnt = [], 0, 0
    for q in range(s.shape[0]):
        keep = torch.ones_like(y[q]).bool() if mask is None else mask[q].bool()
        P, Nn = s[q][(y[q] == 1) & keep], s[q][(y[q] == 0) & keep]
        if len(P) and len(Nn):
            l = F.softplus(-(P[:, None] - Nn[None, :]) / tau)
            vals.append(l.mean()); tot = tot + l.sum(); cnt += l.numel()
    return tot / cnt if pooled else torch.stack(vals).mean()


ms = torch.randn(4, 5, generator=g)
my = torch.tensor([[1., 0, 0, 1, 0], [0, 0, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 0, 1]])
mmask = torch.tensor([[1., 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 1, 1, 1, 0]])
cases += [case('mann-whitney-auc-loss', 'per query, padding, a query without negatives', mw_ref, [ms, my, mmask]),
          case('mann-whitney-auc-loss', 'pooled, tau 0.5', lambda s, y, m: mw_ref(s, y, m, 0.5, True), [ms, my, mmask], {'tau': 0.5, 'pooled': True})]


# ---- NeuralSort / NeuralNDCG (allRank's deterministic_neural_sort, sinkhorn_scaling, neuralNDCG[_transposed]) ----
def neural_sort(s, mask, tau):
    n = s.size(1)
    s = s.masked_fill(mask, -1e8)[:, :, None]
    A = (s - s.permute(0, 2, 1)).abs().masked_fill(mask[:, :, None] | mask[:, None, :], 0.0)
    B = A @ torch.ones(n, 1) @ torch.ones(1, n)
    scaling = torch.stack([torch.cat([(n - int(m) + 1 - 2 * (torch.arange(n - int(m)) + 1)).double(), torch.zeros(int(m))]) for m in mask.sum(1)])
    s = s.masked_fill(mask[:, :, None], 0.0)
    P = (s @ scaling.unsqueeze(-2) - B).permute(0, 2, 1)
    P = P.masked_fill(mask[:, :, None] | mask[:, None, :], -math.inf).masked_fill(mask[:, :, None] & mask[:, None, :], 1.0)
    return torch.softmax(P / tau, -1)


def sinkhorn(mat, mask, iters):
    mat = mat.masked_fill(mask[:, None, :] | mask[:, :, None], 0.0).masked_fill(mask[:, None, :] & mask[:, :, None], 1.0)
    for _ in range(iters):
        mat = mat / mat.sum(dim=1, keepdim=True).clamp(min=1e-10)
        mat = mat / mat.sum(dim=2, keepdim=True).clamp(min=1e-10)
    return mat


def ndcg_ref(s, y, m, tau=1.0, k=None, iters=50, transposed=False, reduction='mean'):
    mask = m == 0
    y = y.masked_fill(mask, 0.0)
    n = y.shape[1]
    k = k or n
    P = sinkhorn(neural_sort(s, mask, tau), mask, iters).masked_fill(mask[:, :, None] | mask[:, None, :], 0.0)
    gains = 2 ** y - 1
    d = 1 / torch.log2(torch.arange(n).double() + 2)
    d[k:] = 0
    dcg = (gains * (P.transpose(1, 2) @ d)).sum(-1) if transposed else ((P @ gains[:, :, None]).squeeze(-1) * d).sum(-1)
    idcg = (gains.sort(-1, descending=True).values * d).sum(-1)
    nd = torch.where(idcg == 0, torch.zeros(()), dcg / (idcg + 1e-10))
    v = -nd
    return v if reduction == 'none' else v.sum() / (idcg > 0).sum()


# padding at the end, as allRank requires
ns = torch.randn(3, 6, generator=g)
ny = torch.tensor([[3., 1, 0, 2, 0, 1], [0, 0, 0, 0, 0, 0], [2, 2, 0, 1, 4, 0]])
nm = torch.tensor([[1., 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 0, 0]])
for tid, tr in [('neural-ndcg', False), ('neural-ndcg-transposed', True)]:
    cases += [case(tid, 'unequal lengths, ties, an all-zero list', lambda s, y, m, tr=tr: ndcg_ref(s, y, m, transposed=tr), [ns, ny, nm]),
              case(tid, 'tau 0.5, k 3, 20 iterations, none', lambda s, y, m, tr=tr: ndcg_ref(s, y, m, 0.5, 3, 20, tr, 'none'), [ns, ny, nm], {'tau': 0.5, 'k': 3, 'sinkhornIters': 20, 'reduction': 'none'})]
cases += [case('neuralsort', 'plain NeuralSort, padding', lambda s, m: neural_sort(s, m == 0, 1.0).masked_fill((m == 0)[:, :, None] | (m == 0)[:, None, :], 0.0), [ns, nm], {'sinkhornIters': 0}),
          case('neuralsort', 'Sinkhorn-scaled, tau 0.3, no padding', lambda s: sinkhorn(neural_sort(s, torch.zeros_like(s).bool(), 0.3), torch.zeros_like(s).bool(), 50), [ns], {'tau': 0.3})]


def roc_ref(f, y):
    out = []
    for c in range(f.shape[1]):
        P, Nn = f[y[:, c] == 1, c], f[y[:, c] == 0, c]
        if len(P) and len(Nn):
            out.append(((P[:, None] > Nn[None, :]).double() + 0.5 * (P[:, None] == Nn[None, :]).double()).mean())
    return torch.stack(out)


rf = torch.randint(0, 4, (8, 3), generator=g).double()  # many ties
ry = (torch.rand(8, 3, generator=g) > 0.5).double()
rl = torch.randint(0, 3, (8,), generator=g)
cases += [case('roc-auc-metrics', 'macro, ties', lambda f, y: roc_ref(f, y).mean(), [rf, ry], grad=False),
          case('roc-auc-metrics', 'per class', lambda f, y: roc_ref(f, y), [rf, ry], {'average': 'none'}, grad=False),
          case('roc-auc-metrics', 'one-vs-rest from class indices', lambda f, y: roc_ref(f, F.one_hot(y, 3).double()).mean(), [rf, rl], grad=False)]


def slk_ref(sp, sn, beta=None, K=20, tau=1.0, tau_w=1.0, reduction='mean'):
    if beta is None:
        allsc = torch.cat([sp.detach()[:, None], sn.detach()], 1)
        beta = allsc.topk(min(K, allsc.shape[1]), 1).values[:, -1]
    w = torch.sigmoid((sp - beta.detach()) / tau_w)
    return RED[reduction](w * torch.logsumexp((sn - sp[:, None]) / tau, 1))


lp, ln = torch.randn(5, generator=g), torch.randn(5, 8, generator=g)
cases += [case('softmax-loss-at-k', 'K 3 from the batch, tau 0.2', lambda a, b: slk_ref(a, b, K=3, tau=0.2), [lp, ln], {'K': 3, 'tau': 0.2}),
          case('softmax-loss-at-k', 'given beta, none', lambda a, b, c: slk_ref(a, b, c, reduction='none'), [lp, ln, torch.randn(5, generator=g)], {'reduction': 'none'})]


def thurstone_ref(m, v, tm, tv, eps=1e-8, reduction='mean'):
    Phi = lambda x: 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    ph = Phi((m[:, 0] - m[:, 1]) / torch.sqrt(v[:, 0] + v[:, 1]))
    p = Phi((tm[:, 0] - tm[:, 1]) / torch.sqrt(tv[:, 0] + tv[:, 1])).detach()
    return RED[reduction](1 - torch.sqrt(p * ph + eps) - torch.sqrt((1 - p) * (1 - ph) + eps))


cases += [case('thurstone-fidelity-loss', 'defaults', thurstone_ref, [torch.randn(5, 2, generator=g) * 2, torch.rand(5, 2, generator=g) + 0.2, torch.randn(5, 2, generator=g) * 2, torch.rand(5, 2, generator=g) + 0.2])]


def tal_ref(V, T, pid, h=None, tau=0.015, margin=0.1, reduction='sum'):
    scores = F.normalize(T, dim=-1) @ F.normalize(V, dim=-1).t()
    labels = (pid[:, None] == pid[None, :]).double()
    mask = 1 - labels
    a1 = ((scores / tau).exp() * labels / ((scores / tau).exp() * labels).sum(1, keepdim=True)).detach()
    a2 = ((scores.t() / tau).exp() * labels / ((scores.t() / tau).exp() * labels).sum(1, keepdim=True)).detach()
    loss = (-(a1 * scores).sum(1) + tau * ((scores / tau).exp() * mask).sum(1).log() + margin).clamp(min=0) \
        + (-(a2 * scores.t()).sum(1) + tau * ((scores.t() / tau).exp() * mask).sum(1).log() + margin).clamp(min=0)
    return RED[reduction](loss if h is None else loss * h)


tv_, tt_ = torch.randn(6, 5, generator=g), torch.randn(6, 5, generator=g)
tpid = torch.tensor([0, 1, 0, 2, 1, 3])
cases += [case('triplet-alignment-loss', 'tau 0.1, shared identities', lambda v, t, p: tal_ref(v, t, p, tau=0.1), [tv_, tt_, tpid], {'tau': 0.1}),
          case('triplet-alignment-loss', 'defaults with clean flags, none', lambda v, t, p, h: tal_ref(v, t, p, h, reduction='none'), [tv_, tt_, tpid, torch.tensor([1., 0, 1, 1, 0, 1])], {'reduction': 'none'})]


def vsepp_ref(im, tx, margin=0.2, reduction='sum'):
    S = F.normalize(im, dim=-1) @ F.normalize(tx, dim=-1).t()
    d = S.diag()
    eye = torch.eye(S.shape[0]).bool()
    c_s = (margin + S - d[:, None]).clamp(min=0).masked_fill(eye, 0).max(1).values
    c_im = (margin + S - d[None, :]).clamp(min=0).masked_fill(eye, 0).max(0).values
    return RED[reduction](c_s + c_im)


cases += [case('vsepp-hardest-negative-triplet', 'defaults (sum)', vsepp_ref, [tv_, tt_]),
          case('vsepp-hardest-negative-triplet', 'margin 0.5, none', lambda a, b: vsepp_ref(a, b, 0.5, 'none'), [tv_, tt_], {'margin': 0.5, 'reduction': 'none'})]


def ortho_ref(v, O, y, s=8.0, m=0.2, reduction='mean'):
    cos = F.normalize(v, dim=-1) @ F.normalize(O, dim=-1).t()
    a = s * (cos - m * F.one_hot(y, O.shape[0]).double())
    return F.cross_entropy(a, y, reduction=reduction)


oc = torch.tensor([[1., 1, 1, 1, 1, 1, 1, 1], [1, -1, 1, -1, 1, -1, 1, -1], [1, 1, -1, -1, 1, 1, -1, -1], [1, -1, -1, 1, 1, -1, -1, 1]])
cases += [case('orthohash', 'Hadamard codes', ortho_ref, [torch.randn(5, 8, generator=g), oc, torch.tensor([0, 3, 1, 2, 1])]),
          case('orthohash', 'scale 16, margin 0.4, none', lambda v, O, y: ortho_ref(v, O, y, 16.0, 0.4, 'none'), [torch.randn(5, 8, generator=g), oc, torch.tensor([0, 3, 1, 2, 1])], {'scale': 16, 'margin': 0.4, 'reduction': 'none'})]

write('segmentation_ranking', cases)
