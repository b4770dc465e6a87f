"""Safetensors interop between PyTorch and graft, both directions.

  /usr/bin/python3 tools/safetensors_interop.py write
      Trains a small PyTorch model (Conv2d, BatchNorm2d, MaxPool2d, Linear, GELU, LayerNorm) a few
      SGD steps, switches it to eval mode and writes its state dict as safetensors plus the inputs
      and eval outputs as JSON, to packages/core/test/fixtures/interop/ (graft's safetensors.test.ts
      loads the file into the same architecture and must reproduce the outputs).

  /usr/bin/python3 tools/safetensors_interop.py read DIR
      Reads DIR/graft_model.safetensors (written by graft) into the same PyTorch architecture with
      load_state_dict(strict=True), runs DIR/graft_model.json's inputs and checks graft's outputs.

The format is written and read by hand with struct when the `safetensors` package is absent (it
is, on Debian): an 8-byte little-endian header length, the JSON header, then raw little-endian data.
"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(__file__)
FIXTURES = os.path.join(HERE, '..', 'packages', 'core', 'test', 'fixtures', 'interop')
DTYPES = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64', torch.int32: 'I32', torch.bool: 'BOOL'}
TORCH_DTYPES = {v: k for k, v in DTYPES.items()}


def model():
    """The architecture both sides build: graft's test builds the same layers in the same order."""
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(3 * 2 * 2, 5), nn.GELU(), nn.LayerNorm(5), nn.Linear(5, 2),
    )


def save_file(tensors, path, metadata=None):
    assert sys.byteorder == 'little', 'the hand-written codec assumes a little-endian host'
    try:
        from safetensors.torch import save_file as st_save
        return st_save(tensors, path, metadata=metadata)
    except ImportError:
        pass
    header, chunks, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, t in tensors.items():
        data = t.detach().contiguous().cpu().numpy().tobytes()  # native order: little-endian (asserted below)
        header[name] = {'dtype': DTYPES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(',', ':')).encode()
    raw += b' ' * (-len(raw) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(raw)) + raw + b''.join(chunks))


def load_file(path):
    try:
        from safetensors.torch import load_file as st_load
        return st_load(path)
    except ImportError:
        pass
    with open(path, 'rb') as f:
        blob = f.read()
    (n,) = struct.unpack('<Q', blob[:8])
    header = json.loads(blob[8:8 + n])
    header.pop('__metadata__', None)
    data = blob[8 + n:]
    out = {}
    for name, e in header.items():
        begin, end = e['data_offsets']
        dtype = TORCH_DTYPES[e['dtype']]
        out[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype).reshape(e['shape']).clone()
    return out


def write():
    torch.manual_seed(0)
    m = model()
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    x_train, y_train = torch.randn(16, 1, 4, 4), torch.randn(16, 2)
    for _ in range(5):
        opt.zero_grad()
        nn.functional.mse_loss(m(x_train), y_train).backward()
        opt.step()
    m.eval()
    x = torch.randn(3, 1, 4, 4)
    with torch.no_grad():
        y = m(x)
    os.makedirs(FIXTURES, exist_ok=True)
    save_file(m.state_dict(), os.path.join(FIXTURES, 'torch_model.safetensors'), metadata={'framework': 'pytorch ' + torch.__version__})
    with open(os.path.join(FIXTURES, 'torch_model.json'), 'w') as f:
        json.dump({'generator': 'tools/safetensors_interop.py write', 'torch': torch.__version__,
                   'input': {'shape': list(x.shape), 'data': x.reshape(-1).tolist()},
                   'output': {'shape': list(y.shape), 'data': y.reshape(-1).tolist()}}, f)
        f.write('\n')
    print('wrote', os.path.relpath(FIXTURES), sorted(m.state_dict().keys()))


def read(directory):
    m = model()
    m.load_state_dict(load_file(os.path.join(directory, 'graft_model.safetensors')), strict=True)
    m.eval()
    with open(os.path.join(directory, 'graft_model.json')) as f:
        rec = json.load(f)
    x = torch.tensor(rec['input']['data'], dtype=torch.float32).reshape(rec['input']['shape'])
    expected = torch.tensor(rec['output']['data'], dtype=torch.float32).reshape(rec['output']['shape'])
    with torch.no_grad():
        y = m(x)
    err = (y - expected).abs().max().item()
    print(f'PyTorch ran graft\'s weights: max |torch - graft| = {err:.3g}')
    if not torch.allclose(y, expected, atol=1e-5, rtol=1e-4):
        sys.exit('outputs differ')


if __name__ == '__main__':
    if sys.argv[1:2] == ['write']:
        write()
    elif sys.argv[1:2] == ['read'] and len(sys.argv) == 3:
        read(sys.argv[2])
    else:
        sys.exit(__doc__)
