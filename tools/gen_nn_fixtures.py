"""PyTorch fixtures for graft's nn layers: packages/core/test/fixtures/nn.json.

Each case builds a torch.nn layer, sets every parameter and buffer explicitly from the seeded
generator (not PyTorch's init), runs forward on recorded inputs and records: the state dict (torch's
key names, which graft's loadStateDict must accept as they are), the outputs, a random cotangent
per output, and the gradients of sum(output * cotangent) with respect to the float inputs and every
parameter, plus the state dict after the forward (BatchNorm's running statistics). `args` are the
graft constructor's arguments; `factory` says that the last one is an options object that takes
{dtype: 'float64'}. Float64 throughout. Run with Debian's torch: /usr/bin/python3 tools/gen_nn_fixtures.py
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(__file__))
import opfix  # noqa: E402  (shared encoding and samplers)
from opfix import away, enc, randn, seed, uniform  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'packages', 'core', 'test', 'fixtures', 'nn.json')
CASES = []


def set_weights(module, scale=0.5):
    """Every parameter from N(0, scale²); running variances positive; other buffers as they are."""
    with torch.no_grad():
        for _, p in module.named_parameters():
            p.copy_(randn(*p.shape, scale=scale))
        for name, b in module.named_buffers():
            if name.endswith('running_mean'):
                b.copy_(randn(*b.shape, scale=0.3))
            elif name.endswith('running_var'):
                b.copy_(uniform(b.shape, 0.5, 1.5))


def flat(out):
    """Tensors of a (nested) tuple output, in order; None entries (e.g. attention weights) dropped."""
    if out is None:
        return []
    if isinstance(out, torch.Tensor):
        return [out]
    return [t for o in out for t in flat(o)]


def camel(name):
    head, *rest = name.split('_')
    return head + ''.join(w.capitalize() for w in rest)


def encode_input(x):
    return [enc(t) for t in x] if isinstance(x, (tuple, list)) else enc(x)


def case(name, layer, args, module, inputs, factory=True, mode='train', call=None, warmup=()):
    """Records one layer case (see the module docstring)."""
    set_weights(module)
    module.train(mode == 'train')
    call = call or {}
    state = {k: enc(v) for k, v in module.state_dict().items()}
    with torch.no_grad():
        for w in warmup:
            module(*w)
    leaves = [tuple(t.clone().requires_grad_(t.is_floating_point()) for t in x) if isinstance(x, tuple)
              else x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
    out = flat(module(*leaves, **{k: v for k, v in call.items()}))
    float_inputs = [t for x in leaves for t in (x if isinstance(x, tuple) else (x,)) if t.requires_grad]
    params = list(module.named_parameters())
    cots = [randn(*o.shape) for o in out]
    total = sum((o * c).sum() for o, c in zip(out, cots) if o.requires_grad)
    grads = torch.autograd.grad(total, float_inputs + [p for _, p in params], allow_unused=True)
    zero_if_none = [torch.zeros_like(t) if g is None else g for g, t in zip(grads, float_inputs + [p for _, p in params])]
    CASES.append({
        'name': name, 'layer': layer, 'args': args, 'factory': factory, 'mode': mode,
        'inputs': [encode_input(x) for x in inputs],
        'call': {camel(k): (enc(v) if isinstance(v, torch.Tensor) else v) for k, v in call.items()},
        'warmup': [[encode_input(x) for x in w] for w in warmup],
        'state': state,
        'outputs': [enc(o) for o in out],
        'cotangents': [enc(c) for c in cots],
        'inputGrads': [enc(g) for g in zero_if_none[:len(float_inputs)]],
        'paramGrads': {n: enc(g) for (n, _), g in zip(params, zero_if_none[len(float_inputs):])},
        'stateAfter': {k: enc(v) for k, v in module.state_dict().items()},
    })


def main():
    torch.set_default_dtype(torch.float64)
    seed(16)

    # ---- linear maps and shape layers ----
    case('Linear', 'Linear', [4, 3, {}], nn.Linear(4, 3), [randn(2, 4)])
    case('Linear without bias, 3-d input', 'Linear', [4, 3, {'bias': False}], nn.Linear(4, 3, bias=False), [randn(2, 3, 4)])
    case('Bilinear', 'Bilinear', [3, 4, 2, {}], nn.Bilinear(3, 4, 2), [randn(5, 3), randn(5, 4)])
    case('Flatten', 'Flatten', [], nn.Flatten(), [randn(2, 3, 2)], factory=False)
    case('Unflatten', 'Unflatten', [1, [2, 3]], nn.Unflatten(1, (2, 3)), [randn(2, 6)], factory=False)
    case('Identity', 'Identity', [], nn.Identity(), [randn(3)], factory=False)
    seq = [{'layer': 'Linear', 'args': [3, 4, {}], 'factory': True}, {'layer': 'Tanh', 'args': [], 'factory': False},
           {'layer': 'Linear', 'args': [4, 2, {}], 'factory': True}]
    case('Sequential', 'Sequential', seq, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)), [randn(2, 3)], factory=False)

    # ---- convolutions ----
    case('Conv1d stride 2, padding 1, groups 2', 'Conv1d', [4, 6, 3, {'stride': 2, 'padding': 1, 'groups': 2}],
         nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), [randn(2, 4, 9)])
    case("Conv1d padding 'same', even kernel, dilation 2", 'Conv1d', [2, 3, 4, {'padding': 'same', 'dilation': 2}],
         nn.Conv1d(2, 3, 4, padding='same', dilation=2), [randn(2, 2, 7)])
    case('Conv2d padding 1', 'Conv2d', [3, 4, 3, {'padding': 1}], nn.Conv2d(3, 4, 3, padding=1), [randn(2, 3, 5, 5)])
    case('Conv2d rectangular kernel, stride, padding, dilation, groups', 'Conv2d',
         [4, 6, [3, 2], {'stride': [2, 1], 'padding': [1, 0], 'dilation': [1, 2], 'groups': 2}],
         nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2), [randn(2, 4, 6, 7)])
    case("Conv2d padding 'same', even kernel, no bias", 'Conv2d', [2, 3, 4, {'padding': 'same', 'bias': False}],
         nn.Conv2d(2, 3, 4, padding='same', bias=False), [randn(1, 2, 5, 6)])
    case('Conv2d depthwise, unbatched', 'Conv2d', [3, 3, 3, {'groups': 3}], nn.Conv2d(3, 3, 3, groups=3), [randn(3, 4, 5)])
    case('ConvTranspose2d stride 2, padding 1, outputPadding 1, groups 2', 'ConvTranspose2d',
         [4, 6, 3, {'stride': 2, 'padding': 1, 'outputPadding': 1, 'groups': 2}],
         nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2), [randn(2, 4, 3, 4)])
    case('ConvTranspose2d rectangular, dilation 2, padding beyond the kernel', 'ConvTranspose2d',
         [3, 2, [2, 3], {'stride': [1, 2], 'padding': [2, 1], 'dilation': 2}],
         nn.ConvTranspose2d(3, 2, (2, 3), stride=(1, 2), padding=(2, 1), dilation=2), [randn(1, 3, 5, 4)])

    # ---- pooling ----
    case('MaxPool2d 2', 'MaxPool2d', [2], nn.MaxPool2d(2), [opfix.distinct((2, 3, 4, 4))], factory=False)
    case('MaxPool2d 3, stride 2, padding 1, ceilMode', 'MaxPool2d', [3, {'stride': 2, 'padding': 1, 'ceilMode': True}],
         nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), [opfix.distinct((1, 2, 6, 5))], factory=False)
    case('AvgPool2d 3, stride 2, padding 1, countIncludePad false', 'AvgPool2d', [3, {'stride': 2, 'padding': 1, 'countIncludePad': False}],
         nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), [randn(2, 2, 5, 6)], factory=False)
    case('AdaptiveAvgPool2d [3, 2]', 'AdaptiveAvgPool2d', [[3, 2]], nn.AdaptiveAvgPool2d((3, 2)), [randn(2, 2, 7, 5)], factory=False)

    # ---- normalisation ----
    case('BatchNorm1d train [N, C]', 'BatchNorm1d', [3, {}], nn.BatchNorm1d(3), [randn(6, 3)])
    case('BatchNorm1d train [N, C, L], momentum 0.3', 'BatchNorm1d', [3, {'momentum': 0.3}], nn.BatchNorm1d(3, momentum=0.3), [randn(4, 3, 5)])
    case('BatchNorm1d train, cumulative average (momentum null), after a warm-up batch', 'BatchNorm1d', [2, {'momentum': None}],
         nn.BatchNorm1d(2, momentum=None), [randn(5, 2)], warmup=[[randn(4, 2) * 2 + 1]])
    case('BatchNorm2d train', 'BatchNorm2d', [3, {}], nn.BatchNorm2d(3), [randn(2, 3, 3, 4)])
    case('BatchNorm2d eval (running statistics)', 'BatchNorm2d', [3, {}], nn.BatchNorm2d(3), [randn(2, 3, 3, 4)], mode='eval')
    case('BatchNorm2d without affine or running statistics, eval', 'BatchNorm2d', [2, {'affine': False, 'trackRunningStats': False}],
         nn.BatchNorm2d(2, affine=False, track_running_stats=False), [randn(3, 2, 2, 2)], mode='eval')
    case('LayerNorm last dim', 'LayerNorm', [4, {}], nn.LayerNorm(4), [randn(2, 3, 4)])
    case('LayerNorm last two dims, no affine, eps 1e-3', 'LayerNorm', [[3, 4], {'elementwiseAffine': False, 'eps': 1e-3}],
         nn.LayerNorm((3, 4), elementwise_affine=False, eps=1e-3), [randn(2, 3, 4)])
    case('GroupNorm 2 groups of 2', 'GroupNorm', [2, 4, {}], nn.GroupNorm(2, 4), [randn(2, 4, 3, 3)])
    case('GroupNorm on [N, C]', 'GroupNorm', [3, 6, {}], nn.GroupNorm(3, 6), [randn(4, 6)])

    # ---- lookup, dropout in eval ----
    case('Embedding with paddingIdx', 'Embedding', [6, 3, {'paddingIdx': 2}], nn.Embedding(6, 3, padding_idx=2),
         [torch.tensor([[0, 2, 5, 2], [1, 1, 3, 4]])])
    case('Embedding', 'Embedding', [5, 2, {}], nn.Embedding(5, 2), [torch.tensor([4, 0, 4, 1])])
    case('Dropout eval is the identity', 'Dropout', [0.4], nn.Dropout(0.4), [randn(3, 4)], factory=False, mode='eval')

    # ---- attention ----
    kpm = torch.tensor([[False, False, True, False, False, True], [False, False, False, False, False, False]])
    causal = torch.ones(5, 6, dtype=torch.bool).triu(2)
    case('MultiheadAttention seq-first, key padding and bool attention masks', 'MultiheadAttention', [8, 2, {}],
         nn.MultiheadAttention(8, 2), [randn(5, 2, 8), randn(6, 2, 8), randn(6, 2, 8)],
         call={'key_padding_mask': kpm, 'attn_mask': causal})
    case('MultiheadAttention batch-first, kdim/vdim, float mask, per-head weights', 'MultiheadAttention',
         [6, 3, {'kdim': 4, 'vdim': 5, 'batchFirst': True}], nn.MultiheadAttention(6, 3, kdim=4, vdim=5, batch_first=True),
         [randn(2, 3, 6), randn(2, 4, 4), randn(2, 4, 5)], call={'attn_mask': randn(3, 4), 'average_attn_weights': False})
    case('MultiheadAttention without bias, needWeights false', 'MultiheadAttention', [4, 1, {'bias': False}],
         nn.MultiheadAttention(4, 1, bias=False), [randn(3, 2, 4), randn(3, 2, 4), randn(3, 2, 4)], call={'need_weights': False})

    # ---- recurrent ----
    case('LSTM batch-first with initial state', 'LSTM', [3, 4, {'batchFirst': True}], nn.LSTM(3, 4, batch_first=True),
         [randn(2, 5, 3), (randn(1, 2, 4), randn(1, 2, 4))])
    case('LSTM 2 layers, seq-first', 'LSTM', [3, 4, {'numLayers': 2}], nn.LSTM(3, 4, num_layers=2), [randn(4, 2, 3)])
    case('GRU batch-first with initial state', 'GRU', [3, 4, {'batchFirst': True}], nn.GRU(3, 4, batch_first=True),
         [randn(2, 5, 3), randn(1, 2, 4)])
    case('GRU unbatched, no bias', 'GRU', [2, 3, {'bias': False}], nn.GRU(2, 3, bias=False), [randn(4, 2)])

    # ---- activations (inputs kept away from kinks) ----
    x = lambda: away((2, 3, 4), avoid=(0.0, -1.0, 1.0, 6.0, -0.5))  # noqa: E731
    for name, args, mod in [
        ('ReLU', [], nn.ReLU()), ('ReLU6', [], nn.ReLU6()), ('LeakyReLU', [0.2], nn.LeakyReLU(0.2)), ('ELU', [0.5], nn.ELU(0.5)),
        ('GELU', [], nn.GELU()), ('GELU', ['tanh'], nn.GELU('tanh')), ('SiLU', [], nn.SiLU()), ('Mish', [], nn.Mish()),
        ('Sigmoid', [], nn.Sigmoid()), ('LogSigmoid', [], nn.LogSigmoid()), ('Tanh', [], nn.Tanh()), ('Softsign', [], nn.Softsign()),
        ('Hardtanh', [-0.5, 1], nn.Hardtanh(-0.5, 1)), ('Softplus', [2, 3], nn.Softplus(2, 3)), ('Softmax', [1], nn.Softmax(1)),
        ('LogSoftmax', [-1], nn.LogSoftmax(-1)), ('Softmin', [2], nn.Softmin(2)),
    ]:
        case(f'{name}({", ".join(map(str, args))})', name, args, mod, [x() * 3 if name == 'ReLU6' else x()], factory=False)
    case('PReLU per channel', 'PReLU', [3, {}], nn.PReLU(3), [x()])
    case('PReLU shared', 'PReLU', [1, {}], nn.PReLU(), [x()])

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'generator': 'tools/gen_nn_fixtures.py', 'torch': torch.__version__, 'cases': CASES}, f, separators=(',', ':'))
        f.write('\n')
    print(f'{len(CASES)} cases, {len({c["layer"] for c in CASES})} layers, {os.path.getsize(OUT) / 1024:.0f} KiB -> {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
