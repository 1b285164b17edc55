"""A DataFrame standardised column by column, ``(df - df.mean()) / df.std()``, keeps its rows and columns: the
windows a Dataset cuts from it, batched by a DataLoader, reach the model with their shapes known (here an LSTM left
time-major reads 32 windows of 24 steps as 24 sequences of 32 steps). A frame combined with something whose
alignment is not known stays unknown. pandas and torch are the oracle."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import pandas as pd

    df = pd.DataFrame({"p": np.arange(50.0), "q": np.arange(50.0), "r": np.arange(50.0)})
    z = (df - df.mean()) / df.std()
    scaled = df * 2
    x = z.values
""").lstrip()


def test_standardised_frame_keeps_its_shape():
    ours = static_values(SRC)
    assert tuple(ours["x"].shape) == (50, 3)
    pytest.importorskip("pandas")
    assert tuple(run(SRC)["x"].shape) == (50, 3)


def test_a_frame_minus_an_unknown_is_unknown():
    ours = static_values(SRC + "w = (df - other_frame()).values\n".replace("other_frame()", "pd.read_csv('x.csv')"))
    assert getattr(ours["w"], "shape", None) is None
