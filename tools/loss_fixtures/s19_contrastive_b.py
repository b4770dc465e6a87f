"""Group g4 (contrastive/self-supervised, b; and one distillation entry): Hydra gated contrastive, PAMC, VISTA alignment,
MINT keypoint entropy losses, LVM-Med graph matching, landmark KD-Loss. Written as plain per-anchor / per-pair /
per-element loops in float64 from the authors' released code (cited in each section) and the papers, not from the
TypeScript entries: the references for those entries."""
import math
import torch
import torch.nn.functional as F
from common import case, write

g = torch.Generator().manual_seed(19)
cases = []


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=g) * scale


def ru(*shape):
    return torch.rand(*shape, generator=g)


def unit(x):
    n = torch.sqrt((x * x).sum())
    return x / n if float(n) > 0 else x * 0


def cos(a, b):
    return (unit(a) * unit(b)).sum()


# ---- Hydra / SimLAP (erow/vitookit: disparate_loss + multipos_ce_loss) ------------------------------------------------
def hydra_ref(z, y, yp, gl, tau=0.1):
    n = z.shape[0]
    total, count = z.sum() * 0, 0
    for i in range(n):
        gate = torch.sigmoid(gl[i])
        u = unit(z[i] * gate)
        s = [(u * unit(z[m] * gate)).sum() / tau for m in range(n)]
        negs = [m for m in range(n) if int(y[m]) != int(y[i]) and int(y[m]) != int(yp[i])]
        for p in range(n):
            if int(y[p]) != int(yp[i]):
                continue
            denom = torch.exp(s[p]) + sum((torch.exp(s[m]) for m in negs), z.sum() * 0)
            total = total + torch.log(denom) - s[p]
            count += 1
    return total / count if count else total


z, gl = rn(6, 4), rn(6, 4)
y = torch.tensor([0, 1, 2, 0, 1, 3], dtype=torch.int32)
cases += [
    case('hydra-gated-contrastive', 'shuffled partners, tau 0.1', hydra_ref, [z, y, torch.tensor([1, 0, 0, 3, 2, 1], dtype=torch.int32), gl]),
    case('hydra-gated-contrastive', 'identical partners (self pairs), tau 0.5', lambda a, b, c, d: hydra_ref(a, b, c, d, 0.5),
         [z, y, y.clone(), gl], {'tau': 0.5}),
    case('hydra-gated-contrastive', 'two classes: an anchor without negatives', hydra_ref,
         [rn(4, 3), torch.tensor([0, 1, 0, 1], dtype=torch.int32), torch.tensor([1, 1, 0, 0], dtype=torch.int32), rn(4, 3)]),
]


# ---- PAMC (gayanku/PAMC: NcontrastCC, get_feature_dis, hard meta-node pooling) --------------------------------------
def pamc_ref(z, c, a, tau=1.0, hard=True):
    n, k = c.shape
    a = a.detach()  # the graph is data
    pos = []
    for i in range(n):
        acc = z.sum() * 0
        for j in range(n):
            sij = cos(z[i], z[j]) if i != j else z.sum() * 0
            acc = acc + a[i, j] * torch.exp(tau * sij)
        pos.append(torch.log(acc + 1e-10))
    if hard:
        lab = [int(v) for v in c.detach().argmax(1)]
        metas = [sum((z[i] for i in range(n) if lab[i] == q), z[0] * 0) for q in range(k) if q in lab]
    else:
        metas = [sum((c[i, q] * z[i] for i in range(n)), z[0] * 0) for q in range(k)]
    neg = []
    for p in range(len(metas)):
        acc = z.sum() * 0
        for q in range(len(metas)):
            m = cos(metas[p], metas[q]) if p != q else z.sum() * 0
            acc = acc + torch.exp(tau * m)
        neg.append(torch.log(acc + 1e-10))
    return -sum(pos) / n + sum(neg) / len(neg)


z = rn(7, 3)
c = torch.softmax(rn(7, 4, scale=2.0), 1)
c[:, 3] = c[:, 3] * 0.01  # cluster 3 never wins the argmax: an empty meta-node
c = c / c.sum(1, keepdim=True)
adj = (ru(7, 7) < 0.45).double() * (0.5 + ru(7, 7))
adj[2] = 0  # a node without neighbours: log(1e-10)
cases += [
    case('pamc', 'hard meta-nodes (one cluster empty), tau 1', pamc_ref, [z, c, adj]),
    case('pamc', 'hard, tau 2.5', lambda a, b, d: pamc_ref(a, b, d, 2.5), [z, c, adj], {'tau': 2.5}),
    case('pamc', 'soft meta-nodes (M = C^T Z), tau 0.5', lambda a, b, d: pamc_ref(a, b, d, 0.5, False), [z, c, adj], {'tau': 0.5, 'hard': False}),
]


# ---- VISTA (zzjweb/digitalhuman VISTA/.../modeling_llama.py: method 'l2' / 'cosine') ---------------------------------
def vista_ref(v, e, mask=None, method='l2', reduction='mean'):
    n, t, _ = e.shape
    out = []
    for i in range(n):
        toks = [e[i, s] for s in range(t) if mask is None or bool(mask[i, s])]
        tl = len(toks)
        acc = v.sum() * 0
        for r, tok in enumerate(toks, start=1):
            if method == 'l2':
                acc = acc + (r / tl) * ((v[i] - tok) ** 2).mean()
            else:
                acc = acc + r * cos(v[i], tok)
        out.append(acc / tl if method == 'l2' else -acc / tl)
    vals = torch.stack(out)
    return {'mean': vals.mean(), 'sum': vals.sum(), 'none': vals}[reduction]


vis, txt = rn(3, 4), rn(3, 5, 4)
mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [0, 1, 1, 0, 1]], dtype=torch.bool)
cases += [
    case('vista-mi-alignment', 'l2 (default), masked lengths', lambda a, b, m: vista_ref(a, b, m), [vis, txt, mask]),
    case('vista-mi-alignment', 'cosine, masked, none', lambda a, b, m: vista_ref(a, b, m, 'cosine', 'none'), [vis, txt, mask],
         {'method': 'cosine', 'reduction': 'none'}),
    case('vista-mi-alignment', 'l2 without a mask, sum', lambda a, b, m: vista_ref(a, b, None, 'l2', 'sum'), [vis, txt, None], {'reduction': 'sum'}),
]


# ---- MINT keypoint entropy losses (the authors' MINT module) -------------------------------------------------------
def mint_ref(gauss, coords, ent, status=None, thr=0.1, scale=3.5, kappa=0.9, mw=1.0, beta=4.0,
             w_me=100.0, w_ce=100.0, w_it=20.0, w_s=10.0, w_o=30.0, reduction='mean'):
    n, t, k, _, _ = gauss.shape
    ent = ent.detach()
    act = status if status is not None else torch.ones(n, t, k)
    patch = [[[torch.clamp(scale * torch.relu(gauss[a, b, q] - thr), 0, 1) for q in range(k)] for b in range(t)] for a in range(n)]
    area = sum(patch[a][b][q].sum() for a in range(n) for b in range(t) for q in range(k)) / (n * t * k)
    out = []
    for a in range(n):
        frames = []
        for b in range(t):
            pb = (b - 1) % t  # the previous frame; the first frame's is the last (torch.roll)
            hy, hx = ent[a, b], ent[a, pb]
            cond = torch.maximum(hy, hx) - hx
            ki = [act[a, b, q] * patch[a][b][q] for q in range(k)]
            ki_prev = [act[a, pb, q] * patch[a][pb][q] for q in range(k)]
            union = torch.clamp(sum(ki), 0, 1)
            lme = (hy - hy * union).sum() / (hy.sum() + 1e-10)
            lce = (cond - cond * union).sum() / (cond.sum() + 1e-10) if b > 0 else hy.sum() * 0
            move = sum(torch.sqrt(((coords[a, b, q] - coords[a, pb, q]) ** 2).sum()) * act[a, b, q] * act[a, pb, q] for q in range(k))
            recon = 0
            for q in range(k):
                r = hx * (1 - ki[q]) * (1 - ki_prev[q]) + hy * ki[q] + kappa * cond * (1 - ki[q])
                mi = r + hy - torch.maximum(r, hy)
                recon = recon + (hy.sum() - mi.sum()) / area
            lit = recon / k + mw * move
            ls = sum(act[a, b, q] for q in range(k)) / k
            lo = torch.clamp(sum(gauss[a, b, q] for q in range(k)).max() - beta, min=0) / k
            frames.append(w_me * lme + w_ce * lce + w_it * lit + w_o * lo + (1 - lme) * w_s * ls)
        out.append(sum(frames) / t)
    vals = torch.stack(out)
    return {'mean': vals.mean(), 'sum': vals.sum(), 'none': vals}[reduction]


gauss = ru(2, 3, 3, 4, 5) * 0.3  # patches stay below the clamp at 1 (no boundary ties)
coords, ent, status = rn(2, 3, 3, 2), ru(2, 3, 4, 5) * 2, 0.1 + 0.8 * ru(2, 3, 3)
cases += [
    case('keypoint-entropy-losses', 'defaults', lambda a, b, c, d: mint_ref(a, b, c, d), [gauss, coords, ent, status]),
    case('keypoint-entropy-losses', 'overlap active (beta 0.5), kappa 0.5, threshold 0.05, none',
         lambda a, b, c, d: mint_ref(a, b, c, d, thr=0.05, kappa=0.5, beta=0.5, reduction='none'), [gauss, coords, ent, status],
         {'beta': 0.5, 'kappa': 0.5, 'threshold': 0.05, 'reduction': 'none'}),
    case('keypoint-entropy-losses', 'no status (all active), unit weights, movement 0.3',
         lambda a, b, c, d: mint_ref(a, b, c, None, mw=0.3, w_me=1, w_ce=1, w_it=1, w_s=1, w_o=1, beta=0.6), [gauss, coords, ent, None],
         {'movementWeight': 0.3, 'maskedEntropyWeight': 1, 'conditionalEntropyWeight': 1, 'transportWeight': 1, 'statusWeight': 1,
          'overlapWeight': 1, 'beta': 0.6}),
]


# ---- LVM-Med: kNN graphs, node + edge affinities, graduated assignment with log-domain Sinkhorn ----------------------
def sinkhorn_ref(x, sweeps):
    n = len(x)
    lp = [[x[i][j] for j in range(n)] for i in range(n)]
    for _ in range(sweeps):
        for i in range(n):
            s = torch.logsumexp(torch.stack(lp[i]), 0)
            lp[i] = [v - s for v in lp[i]]
        for j in range(n):
            s = torch.logsumexp(torch.stack([lp[i][j] for i in range(n)]), 0)
            for i in range(n):
                lp[i][j] = lp[i][j] - s
    return lp


def knn_ref(z, k):
    n = z.shape[0]
    adj = [[0.0] * n for _ in range(n)]
    for i in range(n):
        sims = sorted(((float(cos(z[i], z[j])), j) for j in range(n) if j != i), reverse=True)
        for _, j in sims[:k]:
            adj[i][j] = 1.0
    return adj


def lvm_ref(z1, z2, k=3, lam=1.0, tau=0.05, sweeps=20, rounds=3, reduction='mean'):
    n = z1.shape[0]
    k = min(k, n - 1)
    u = [[cos(z1[i], z2[j]) for j in range(n)] for i in range(n)]
    lp = sinkhorn_ref([[u[i][j] / tau for j in range(n)] for i in range(n)], sweeps)
    if k > 0 and lam > 0 and rounds > 0:
        a1, a2 = knn_ref(z1.detach(), k), knn_ref(z2.detach(), k)
        w = {}
        for i in range(n):
            for p in range(n):
                if not a1[i][p]:
                    continue
                for j in range(n):
                    for q in range(n):
                        if a2[j][q]:
                            w[(i, p, j, q)] = cos(z1[i] - z1[p], z2[j] - z2[q])
        for _ in range(rounds):
            quad = [[sum((v * torch.exp(lp[p][q]) for (i2, p, j2, q), v in w.items() if i2 == i and j2 == j), z1.sum() * 0)
                     for j in range(n)] for i in range(n)]
            lp = sinkhorn_ref([[(u[i][j] + lam / k * quad[i][j]) / tau for j in range(n)] for i in range(n)], sweeps)
    vals = torch.stack([-lp[i][i] for i in range(n)])
    return {'mean': vals.mean(), 'sum': vals.sum(), 'none': vals}[reduction]


z1 = rn(5, 3)
z2 = z1 + rn(5, 3, scale=0.6)
cases += [
    case('lvm-med-graph-matching', 'defaults (k 3, lambda 1, tau 0.05, 20 sweeps, 3 rounds)', lvm_ref, [z1, z2]),
    case('lvm-med-graph-matching', 'k 2, lambda 0.5, tau 0.2, 10 sweeps, 2 rounds, none',
         lambda a, b: lvm_ref(a, b, 2, 0.5, 0.2, 10, 2, 'none'), [z1, z2],
         {'k': 2, 'lambda': 0.5, 'tau': 0.2, 'sinkhornIters': 10, 'rounds': 2, 'reduction': 'none'}),
    case('lvm-med-graph-matching', 'first order only (rounds 0), tau 0.1, sum', lambda a, b: lvm_ref(a, b, 3, 1.0, 0.1, 20, 0, 'sum'), [z1, z2],
         {'rounds': 0, 'tau': 0.1, 'reduction': 'sum'}),
]


# ---- Landmark KD-Loss (aliprf/KD-Loss custom_Losses.py kd_loss; weights of student_train.py / main.py) -------------
def sgn(x):
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


def kd_ref(ps, gt, tou, tol, w_main=2.0, w_tou=1.0, w_tol=1.0, a_tou=1.9, a_tou_in=-0.45, a_tol=1.8, a_tol_in=-0.4, beta=0.15,
           reduction='mean'):
    gt, tou, tol = gt.detach(), tou.detach(), tol.detach()
    rows = []
    for i in range(ps.shape[0]):
        row = []
        for d in range(ps.shape[1]):
            p, g0 = ps[i, d], float(gt[i, d])
            s = sgn(float(p) - g0)
            terms = []
            for t0, a_out, a_in in ((float(tou[i, d]), a_tou, a_tou_in), (float(tol[i, d]), a_tol, a_tol_in)):
                t = g0 + s * abs(t0 - g0)
                b = g0 + s * abs(t - g0) * beta
                wmap = (a_out if sgn(float(p) - t) * sgn(t - g0) > 0 else 0.0) + (a_in if sgn(t - float(p)) * sgn(float(p) - b) >= 0 else 0.0)
                terms.append((t, wmap))
            (t_tou, m_tou), (t_tol, m_tol) = terms
            err, tol_err = abs(g0 - float(p)), abs(g0 - t_tol)
            main = 3 * torch.abs(g0 - p) if err <= tol_err else (g0 - p) ** 2 + 3 * tol_err - tol_err ** 2
            row.append(w_main * main + w_tou * m_tou * torch.abs(t_tou - p) + w_tol * m_tol * torch.abs(t_tol - p))
        rows.append(torch.stack(row))
    vals = torch.stack(rows)
    return {'mean': vals.mean(), 'sum': vals.sum(), 'none': vals}[reduction]


gt = rn(4, 6)
ps, tou, tol = gt + rn(4, 6, scale=0.5), gt + rn(4, 6, scale=0.3), gt + rn(4, 6, scale=0.6)
cases += [
    case('landmark-kd-aloss', 'authors\' weights', kd_ref, [ps, gt, tou, tol]),
    case('landmark-kd-aloss', 'custom weights, beta 0.4, sum',
         lambda a, b, c, d: kd_ref(a, b, c, d, 1.0, 0.5, 2.0, 1.2, -0.2, 0.7, 0.1, 0.4, 'sum'), [ps, gt, tou, tol],
         {'mainWeight': 1, 'toughWeight': 0.5, 'tolerantWeight': 2, 'alphaTough': 1.2, 'alphaToughInner': -0.2, 'alphaTolerant': 0.7,
          'alphaTolerantInner': 0.1, 'beta': 0.4, 'reduction': 'sum'}),
    case('landmark-kd-aloss', 'none', lambda a, b, c, d: kd_ref(a, b, c, d, reduction='none'), [ps, gt, tou, tol], {'reduction': 'none'}),
]

write('s19_contrastive_b', cases)
