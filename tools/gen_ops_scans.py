#!/usr/bin/python3
"""Generates packages/core/src/testing/fixtures/ops-scans.json: scans, order statistics and searching.

Run with Debian's python (torch 1.13):  /usr/bin/python3 tools/gen_ops_scans.py

Ops: cumprod, logcumsumexp, cummax, cummin, diff, median, kthvalue, mode, bincount, bucketize,
searchsorted, unique. Every expected number comes from torch. Inputs of differentiable cases keep
their selected entries >= 0.1 apart (distinct()), so central differences see one branch; the *_ties
cases check PyTorch's tie rules (values, indices and the gradient to the chosen index).
"""
import torch

from opfix import *  # noqa: F401,F403 (samplers, case, write)

seed(8308)
NAN, INF = float('nan'), float('inf')
T = torch.tensor


def ints(*rows):
    return torch.tensor(rows if len(rows) > 1 else rows[0], dtype=torch.int64)


# ---- cumprod: exact with zeros (one and two per row), any order -----------------------------------
case('cumprod_2d', 'cumprod', [randn(3, 4)], lambda x: torch.cumprod(x, 1), {'dim': 1})
case('cumprod_3d_dim0', 'cumprod', [randn(3, 2, 3)], lambda x: torch.cumprod(x, 0), {'dim': 0})
case('cumprod_negdim_long', 'cumprod', [uniform((2, 9), 0.6, 1.5)], lambda x: torch.cumprod(x, -1), {'dim': -1})
case('cumprod_one_zero', 'cumprod', [T([[1.5, 0.0, 2.0, -0.7, 1.2], [0.8, -1.3, 0.9, 1.1, 0.0]])], lambda x: torch.cumprod(x, 1), {'dim': 1})
case('cumprod_two_zeros', 'cumprod', [T([[1.5, 0.0, 2.0, 0.0, 1.2], [0.0, 0.0, 0.6, -1.1, 0.9]])], lambda x: torch.cumprod(x, -1), {'dim': -1})
case('cumprod_zero_col', 'cumprod', [T([[1.3, -0.4], [0.0, 2.0], [0.7, 0.0], [-1.2, 1.6]])], lambda x: torch.cumprod(x, 0), {'dim': 0})
case('cumprod_scalar', 'cumprod', [randn()], lambda x: torch.cumprod(x, 0), {'dim': 0})
case('cumprod_empty', 'cumprod', [randn(0, 3)], lambda x: torch.cumprod(x, 0), {'dim': 0})
case('cumprod_int', 'cumprod', [ints([1, 2, -3, 2], [4, 0, 2, 5])], lambda x: torch.cumprod(x, 1), {'dim': 1}, grad=False)

# ---- logcumsumexp: stable at ±1e4, -inf entries -----------------------------------------------------
case('logcumsumexp_2d', 'logcumsumexp', [randn(3, 5, scale=2.0)], lambda x: torch.logcumsumexp(x, 1), {'dim': 1})
case('logcumsumexp_3d_negdim', 'logcumsumexp', [randn(2, 6, 2, scale=2.0)], lambda x: torch.logcumsumexp(x, -2), {'dim': -2})
case('logcumsumexp_big_logits', 'logcumsumexp', [T([[-1e4, 0.0, 1e4, -1e4, 1e4 - 1.5], [1e4, -1e4, -1e4 + 2.0, 3.0, 1e4 + 0.5]])], lambda x: torch.logcumsumexp(x, 1), {'dim': 1})
case('logcumsumexp_neg_inf', 'logcumsumexp', [T([[0.5, -INF, 1.0, -INF], [-1.0, 2.0, -INF, 0.3]])], lambda x: torch.logcumsumexp(x, 1), {'dim': 1})
# A leading -inf: PyTorch's gradient there is NaN (exp(-inf - (-inf))), graft's the finite limit: values only.
case('logcumsumexp_leading_neg_inf', 'logcumsumexp', [T([[-INF, -INF, 1.0, 0.0], [-INF, 0.5, -INF, 2.0]])], lambda x: torch.logcumsumexp(x, 1), {'dim': 1}, grad=False)
case('logcumsumexp_scalar', 'logcumsumexp', [randn()], lambda x: torch.logcumsumexp(x, -1), {'dim': -1})
case('logcumsumexp_empty', 'logcumsumexp', [randn(2, 0)], lambda x: torch.logcumsumexp(x, 1), {'dim': 1})

# ---- cummax / cummin: ties give the last index; NaN propagates --------------------------------------
for op, fn in [('cummax', torch.cummax), ('cummin', torch.cummin)]:
    case(f'{op}_2d', op, [distinct((3, 6))], lambda x, fn=fn: fn(x, 1), {'dim': 1})
    case(f'{op}_3d_negdim', op, [distinct((2, 5, 2))], lambda x, fn=fn: fn(x, -2), {'dim': -2})
    case(f'{op}_ties', op, [T([[1.0, 3.0, 3.0, 2.0, 3.0, 0.5], [2.0, 2.0, -1.0, 2.0, -1.0, 4.0]])], lambda x, fn=fn: fn(x, 1), {'dim': 1})
    case(f'{op}_nan', op, [T([[1.0, NAN, 3.0, NAN, 0.0], [2.0, 1.0, 4.0, 0.5, NAN]])], lambda x, fn=fn: fn(x, 1), {'dim': 1}, grad=False)
    case(f'{op}_int', op, [ints([3, 1, 4, 1, 5], [2, 7, 1, 8, 2])], lambda x, fn=fn: fn(x, 1), {'dim': 1}, grad=False)
    case(f'{op}_scalar', op, [randn()], lambda x, fn=fn: fn(x, 0), {'dim': 0})
    case(f'{op}_empty', op, [randn(0, 3)], lambda x, fn=fn: fn(x, 0), {'dim': 0})

# ---- diff ----------------------------------------------------------------------------------------
# kwargs prepend/append = True mark extra inputs (in that order) after x.
case('diff_1d', 'diff', [randn(6)], torch.diff)
case('diff_2d_dim0', 'diff', [randn(4, 3)], lambda x: torch.diff(x, dim=0), {'dim': 0})
case('diff_n2_negdim', 'diff', [randn(2, 3, 5)], lambda x: torch.diff(x, n=2, dim=-1), {'n': 2, 'dim': -1})
case('diff_n_too_big', 'diff', [randn(2, 3)], lambda x: torch.diff(x, n=5), {'n': 5})
case('diff_n0', 'diff', [randn(2, 3)], lambda x: torch.diff(x, n=0), {'n': 0})
case('diff_prepend_append', 'diff', [randn(2, 3), randn(2, 1), randn(2, 2)],
     lambda x, p, a: torch.diff(x, n=2, dim=1, prepend=p, append=a), {'n': 2, 'dim': 1, 'prepend': True, 'append': True})
case('diff_append_dim0', 'diff', [randn(3, 2), randn(2, 2)], lambda x, a: torch.diff(x, dim=0, append=a), {'dim': 0, 'append': True})
case('diff_empty', 'diff', [randn(0, 4)], lambda x: torch.diff(x, dim=1), {'dim': 1})
case('diff_int', 'diff', [ints([1, 5, 2, 8], [0, -3, 3, 3])], torch.diff, grad=False)
case('diff_bool', 'diff', [T([[True, False, False, True], [False, False, True, True]])], torch.diff, grad=False)

# ---- median (lower median), kthvalue -------------------------------------------------------------
case('median_all_odd', 'median', [distinct((3, 5))], torch.median)
case('median_all_even', 'median', [distinct((2, 4))], torch.median)
case('median_all_ties', 'median', [T([[1.0, 2.0], [2.0, 3.0]])], torch.median)
case('median_all_nan', 'median', [T([1.0, NAN, 2.0])], torch.median, grad=False)
case('median_all_empty', 'median', [randn(0, 2)], torch.median, grad=False)
case('median_dim1_odd', 'median', [distinct((3, 5))], lambda x: torch.median(x, 1), {'dim': 1})
case('median_dim0_even_keepdim', 'median', [distinct((4, 3))], lambda x: torch.median(x, 0, keepdim=True), {'dim': 0, 'keepdim': True})
case('median_3d_negdim', 'median', [distinct((2, 3, 4))], lambda x: torch.median(x, -2), {'dim': -2})
case('median_scalar', 'median', [randn()], lambda x: torch.median(x, 0), {'dim': 0})
case('median_nan_dim', 'median', [T([[1.0, NAN, 2.0, NAN], [4.0, 1.0, 3.0, 2.0]])], lambda x: torch.median(x, 1), {'dim': 1}, grad=False)
case('median_int', 'median', [ints([4, 1, 3, 2], [9, 7, 8, 6])], lambda x: torch.median(x, 1), {'dim': 1}, grad=False)

case('kthvalue_2d', 'kthvalue', [distinct((3, 5))], lambda x: torch.kthvalue(x, 2, 1), {'k': 2, 'dim': 1})
case('kthvalue_dim0_keepdim', 'kthvalue', [distinct((4, 3))], lambda x: torch.kthvalue(x, 1, 0, keepdim=True), {'k': 1, 'dim': 0, 'keepdim': True})
case('kthvalue_last_default_dim', 'kthvalue', [distinct((2, 3, 4))], lambda x: torch.kthvalue(x, 4), {'k': 4})
case('kthvalue_scalar', 'kthvalue', [randn()], lambda x: torch.kthvalue(x, 1), {'k': 1})
case('kthvalue_int', 'kthvalue', [ints([5, 1, 4], [2, 9, 0])], lambda x: torch.kthvalue(x, 2), {'k': 2}, grad=False)

# ---- mode: the smallest most frequent value, at its last occurrence ----------------------------------
case('mode_ties', 'mode', [T([[1.0, 2.0, 2.0, 1.0, 3.0], [0.0, 0.0, 4.0, 0.0, 4.0], [2.5, 1.5, 2.5, 1.5, 1.5]])], lambda x: torch.mode(x, 1), {'dim': 1})
case('mode_dim0_keepdim', 'mode', [T([[2.0, 1.0], [1.0, 1.0], [2.0, 3.0], [1.0, 3.0]])], lambda x: torch.mode(x, 0, keepdim=True), {'dim': 0, 'keepdim': True})
case('mode_distinct', 'mode', [distinct((2, 4))], lambda x: torch.mode(x), {})
case('mode_3d_negdim', 'mode', [grid((2, 5, 3), -1, 1)], lambda x: torch.mode(x, -2), {'dim': -2})
case('mode_int', 'mode', [ints([3, 3, 1, 1, 2], [7, 5, 5, 7, 7])], lambda x: torch.mode(x, 1), {'dim': 1}, grad=False)
case('mode_scalar', 'mode', [randn()], lambda x: torch.mode(x, 0), {'dim': 0})

# ---- bincount (int counts; float sums with weights); torch has no bincount gradient -------------------
case('bincount_basic', 'bincount', [ints([0, 2, 2, 5, 1, 2])], torch.bincount, grad=False)
case('bincount_minlength', 'bincount', [ints([1, 1, 3])], lambda x: torch.bincount(x, minlength=7), {'minlength': 7}, grad=False)
case('bincount_short_minlength', 'bincount', [ints([4, 0])], lambda x: torch.bincount(x, minlength=2), {'minlength': 2}, grad=False)
case('bincount_weights', 'bincount', [ints([0, 3, 3, 1, 0]), randn(5)], lambda x, w: torch.bincount(x, w), {}, grad=False)
case('bincount_empty', 'bincount', [ints([])], lambda x: torch.bincount(x, minlength=3), {'minlength': 3}, grad=False)

# ---- bucketize / searchsorted (int results) ---------------------------------------------------------
B = T([-1.0, 0.0, 0.0, 1.5, 2.0])
V = T([[-2.0, -1.0, 0.0, 0.5], [1.5, 1.75, 2.0, 3.0], [NAN, -0.5, 2.5, 0.0]])
case('bucketize_left', 'bucketize', [V, B], torch.bucketize, grad=False)
case('bucketize_right', 'bucketize', [V, B], lambda v, b: torch.bucketize(v, b, right=True), {'right': True}, grad=False)
case('bucketize_int', 'bucketize', [ints([[0, 3, 5], [9, -1, 4]]), ints([0, 3, 4, 8])], torch.bucketize, grad=False)
case('bucketize_scalar', 'bucketize', [T(1.5), B], torch.bucketize, grad=False)
case('bucketize_no_boundaries', 'bucketize', [T([0.5, -3.0]), torch.zeros(0)], torch.bucketize, grad=False)

S1 = T([0.0, 1.0, 1.0, 2.5, 4.0])
VS = T([[-1.0, 1.0, 2.5], [4.0, 5.0, 0.5]])
case('searchsorted_left', 'searchsorted', [S1, VS], torch.searchsorted, grad=False)
case('searchsorted_right', 'searchsorted', [S1, VS], lambda s, v: torch.searchsorted(s, v, right=True), {'right': True}, grad=False)
case('searchsorted_side_right', 'searchsorted', [S1, VS], lambda s, v: torch.searchsorted(s, v, side='right'), {'side': 'right'}, grad=False)
case('searchsorted_side_left_right_false', 'searchsorted', [S1, VS], lambda s, v: torch.searchsorted(s, v, right=False, side='left'), {'right': False, 'side': 'left'}, grad=False)
SB = T([[1.0, 3.0, 5.0, 7.0], [2.0, 2.0, 4.0, 6.0]])
VB = T([[3.0, 8.0, 0.0], [2.0, 5.0, NAN]])
case('searchsorted_batched', 'searchsorted', [SB, VB], torch.searchsorted, grad=False)
case('searchsorted_batched_right', 'searchsorted', [SB, VB], lambda s, v: torch.searchsorted(s, v, right=True), {'right': True}, grad=False)
case('searchsorted_batched_3d', 'searchsorted', [torch.sort(grid((2, 2, 4)), -1).values, grid((2, 2, 3))],
     lambda s, v: torch.searchsorted(s, v, side='right'), {'side': 'right'}, grad=False)
case('searchsorted_int', 'searchsorted', [ints([1, 2, 3, 5]), ints([[2, 5], [0, 9]])], torch.searchsorted, grad=False)
case('searchsorted_scalar_value', 'searchsorted', [S1], lambda s: torch.searchsorted(s, 1.0), {'value': 1.0}, grad=False)
case('searchsorted_empty_values', 'searchsorted', [S1, torch.zeros(0)], torch.searchsorted, grad=False)

# ---- unique (sorted; the row's indices are the inverse, or the counts when only they are asked) -------
U = T([[3.0, 1.0, 2.0], [3.0, 1.0, -0.5]])
case('unique_flat', 'unique', [U], torch.unique, grad=False)
case('unique_inverse', 'unique', [U], lambda x: torch.unique(x, return_inverse=True), {'returnInverse': True}, grad=False)
case('unique_counts', 'unique', [U], lambda x: torch.unique(x, return_counts=True), {'returnCounts': True}, grad=False)
case('unique_dim0', 'unique', [ints([1, 2], [0, 5], [1, 2], [0, 4])], lambda x: torch.unique(x, dim=0, return_inverse=True), {'dim': 0, 'returnInverse': True}, grad=False)
case('unique_dim1_counts', 'unique', [T([[1.0, 0.0, 1.0, 0.0], [2.0, 5.0, 2.0, 4.0]])], lambda x: torch.unique(x, dim=-1, return_counts=True), {'dim': -1, 'returnCounts': True}, grad=False)
case('unique_int', 'unique', [ints([5, -2, 5, 0, -2, 7])], lambda x: torch.unique(x, return_counts=True), {'returnCounts': True}, grad=False)
case('unique_bool', 'unique', [T([True, False, True])], torch.unique, grad=False)
case('unique_scalar', 'unique', [T(2.5)], lambda x: torch.unique(x, return_inverse=True), {'returnInverse': True}, grad=False)
case('unique_empty', 'unique', [torch.zeros(0)], lambda x: torch.unique(x, return_counts=True), {'returnCounts': True}, grad=False)

write('ops-scans', 'tools/gen_ops_scans.py')
