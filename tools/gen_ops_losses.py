#!/usr/bin/python3
"""Generates packages/core/src/testing/fixtures/ops-losses.json: core's fused loss ops.

Run with Debian's python (torch 1.13):  /usr/bin/python3 tools/gen_ops_losses.py

Ops: softmaxCrossEntropy (torch.nn.functional.cross_entropy with class-index targets, no weight, no
label smoothing). Every expected number comes from torch. Append new cases at the end, so the draws
of the existing ones stay.
"""
import torch
import torch.nn.functional as F

from opfix import *  # noqa: F401,F403 (samplers, case, write)

seed(1515)
T = torch.tensor


def ints(*rows):
    return torch.tensor(rows if len(rows) > 1 else rows[0], dtype=torch.int64)


def ce(kwargs):
    ignore = kwargs.get('ignoreIndex', -100)
    reduction = kwargs.get('reduction', 'mean')
    return lambda x, t: F.cross_entropy(x, t, ignore_index=ignore, reduction=reduction)


# ---- softmaxCrossEntropy ------------------------------------------------------------------------------
for red in ['mean', 'sum', 'none']:
    kw = {} if red == 'mean' else {'reduction': red}
    case(f'softmaxCrossEntropy_2d_{red}', 'softmaxCrossEntropy', [randn(6, 5, scale=2.0), index((6,), 5)], ce(kw), kw)
kw = {'ignoreIndex': 2}
case('softmaxCrossEntropy_ignore_index', 'softmaxCrossEntropy', [randn(6, 4), ints([2, 0, 2, 3, 1, 2])], ce(kw), kw)
kw = {'ignoreIndex': 2, 'reduction': 'none'}
case('softmaxCrossEntropy_ignore_index_none', 'softmaxCrossEntropy', [randn(5, 4), ints([2, 0, 1, 2, 3])], ce(kw), kw)
case('softmaxCrossEntropy_ignore_default', 'softmaxCrossEntropy', [randn(4, 3), ints([1, -100, 0, -100])], ce({}), {})
# ±1e4 logits: finite loss and gradient (max-shifted), the target at the large and at the small entries
case('softmaxCrossEntropy_big_logits', 'softmaxCrossEntropy', [BIG.clone(), ints([0, 3])], ce({}), {})
kw = {'reduction': 'none'}
case('softmaxCrossEntropy_one_class', 'softmaxCrossEntropy', [randn(3, 1), ints([0, 0, 0])], ce(kw), kw)
case('softmaxCrossEntropy_empty', 'softmaxCrossEntropy', [randn(0, 3), ints([])], ce(kw), kw)
case('softmaxCrossEntropy_kdim', 'softmaxCrossEntropy', [randn(2, 3, 4), index((2, 4), 3)], ce({}), {})
case('softmaxCrossEntropy_wide', 'softmaxCrossEntropy', [randn(3, 37, scale=3.0), index((3,), 37)], ce({}), {})

write('ops-losses', 'tools/gen_ops_losses.py')
