"""``x.view(self.batch_size, -1)`` in a model whose hyper-parameters come from ``SimpleNamespace(batch_size=32)``
and whose input is the loader's batch transformed (``(clean + noise).clamp(0, 1)``): 100 samples leave a last batch
of 4, which cannot become 32 rows. The namespace is read like argparse's, and the transformed batch is still the
loader's. PyTorch is the oracle."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    from types import SimpleNamespace
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    args = SimpleNamespace(batch_size=32, n_train=100)


    class AE(nn.Module):
        def __init__(self, batch_size):
            super().__init__()
            self.batch_size = batch_size
            self.enc = nn.Linear(784, 16)

        def forward(self, x):
            return self.enc(x.view(self.batch_size, -1))


    loader = DataLoader(TensorDataset(torch.rand(args.n_train, 1, 28, 28)), batch_size=args.batch_size)
    model = AE(args.batch_size)
    for (clean,) in loader:
        z = model((clean + 0.1 * torch.randn_like(clean)).clamp(0, 1))
""").lstrip()


def test_the_written_batch_size_is_an_error_and_the_fix_reads_the_tensor():
    r = check_source("case.py", SRC)
    (d,) = [d for d in r.diagnostics if d.severity == "error"]
    assert d.code == "SHP105" and d.primary.span.line == 16
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "x.view(x.size(0), -1)" in fixed
    pytest.importorskip("torch")
    from oracle import run
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(fixed)["z"].shape) == (4, 16)
