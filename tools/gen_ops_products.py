#!/usr/bin/python3
"""Fixtures for distances, products and pooling (ops-products.json): cdist, cosineSimilarity,
pairwiseDistance, einsum, mm, bmm, baddbmm, kron, maxPool2d, avgPool2d, adaptiveAvgPool2d.

Run with Debian's python (torch 1.13):  /usr/bin/python3 tools/gen_ops_products.py

Inputs stay away from kinks (|difference components| and the gap between the largest and second
largest |difference| ≥ 0.05 for cdist / pairwiseDistance, distinct window values for max pooling),
except the deliberate zero-distance and zero-vector rows.
"""
import torch
import torch.nn.functional as F

from opfix import *  # noqa: F401,F403 (samplers, case, write)

seed(8_1308)

_record = case


def case(name, op, inputs, fn, kwargs=None, grad=True):
    """opfix's case, with float inputs rounded to 4 significant digits (shorter JSON; the rounded values are the inputs torch sees)."""
    short = lambda x: torch.tensor([float(f'{v:.4g}') for v in x.reshape(-1).tolist()]).reshape(x.shape) if x.is_floating_point() else x
    _record(name, op, [short(x) for x in inputs], fn, kwargs, grad)


def spread(x1, x2, margin=0.05, pairwise=False, ties=True):
    """Asserts every difference component of x1 vs x2 is ≥ margin from 0 (and, with ties, the two largest |components| ≥ margin apart)."""
    diff = (x1 - x2) if pairwise else (x1.unsqueeze(-2) - x2.unsqueeze(-3))
    a = diff.abs()
    assert a.numel() == 0 or a.min() >= margin, 'a difference component is too close to 0'
    if ties and a.shape[-1] > 1 and a.numel():
        top = a.topk(2, -1).values
        assert (top[..., 0] - top[..., 1]).min() >= margin, 'the largest |difference| is tied'


def sample_pair(s1, s2, pairwise=False, ties=True):
    for _ in range(1000):
        x1, x2 = randn(*s1), randn(*s2)
        try:
            spread(x1, x2, pairwise=pairwise, ties=ties)
            return x1, x2
        except AssertionError:
            pass
    raise RuntimeError('could not sample a spread pair')


# ---- cdist ------------------------------------------------------------------------------------------
for p, tag in [(2.0, 'p2'), (1.0, 'p1'), (float('inf'), 'pinf'), (3.0, 'p3'), (0.5, 'p0_5'), (1.5, 'p1_5'), (0.0, 'p0')]:
    x1, x2 = sample_pair((3, 3), (4, 3))
    case(f'cdist_{tag}', 'cdist', [x1, x2], lambda a, b, p=p: torch.cdist(a, b, p=p), {'p': p})
x1, x2 = randn(2, 1, 2, 3), randn(3, 4, 3)  # p = 2 is smooth away from zero distance
case('cdist_batch_broadcast', 'cdist', [x1, x2], lambda a, b: torch.cdist(a, b), {})
x1, x2 = sample_pair((2, 3, 2), (2, 4, 2), ties=False)
case('cdist_batched_p1', 'cdist', [x1, x2], lambda a, b: torch.cdist(a, b, p=1.0), {'p': 1.0})
for p, tag in [(2.0, 'p2'), (1.0, 'p1'), (3.0, 'p3'), (0.5, 'p0_5')]:
    x1, x2 = sample_pair((3, 4), (2, 4), ties=False)
    x2 = torch.cat([x2[:1], x1[1:2], x2[1:]])  # x2's row 1 is x1's row 1: distance 0
    case(f'cdist_zero_distance_{tag}', 'cdist', [x1, x2], lambda a, b, p=p: torch.cdist(a, b, p=p), {'p': p})
case('cdist_empty', 'cdist', [randn(0, 3), randn(2, 3)], lambda a, b: torch.cdist(a, b), {})
case('cdist_no_features', 'cdist', [randn(2, 0), randn(3, 0)], lambda a, b: torch.cdist(a, b), {})

# ---- cosineSimilarity ---------------------------------------------------------------------------------
case('cosineSimilarity_dim1', 'cosineSimilarity', [randn(3, 5), randn(3, 5)], lambda a, b: F.cosine_similarity(a, b), {})
case('cosineSimilarity_broadcast', 'cosineSimilarity', [randn(2, 1, 4), randn(3, 4)], lambda a, b: F.cosine_similarity(a, b, dim=-1), {'dim': -1})
case('cosineSimilarity_dim0', 'cosineSimilarity', [randn(4, 3), randn(4, 3)], lambda a, b: F.cosine_similarity(a, b, dim=0), {'dim': 0})
case('cosineSimilarity_broadcast_dim', 'cosineSimilarity', [randn(1, 3), randn(4, 3)], lambda a, b: F.cosine_similarity(a, b, dim=0), {'dim': 0})
z1, z2 = randn(3, 4), randn(3, 4)
z1[0] = 0.0
z2[1] = 0.0
z1[2] = 0.0
z2[2] = 0.0
case('cosineSimilarity_zero_vectors', 'cosineSimilarity', [z1, z2], lambda a, b: F.cosine_similarity(a, b), {})
case('cosineSimilarity_zero_vectors_eps', 'cosineSimilarity', [z1, z2], lambda a, b: F.cosine_similarity(a, b, eps=0.1), {'eps': 0.1})
# ‖x1‖ < eps: the clamp changes the value but (as 1.13's no-grad clamp) not the gradient's path.
small = torch.tensor([[1e-4, 2e-4, -1e-4], [3e-4, -2e-4, 1e-4]])
case('cosineSimilarity_below_eps', 'cosineSimilarity', [small, randn(2, 3)], lambda a, b: F.cosine_similarity(a, b, eps=1e-3), {'eps': 1e-3})
case('cosineSimilarity_empty', 'cosineSimilarity', [randn(0, 3), randn(0, 3)], lambda a, b: F.cosine_similarity(a, b), {})

# ---- pairwiseDistance -----------------------------------------------------------------------------------
for p, tag in [(2.0, 'p2'), (1.0, 'p1'), (float('inf'), 'pinf'), (3.0, 'p3')]:
    x1, x2 = sample_pair((3, 4), (3, 4), pairwise=True)
    case(f'pairwiseDistance_{tag}', 'pairwiseDistance', [x1, x2], lambda a, b, p=p: F.pairwise_distance(a, b, p=p), {'p': p})
x1, x2 = sample_pair((3, 4), (3, 4), pairwise=True)
case('pairwiseDistance_keepdim', 'pairwiseDistance', [x1, x2], lambda a, b: F.pairwise_distance(a, b, keepdim=True), {'keepdim': True})
x1, x2 = sample_pair((2, 1, 4), (3, 4), pairwise=True)
case('pairwiseDistance_broadcast', 'pairwiseDistance', [x1, x2], lambda a, b: F.pairwise_distance(a, b), {})
x1, x2 = sample_pair((4,), (4,), pairwise=True)
case('pairwiseDistance_1d', 'pairwiseDistance', [x1, x2], lambda a, b: F.pairwise_distance(a, b, eps=0.01), {'eps': 0.01})
x1 = randn(3, 4)
case('pairwiseDistance_zero_distance', 'pairwiseDistance', [x1, x1.clone()], lambda a, b: F.pairwise_distance(a, b), {})

# ---- einsum -------------------------------------------------------------------------------------------
EINSUM = [
    ('matmul', 'ij,jk->ik', [(2, 3), (3, 4)]),
    ('implicit', 'ij,jk', [(2, 3), (3, 4)]),
    ('transpose', 'ij->ji', [(2, 3)]),
    ('diagonal', 'ii->i', [(3, 3)]),
    ('trace', 'ii', [(4, 4)]),
    ('batched', 'bij,bjk->bik', [(2, 2, 3), (2, 3, 2)]),
    ('outer', 'i,j->ij', [(3,), (4,)]),
    ('sum_all', 'ij->', [(2, 3)]),
    ('sum_rows', 'ij->j', [(3, 4)]),
    ('dot', 'i,i->', [(5,)]*2),
    ('hadamard', 'ij,ij->ij', [(2, 3), (2, 3)]),
    ('ellipsis', '...ij,...jk->...ik', [(2, 1, 2, 3), (3, 3, 2)]),
    ('ellipsis_implicit', '...ij,...jk', [(2, 2, 3), (3, 2)]),
    ('batch_diagonal', '...ii->...i', [(2, 3, 3)]),
    ('ellipsis_summed', 'i...->i', [(3, 2, 4)]),
    ('bilinear', 'bn,anm,bm->ba', [(2, 3), (2, 3, 4), (2, 4)]),
    ('upper_implicit', 'Ab,bc', [(2, 3), (3, 4)]),
    ('repeat_in_one', 'iji->j', [(3, 2, 3)]),
    ('broadcast_one', 'ij,ij->i', [(3, 1), (3, 4)]),
    ('scalar_operand', ',i->i', [(), (3,)]),
    ('contract_empty', 'ij,jk->ik', [(2, 0), (0, 3)]),
    ('spaces', 'i j , j k -> i k', [(2, 3), (3, 2)]),
]
for tag, eq, shapes in EINSUM:
    case(f'einsum_{tag}', 'einsum', [randn(*s) for s in shapes], lambda *xs, eq=eq: torch.einsum(eq, *xs), {'equation': eq})

# ---- mm, bmm, baddbmm, kron ------------------------------------------------------------------------------
case('mm_basic', 'mm', [randn(3, 4), randn(4, 2)], torch.mm)
case('mm_empty', 'mm', [randn(0, 3), randn(3, 2)], torch.mm)
case('mm_inner_empty', 'mm', [randn(2, 0), randn(0, 3)], torch.mm)
case('bmm_basic', 'bmm', [randn(2, 2, 3), randn(2, 3, 2)], torch.bmm)
case('bmm_empty_batch', 'bmm', [randn(0, 2, 3), randn(0, 3, 1)], torch.bmm)
case('baddbmm_basic', 'baddbmm', [randn(2, 2, 2), randn(2, 2, 3), randn(2, 3, 2)], torch.baddbmm)
case('baddbmm_alpha_beta', 'baddbmm', [randn(1, 2, 2), randn(1, 2, 3), randn(1, 3, 2)],
     lambda i, a, b: torch.baddbmm(i, a, b, beta=0.5, alpha=-2.0), {'beta': 0.5, 'alpha': -2.0})
case('baddbmm_broadcast_input', 'baddbmm', [randn(2, 1), randn(2, 2, 3), randn(2, 3, 2)],
     lambda i, a, b: torch.baddbmm(i, a, b, alpha=1.5), {'alpha': 1.5})
nan_input = randn(2, 2, 2)
nan_input[0, 1, 0] = float('nan')
case('baddbmm_beta_zero_ignores_nan', 'baddbmm', [nan_input, randn(2, 2, 3), randn(2, 3, 2)],
     lambda i, a, b: torch.baddbmm(i, a, b, beta=0.0), {'beta': 0.0})
case('kron_2d', 'kron', [randn(2, 3), randn(2, 2)], torch.kron)
case('kron_mixed_ndim', 'kron', [randn(2), randn(2, 3)], torch.kron)
case('kron_3d', 'kron', [randn(2, 1, 2), randn(1, 3, 2)], torch.kron)
case('kron_scalar', 'kron', [randn(), randn(3)], torch.kron)

# ---- pooling ----------------------------------------------------------------------------------------------
MAXPOOL = [
    ('basic', (2, 1, 4, 6), {'kernelSize': 2}),
    ('stride', (1, 1, 7, 7), {'kernelSize': 3, 'stride': 2}),
    ('padding', (1, 1, 6, 5), {'kernelSize': 3, 'stride': 2, 'padding': 1}),
    ('dilation', (1, 1, 6, 5), {'kernelSize': 2, 'stride': 1, 'dilation': 2}),
    ('ceil', (1, 1, 5, 5), {'kernelSize': 2, 'ceilMode': True}),
    ('ceil_rect_pad', (1, 1, 6, 5), {'kernelSize': [3, 2], 'stride': [2, 1], 'padding': [1, 1], 'ceilMode': True}),
    ('unbatched', (2, 4, 4), {'kernelSize': 2, 'stride': 1}),
    ('out_1x1', (2, 1, 3, 3), {'kernelSize': 3}),
    ('empty_batch', (0, 2, 4, 4), {'kernelSize': 2}),
]
TORCH_NAMES = {'kernelSize': 'kernel_size', 'ceilMode': 'ceil_mode', 'countIncludePad': 'count_include_pad', 'divisorOverride': 'divisor_override'}
tkw = lambda kw: {TORCH_NAMES.get(k, k): (tuple(v) if isinstance(v, list) else v) for k, v in kw.items()}
for tag, shape, kw in MAXPOOL:
    case(f'maxPool2d_{tag}', 'maxPool2d', [distinct(shape, spacing=0.2)],
         lambda x, kw=kw: F.max_pool2d(x, return_indices=True, **tkw(kw)), kw)

AVGPOOL = [
    ('basic', (2, 1, 4, 4), {'kernelSize': 2}),
    ('stride_padding', (1, 1, 5, 6), {'kernelSize': 3, 'stride': 2, 'padding': 1}),
    ('no_count_pad', (1, 1, 5, 6), {'kernelSize': 3, 'stride': 2, 'padding': 1, 'countIncludePad': False}),
    ('ceil', (1, 1, 5, 5), {'kernelSize': 2, 'ceilMode': True}),
    ('ceil_pad_no_count', (1, 1, 6, 5), {'kernelSize': 3, 'stride': 2, 'padding': 1, 'ceilMode': True, 'countIncludePad': False}),
    ('ceil_pad_count', (1, 1, 6, 5), {'kernelSize': 3, 'stride': 2, 'padding': 1, 'ceilMode': True}),
    ('divisor_override', (1, 1, 4, 5), {'kernelSize': 2, 'stride': 1, 'padding': 1, 'divisorOverride': 3}),
    ('rect', (1, 1, 5, 6), {'kernelSize': [2, 3], 'stride': [1, 2], 'padding': [1, 0]}),
    ('unbatched', (2, 4, 4), {'kernelSize': 2}),
    ('out_1x1', (2, 1, 3, 3), {'kernelSize': 3}),
]
for tag, shape, kw in AVGPOOL:
    case(f'avgPool2d_{tag}', 'avgPool2d', [randn(*shape)], lambda x, kw=kw: F.avg_pool2d(x, **tkw(kw)), kw)

ADAPTIVE = [
    ('5x7_to_3x4', (1, 1, 5, 7), [3, 4]),
    ('square', (1, 1, 5, 5), 4),
    ('keep_width', (1, 1, 5, 4), [2, None]),
    ('global', (2, 1, 3, 5), 1),
    ('upsample', (1, 1, 5, 5), [7, 3]),
    ('unbatched', (2, 4, 5), 2),
]
for tag, shape, out in ADAPTIVE:
    case(f'adaptiveAvgPool2d_{tag}', 'adaptiveAvgPool2d', [randn(*shape)],
         lambda x, out=out: F.adaptive_avg_pool2d(x, tuple(out) if isinstance(out, list) else out), {'outputSize': out})

write('ops-products', 'tools/gen_ops_products.py')
