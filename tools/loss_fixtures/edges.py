"""PyTorch float64 references at the edges where a rewritten form goes wrong (issue 9, item 6), and the NLL
entries of the spherical and Taylor softmax normalisers. Run with Debian's /usr/bin/python3 (torch 1.13).

- sparsemax-loss with a target class sitting exactly on the support threshold τ: the true loss is C¹ there and its
  gradient is sparsemax(z) − q (Martins & Astudillo 2016, prop. 2); a form with relu kinks at z = τ gives 0 for it.
  The reference is the paper's −q·z + ½ Σ_S (z² − τ²) + ½‖q‖², differentiated by torch.
- harmonic-loss with a sample within 1e-4 of a non-target centre of norm ~10: the squared distance from the
  direct difference; the expanded ‖x‖² + ‖w‖² − 2x·w loses ~1e-5 of it there.
- spherical-softmax-loss and taylor-softmax-loss: log Σ t − log t_y.
"""
import math
import torch
import torch.nn.functional as F
from common import case, sparsemax_loss_ref, write

g = torch.Generator().manual_seed(9)
cases = []


# ---- sparsemax-loss on the threshold ---------------------------------------------------------------------------------
# (sparsemax_loss_ref, the paper's form, in common.py)
onehot = lambda y, c: F.one_hot(y, c).to(torch.float64)
t = lambda rows: torch.tensor(rows, dtype=torch.float64)
idx = lambda rows: torch.tensor(rows)
cases += [
    # The example: z = [1, 0], τ = 0, target 1 on τ: gradient sparsemax(z) − q = [1, −1].
    case('sparsemax-loss', 'target on the threshold: z = [1, 0], class 1', lambda z, y: sparsemax_loss_ref(z, onehot(y, 2), 'none'),
         [t([[1.0, 0.0]]), idx([1])], {'reduction': 'none'}),
    # z = [2, 1, 0]: τ = 1, class 1 on τ, class 2 below it; every row of a batch on its own threshold.
    case('sparsemax-loss', 'targets on the threshold, three classes', lambda z, y: sparsemax_loss_ref(z, onehot(y, 3), 'sum'),
         [t([[2.0, 1.0, 0.0], [0.5, -0.5, 1.5], [3.0, 3.0, 1.0]]), idx([1, 0, 2])], {'reduction': 'sum'}),
    # A soft target with mass on the threshold class.
    case('sparsemax-loss', 'soft target with mass on the threshold', lambda z, q: sparsemax_loss_ref(z, q),
         [t([[1.0, 0.0, -2.0], [2.0, 1.0, 0.0]]), t([[0.5, 0.5, 0.0], [0.25, 0.5, 0.25]])]),
]


# ---- harmonic-loss near a non-target centre ------------------------------------------------------------------------
def harmonic_ref(xf, y, W, n=None, eps=1e-8, reduction='mean'):
    n = math.sqrt(xf.shape[1]) if n is None else n
    sq = ((xf[:, None, :] - W[None, :, :]) ** 2).sum(-1)
    return F.cross_entropy(-n * 0.5 * torch.log(sq + eps), y, reduction=reduction)


W = torch.randn(3, 4, generator=g) * 10
near = torch.stack([W[2] + 1e-4 * torch.randn(4, generator=g), W[1] + 3e-5 * torch.randn(4, generator=g), torch.randn(4, generator=g)])
y = idx([0, 2, 1])
cases += [
    case('harmonic-loss', 'samples within 1e-4 of a non-target centre of norm ~10', harmonic_ref, [near, y, W]),
    case('harmonic-loss', 'near a non-target centre, eps 1e-12, none', lambda a, b, c: harmonic_ref(a, b, c, eps=1e-12, reduction='none'),
         [near, y, W], {'eps': 1e-12, 'reduction': 'none'}),
]


# ---- NLL of the spherical and Taylor softmax -------------------------------------------------------------------------
def spherical_nll(o, y, eps=1e-6, reduction='mean'):
    s = o ** 2 + eps
    values = s.sum(1).log() - s.gather(1, y[:, None]).squeeze(1).log()
    return {'mean': values.mean(), 'sum': values.sum(), 'none': values}[reduction]


def taylor_nll(o, y, reduction='mean'):
    s = 1 + o + o ** 2 / 2
    values = s.sum(1).log() - s.gather(1, y[:, None]).squeeze(1).log()
    return {'mean': values.mean(), 'sum': values.sum(), 'none': values}[reduction]


o = torch.randn(4, 5, generator=g) * 2
yo = idx([0, 4, 2, 2])
big = t([[1e4, -1e4, 5e3], [-1e4, 1e4, 0.0]])
cases += [
    case('spherical-softmax-loss', 'mean', spherical_nll, [o, yo]),
    case('spherical-softmax-loss', 'eps 0, none', lambda a, b: spherical_nll(a, b, 0.0, 'none'), [o, yo], {'eps': 0, 'reduction': 'none'}),
    case('spherical-softmax-loss', 'outputs of ±1e4, sum', lambda a, b: spherical_nll(a, b, reduction='sum'), [big, idx([0, 2])], {'reduction': 'sum'}),
    case('spherical-softmax-loss', 'one class', spherical_nll, [o[:, :1], idx([0, 0, 0, 0])]),
    case('taylor-softmax-loss', 'mean', taylor_nll, [o, yo]),
    case('taylor-softmax-loss', 'none', lambda a, b: taylor_nll(a, b, 'none'), [o, yo], {'reduction': 'none'}),
    case('taylor-softmax-loss', 'outputs of ±1e4, sum', lambda a, b: taylor_nll(a, b, 'sum'), [big, idx([0, 2])], {'reduction': 'sum'}),
]

write('edges', cases)
