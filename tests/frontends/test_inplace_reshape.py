"""PyTorch's in-place methods that change a tensor's shape (``x.transpose_(1, 0)``, ``squeeze_``, ``unsqueeze_``,
``t_``): the name they are called on holds the new layout afterwards. An unseen case (rw24c) transposed an LSTM's
input in place to (seq, batch, emb) and was reported as batch-first data -- a false error. torch is the oracle."""
import textwrap

import pytest

from oracle import run, static_values

SRC = textwrap.dedent("""
    import torch

    x = torch.randn(3, 4, 6)
    x.transpose_(1, 0)
    y = x.unsqueeze_(0)
    z = torch.randn(2, 1, 5)
    z.squeeze_(1)
    w = torch.randn(2, 7)
    w.t_()
""").lstrip()


def test_the_name_holds_the_new_layout_as_in_torch():
    pytest.importorskip("torch")
    real, ours = run(SRC), static_values(SRC)
    for name in "xyzw":
        assert tuple(ours[name].shape) == tuple(real[name].shape), name
