#!/usr/bin/python3
"""Generates packages/core/src/testing/fixtures/ops.json: every graft op, checked against PyTorch.

Run with Debian's python (torch 1.13 lives there):  /usr/bin/python3 tools/gen_op_fixtures.py

Seeded and deterministic, float64 throughout. For each case we record the inputs, the kwargs the
graft op table takes, torch's output and, for differentiable cases, a random cotangent and the
gradients of (out * cotangent).sum() with respect to every float input. Every expected number
comes from torch; nothing here is copied from graft.

Inputs respect each op's domain and stay away from kinks and ties (by >= 0.05, so that float32
rounding and central finite differences with eps = 1e-6 see the smooth side), and index/sort
inputs have distinct values.
"""
import math

import torch
import torch.nn.functional as F

from opfix import *  # noqa: F401,F403 (samplers, case, write)

seed(20240611)

# ---- elementwise unary ----------------------------------------------------------------------------

# (graft op, torch fn, sampler(shape), kwargs, differentiable)
UNARY = [
    ('neg', torch.neg, randn, {}, True),
    ('reciprocal', torch.reciprocal, lambda *s: positive(s) * torch.where(mask(s), 1.0, -1.0), {}, True),
    ('square', torch.square, randn, {}, True),
    ('sqrt', torch.sqrt, lambda *s: positive(s), {}, True),
    ('rsqrt', torch.rsqrt, lambda *s: positive(s), {}, True),
    ('abs', torch.abs, lambda *s: away(s), {}, True),
    ('sign', torch.sign, lambda *s: torch.where(mask(s), 0.0, randn(*s)), {}, False),
    ('exp', torch.exp, lambda *s: randn(*s, scale=1.5), {}, True),
    ('expm1', torch.expm1, lambda *s: randn(*s) * torch.where(mask(s), 1.0, 1e-4), {}, True),
    ('log', torch.log, lambda *s: positive(s, 0.05, 5.0), {}, True),
    ('log1p', torch.log1p, lambda *s: uniform(s, -0.8, 3.0) * torch.where(mask(s), 1.0, 1e-5), {}, True),
    ('log2', torch.log2, lambda *s: positive(s, 0.05, 5.0), {}, True),
    ('sin', torch.sin, lambda *s: randn(*s, scale=2.0), {}, True),
    ('cos', torch.cos, lambda *s: randn(*s, scale=2.0), {}, True),
    ('tanh', torch.tanh, lambda *s: randn(*s, scale=1.5), {}, True),
    ('sigmoid', torch.sigmoid, lambda *s: randn(*s, scale=2.0), {}, True),
    ('logSigmoid', F.logsigmoid, lambda *s: randn(*s, scale=3.0), {}, True),
    ('softplus', F.softplus, lambda *s: randn(*s, scale=3.0), {}, True),
    ('relu', F.relu, lambda *s: away(s), {}, True),
    ('silu', F.silu, lambda *s: randn(*s, scale=2.0), {}, True),
    ('erf', torch.erf, lambda *s: randn(*s, scale=1.2), {}, True),
    ('elu', F.elu, lambda *s: away(s), {}, True),
    ('gelu', F.gelu, lambda *s: randn(*s, scale=2.0), {}, True),
    ('leakyRelu', F.leaky_relu, lambda *s: away(s), {}, True),
    ('floor', torch.floor, lambda *s: away(s, -3, 3, avoid=range(-3, 4)), {}, False),
    ('ceil', torch.ceil, lambda *s: away(s, -3, 3, avoid=range(-3, 4)), {}, False),
]

for op, fn, sample, kw, diff in UNARY:
    case(f'{op}_2d', op, [sample(3, 4)], fn, kw, diff)
    case(f'{op}_scalar', op, [sample()], fn, kw, diff)
    case(f'{op}_empty', op, [sample(0, 3)], fn, kw, diff)

# round: ties go to even (values only)
case('round_2d', 'round', [torch.tensor([[0.5, 1.5, 2.5, -0.5], [-1.5, -2.5, 0.49, 1.51], [3.7, -3.7, 0.0, -0.2]])], torch.round, grad=False)
case('round_scalar', 'round', [torch.tensor(2.5)], torch.round, grad=False)
case('round_empty', 'round', [torch.zeros(0, 2)], torch.round, grad=False)

# activations and unary ops with options
case('softplus_beta2', 'softplus', [randn(3, 4, scale=2.0)], lambda x: F.softplus(x, beta=2.0), {'beta': 2.0})
case('softplus_beta0.5', 'softplus', [randn(2, 5, scale=4.0)], lambda x: F.softplus(x, beta=0.5), {'beta': 0.5})
case('leakyRelu_slope0.2', 'leakyRelu', [away((3, 4))], lambda x: F.leaky_relu(x, 0.2), {'negativeSlope': 0.2})
case('elu_alpha0.5', 'elu', [away((3, 4))], lambda x: F.elu(x, 0.5), {'alpha': 0.5})
case('elu_alpha2', 'elu', [away((2, 3))], lambda x: F.elu(x, 2.0), {'alpha': 2.0})
case('gelu_tanh_2d', 'gelu', [randn(3, 4, scale=2.0)], lambda x: F.gelu(x, approximate='tanh'), {'approximate': 'tanh'})
case('gelu_tanh_scalar', 'gelu', [randn(scale=2.0)], lambda x: F.gelu(x, approximate='tanh'), {'approximate': 'tanh'})
case('gelu_none_explicit', 'gelu', [randn(5, scale=2.0)], lambda x: F.gelu(x, approximate='none'), {'approximate': 'none'})

# logits of ±1e4: outputs and gradients stay finite
for op, fn in [('sigmoid', torch.sigmoid), ('tanh', torch.tanh), ('softplus', F.softplus), ('logSigmoid', F.logsigmoid)]:
    case(f'{op}_big_logits', op, [BIG.clone()], fn)

# ---- elementwise binary ---------------------------------------------------------------------------

BINARY = [
    ('add', torch.add, randn, randn),
    ('sub', torch.sub, randn, randn),
    ('mul', torch.mul, randn, randn),
    ('div', torch.div, randn, lambda *s: positive(s, 0.5, 2.5) * torch.where(mask(s), 1.0, -1.0)),
    ('pow', torch.pow, lambda *s: positive(s, 0.3, 2.5), lambda *s: uniform(s, -2.0, 3.0)),
]


def apart(a, lo=0.1, hi=1.5):
    """b with |a - b| >= lo everywhere (no ties for maximum/minimum)."""
    return a + uniform(a.shape, lo, hi) * torch.where(mask(a.shape), 1.0, -1.0)


for op, fn, sa, sb in BINARY:
    case(f'{op}_2d', op, [sa(3, 4), sb(3, 4)], fn)
    case(f'{op}_broadcast_rows_cols', op, [sa(3, 1), sb(1, 4)], fn)
    case(f'{op}_broadcast_3d_1d', op, [sa(2, 3, 4), sb(4)], fn)
    case(f'{op}_scalar_tensor', op, [sa(), sb(2, 3)], fn)
    case(f'{op}_scalars', op, [sa(), sb()], fn)
    case(f'{op}_empty', op, [sa(0, 4), sb(4)], fn)

for op, fn in [('maximum', torch.maximum), ('minimum', torch.minimum)]:
    a = randn(3, 4)
    case(f'{op}_2d', op, [a, apart(a)], fn)
    a = distinct((3, 1), spacing=0.5)
    case(f'{op}_broadcast', op, [a, away((1, 4), avoid=a.flatten().tolist())], fn)
    case(f'{op}_scalar_tensor', op, [torch.tensor(0.05), away((2, 3), avoid=(0.05,))], fn)
    case(f'{op}_empty', op, [randn(0, 3), randn(3)], fn)

# a JS number as the second operand (kwargs.other)
for op, fn, sample, other in [('add', torch.add, randn, 2.5), ('sub', torch.sub, randn, -1.25), ('mul', torch.mul, randn, 3.0),
                              ('div', torch.div, randn, -0.8), ('maximum', torch.maximum, lambda *s: away(s, avoid=(0.3,)), 0.3)]:
    case(f'{op}_number_operand', op, [sample(3, 4)], lambda x: fn(x, torch.tensor(other)), {'other': other})

# pow with a scalar exponent (kwargs.exponent)
for e, sample in [(2.0, randn), (3.0, randn), (0.5, positive), (-1.5, positive), (1.7, positive), (0.0, randn)]:
    case(f'pow_exponent_{e}', 'pow', [sample(3, 4) if sample is randn else sample((3, 4))], lambda x: torch.pow(x, e), {'exponent': e})

# clamp
x = away((3, 4), -3, 3, avoid=(-1.0, 0.5))
case('clamp_both', 'clamp', [x], lambda x: torch.clamp(x, -1.0, 0.5), {'min': -1.0, 'max': 0.5})
case('clamp_min', 'clamp', [away((3, 4), avoid=(-0.5,))], lambda x: torch.clamp(x, min=-0.5), {'min': -0.5})
case('clamp_max', 'clamp', [away((3, 4), avoid=(0.7,))], lambda x: torch.clamp(x, max=0.7), {'max': 0.7})
case('clamp_scalar', 'clamp', [torch.tensor(1.3)], lambda x: torch.clamp(x, -1.0, 1.0), {'min': -1.0, 'max': 1.0})
case('clamp_empty', 'clamp', [randn(0, 2)], lambda x: torch.clamp(x, -1.0, 1.0), {'min': -1.0, 'max': 1.0})

# where, maskedFill
case('where_2d', 'where', [mask((3, 4)), randn(3, 4), randn(3, 4)], torch.where)
case('where_broadcast', 'where', [mask((3, 1)), randn(1, 4), randn(3, 4)], torch.where)
case('where_scalar_branch', 'where', [mask((2, 3)), randn(), randn(2, 3)], torch.where)
case('where_empty', 'where', [mask((0, 3)), randn(0, 3), randn(3)], torch.where)
case('maskedFill_2d', 'maskedFill', [randn(3, 4), mask((3, 4))], lambda x, m: x.masked_fill(m, -2.5), {'value': -2.5})
case('maskedFill_broadcast_mask', 'maskedFill', [randn(3, 4), mask((4,))], lambda x, m: x.masked_fill(m, 7.0), {'value': 7.0})
case('maskedFill_neg_inf', 'maskedFill', [randn(2, 3), torch.tensor([[True, False, False], [False, False, True]])],
     lambda x, m: x.masked_fill(m, -math.inf), {'value': -math.inf})

# comparisons and logic: values only
for op, fn in [('lt', torch.lt), ('le', torch.le), ('gt', torch.gt), ('ge', torch.ge), ('eq', torch.eq), ('ne', torch.ne)]:
    case(f'{op}_2d', op, [grid((3, 4)), grid((3, 4))], fn, grad=False)
    case(f'{op}_broadcast', op, [grid((3, 1)), grid((4,))], fn, grad=False)
    case(f'{op}_number_operand', op, [grid((2, 3))], lambda x: fn(x, 0.5), {'other': 0.5}, grad=False)
for op, fn in [('logicalAnd', torch.logical_and), ('logicalOr', torch.logical_or)]:
    case(f'{op}_bool', op, [mask((3, 4)), mask((3, 4))], fn, grad=False)
    case(f'{op}_bool_broadcast', op, [mask((3, 1)), mask((1, 4))], fn, grad=False)
    case(f'{op}_float', op, [grid((2, 3), -1, 1), grid((2, 3), -1, 1)], fn, grad=False)
case('logicalNot_bool', 'logicalNot', [mask((3, 4))], torch.logical_not, grad=False)
case('logicalNot_float', 'logicalNot', [grid((2, 3), -1, 1)], torch.logical_not, grad=False)
case('logicalNot_empty', 'logicalNot', [mask((0,))], torch.logical_not, grad=False)

# ---- reductions -----------------------------------------------------------------------------------

for op, fn in [('sum', torch.sum), ('mean', torch.mean)]:
    case(f'{op}_all', op, [randn(3, 4)], fn)
    case(f'{op}_dim1', op, [randn(3, 4)], lambda x: fn(x, 1), {'dim': 1})
    case(f'{op}_dims_keepdim', op, [randn(2, 3, 4)], lambda x: fn(x, [0, 2], keepdim=True), {'dim': [0, 2], 'keepdim': True})
    case(f'{op}_negdim', op, [randn(2, 3, 4)], lambda x: fn(x, -2), {'dim': -2})
    case(f'{op}_scalar', op, [randn()], fn)
    case(f'{op}_empty_all', op, [randn(0, 3)], fn)
    case(f'{op}_empty_dim', op, [randn(0, 3)], lambda x: fn(x, 0), {'dim': 0})

for op, fn in [('var', torch.var), ('std', torch.std)]:
    for c in (0, 1):
        case(f'{op}_all_c{c}', op, [randn(3, 4)], lambda x: fn(x, unbiased=bool(c)), {'correction': c})
        case(f'{op}_dim1_c{c}', op, [randn(3, 4)], lambda x: fn(x, 1, unbiased=bool(c)), {'dim': 1, 'correction': c})
        case(f'{op}_dims_keepdim_c{c}', op, [randn(2, 3, 4)], lambda x: fn(x, [0, -1], unbiased=bool(c), keepdim=True),
             {'dim': [0, -1], 'correction': c, 'keepdim': True})
    case(f'{op}_single_c1_nan', op, [randn(1, 3)], lambda x: fn(x, 0, unbiased=True), {'dim': 0, 'correction': 1}, grad=False)

case('prod_all', 'prod', [uniform((2, 3), 0.5, 1.5) * torch.where(mask((2, 3)), 1.0, -1.0)], torch.prod)
case('prod_dim1', 'prod', [uniform((3, 4), 0.5, 1.5)], lambda x: torch.prod(x, 1), {'dim': 1})
case('prod_dim0_keepdim', 'prod', [randn(3, 4)], lambda x: torch.prod(x, 0, keepdim=True), {'dim': 0, 'keepdim': True})
case('prod_one_zero', 'prod', [torch.tensor([[1.5, 0.0, -2.0, 0.7], [0.9, 1.1, -1.3, 2.0], [0.0, 0.0, 1.2, 3.0]])],
     lambda x: torch.prod(x, 1), {'dim': 1})
case('prod_two_zeros_dim0', 'prod', [torch.tensor([[0.0, 0.0, 1.5], [2.0, 0.0, -0.5], [0.0, 1.3, 0.8]])],
     lambda x: torch.prod(x, 0), {'dim': 0})
case('prod_scalar', 'prod', [randn()], torch.prod)
case('prod_empty_dim', 'prod', [randn(0, 3)], lambda x: torch.prod(x, 0), {'dim': 0})

for op, fn in [('max', torch.max), ('min', torch.min)]:
    case(f'{op}_all', op, [distinct((3, 4))], fn)
    case(f'{op}_dim1', op, [distinct((3, 4))], lambda x: fn(x, 1), {'dim': 1})
    case(f'{op}_dim0_keepdim', op, [distinct((3, 4))], lambda x: fn(x, 0, keepdim=True), {'dim': 0, 'keepdim': True})
    case(f'{op}_negdim_3d', op, [distinct((2, 3, 4))], lambda x: fn(x, -2), {'dim': -2})
    case(f'{op}_scalar', op, [randn()], fn)
for op, fn in [('amax', torch.amax), ('amin', torch.amin)]:
    case(f'{op}_all', op, [distinct((3, 4))], lambda x: fn(x, [0, 1]))
    case(f'{op}_dim1', op, [distinct((3, 4))], lambda x: fn(x, 1), {'dim': 1})
    case(f'{op}_dims_keepdim', op, [distinct((2, 3, 4))], lambda x: fn(x, [0, 2], keepdim=True), {'dim': [0, 2], 'keepdim': True})
    case(f'{op}_empty_kept_dim', op, [randn(0, 3)], lambda x: fn(x, 1), {'dim': 1})
for op, fn in [('argmax', torch.argmax), ('argmin', torch.argmin)]:
    case(f'{op}_all', op, [distinct((3, 4))], fn, grad=False)
    case(f'{op}_dim1', op, [distinct((3, 4))], lambda x: fn(x, 1), {'dim': 1}, grad=False)
    case(f'{op}_dim0_keepdim', op, [distinct((3, 4))], lambda x: fn(x, 0, keepdim=True), {'dim': 0, 'keepdim': True}, grad=False)
    case(f'{op}_negdim_3d', op, [distinct((2, 3, 4))], lambda x: fn(x, -1), {'dim': -1}, grad=False)

case('logsumexp_dim1', 'logsumexp', [randn(3, 4, scale=2.0)], lambda x: torch.logsumexp(x, 1), {'dim': 1})
case('logsumexp_dim0_keepdim', 'logsumexp', [randn(3, 4, scale=2.0)], lambda x: torch.logsumexp(x, 0, keepdim=True), {'dim': 0, 'keepdim': True})
case('logsumexp_dims', 'logsumexp', [randn(2, 3, 4, scale=2.0)], lambda x: torch.logsumexp(x, [0, 2]), {'dim': [0, 2]})
case('logsumexp_dims_keepdim', 'logsumexp', [randn(2, 3, 4, scale=2.0)], lambda x: torch.logsumexp(x, [-1, 1], keepdim=True),
     {'dim': [-1, 1], 'keepdim': True})
case('logsumexp_big_logits', 'logsumexp', [BIG.clone()], lambda x: torch.logsumexp(x, 1), {'dim': 1})
case('logsumexp_empty_kept', 'logsumexp', [randn(0, 3)], lambda x: torch.logsumexp(x, 1), {'dim': 1})
case('logsumexp_empty_reduced', 'logsumexp', [randn(2, 0)], lambda x: torch.logsumexp(x, 1), {'dim': 1})
case('logsumexp_scalar', 'logsumexp', [randn()], lambda x: torch.logsumexp(x, 0), {'dim': 0})

for op, fn in [('softmax', torch.softmax), ('logSoftmax', torch.log_softmax)]:
    case(f'{op}_lastdim', op, [randn(3, 4, scale=2.0)], lambda x: fn(x, -1), {'dim': -1})
    case(f'{op}_dim0', op, [randn(3, 4, scale=2.0)], lambda x: fn(x, 0), {'dim': 0})
    case(f'{op}_3d_middle', op, [randn(2, 3, 4, scale=2.0)], lambda x: fn(x, 1), {'dim': 1})
    case(f'{op}_big_logits', op, [BIG.clone()], lambda x: fn(x, 1), {'dim': 1})
    case(f'{op}_scalar', op, [randn()], lambda x: fn(x, 0), {'dim': 0})
    case(f'{op}_empty', op, [randn(0, 3)], lambda x: fn(x, 1), {'dim': 1})

case('cumsum_dim1', 'cumsum', [randn(3, 4)], lambda x: torch.cumsum(x, 1), {'dim': 1})
case('cumsum_dim0', 'cumsum', [randn(3, 4)], lambda x: torch.cumsum(x, 0), {'dim': 0})
case('cumsum_negdim_3d', 'cumsum', [randn(2, 3, 4)], lambda x: torch.cumsum(x, -2), {'dim': -2})
case('cumsum_scalar', 'cumsum', [randn()], lambda x: torch.cumsum(x, 0), {'dim': 0})
case('cumsum_empty', 'cumsum', [randn(0, 3)], lambda x: torch.cumsum(x, 0), {'dim': 0})

# norm: torch.linalg.vector_norm semantics ('fro' is ord 2)
NORMS = [(1, 1.0), (2, 2.0), (3, 3.0), ('inf', math.inf), ('fro', 2.0)]
for name, ord_ in NORMS:
    p = math.inf if name == 'inf' else name
    # p = inf: distinct magnitudes, random signs (no ties in |x|)
    sample = (lambda s: distinct(s, lo=0.2) * torch.where(mask(s), 1.0, -1.0)) if name == 'inf' else (lambda s: away(s))
    case(f'norm_p{name}_all', 'norm', [sample((3, 4))], lambda x: torch.linalg.vector_norm(x, ord_), {'p': p})
    case(f'norm_p{name}_dim1', 'norm', [sample((3, 4))], lambda x: torch.linalg.vector_norm(x, ord_, 1), {'p': p, 'dim': 1})
    case(f'norm_p{name}_dims_keepdim', 'norm', [sample((2, 3, 4))], lambda x: torch.linalg.vector_norm(x, ord_, [0, -1], keepdim=True),
         {'p': p, 'dim': [0, -1], 'keepdim': True})
case('norm_p2_zero_row', 'norm', [torch.tensor([[0.0, 0.0, 0.0], [0.6, -1.2, 0.4]])], lambda x: torch.linalg.vector_norm(x, 2, 1),
     {'p': 2, 'dim': 1})
case('norm_p2_empty', 'norm', [randn(0, 3)], lambda x: torch.linalg.vector_norm(x, 2, 0), {'p': 2, 'dim': 0})
case('norm_p2_scalar', 'norm', [away(())], lambda x: torch.linalg.vector_norm(x, 2), {'p': 2})

# ---- linear algebra -------------------------------------------------------------------------------

case('matmul_1d_1d', 'matmul', [randn(4), randn(4)], torch.matmul)
case('matmul_1d_2d', 'matmul', [randn(3), randn(3, 4)], torch.matmul)
case('matmul_2d_1d', 'matmul', [randn(3, 4), randn(4)], torch.matmul)
case('matmul_2d_2d', 'matmul', [randn(2, 3), randn(3, 4)], torch.matmul)
case('matmul_batched', 'matmul', [randn(2, 3, 4), randn(2, 4, 2)], torch.matmul)
case('matmul_batch_broadcast', 'matmul', [randn(2, 1, 2, 3), randn(3, 3, 2)], torch.matmul)
case('matmul_batched_2d', 'matmul', [randn(3, 2, 4), randn(4, 3)], torch.matmul)
case('matmul_1d_batched', 'matmul', [randn(3), randn(2, 3, 2)], torch.matmul)
case('matmul_inner_empty', 'matmul', [randn(2, 0), randn(0, 3)], torch.matmul)
case('matmul_outer_empty', 'matmul', [randn(0, 3), randn(3, 2)], torch.matmul)
case('dot_1d', 'dot', [randn(5), randn(5)], torch.dot)
case('outer_1d', 'outer', [randn(3), randn(4)], torch.outer)
case('conv2d_basic', 'conv2d', [randn(2, 3, 5, 5), randn(4, 3, 3, 3), randn(4)], F.conv2d)
case('conv2d_stride_pad_dilation', 'conv2d', [randn(1, 2, 7, 6), randn(3, 2, 3, 2), randn(3)],
     lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2)),
     {'stride': [2, 1], 'padding': [1, 2], 'dilation': [1, 2]})
case('conv2d_no_bias', 'conv2d', [randn(2, 1, 4, 4), randn(2, 1, 2, 2)], lambda x, w: F.conv2d(x, w, stride=2), {'stride': 2})

# ---- joining and splitting ------------------------------------------------------------------------

case('concat_dim0', 'concat', [randn(2, 3), randn(1, 3), randn(3, 3)], lambda *xs: torch.cat(xs, 0), {'dim': 0})
case('concat_negdim', 'concat', [randn(2, 1), randn(2, 3)], lambda *xs: torch.cat(xs, -1), {'dim': -1})
case('concat_with_empty', 'concat', [randn(2, 3), randn(0, 3), randn(1, 3)], lambda *xs: torch.cat(xs, 0), {'dim': 0})
case('concat_1d', 'concat', [randn(2), randn(3)], lambda *xs: torch.cat(xs, 0), {'dim': 0})
case('stack_dim0', 'stack', [randn(2, 3), randn(2, 3)], lambda *xs: torch.stack(xs, 0), {'dim': 0})
case('stack_lastdim', 'stack', [randn(2, 3), randn(2, 3), randn(2, 3)], lambda *xs: torch.stack(xs, -1), {'dim': -1})
case('stack_scalars', 'stack', [randn(), randn()], lambda *xs: torch.stack(xs, 0), {'dim': 0})


def weighted_pieces(pieces, dim):
    """One tensor from several: piece i scaled by (i + 1), then concatenated (so each piece's gradient differs)."""
    return torch.cat([p * (i + 1) for i, p in enumerate(pieces)], dim)


case('split_size', 'split', [randn(5, 3)], lambda x: weighted_pieces(torch.split(x, 2, 0), 0), {'sizeOrSections': 2, 'dim': 0})
case('split_sections', 'split', [randn(3, 6)], lambda x: weighted_pieces(torch.split(x, [1, 3, 2], 1), 1),
     {'sizeOrSections': [1, 3, 2], 'dim': 1})
case('split_negdim', 'split', [randn(2, 3, 4)], lambda x: weighted_pieces(torch.split(x, 3, -1), -1), {'sizeOrSections': 3, 'dim': -1})
case('chunk_even', 'chunk', [randn(6, 2)], lambda x: weighted_pieces(torch.chunk(x, 3, 0), 0), {'chunks': 3, 'dim': 0})
case('chunk_uneven', 'chunk', [randn(2, 5)], lambda x: weighted_pieces(torch.chunk(x, 3, 1), 1), {'chunks': 3, 'dim': 1})
case('chunk_more_than_size', 'chunk', [randn(2, 3)], lambda x: weighted_pieces(torch.chunk(x, 4, -1), -1), {'chunks': 4, 'dim': -1})

# ---- indexing -------------------------------------------------------------------------------------

case('gather_dim1', 'gather', [randn(3, 4), index((3, 5), 4)], lambda x, i: torch.gather(x, 1, i), {'dim': 1})
case('gather_dim0_smaller', 'gather', [randn(4, 3), index((2, 2), 4)], lambda x, i: torch.gather(x, 0, i), {'dim': 0})
case('gather_3d_negdim', 'gather', [randn(2, 3, 4), index((2, 3, 2), 4)], lambda x, i: torch.gather(x, -1, i), {'dim': -1})
case('gather_empty_index', 'gather', [randn(3, 4), index((3, 0), 4)], lambda x, i: torch.gather(x, 1, i), {'dim': 1})
case('scatterAdd_dim0', 'scatterAdd', [randn(3, 4), index((5, 4), 3), randn(5, 4)], lambda x, i, s: x.scatter_add(0, i, s), {'dim': 0})
case('scatterAdd_dim1', 'scatterAdd', [randn(3, 4), index((3, 2), 4), randn(3, 2)], lambda x, i, s: x.scatter_add(1, i, s), {'dim': 1})
case('scatterAdd_3d', 'scatterAdd', [randn(2, 3, 2), index((2, 2, 2), 3), randn(2, 2, 2)], lambda x, i, s: x.scatter_add(1, i, s), {'dim': 1})
case('indexSelect_dim0', 'indexSelect', [randn(4, 3), torch.tensor([3, 0, 3, 1])], lambda x, i: torch.index_select(x, 0, i), {'dim': 0})
case('indexSelect_dim1', 'indexSelect', [randn(2, 5), torch.tensor([4, 2])], lambda x, i: torch.index_select(x, 1, i), {'dim': 1})
case('indexSelect_3d_negdim', 'indexSelect', [randn(2, 3, 2), torch.tensor([1, 1, 0])], lambda x, i: torch.index_select(x, -2, i), {'dim': -2})
case('indexSelect_empty_index', 'indexSelect', [randn(3, 2), torch.zeros(0, dtype=torch.int64)], lambda x, i: torch.index_select(x, 0, i), {'dim': 0})

# sort/topk: distinct values, so indices are unambiguous
case('sort_lastdim', 'sort', [distinct((3, 5))], lambda x: torch.sort(x, dim=-1, stable=True), {'dim': -1})
case('sort_dim0_desc', 'sort', [distinct((4, 3))], lambda x: torch.sort(x, dim=0, descending=True, stable=True), {'dim': 0, 'descending': True})
case('sort_1d', 'sort', [distinct((6,))], lambda x: torch.sort(x, stable=True), {})
case('sort_3d_middle', 'sort', [distinct((2, 3, 2))], lambda x: torch.sort(x, dim=1, stable=True), {'dim': 1})
case('sort_empty', 'sort', [randn(2, 0)], lambda x: torch.sort(x, dim=-1, stable=True), {'dim': -1})
case('argsort_lastdim', 'argsort', [distinct((3, 5))], lambda x: torch.argsort(x, -1), {'dim': -1}, grad=False)
case('argsort_dim0_desc', 'argsort', [distinct((4, 3))], lambda x: torch.argsort(x, 0, descending=True), {'dim': 0, 'descending': True}, grad=False)
case('topk_largest', 'topk', [distinct((3, 5))], lambda x: torch.topk(x, 2), {'k': 2})
case('topk_smallest_dim0', 'topk', [distinct((4, 3))], lambda x: torch.topk(x, 3, 0, largest=False), {'k': 3, 'dim': 0, 'largest': False})
case('topk_all', 'topk', [distinct((5,))], lambda x: torch.topk(x, 5), {'k': 5})
case('topk_zero', 'topk', [distinct((2, 4))], lambda x: torch.topk(x, 0), {'k': 0})
case('oneHot_given', 'oneHot', [torch.tensor([0, 3, 1, 3])], lambda i: F.one_hot(i, 5), {'numClasses': 5}, grad=False)
case('oneHot_inferred_2d', 'oneHot', [torch.tensor([[2, 0, 1], [1, 1, 0]])], lambda i: F.one_hot(i), {}, grad=False)

# ---- movement -------------------------------------------------------------------------------------

case('pad_last', 'pad', [randn(3, 4)], lambda x: F.pad(x, [1, 2]), {'padding': [1, 2]})
case('pad_two_dims_value', 'pad', [randn(2, 3)], lambda x: F.pad(x, [0, 1, 2, 1], value=1.5), {'padding': [0, 1, 2, 1], 'value': 1.5})
case('pad_negative', 'pad', [randn(3, 5)], lambda x: F.pad(x, [-1, -2]), {'padding': [-1, -2]})
case('pad_mixed', 'pad', [randn(2, 3, 4)], lambda x: F.pad(x, [1, -1, -1, 2]), {'padding': [1, -1, -1, 2]})
case('flip_dim0', 'flip', [randn(3, 4)], lambda x: torch.flip(x, [0]), {'dims': [0]})
case('flip_dims', 'flip', [randn(2, 3, 4)], lambda x: torch.flip(x, [0, -1]), {'dims': [0, -1]})
case('flip_empty', 'flip', [randn(0, 3)], lambda x: torch.flip(x, [1]), {'dims': [1]})
for op, fn in [('tril', torch.tril), ('triu', torch.triu)]:
    case(f'{op}_square', op, [randn(4, 4)], fn)
    case(f'{op}_diag1', op, [randn(3, 5)], lambda x: fn(x, 1), {'diagonal': 1})
    case(f'{op}_diag_neg1_batched', op, [randn(2, 4, 3)], lambda x: fn(x, -1), {'diagonal': -1})
case('reshape_2d', 'reshape', [randn(3, 4)], lambda x: x.reshape(2, 6), {'shape': [2, 6]})
case('reshape_infer', 'reshape', [randn(2, 3, 4)], lambda x: x.reshape(-1, 4), {'shape': [-1, 4]})
case('reshape_scalar', 'reshape', [randn()], lambda x: x.reshape(1, 1), {'shape': [1, 1]})
case('reshape_empty', 'reshape', [randn(0, 3)], lambda x: x.reshape(3, 0), {'shape': [3, 0]})
case('view_2d', 'view', [randn(3, 4)], lambda x: x.view(4, 3), {'shape': [4, 3]})
case('view_flat', 'view', [randn(2, 3, 2)], lambda x: x.view(-1), {'shape': [-1]})
case('permute_3d', 'permute', [randn(2, 3, 4)], lambda x: x.permute(2, 0, 1), {'dims': [2, 0, 1]})
case('movedim_forward', 'movedim', [randn(2, 3, 4)], lambda x: torch.movedim(x, 0, -1), {'source': 0, 'destination': -1})
case('movedim_backward', 'movedim', [randn(2, 3, 4)], lambda x: torch.movedim(x, 2, 0), {'source': 2, 'destination': 0})
case('permute_negdims', 'permute', [randn(2, 3, 4)], lambda x: x.permute(-1, -2, 0), {'dims': [-1, -2, 0]})
case('transpose_2d', 'transpose', [randn(3, 4)], lambda x: x.transpose(0, 1), {'dim0': 0, 'dim1': 1})
case('transpose_3d', 'transpose', [randn(2, 3, 4)], lambda x: x.transpose(-1, 0), {'dim0': -1, 'dim1': 0})
case('expand_2d', 'expand', [randn(3, 1)], lambda x: x.expand(3, 4), {'shape': [3, 4]})
case('expand_new_dims', 'expand', [randn(3, 1)], lambda x: x.expand(2, -1, 4), {'shape': [2, -1, 4]})
case('expand_scalar', 'expand', [randn()], lambda x: x.expand(2, 3), {'shape': [2, 3]})
case('narrow_dim1', 'narrow', [randn(3, 5)], lambda x: x.narrow(1, 1, 3), {'dim': 1, 'start': 1, 'length': 3})
case('narrow_negstart', 'narrow', [randn(4, 3)], lambda x: x.narrow(0, -3, 2), {'dim': 0, 'start': -3, 'length': 2})
case('narrow_empty', 'narrow', [randn(3, 4)], lambda x: x.narrow(-1, 2, 0), {'dim': -1, 'start': 2, 'length': 0})
case('slice_step2', 'slice', [randn(3, 7)], lambda x: x[:, 1:6:2], {'dim': 1, 'start': 1, 'end': 6, 'step': 2})
case('slice_step3_open', 'slice', [randn(8, 2)], lambda x: x[::3], {'dim': 0, 'step': 3})
case('slice_negative_bounds', 'slice', [randn(2, 6)], lambda x: x[:, -5:-1], {'dim': -1, 'start': -5, 'end': -1})
case('slice_out_of_range', 'slice', [randn(4, 2)], lambda x: x[2:100:2], {'dim': 0, 'start': 2, 'end': 100, 'step': 2})
case('squeeze_all', 'squeeze', [randn(1, 3, 1, 2)], lambda x: x.squeeze(), {})
case('squeeze_dim', 'squeeze', [randn(1, 3, 1)], lambda x: x.squeeze(-1), {'dim': -1})
case('squeeze_noop', 'squeeze', [randn(2, 3)], lambda x: x.squeeze(0), {'dim': 0})
case('unsqueeze_front', 'unsqueeze', [randn(2, 3)], lambda x: x.unsqueeze(0), {'dim': 0})
case('unsqueeze_negdim', 'unsqueeze', [randn(2, 3)], lambda x: x.unsqueeze(-1), {'dim': -1})
case('unsqueeze_scalar', 'unsqueeze', [randn()], lambda x: x.unsqueeze(0), {'dim': 0})
case('flatten_all', 'flatten', [randn(2, 3, 2)], torch.flatten, {})
case('flatten_middle', 'flatten', [randn(2, 3, 2, 2)], lambda x: torch.flatten(x, 1, 2), {'startDim': 1, 'endDim': 2})
case('flatten_scalar', 'flatten', [randn()], torch.flatten, {})

# ---- more scalar (shape []) and 0-size cases ----------------------------------------------------------

case('var_scalar_c0', 'var', [randn()], lambda x: torch.var(x, unbiased=False), {'correction': 0})
case('var_empty_dim_c1', 'var', [randn(0, 3)], lambda x: torch.var(x, 0), {'dim': 0, 'correction': 1}, grad=False)
case('std_empty_kept_dim', 'std', [randn(0, 3)], lambda x: torch.std(x, 1), {'dim': 1})
case('amax_scalar', 'amax', [randn()], lambda x: torch.amax(x, 0), {'dim': 0})
case('argmax_scalar', 'argmax', [randn()], torch.argmax, grad=False)
case('argmin_empty_kept_dim', 'argmin', [randn(0, 3)], lambda x: torch.argmin(x, 1), {'dim': 1}, grad=False)
case('sort_scalar', 'sort', [randn()], lambda x: torch.sort(x, dim=0, stable=True), {'dim': 0})
case('topk_scalar', 'topk', [randn()], lambda x: torch.topk(x, 1), {'k': 1})
case('gather_scalar', 'gather', [randn(), torch.tensor(0)], lambda x, i: torch.gather(x, 0, i), {'dim': 0})
case('scatterAdd_empty_index', 'scatterAdd', [randn(3, 2), index((0, 2), 3), randn(0, 2)], lambda x, i, s: x.scatter_add(0, i, s), {'dim': 0})
case('oneHot_empty', 'oneHot', [torch.zeros(0, dtype=torch.int64)], lambda i: F.one_hot(i, 3), {'numClasses': 3}, grad=False)
case('maskedFill_scalar', 'maskedFill', [randn(), torch.tensor(True)], lambda x, m: x.masked_fill(m, 0.25), {'value': 0.25})
case('maskedFill_empty', 'maskedFill', [randn(0, 3), mask((3,))], lambda x, m: x.masked_fill(m, 1.0), {'value': 1.0})
case('lt_empty', 'lt', [grid((0, 3)), grid((3,))], torch.lt, grad=False)
case('eq_scalar', 'eq', [torch.tensor(0.5), grid((2, 2))], torch.eq, grad=False)
case('dot_empty', 'dot', [randn(0), randn(0)], torch.dot)
case('outer_empty', 'outer', [randn(0), randn(3)], torch.outer)
case('stack_empty', 'stack', [randn(0, 2), randn(0, 2)], lambda *xs: torch.stack(xs, 1), {'dim': 1})
case('split_empty', 'split', [randn(0, 3)], lambda x: weighted_pieces(torch.split(x, 2, 0), 0), {'sizeOrSections': 2, 'dim': 0})
case('pad_empty', 'pad', [randn(0, 2)], lambda x: F.pad(x, [1, 1, 0, 2]), {'padding': [1, 1, 0, 2]})
case('tril_empty', 'tril', [randn(0, 3)], torch.tril)
case('triu_batched_empty', 'triu', [randn(0, 2, 3)], lambda x: torch.triu(x, 1), {'diagonal': 1})
case('permute_empty', 'permute', [randn(2, 0, 3)], lambda x: x.permute(1, 2, 0), {'dims': [1, 2, 0]})
case('transpose_scalar', 'transpose', [randn()], lambda x: x.transpose(0, -1), {'dim0': 0, 'dim1': -1})
case('expand_empty', 'expand', [randn(0, 1)], lambda x: x.expand(0, 3), {'shape': [0, 3]})
case('squeeze_scalar', 'squeeze', [randn()], lambda x: x.squeeze(), {})
case('unsqueeze_empty', 'unsqueeze', [randn(0, 2)], lambda x: x.unsqueeze(1), {'dim': 1})
case('flatten_empty', 'flatten', [randn(2, 0, 3)], lambda x: torch.flatten(x, 0, 1), {'startDim': 0, 'endDim': 1})
case('flip_scalar', 'flip', [randn()], lambda x: torch.flip(x, [0]), {'dims': [0]})
case('slice_empty_range', 'slice', [randn(3, 4)], lambda x: x[:, 3:1], {'dim': 1, 'start': 3, 'end': 1})

# ---- all / any (appended last, so the earlier cases keep their random draws) ----------------------

for op, fn in [('all', torch.all), ('any', torch.any)]:
    case(f'{op}_bool_all', op, [mask((3, 4))], fn, grad=False)
    case(f'{op}_float_dim1', op, [grid((3, 4), -1, 1)], lambda x: fn(x, 1), {'dim': 1}, grad=False)
    case(f'{op}_int_dim0_keepdim', op, [index((3, 4), 2)], lambda x: fn(x, 0, keepdim=True), {'dim': 0, 'keepdim': True}, grad=False)
    case(f'{op}_empty_reduced', op, [torch.zeros(2, 0)], lambda x: fn(x, 1), {'dim': 1}, grad=False)
    case(f'{op}_scalar', op, [torch.tensor(0.0)], fn, grad=False)

# ---- write --------------------------------------------------------------------------------------

write('ops', 'tools/gen_op_fixtures.py')
