#!/usr/bin/python3
"""Generates packages/core/src/testing/fixtures/ops-elementwise.json: elementwise math and activations.

Run with Debian's python (torch 1.13):  /usr/bin/python3 tools/gen_ops_elementwise.py

Inputs stay inside each op's domain and >= 0.05 from its kinks and poles. Edge inputs near ±1
(asin, acos, atanh, erfinv) are dyadic (1 - 2^-k), so float32 holds them exactly and the float32
run measures graft's arithmetic, not the rounding of an ill-conditioned input.
"""
import math

import torch
import torch.nn.functional as F

from opfix import *  # noqa: F401,F403 (samplers, case, write)

seed(8008)
T = torch.tensor
INF = math.inf
NEAR1 = 1 - 2.0 ** -10  # 0.9990234375, exact in float32


def unary_cases(op, fn, sample, kw=None, grad=True):
    """The 2-d, scalar and empty cases every unary op gets."""
    case(f'{op}_2d', op, [sample(3, 4)], fn, kw, grad)
    case(f'{op}_scalar', op, [sample()], fn, kw, grad)
    case(f'{op}_empty', op, [sample(0, 3)], fn, kw, grad)


def binary_cases(op, fn, sa, sb):
    """2-d, broadcast ([3, 1] with [4]), scalar and empty cases of an op of two tensors."""
    case(f'{op}_2d', op, [sa(3, 4), sb(3, 4)], fn)
    case(f'{op}_broadcast', op, [sa(3, 1), sb(4)], fn)
    case(f'{op}_scalar', op, [sa(), sb()], fn)
    case(f'{op}_empty', op, [sa(0, 3), sb(0, 3)], fn)


def unit(*s):
    return uniform(s, -0.9, 0.9)


# ---- inverse trigonometric and hyperbolic ----------------------------------------------------------

unary_cases('asin', torch.asin, unit)
unary_cases('acos', torch.acos, unit)
for op, fn in [('asin', torch.asin), ('acos', torch.acos)]:
    case(f'{op}_near_pm1', op, [T([NEAR1, -NEAR1, 1 - 2.0 ** -7, -(1 - 2.0 ** -6), 1e-6, -1e-8])], fn)
    case(f'{op}_outside', op, [T([1.5, -2.0, 1.0, -1.0])], fn, grad=False)

unary_cases('atan', torch.atan, lambda *s: randn(*s, scale=3.0))
# One point in each of Cephes' three ranges (|x| ≤ 0.66, ≤ tan(3π/8), beyond), both signs, and ±∞.
case('atan_ranges', 'atan', [T([[0.3, 0.7, 2.0, 2.5, 100.0, 1e8], [-0.3, -0.7, -2.0, -2.5, -100.0, -1e-9]])], torch.atan)
case('atan_inf', 'atan', [T([INF, -INF, 0.0])], torch.atan, grad=False)

binary_cases('atan2', torch.atan2, lambda *s: randn(*s, scale=2.0), lambda *s: randn(*s, scale=2.0))
case('atan2_quadrants', 'atan2', [T([1.0, 1.0, -1.0, -1.0, 0.5, -0.5, 3.0, -3.0]), T([1.0, -1.0, 1.0, -1.0, -2.0, -2.0, 1e-3, 1e-3])], torch.atan2)
# IEEE's corners: ±0 against ±0 (ties on the negative x axis go to ±π by y's sign bit), ±∞ against ±∞, x = 0.
case('atan2_corners', 'atan2', [T([0.0, -0.0, 0.0, -0.0, INF, -INF, INF, 1.0, -2.0]), T([-1.0, -1.0, 0.0, -0.0, INF, -INF, -INF, 0.0, -0.0])], torch.atan2, grad=False)
case('atan2_scalar_other', 'atan2', [randn(2, 3)], lambda y: torch.atan2(y, T(-1.5)), {'other': -1.5})

unary_cases('tan', torch.tan, lambda *s: uniform(s, -1.4, 1.4))
unary_cases('sinh', torch.sinh, lambda *s: randn(*s, scale=2.0))
unary_cases('cosh', torch.cosh, lambda *s: randn(*s, scale=2.0))
for op, fn in [('sinh', torch.sinh), ('cosh', torch.cosh)]:
    case(f'{op}_edges', op, [T([20.0, -20.0, 1e-5, -1e-7, 0.0])], fn)

unary_cases('asinh', torch.asinh, lambda *s: randn(*s, scale=3.0))
case('asinh_edges', 'asinh', [T([1e-6, -1e-8, 1e5, -1e9, 0.0])], torch.asinh)
unary_cases('acosh', torch.acosh, lambda *s: positive(s, 1.05, 5.0))
case('acosh_edges', 'acosh', [T([1 + 2.0 ** -10, 1 + 2.0 ** -6, 1e6, 1e9])], torch.acosh)
case('acosh_outside', 'acosh', [T([0.5, -1.0, 1.0])], torch.acosh, grad=False)
unary_cases('atanh', torch.atanh, unit)
case('atanh_near_pm1', 'atanh', [T([1 - 2.0 ** -8, -(1 - 2.0 ** -7), 1e-6, -1e-9])], torch.atanh)
case('atanh_outside', 'atanh', [T([1.0, -1.0, 1.5, -3.0])], torch.atanh, grad=False)

# ---- rounding toward zero ------------------------------------------------------------------------------

int_away = lambda *s: away(s, -3.5, 3.5, avoid=range(-4, 5))  # noqa: E731
unary_cases('trunc', torch.trunc, int_away)
unary_cases('frac', torch.frac, int_away)

# ---- special functions ----------------------------------------------------------------------------------

NEG_NONINT = T([[-0.5, -1.3, -2.7, -3.5], [-4.2, -0.1, -5.75, -10.4]])
unary_cases('lgamma', torch.lgamma, lambda *s: positive(s, 0.1, 6.0))
case('lgamma_negative', 'lgamma', [NEG_NONINT.clone()], torch.lgamma)
case('lgamma_edges', 'lgamma', [T([1e-3, 0.95, 1.05, 1.95, 2.05, 10.0, 50.5, 170.5])], torch.lgamma)
case('lgamma_poles', 'lgamma', [T([0.0, -1.0, -3.0, INF])], torch.lgamma, grad=False)
unary_cases('digamma', torch.digamma, lambda *s: positive(s, 0.1, 6.0))
case('digamma_negative', 'digamma', [NEG_NONINT.clone()], torch.digamma)
case('digamma_edges', 'digamma', [T([1e-3, 1.4, 1.5, 10.0, 50.5, 1e4])], torch.digamma)
case('digamma_poles', 'digamma', [T([0.0, -1.0, -4.0, INF])], torch.digamma, grad=False)

unary_cases('erfinv', torch.erfinv, lambda *s: uniform(s, -0.95, 0.95))
case('erfinv_near_pm1', 'erfinv', [T([NEAR1, -NEAR1, 1 - 2.0 ** -7, -(1 - 2.0 ** -5), 1e-7, -0.7])], torch.erfinv)
case('erfinv_edges', 'erfinv', [T([1.0, -1.0, 1.5, -2.0, 0.0])], torch.erfinv, grad=False)

# ---- binary and ternary ----------------------------------------------------------------------------------

with_zeros = lambda *s: torch.where(mask(s), 0.0, randn(*s))  # noqa: E731
binary_cases('xlogy', torch.xlogy, with_zeros, lambda *s: positive(s, 0.1, 4.0))
case('xlogy_scalar_other', 'xlogy', [with_zeros(3, 4)], lambda x: torch.xlogy(x, 2.5), {'other': 2.5})
# x = 0 gives 0 for every y but NaN (values only: PyTorch's gradient wrt y at x = y = 0 is 0·∞ = NaN).
case('xlogy_zero_x', 'xlogy', [T([0.0, 0.0, 0.0, 0.0, 2.0]), T([0.0, INF, math.nan, 3.0, 0.0])], torch.xlogy, grad=False)

binary_cases('logaddexp', torch.logaddexp, lambda *s: randn(*s, scale=2.0), lambda *s: randn(*s, scale=2.0))
case('logaddexp_big_logits', 'logaddexp', [BIG.clone(), BIG.flip(1).clone()], torch.logaddexp)
case('logaddexp_tie', 'logaddexp', [T([1.5, -2.0, 1e4]), T([1.5, -2.0, 1e4])], torch.logaddexp)
case('logaddexp_inf', 'logaddexp', [T([-INF, 3.0]), T([2.0, -INF])], torch.logaddexp)
case('logaddexp_inf_pairs', 'logaddexp', [T([INF, -INF, INF, -INF]), T([INF, -INF, -INF, 5.0])], torch.logaddexp, grad=False)

case('lerp_2d', 'lerp', [randn(3, 4), randn(3, 4), uniform((3, 4), -0.2, 1.2)], torch.lerp)
case('lerp_broadcast', 'lerp', [randn(3, 1), randn(4), uniform((3, 4), -0.2, 1.2)], torch.lerp)
case('lerp_scalar', 'lerp', [randn(), randn(), uniform((), 0.0, 1.0)], torch.lerp)
case('lerp_empty', 'lerp', [randn(0, 3), randn(0, 3), randn(0, 3)], torch.lerp)
case('lerp_weight_small', 'lerp', [randn(2, 3), randn(2, 3)], lambda s, e: torch.lerp(s, e, 0.3), {'weight': 0.3})
case('lerp_weight_large', 'lerp', [randn(2, 3), randn(3)], lambda s, e: torch.lerp(s, e, 0.75), {'weight': 0.75})
case('lerp_weight_ends', 'lerp', [randn(4), randn(4), T([0.0, 1.0, 1.0, 0.0])], torch.lerp)

case('addcmul_2d', 'addcmul', [randn(3, 4), randn(3, 4), randn(3, 4)], torch.addcmul)
case('addcmul_broadcast', 'addcmul', [randn(3, 1), randn(4), randn(2, 1, 1)], lambda x, a, b: torch.addcmul(x, a, b, value=-0.5), {'value': -0.5})
case('addcmul_scalar', 'addcmul', [randn(), randn(), randn()], lambda x, a, b: torch.addcmul(x, a, b, value=2.0), {'value': 2.0})
case('addcmul_empty', 'addcmul', [randn(0, 3), randn(0, 3), randn(3)], torch.addcmul)

# ---- activations -------------------------------------------------------------------------------------------

unary_cases('hardtanh', F.hardtanh, lambda *s: away(s, avoid=(-1.0, 1.0)))
case('hardtanh_bounds', 'hardtanh', [away((3, 4), -3, 3, avoid=(-0.5, 2.0))], lambda x: F.hardtanh(x, -0.5, 2.0), {'minVal': -0.5, 'maxVal': 2.0})
# Exactly at the bounds PyTorch's gradient is 0 (clamp's would be 1).
case('hardtanh_at_bounds', 'hardtanh', [T([-1.0, 1.0, 0.25, -2.0])], F.hardtanh)

for op, fn in [('mish', F.mish), ('softsign', F.softsign)]:
    unary_cases(op, fn, lambda *s: randn(*s, scale=3.0))
    case(f'{op}_big_logits', op, [BIG.clone()], fn)

case('softmin_2d', 'softmin', [randn(3, 4, scale=2.0)], lambda x: F.softmin(x, dim=1), {'dim': 1})
case('softmin_dim0_3d', 'softmin', [randn(3, 2, 4, scale=2.0)], lambda x: F.softmin(x, dim=0), {'dim': 0})
case('softmin_negative_dim', 'softmin', [randn(2, 3, 4)], lambda x: F.softmin(x, dim=-2), {'dim': -2})
case('softmin_scalar', 'softmin', [randn()], lambda x: F.softmin(x, dim=0), {'dim': 0})
case('softmin_empty', 'softmin', [randn(0, 3)], lambda x: F.softmin(x, dim=1), {'dim': 1})
case('softmin_big_logits', 'softmin', [BIG.clone()], lambda x: F.softmin(x, dim=1), {'dim': 1})

unary_cases('logit', torch.logit, lambda *s: uniform(s, 0.05, 0.95))
case('logit_eps', 'logit', [T([[0.02, 0.04, 0.3, 0.5], [0.7, 0.96, 0.99, 0.16]])], lambda x: torch.logit(x, eps=0.1), {'eps': 0.1})
case('logit_tiny_eps', 'logit', [T([1e-3, 0.5, 0.999, 0.25])], lambda x: torch.logit(x, eps=1e-6), {'eps': 1e-6})
# Outside [0, 1] without eps: NaN values and NaN gradients; at 0 and 1, ∓∞ with gradient +∞.
case('logit_outside', 'logit', [T([-0.5, 1.5, 0.0, 1.0, 0.3])], torch.logit)

write('ops-elementwise', 'tools/gen_ops_elementwise.py')
