"""Group g5 (regression/distribution and segmentation/overlap leftovers): references written from the papers and the
authors' code as plain loops in float64, independently of the TypeScript entries."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(19)
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


# ---- error-distribution-kl-stereo: SEDNet's UC loss (lly00412/SEDNet models/loss.py), one scale ---------------
def sednet_ref(d_hat, log_s, d, mask, n_bins=11, scale='linear', inliers=3.0, lam=1.0):
    valid = [i for i in range(d_hat.numel()) if mask.flatten()[i] > 0]
    e = torch.stack([(d_hat.flatten()[i] - d.flatten()[i]).abs() for i in valid])
    ls = torch.stack([log_s.flatten()[i] for i in valid])
    s = torch.exp(ls)
    mu = e.mean()
    std = torch.sqrt(((e - mu) ** 2).sum() / max(len(valid) - 1, 1) + 1e-12)
    if scale == 'log':
        b = [10 ** (math.log10(6) * k / (n_bins - 1)) - 1 for k in range(n_bins)]
    else:
        b = [5 * k / (n_bins - 1) for k in range(n_bins)]
    centres = [mu + bk * std for bk in b]

    def hist(x):
        rows = []
        for xi in x:
            logits = torch.stack([10 * torch.exp(-(c - xi) ** 2 / 5) for c in centres])
            rows.append(torch.softmax(logits, 0))
        return torch.stack(rows).sum(0) / len(x)

    he, hs = hist(e), hist(s)
    kl = sum(he[k] * (torch.log(he[k]) - torch.log(hs[k])) for k in range(n_bins))
    keep = [i for i in range(len(valid)) if inliers <= 0 or (e[i] - mu).abs() <= inliers * std]
    if not keep:
        keep = list(range(len(valid)))
    nll = sum(e[i] / s[i] + ls[i] for i in keep) / len(keep)
    return nll + lam * kl


dh, ls, dd = rn(2, 3, 4, scale=2.0), rn(2, 3, 4, scale=0.5), rn(2, 3, 4, scale=2.0)
mask = (torch.rand(2, 3, 4, generator=g) > 0.25).double()
cases += [
    case('error-distribution-kl-stereo', 'defaults, [2, 3, 4] with invalid pixels', sednet_ref, [dh, ls, dd, mask]),
    case('error-distribution-kl-stereo', 'log bins, 7 bins, inliers 1, lambda 0.5',
         lambda a, b, c, m: sednet_ref(a, b, c, m, 7, 'log', 1.0, 0.5), [dh, ls, dd, mask],
         {'numBins': 7, 'binScale': 'log', 'inlierStd': 1, 'lamKl': 0.5}),
    case('error-distribution-kl-stereo', 'no inlier selection', lambda a, b, c, m: sednet_ref(a, b, c, m, inliers=0),
         [dh, ls, dd, mask], {'inlierStd': 0}),
]

# ---- voronoi-loss: Voronoi cells by nearest true atom in (beta1, a, b, sigma), then the D-loss, by loops -------
def voronoi_ref(b0, b1, a, b, s, tb0, tb1, ta, tb, ts, rbar=2.0):
    k, m = b0.shape[0], tb0.shape[0]
    with torch.no_grad():
        cells = []
        for i in range(k):
            best, bj = None, 0
            for j in range(m):
                d2 = float(((b1[i] - tb1[j]) ** 2).sum() + ((a[i] - ta[j]) ** 2).sum() + (b[i] - tb[j]) ** 2 + (s[i] - ts[j]) ** 2)
                if best is None or d2 < best:
                    best, bj = d2, j
            cells.append(bj)
    total = b0.sum() * 0
    for j in range(m):
        members = [i for i in range(k) if cells[i] == j]
        mass = sum((torch.exp(b0[i]) for i in members), b0.sum() * 0)
        total = total + (mass - torch.exp(tb0[j])).abs()
        r = 1.0 if len(members) == 1 else rbar
        for i in members:
            total = total + torch.exp(b0[i]) * (torch.norm(b1[i] - tb1[j]) ** r + torch.norm(a[i] - ta[j]) ** r
                                                + (b[i] - tb[j]).abs() ** r + (s[i] - ts[j]).abs() ** r)
    return total


def atoms(n, d):
    return [rn(n), rn(n, d), rn(n, d), rn(n), torch.rand(n, generator=g) + 0.5]


true = atoms(3, 2)
fitted = [t.clone() for t in true]
fitted = [torch.cat([t, t[:1]]) for t in fitted]  # atom 0 fitted twice: an over-fitted cell
fitted = [t + 0.2 * torch.randn(t.shape, generator=g) for t in fitted]
fitted[4] = fitted[4].abs() + 0.1
cases += [
    case('voronoi-loss', 'K = 4 near M = 3 true atoms (one over-fitted cell)', voronoi_ref, fitted + true),
    case('voronoi-loss', 'over-fitted exponent 4', lambda *x: voronoi_ref(*x, rbar=4.0), fitted + true, {'overfitExponent': 4}),
    case('voronoi-loss', 'random atoms, K = 5, M = 3 (empty cells possible)', voronoi_ref, atoms(5, 2) + atoms(3, 2)),
]

# ---- srl-enveloping-homogeneity: yilei-wu/imbalanced-regression gaussian.py (uniformity_loss, smooth_loss) ------
def srl_ref(c, u, alpha=1.0, beta=0.1, lam=1.0):
    t, k = c.shape[0], u.shape[0]
    cn = [c[i] / torch.norm(c[i]) for i in range(t)]
    un = [u[j] / torch.norm(u[j]) for j in range(k)]
    env = 1 - sum(torch.max(torch.stack([torch.dot(cn[i], un[j]) for i in range(t)])) for j in range(k)) / k
    lengths = torch.stack([torch.norm(c[i + 1] - c[i]) for i in range(t - 1)])
    mean = lengths.sum() / (t - 1)
    var = ((lengths - mean) ** 2).sum() / (t - 2)
    return env + lam * (alpha * lengths.sum() + beta * var)


c, u = rn(6, 3), rn(10, 3)
cases += [
    case('srl-enveloping-homogeneity', 'T = 6 surrogates, 10 directions, defaults', srl_ref, [c, u]),
    case('srl-enveloping-homogeneity', 'alpha 0.5, beta 2, lambda 0.3', lambda a, b: srl_ref(a, b, 0.5, 2.0, 0.3), [c, u],
         {'alpha': 0.5, 'beta': 2, 'lambda': 0.3}),
]

# ---- aas-minmax: E_p[r^2] - beta * int |grad p|^2, the integral as E_p[p |grad log p|^2], by loops -------------
def aas_ref(r, logp, glogp, beta=1.0):
    n = r.shape[0]
    first = sum(r[i] ** 2 for i in range(n)) / n
    reg = sum(torch.exp(logp[i]) * sum(glogp[i, d] ** 2 for d in range(glogp.shape[1])) for i in range(n)) / n
    return first - beta * reg


r, lp, gl = rn(7), rn(7, scale=0.5) - 1, rn(7, 2)
cases += [
    case('aas-minmax', 'N = 7, D = 2, defaults', aas_ref, [r, lp, gl]),
    case('aas-minmax', 'beta 0.25', lambda a, b, c: aas_ref(a, b, c, 0.25), [r, lp, gl], {'beta': 0.25}),
]

# ---- angle-summation-loss: unsigned angle sums by acos, per point, per polygon --------------------------------
def angle_sum_ref(p, poly):
    total = p.sum() * 0
    n = poly.shape[0]
    for i in range(n):
        a, b = poly[i] - p, poly[(i + 1) % n] - p
        total = total + torch.acos(torch.dot(a, b) / (torch.norm(a) * torch.norm(b)))
    return total


def asl_ref(pred, gt, symmetric=True, reduction='mean'):
    out = []
    for k in range(pred.shape[0]):
        v = sum(torch.relu(2 * math.pi - angle_sum_ref(pred[k, i], gt[k])) for i in range(pred.shape[1])) / pred.shape[1]
        if symmetric:
            v = v + sum(torch.relu(2 * math.pi - angle_sum_ref(gt[k, i], pred[k])) for i in range(gt.shape[1])) / gt.shape[1]
        out.append(v)
    out = torch.stack(out)
    return {'mean': out.mean(), 'sum': out.sum(), 'none': out}[reduction]


square = torch.tensor([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]])
pent = torch.stack([torch.tensor([math.cos(2 * math.pi * i / 5), math.sin(2 * math.pi * i / 5)]) for i in range(5)]) * 1.5 + 1
gts = torch.stack([square, pent[:4]])
preds = torch.stack([square + rn(4, 2, scale=0.6), pent[1:] + rn(4, 2, scale=0.6)])
cases += [
    case('angle-summation-loss', 'quadrilaterals, symmetric', asl_ref, [preds, gts]),
    case('angle-summation-loss', 'prediction vs a pentagon, one-sided, none', lambda a, b: asl_ref(a, b, False, 'none'),
         [rn(2, 6, 2, scale=1.5) + 1, torch.stack([pent, pent * 0.5])], {'symmetric': False, 'reduction': 'none'}),
]

# ---- raf-loss: soft Dice + BCE on the 3x3 morphological boundary band + sigmoid focal, per mask, by loops ----------
def raf_ref(z, gt, l1=1.0, l2=1.0, l3=1.0, alpha=0.25, gamma=2.0, smooth=1.0, reduction='mean'):
    n, h, w = z.shape
    out = []
    for k in range(n):
        p = torch.sigmoid(z[k])
        region = 1 - (2 * (p * gt[k]).sum() + smooth) / (p.sum() + gt[k].sum() + smooth)
        bnd_num, bnd_den, focal = z.sum() * 0, 0.0, z.sum() * 0
        for i in range(h):
            for j in range(w):
                win = [float(gt[k, a, b]) for a in range(max(i - 1, 0), min(i + 2, h)) for b in range(max(j - 1, 0), min(j + 2, w))]
                band = max(win) - min(win)
                y = float(gt[k, i, j])
                bce = -(y * F.logsigmoid(z[k, i, j]) + (1 - y) * F.logsigmoid(-z[k, i, j]))
                bnd_num = bnd_num + band * bce
                bnd_den += band
                pt = torch.sigmoid(z[k, i, j]) if y == 1 else 1 - torch.sigmoid(z[k, i, j])
                at = alpha if y == 1 else 1 - alpha
                focal = focal + at * (1 - pt) ** gamma * bce
        out.append(l1 * region + l2 * bnd_num / max(bnd_den, 1.0) + l3 * focal / (h * w))
    out = torch.stack(out)
    return {'mean': out.mean(), 'sum': out.sum(), 'none': out}[reduction]


zz = rn(3, 5, 6, scale=2.0)
gg = torch.zeros(3, 5, 6)
gg[0, 1:4, 2:5] = 1
gg[1, 0:2, 0:6] = 1
gg[1, 4, 5] = 1
cases += [
    case('raf-loss', 'three masks (one empty), defaults', lambda a, b: raf_ref(a, b.detach()), [zz, gg]),  # no gradient to the binary target
    case('raf-loss', 'weights 0.5/2/1.5, alpha 0.6, gamma 1, smooth 0.1, none',
         lambda a, b: raf_ref(a, b.detach(), 0.5, 2.0, 1.5, 0.6, 1.0, 0.1, 'none'), [zz, gg],
         {'l1': 0.5, 'l2': 2, 'l3': 1.5, 'alpha': 0.6, 'gamma': 1, 'smooth': 0.1, 'reduction': 'none'}),
]

# ---- uniseg-class-relationship-loss: targets 1 / 0 / -1 (null) per class, BCE over non-null classes, loops -------
def uniseg_ref(z, y, rel, ignore=-100, reduction='mean'):
    n, c = z.shape[0], z.shape[1]
    spatial = list(z.shape[2:])
    zf = z.reshape(n, c, -1)
    yf = y.reshape(n, -1)
    vals = torch.zeros(n, yf.shape[1])
    labelled = 0
    for k in range(n):
        for i in range(yf.shape[1]):
            lab = int(yf[k, i])
            if lab == ignore:
                continue
            labelled += 1
            for cc in range(c):
                tgt = 1.0 if cc == lab else (-1.0 if rel[lab, cc] == 1 else 0.0)
                if tgt == -1.0:
                    continue
                vals[k, i] = vals[k, i] + F.binary_cross_entropy_with_logits(zf[k, cc, i], torch.tensor(tgt))
    if reduction == 'none':
        return vals.reshape([n] + spatial)
    return vals.sum() / labelled if reduction == 'mean' else vals.sum()


zu = rn(2, 4, 3, 3, scale=2.0)
yu = torch.randint(0, 4, (2, 3, 3), generator=g)
yu[0, 0, 0] = -100
yu[1, 2, 1] = -100
rel = torch.tensor([[1, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]).double()
cases += [
    case('uniseg-class-relationship-loss', 'C = 4 on 3 x 3, two unlabelled pixels',
         lambda a, b, r: uniseg_ref(a, b, r.detach()), [zu, yu, rel], {'ignoreIndex': -100}),
    case('uniseg-class-relationship-loss', 'reduction none, ignoreIndex 3',
         lambda a, b, r: uniseg_ref(a, torch.where(b == -100, torch.zeros_like(b), b), r.detach(), 3, 'none'),
         [zu, torch.where(yu == -100, torch.zeros_like(yu), yu), rel], {'ignoreIndex': 3, 'reduction': 'none'}),
]

# ---- betti-matching: persistence by Z/2 boundary-matrix reduction (not union-find), image persistence by reducing the
# comparison image's boundary columns against the prediction's row order (Cohen-Steiner et al. 2009, Bauer & Schmahl
# 2022), induced matchings by equal birth (to the image) and equal death (from the image) (Bauer & Lesnick 2015).
VERTEX_ORDER = [(-1, -1), (-1, 1), (1, -1), (1, 1)]
EDGE_ORDER = [(-1, 0), (0, -1), (1, 0), (0, 1)]


def cell_order(vals, h, w):
    """Cells of the T-construction sorted by (-value of the cell's first pixel, dim, that pixel's row-major index, local
    position): super-level filtration with each face taking the largest value of its pixels, ties row-major."""
    keyed = []
    for r in range(2 * h + 1):
        for c in range(2 * w + 1):
            pix = [(i, j) for i in range(h) for j in range(w) if abs(r - 2 * i - 1) <= 1 and abs(c - 2 * j - 1) <= 1]
            i, j = min(pix, key=lambda q: (-vals[q[0]][q[1]], q[0] * w + q[1]))
            dim = (r % 2) + (c % 2)
            rel = (r - 2 * i - 1, c - 2 * j - 1)
            local = VERTEX_ORDER.index(rel) if dim == 0 else (EDGE_ORDER.index(rel) if dim == 1 else 0)
            keyed.append(((-vals[i][j], dim, i * w + j, local), (r, c), (i, j), dim))
    keyed.sort()
    index = {cell: k for k, (_, cell, _, _) in enumerate(keyed)}
    return index, [(cell, pix, dim) for (_, cell, pix, dim) in keyed]


def faces(r, c):
    if r % 2 == 1 and c % 2 == 1:
        return [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]
    if r % 2 == 1:
        return [(r - 1, c), (r + 1, c)]
    if c % 2 == 1:
        return [(r, c - 1), (r, c + 1)]
    return []


def reduce_pairs(row_index, columns):
    """Standard column reduction over Z/2: columns (cells) in their order, rows keyed by row_index; (pivot row, column)."""
    pivot_of, reduced, out = {}, {}, []
    for k, (cell, _, dim) in enumerate(columns):
        if dim == 0:
            continue
        col = set(row_index[f] for f in faces(*cell))
        while col and max(col) in pivot_of:
            col ^= reduced[pivot_of[max(col)]]
        if col:
            pivot_of[max(col)] = k
            reduced[k] = col
            out.append((max(col), k))
    return out


def bars_of(vals, h, w):
    index, cells = cell_order(vals, h, w)
    value = lambda k: vals[cells[k][1][0]][cells[k][1][1]]
    bars = [[(0, math.inf)], []]
    for b, d in reduce_pairs(index, cells):
        if value(b) != value(d):
            bars[cells[b][2]].append((b, d))
    return index, cells, bars


def betti_matching_ref(pred, gt, dims=(0, 1), include_target=False, reduction='mean'):
    n, h, w = pred.shape
    out = []
    for k in range(n):
        pv, gv = pred[k].tolist(), gt[k].tolist()
        cv = [[max(pv[i][j], gv[i][j]) for j in range(w)] for i in range(h)]
        ip, cp, barp = bars_of(pv, h, w)
        ig, cg, barg = bars_of(gv, h, w)
        _, cc, barc = bars_of(cv, h, w)

        def induced(row_index, row_cells, own):
            image = [[(0, math.inf)], []]
            for a, b in reduce_pairs(row_index, cc):
                image[row_cells[a][2]].append((a, b))
            match = [{}, {}]
            for d in (0, 1):
                for a, b in image[d]:
                    x = [bar for bar in own[d] if bar[0] == a]
                    y = [bar for bar in barc[d] if bar[1] == b]
                    if x and y:
                        match[d][y[0]] = x[0]
            return match

        mp, mg = induced(ip, cp, barp), induced(ig, cg, barg)
        at_p = lambda cells, idx: pred[k][cells[idx][1]] if idx != math.inf else pred.sum() * 0
        at_g = lambda idx: gt[k][cg[idx][1]].detach() if idx != math.inf else torch.tensor(0.0)
        loss = pred.sum() * 0
        for d in dims:
            used_p, used_g = set(), set()
            for cbar, pbar in mp[d].items():
                if cbar in mg[d]:
                    gbar = mg[d][cbar]
                    loss = loss + 2 * ((at_p(cp, pbar[0]) - at_g(gbar[0])) ** 2 + (at_p(cp, pbar[1]) - at_g(gbar[1])) ** 2)
                    used_p.add(pbar)
                    used_g.add(gbar)
            for bar in barp[d]:
                if bar not in used_p:
                    loss = loss + (at_p(cp, bar[0]) - at_p(cp, bar[1])) ** 2
            if include_target:
                for bar in barg[d]:
                    if bar not in used_g:
                        loss = loss + (at_g(bar[0]) - at_g(bar[1])) ** 2
        out.append(loss)
    out = torch.stack(out)
    return {'mean': out.mean(), 'sum': out.sum(), 'none': out}[reduction]


# Hand-derived: two 1-pixel blobs (P 0.9 and 0.8 bridged at 0.2) against two unit blobs; the second blob's bar (0.8, 0.2)
# matches G's (1, 0), the essential bars match: 2(0.9 - 1)^2 + 2[(0.8 - 1)^2 + 0.2^2] = 0.18.
blobs_p, blobs_g = torch.tensor([[[0.9, 0.2, 0.8]]]), torch.tensor([[[1.0, 0.0, 1.0]]])
assert abs(float(betti_matching_ref(blobs_p, blobs_g)) - 0.18) < 1e-12
# Hand-derived: a ring (0.9, one pixel 0.8) around a 0.3 centre against a unit ring: the hole (0.8, 0.3) matches G's
# (1, 0), the essential bars 0.9 and 1: 2[(0.8 - 1)^2 + 0.3^2] + 2(0.9 - 1)^2 = 0.28.
ring_p = torch.tensor([[[0.9, 0.9, 0.9], [0.9, 0.3, 0.9], [0.9, 0.8, 0.9]]])
ring_g = torch.tensor([[[1.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]])
assert abs(float(betti_matching_ref(ring_p, ring_g)) - 0.28) < 1e-12

gt_maps = torch.zeros(3, 6, 7)
gt_maps[0, 1:5, 1:6] = 1
gt_maps[0, 2:4, 3] = 0          # a blob with a hole
gt_maps[1, 0:2, 0:2] = 1
gt_maps[1, 3:6, 4:7] = 1        # two blobs
gt_maps[1, 4, 5] = 0
gt_maps[2, :, 3] = 1            # a line
noisy = (0.7 * gt_maps + 0.3 * torch.rand(3, 6, 7, generator=g)).clamp(0, 1)
cases += [
    case('betti-matching', 'hand-derived: two blobs, 0.18', lambda a, b: betti_matching_ref(a, b.detach()), [blobs_p, blobs_g]),
    case('betti-matching', 'hand-derived: ring with a hole, 0.28', lambda a, b: betti_matching_ref(a, b.detach()), [ring_p, ring_g]),
    case('betti-matching', 'noisy masks 6 x 7 (hole, two blobs, line)', lambda a, b: betti_matching_ref(a, b.detach(), reduction='none'),
         [noisy, gt_maps], {'reduction': 'none'}),
    case('betti-matching', 'random likelihoods, dimension 1 only, unmatched target included',
         lambda a, b: betti_matching_ref(a, b.detach(), (1,), True, 'sum'), [torch.rand(3, 6, 7, generator=g), gt_maps],
         {'dimensions': [1], 'includeUnmatchedTarget': True, 'reduction': 'sum'}),
    case('betti-matching', 'random likelihoods, dimension 0 only', lambda a, b: betti_matching_ref(a, b.detach(), (0,)),
         [torch.rand(3, 6, 7, generator=g), gt_maps], {'dimensions': [0]}),
]

write('s19_regression_segmentation', cases)
