#!/usr/bin/python3
"""Fixtures for the shape and indexing ops (packages/core/src/testing/fixtures/ops-shape.json).

Run with Debian's python (torch 1.13):  /usr/bin/python3 tools/gen_ops_shape.py

repeat, tile, roll, diagonal, diag, diagEmbed, trace, rot90, unfold, scatter, indexAdd,
maskedSelect, nonzero, take: batched and negative dims, ± offsets, non-square matrices, empty and
0-d inputs, int32/bool inputs (values only). Every op here copies or adds values, so there are no
kinks: plain normal samples do. Scatter indices never repeat a target (PyTorch leaves that undefined).
"""
import torch

from opfix import *  # noqa: F401,F403 (samplers, case, write)

seed(8_0813)


def ints(*shape):
    return torch.randint(-5, 6, shape, generator=GEN)


def distinct_index(shape, dim, size):
    """Indices along `dim` into a dim of `size`, never repeating within one slice along `dim`."""
    full = list(shape)
    full[dim] = size
    return torch.rand(full, generator=GEN).argsort(dim).narrow(dim, 0, shape[dim])


# ---- repeat, tile ---------------------------------------------------------------------------------

for name, x, sizes in [
    ('repeat_2d', randn(2, 3), [2, 1]),
    ('repeat_more_sizes', randn(2, 3), [2, 1, 3]),
    ('repeat_zero', randn(2, 3), [0, 2]),
    ('repeat_scalar', randn(), [3, 2]),
    ('repeat_empty', randn(0, 3), [2, 2]),
    ('repeat_int32', ints(2, 2), [1, 2]),
    ('repeat_bool', mask([3]), [2, 2]),
]:
    case(name, 'repeat', [x], lambda t, s=sizes: t.repeat(*s), {'sizes': sizes})

for name, x, dims in [
    ('tile_fewer_dims', randn(2, 3, 2), [2]),
    ('tile_more_dims', randn(2, 3), [2, 1, 2]),
    ('tile_scalar', randn(), [3]),
    ('tile_bool', mask([2, 2]), [1, 3]),
]:
    case(name, 'tile', [x], lambda t, s=dims: torch.tile(t, s), {'dims': dims})

# ---- roll -----------------------------------------------------------------------------------------

for name, x, shifts, dims in [
    ('roll_1d', randn(5), 2, 0),
    ('roll_negative_shift', randn(3, 4), -5, -1),
    ('roll_multi', randn(2, 2, 4), [1, -2], [0, 2]),
    ('roll_same_dim_twice', randn(6), [2, 3], [0, 0]),
    ('roll_flat', randn(3, 4), 5, None),
    ('roll_flat_negative', randn(2, 3), -7, None),
    ('roll_large_shift', randn(4), 9, 0),
    ('roll_empty', randn(0, 3), 1, 0),
    ('roll_scalar', randn(), 2, None),
    ('roll_bool', mask([2, 3]), 1, 1),
    ('roll_int32', ints(2, 3), -1, None),
]:
    kw = {'shifts': shifts} if dims is None else {'shifts': shifts, 'dims': dims}
    case(name, 'roll', [x], lambda t, k=kw: torch.roll(t, **k), kw)

# ---- diagonal, diag, diagEmbed, trace -------------------------------------------------------------

for name, x, kw in [
    ('diagonal_square', randn(4, 4), {}),
    ('diagonal_offset_pos', randn(3, 5), {'offset': 2}),
    ('diagonal_offset_neg', randn(5, 3), {'offset': -2}),
    ('diagonal_batched_neg_dims', randn(2, 3, 4), {'offset': 1, 'dim1': -1, 'dim2': 0}),
    ('diagonal_batched_last', randn(2, 3, 4), {'offset': -1, 'dim1': 1, 'dim2': 2}),
    ('diagonal_offset_out', randn(3, 4), {'offset': 5}),
    ('diagonal_empty', randn(0, 3), {}),
    ('diagonal_int32', ints(3, 3), {'offset': 1}),
    ('diagonal_bool', mask([3, 4]), {}),
]:
    case(name, 'diagonal', [x], lambda t, k=kw: torch.diagonal(t, **k), kw)

for name, x, offset in [
    ('diag_vector', randn(3), 0),
    ('diag_vector_offset_pos', randn(3), 2),
    ('diag_vector_offset_neg', randn(2), -1),
    ('diag_matrix', randn(3, 4), 0),
    ('diag_matrix_offset_neg', randn(4, 3), -1),
    ('diag_matrix_offset_pos', randn(3, 4), 2),
    ('diag_empty_vector', randn(0), 0),
    ('diag_int32', ints(3), 1),
]:
    case(name, 'diag', [x], lambda t, o=offset: torch.diag(t, o), {'offset': offset})

for name, x, kw in [
    ('diagEmbed_1d', randn(3), {}),
    ('diagEmbed_batched', randn(2, 3), {}),
    ('diagEmbed_offset_pos', randn(2, 3), {'offset': 1}),
    ('diagEmbed_offset_neg_dims', randn(2, 3), {'offset': -2, 'dim1': 0, 'dim2': 2}),
    ('diagEmbed_dims_swapped', randn(2, 3), {'offset': 1, 'dim1': -1, 'dim2': 0}),
    ('diagEmbed_empty', randn(2, 0), {'offset': 1}),
    ('diagEmbed_int32', ints(2, 2), {'offset': -1}),
]:
    case(name, 'diagEmbed', [x], lambda t, k=kw: torch.diag_embed(t, **k), kw)

for name, x in [
    ('trace_square', randn(3, 3)),
    ('trace_wide', randn(3, 5)),
    ('trace_empty', randn(0, 3)),
    ('trace_int32', ints(3, 3)),
]:
    case(name, 'trace', [x], torch.trace)
# torch 1.13's trace backward puts ones at every (cols + 1)-th flat position, past the diagonal of a
# tall matrix (rows (3, 0), (4, 1) of a [5, 2]); the tall case is recorded through trace's definition.
case('trace_tall', 'trace', [randn(5, 2)], lambda t: torch.diagonal(t).sum())

# ---- rot90 ----------------------------------------------------------------------------------------

for k in [-2, -1, 0, 1, 2, 3, 4, 5]:
    case(f'rot90_k{k}', 'rot90', [randn(2, 3)], lambda t, k=k: torch.rot90(t, k), {'k': k})
for name, x, k, dims in [
    ('rot90_neg_dims', randn(2, 3, 2), 1, [-1, 0]),
    ('rot90_batched_k_neg3', randn(2, 2, 3), -3, [1, 2]),
    ('rot90_reversed_dims', randn(3, 2), 1, [1, 0]),
    ('rot90_empty', randn(0, 3), 1, [0, 1]),
    ('rot90_bool', mask([2, 3]), 3, [0, 1]),
]:
    case(name, 'rot90', [x], lambda t, k=k, d=dims: torch.rot90(t, k, d), {'k': k, 'dims': dims})

# ---- unfold ---------------------------------------------------------------------------------------

for name, x, dim, size, step in [
    ('unfold_step_lt_size', randn(7), 0, 3, 2),
    ('unfold_step_gt_size', randn(2, 8), 1, 2, 3),
    ('unfold_batched_neg_dim', randn(2, 4, 2), -2, 2, 1),
    ('unfold_full', randn(4), 0, 4, 1),
    ('unfold_size0', randn(3), 0, 0, 1),
    ('unfold_empty', randn(0, 3), 0, 0, 2),
    ('unfold_scalar', randn(), 0, 1, 1),
    ('unfold_bool', mask([2, 5]), 1, 3, 2),
]:
    case(name, 'unfold', [x], lambda t, a=dim, s=size, p=step: t.unfold(a, s, p), {'dim': dim, 'size': size, 'step': step})

# ---- scatter, indexAdd ----------------------------------------------------------------------------

# torch 1.13's scatter backward fails when src is larger than index ("invalid gradient ... expected
# shape compatible with src"), so the larger-src cases record values only.
for name, x, dim, index, src, grad in [
    ('scatter_src_dim0', randn(3, 4), 0, distinct_index((2, 4), 0, 3), randn(2, 4), True),
    ('scatter_src_neg_dim', randn(3, 5), -1, distinct_index((3, 3), 1, 5), randn(3, 3), True),
    ('scatter_src_batched', randn(2, 3, 2), 1, distinct_index((2, 2, 2), 1, 3), randn(2, 2, 2), True),
    ('scatter_src_larger_than_index', randn(3, 4), 0, distinct_index((2, 4), 0, 3), randn(2, 5), False),
    ('scatter_src_small_index', randn(4, 4), 1, distinct_index((2, 2), 1, 4), randn(3, 3), False),
    ('scatter_src_empty_index', randn(3, 4), 0, distinct_index((0, 4), 0, 3), randn(0, 4), True),
    ('scatter_src_int32', ints(3, 4), 1, distinct_index((3, 2), 1, 4), ints(3, 2), False),
]:
    case(name, 'scatter', [x, index, src], lambda t, i, s, a=dim: t.scatter(a, i, s), {'dim': dim}, grad=grad)

for name, x, dim, index, value in [
    ('scatter_value', randn(3, 4), 1, distinct_index((3, 2), 1, 4), 2.5),
    ('scatter_value_neg_dim', randn(4, 3), -2, distinct_index((2, 3), 0, 4), -1.25),
    ('scatter_value_int32', ints(2, 3), 0, distinct_index((1, 3), 0, 2), 7),
]:
    case(name, 'scatter', [x, index], lambda t, i, a=dim, v=value: t.scatter(a, i, v), {'dim': dim, 'value': value})

for name, x, dim, index, source, alpha in [
    ('indexAdd_dim0_repeats', randn(4, 3), 0, torch.tensor([0, 2, 0]), randn(3, 3), 1),
    ('indexAdd_alpha_neg_dim', randn(2, 5), -1, torch.tensor([4, 1]), randn(2, 2), 2.5),
    ('indexAdd_batched', randn(2, 3, 2), 1, torch.tensor([2, 0, 2, 1]), randn(2, 4, 2), -0.5),
    ('indexAdd_empty_index', randn(2, 3), 0, torch.zeros(0, dtype=torch.int64), randn(0, 3), 1),
    ('indexAdd_scalar', randn(), 0, torch.tensor([0]), randn(), 1),
    ('indexAdd_int32_alpha', ints(3, 2), 0, torch.tensor([1, 1]), ints(2, 2), 2),
]:
    kw = {'dim': dim} if alpha == 1 else {'dim': dim, 'alpha': alpha}
    case(name, 'indexAdd', [x, index, source], lambda t, i, s, a=dim, al=alpha: t.index_add(a, i, s, alpha=al), kw)

# ---- maskedSelect, nonzero, take ------------------------------------------------------------------

for name, x, m in [
    ('maskedSelect_2d', randn(3, 4), mask([3, 4])),
    ('maskedSelect_broadcast_mask', randn(2, 3, 4), mask([4])),
    ('maskedSelect_broadcast_input', randn(4), mask([3, 4])),
    ('maskedSelect_none', randn(2, 3), torch.zeros(2, 3, dtype=torch.bool)),
    ('maskedSelect_empty', randn(0, 3), mask([0, 3])),
    ('maskedSelect_scalar', randn(), torch.tensor(True)),
    ('maskedSelect_int32', ints(2, 3), mask([2, 3])),
]:
    case(name, 'maskedSelect', [x, m], torch.masked_select)

zeros_and_values = torch.where(mask([3, 4]), 0.0, randn(3, 4))
zeros_and_values[0, 1] = float('nan')  # NaN is nonzero
for name, x, as_tuple in [
    ('nonzero_2d_nan', zeros_and_values, False),
    ('nonzero_3d_bool', mask([2, 3, 2]), False),
    ('nonzero_int32', torch.where(mask([5]), 0, ints(5)), False),
    ('nonzero_none', torch.zeros(2, 3), False),
    ('nonzero_empty', torch.zeros(0, 3), False),
    ('nonzero_scalar', torch.tensor(2.0), False),
    ('nonzero_tuple', mask([3, 4]), True),
    ('nonzero_tuple_scalar', torch.tensor(-1.5), True),
]:
    fn = (lambda t: torch.stack(torch.nonzero(t, as_tuple=True))) if as_tuple else torch.nonzero
    case(name, 'nonzero', [x], fn, {'asTuple': True} if as_tuple else {}, grad=False)

for name, x, index in [
    ('take_2d', randn(3, 4), torch.tensor([[0, 5], [11, 7]])),
    ('take_negative', randn(2, 3), torch.tensor([-6, -1, 3, -1])),
    ('take_scalar_index', randn(5), torch.tensor(2)),
    ('take_scalar_input', randn(), torch.tensor([0, -1, 0])),
    ('take_empty_index', randn(2, 2), torch.zeros(0, 2, dtype=torch.int64)),
    ('take_bool', mask([2, 3]), torch.tensor([5, 0, -2])),
]:
    case(name, 'take', [x, index], torch.take)

write('ops-shape', 'tools/gen_ops_shape.py')
