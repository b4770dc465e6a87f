#!/usr/bin/python3
"""Generates packages/core/src/testing/fixtures/ops-linalg.json: the linalg namespace vs torch.linalg.

Run with Debian's python (torch 1.13):  /usr/bin/python3 tools/gen_ops_linalg.py

Inputs are well conditioned: SPD matrices for cholesky, diagonally dominant ones for solve/inv/det,
and matrices built as Q·diag(λ)·Qᵀ or U·diag(s)·Vᵀ with eigen/singular values spaced >= 0.3 for
eigh/svd/pinv, so their gradients (which divide by λⱼ − λᵢ) are stable under central differences.
Eigenvectors and singular vectors have no defined sign, so those cases record sign-invariant
compositions (V·diag(exp λ)·Vᵀ, U·diag(s²)·Vh); the op-table rows (rows/linalg.ts) mirror them.
cholesky and eigh read one triangle, and PyTorch's gradient assumes a symmetric perturbation, so
their differentiable cases symmetrize the input first ((A + Aᵀ)/2, as PyTorch's own gradcheck
wrapper does); cases marked raw feed a non-symmetric A, values only, to check which triangle is read.
"""
import math

import torch

from opfix import *  # noqa: F401,F403 (samplers, case, write)

seed(4242)
LA = torch.linalg
INF = math.inf


def mT(x):
    return x.transpose(-2, -1)


def sym(x):
    return (x + mT(x)) / 2


def orthogonal(*batch, n):
    q, r = LA.qr(randn(*batch, n, n))
    return q * torch.sign(torch.diagonal(r, dim1=-2, dim2=-1)).unsqueeze(-2)


def spaced(*batch, n, lo=-1.5, gap=0.5):
    """n values per batch entry, ascending, consecutive ones 0.3 to 0.5 + gap apart."""
    steps = 0.3 + gap * torch.rand(tuple(batch) + (n,), generator=GEN)
    return lo + torch.cumsum(steps, -1)


def symmetric(*batch, n, lo=-1.5):
    """Q·diag(λ)·Qᵀ with eigenvalues spaced >= 0.3."""
    q = orthogonal(*batch, n=n)
    return (q * spaced(*batch, n=n, lo=lo).unsqueeze(-2)) @ mT(q)


def spd(*batch, n):
    return symmetric(*batch, n=n, lo=0.2)


def with_singular_values(*batch, m, n, lo=0.4):
    """U·diag(s)·Vᵀ with singular values spaced >= 0.3, starting near lo."""
    k = min(m, n)
    u = orthogonal(*batch, n=m)[..., :k]
    v = orthogonal(*batch, n=n)[..., :k]
    return (u * spaced(*batch, n=k, lo=lo).flip(-1).unsqueeze(-2)) @ mT(v)


def dominant(*batch, n):
    """Diagonally dominant (|aᵢᵢ| > Σⱼ |aᵢⱼ|), with mixed-sign diagonals: invertible, condition number < ~10."""
    a = uniform(tuple(batch) + (n, n), -1, 1)
    d = (a.abs().sum(-1) + uniform(tuple(batch) + (n,), 0.5, 1.5)) * torch.where(mask(tuple(batch) + (n,)), 1.0, -1.0)
    return a + torch.diag_embed(d - torch.diagonal(a, dim1=-2, dim2=-1))


# ---- cholesky -------------------------------------------------------------------------------------


def chol(a, upper=False, raw=False):
    return LA.cholesky(a if raw else sym(a), upper=upper)


case('cholesky_3x3', 'cholesky', [spd(n=3)], chol)
case('cholesky_batched', 'cholesky', [spd(2, n=3)], chol)
case('cholesky_upper', 'cholesky', [spd(2, n=3)], lambda a: chol(a, upper=True), {'upper': True})
case('cholesky_1x1', 'cholesky', [spd(n=1)], chol)
case('cholesky_empty_batch', 'cholesky', [spd(0, n=3)], chol)
# One triangle is read; the other holds garbage (values only).
for upper in (False, True):
    junk = torch.tril(randn(3, 3), -1) if upper else torch.triu(randn(3, 3), 1)
    case(f'cholesky_raw_{"upper" if upper else "lower"}', 'cholesky', [spd(n=3) + junk],
         lambda x, u=upper: chol(x, upper=u, raw=True), {'upper': upper, 'raw': True}, grad=False)

# ---- solve, solveTriangular, inv ----------------------------------------------------------------------

case('solve_matrix', 'solve', [dominant(n=3), randn(3, 2)], LA.solve)
case('solve_vector', 'solve', [dominant(n=3), randn(3)], LA.solve)
case('solve_batched_vector', 'solve', [dominant(2, n=3), randn(2, 3)], LA.solve)
case('solve_broadcast', 'solve', [dominant(2, 1, n=2), randn(3, 2, 1)], LA.solve)
case('solve_shared_A', 'solve', [dominant(n=3), randn(2, 3, 1)], LA.solve)
case('solve_right', 'solve', [dominant(2, n=2), randn(2, 3, 2)], lambda a, b: LA.solve(a, b, left=False), {'left': False})
case('solve_1x1', 'solve', [dominant(n=1), randn(1, 1)], LA.solve)
case('solve_empty_batch', 'solve', [dominant(0, n=3), randn(0, 3, 2)], LA.solve)


def tri(a, b, upper, left=True, unitriangular=False):
    return LA.solve_triangular(a, b, upper=upper, left=left, unitriangular=unitriangular)


case('solveTriangular_lower', 'solveTriangular', [dominant(n=3), randn(3, 2)], lambda a, b: tri(a, b, False), {'upper': False})
case('solveTriangular_upper_batched', 'solveTriangular', [dominant(2, n=3), randn(2, 3, 2)], lambda a, b: tri(a, b, True), {'upper': True})
case('solveTriangular_right', 'solveTriangular', [dominant(n=3), randn(2, 2, 3)], lambda a, b: tri(a, b, True, left=False),
     {'upper': True, 'left': False})
case('solveTriangular_unit', 'solveTriangular', [dominant(n=3), randn(3, 2)], lambda a, b: tri(a, b, False, unitriangular=True),
     {'upper': False, 'unitriangular': True})

case('inv_3x3', 'inv', [dominant(n=3)], LA.inv)
case('inv_batched', 'inv', [dominant(2, 1, n=3)], LA.inv)
case('inv_1x1', 'inv', [dominant(n=1)], LA.inv)
case('inv_empty_batch', 'inv', [dominant(0, n=2)], LA.inv)

# ---- det, slogdet -------------------------------------------------------------------------------------


def negative_det(n):
    """A diagonally dominant matrix with its first row negated where needed so that det < 0."""
    a = dominant(n=n)
    if LA.det(a) > 0:
        a[0] = -a[0]
    return a


case('det_3x3', 'det', [dominant(n=3)], LA.det)
case('det_batched', 'det', [dominant(2, n=3)], LA.det)
case('det_negative', 'det', [negative_det(3)], LA.det)
case('det_1x1', 'det', [dominant(n=1)], LA.det)
case('det_4x4', 'det', [dominant(n=4)], LA.det)
case('det_empty_batch', 'det', [dominant(0, n=3)], LA.det)


class DetCreateGraph(torch.autograd.Function):
    """det whose backward is torch's create_graph path (the cofactor matrix, via SVD): at an exactly
    singular A, torch 1.13's first-order path solves with g·det = 0 and returns zeros instead."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return LA.det(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        with torch.enable_grad():
            x = a.detach().requires_grad_()
            (ga,) = torch.autograd.grad(LA.det(x), x, g, create_graph=True)
        return ga.detach()


# Rank 2, with an LU that is exact in binary (row 1 = row 0 / 2), so det is exactly 0 in float32 too.
case('det_singular', 'det', [torch.tensor([[4.0, 2.0, 2.0], [2.0, 1.0, 1.0], [1.0, 3.0, 5.0]])], DetCreateGraph.apply)


def slog(a):
    sign, logabs = LA.slogdet(a)
    return torch.stack([sign, logabs], -1)


case('slogdet_3x3', 'slogdet', [dominant(n=3)], slog)
case('slogdet_negative', 'slogdet', [negative_det(3)], slog)
case('slogdet_batched', 'slogdet', [dominant(2, n=4)], slog)
case('slogdet_large', 'slogdet', [dominant(n=3) * 1e3], slog)

# ---- qr ---------------------------------------------------------------------------------------------


def qr_flat(a, mode='reduced'):
    q, r = LA.qr(a, mode=mode)
    if mode == 'r':
        return r
    return torch.cat([q.flatten(-2), r.flatten(-2)], -1)


case('qr_square', 'qr', [randn(3, 3)], qr_flat)
case('qr_tall', 'qr', [randn(4, 3)], qr_flat)
case('qr_wide', 'qr', [randn(3, 5)], qr_flat)
case('qr_batched', 'qr', [randn(2, 3, 2)], qr_flat)
case('qr_complete_wide', 'qr', [randn(2, 3)], lambda a: qr_flat(a, 'complete'), {'mode': 'complete'})
case('qr_complete_tall', 'qr', [randn(4, 2)], lambda a: qr_flat(a, 'complete'), {'mode': 'complete'}, grad=False)
case('qr_r', 'qr', [randn(4, 3)], lambda a: qr_flat(a, 'r'), {'mode': 'r'}, grad=False)
case('qr_empty_batch', 'qr', [randn(0, 3, 2)], qr_flat)

# ---- eigh -------------------------------------------------------------------------------------------


def eigh_flat(a, UPLO='L', raw=False):
    w, v = LA.eigh(a if raw else sym(a), UPLO=UPLO)
    return torch.cat([w.unsqueeze(-2), (v * w.exp().unsqueeze(-2)) @ mT(v)], -2)


case('eigh_3x3', 'eigh', [symmetric(n=3)], eigh_flat)
case('eigh_batched', 'eigh', [symmetric(2, n=3)], eigh_flat)
case('eigh_4x4', 'eigh', [symmetric(n=4)], eigh_flat)
case('eigh_1x1', 'eigh', [symmetric(n=1)], eigh_flat)
case('eigh_empty_batch', 'eigh', [symmetric(0, n=3)], eigh_flat)
case('eigh_upper', 'eigh', [symmetric(n=3)], lambda a: eigh_flat(a, 'U'), {'UPLO': 'U'})
for uplo in ('L', 'U'):
    a = symmetric(n=3) + (torch.triu(randn(3, 3), 1) if uplo == 'L' else torch.tril(randn(3, 3), -1))
    case(f'eigh_raw_{uplo}', 'eigh', [a], lambda x, u=uplo: eigh_flat(x, u, raw=True), {'UPLO': uplo, 'raw': True}, grad=False)

# ---- svd, svdvals, pinv ---------------------------------------------------------------------------------


def svd_flat(a, full_matrices=True):
    u, s, vh = LA.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    usv = (u[..., :k] * s.square().unsqueeze(-2)) @ vh[..., :k, :]
    return torch.cat([usv.flatten(-2), s], -1)


case('svd_square', 'svd', [with_singular_values(m=3, n=3)], svd_flat)
case('svd_tall', 'svd', [with_singular_values(m=4, n=3)], svd_flat)
case('svd_wide', 'svd', [with_singular_values(m=2, n=4)], svd_flat)
case('svd_batched', 'svd', [with_singular_values(2, m=3, n=2)], svd_flat)
case('svd_reduced_tall', 'svd', [with_singular_values(m=5, n=2)], lambda a: svd_flat(a, False), {'fullMatrices': False})
case('svd_reduced_wide', 'svd', [with_singular_values(2, m=2, n=3)], lambda a: svd_flat(a, False), {'fullMatrices': False})
case('svd_empty_batch', 'svd', [with_singular_values(0, m=3, n=2)], svd_flat)

case('svdvals_square', 'svdvals', [with_singular_values(m=3, n=3)], LA.svdvals)
case('svdvals_tall', 'svdvals', [with_singular_values(m=4, n=2)], LA.svdvals)
case('svdvals_batched_wide', 'svdvals', [with_singular_values(2, m=3, n=4)], LA.svdvals)


def pinv(a, hermitian=False):
    return LA.pinv(sym(a), hermitian=True) if hermitian else LA.pinv(a)


case('pinv_tall', 'pinv', [with_singular_values(m=4, n=3)], pinv)
case('pinv_wide', 'pinv', [with_singular_values(m=2, n=3)], pinv)
case('pinv_batched', 'pinv', [with_singular_values(2, m=3, n=3)], pinv)
# Eigenvalues -1.2 ... spaced >= 0.3 and kept >= 0.15 from 0 (|λ| has a kink there).
case('pinv_hermitian', 'pinv', [symmetric(n=3, lo=-1.2) + 0.15 * torch.eye(3)], lambda a: pinv(a, True), {'hermitian': True})
# Rank 2: the third singular value (~1e-16) falls below the default tolerance eps·max(m, n)·s₀ (values only).
case('pinv_rank_deficient', 'pinv', [randn(3, 2) @ randn(2, 3)], pinv, grad=False)

# ---- matrixNorm ------------------------------------------------------------------------------------------

for name, ord_ in [('fro', 'fro'), ('nuc', 'nuc'), ('one', 1), ('minus_one', -1), ('two', 2), ('minus_two', -2), ('inf', INF), ('minus_inf', -INF)]:
    x = with_singular_values(m=3, n=4) if name in ('nuc', 'two', 'minus_two') else away((3, 4), margin=0.1)
    case(f'matrixNorm_{name}', 'matrixNorm', [x], lambda a, o=ord_: LA.matrix_norm(a, ord=o), {'ord': ord_})
case('matrixNorm_default_batched', 'matrixNorm', [randn(2, 3, 3)], LA.matrix_norm)
case('matrixNorm_dims_keepdim', 'matrixNorm', [away((3, 2, 4), margin=0.1)], lambda a: LA.matrix_norm(a, ord=1, dim=(2, 0), keepdim=True),
     {'ord': 1, 'dim': [2, 0], 'keepdim': True})
case('matrixNorm_nuc_dims', 'matrixNorm', [with_singular_values(2, m=3, n=4).permute(1, 0, 2).contiguous()],
     lambda a: LA.matrix_norm(a, ord='nuc', dim=(0, 2)), {'ord': 'nuc', 'dim': [0, 2]})

# ---- matrixExp -------------------------------------------------------------------------------------------

case('matrixExp_near_identity', 'matrixExp', [randn(3, 3, scale=0.05)], LA.matrix_exp)
case('matrixExp_3x3', 'matrixExp', [randn(3, 3, scale=0.6)], LA.matrix_exp)
# ‖A‖₁ ≈ 6: three squarings.
case('matrixExp_large_norm', 'matrixExp', [randn(3, 3, scale=0.6) + torch.tensor([[1.5, 2.0, 0.0], [-2.0, 1.0, 0.5], [0.0, -0.5, -1.0]])], LA.matrix_exp)
case('matrixExp_batched', 'matrixExp', [randn(2, 2, 2, scale=0.8)], LA.matrix_exp)
case('matrixExp_1x1', 'matrixExp', [randn(1, 1)], LA.matrix_exp)
case('matrixExp_empty_batch', 'matrixExp', [randn(0, 3, 3)], LA.matrix_exp)

# A batch of n matrices of size n: an [n, n] identity would read as a batch of vectors (appended last: earlier draws unchanged).
case('inv_batch_equals_n', 'inv', [dominant(2, n=2)], LA.inv)
case('slogdet_batch_equals_n', 'slogdet', [dominant(2, n=2)], slog)

write('ops-linalg', 'tools/gen_ops_linalg.py')
