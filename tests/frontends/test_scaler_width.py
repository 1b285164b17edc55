"""A scaler fitted on several columns and then given another number of them -- the (N, 1) predictions of the one
column a model forecasts, handed to ``inverse_transform`` of the scaler fitted on all three: scikit-learn raises.
scikit-learn is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

FORECAST = textwrap.dedent("""
    import numpy as np
    from sklearn.preprocessing import MinMaxScaler

    dataset = np.random.rand(300, 3).astype("float32")
    scaler = MinMaxScaler(feature_range=(0, 1))
    dataset = scaler.fit_transform(dataset)
    predictions = dataset[:, 2:3] * 0.5
    restored = scaler.inverse_transform(predictions)
""").lstrip()


def test_a_scaler_given_another_number_of_columns():
    with pytest.raises(ValueError):  # "non-broadcastable output operand" (transform: "X has 1 features")
        run(FORECAST)
    (d,) = [d for d in check_source("case.py", FORECAST).diagnostics if d.severity == "error"]
    assert d.code == "SHP304" and d.line == 8 and "fitted on 3 columns" in d.message


def test_a_scaler_refitted_on_the_target_is_clean():
    src = FORECAST.replace("restored = scaler.inverse_transform(predictions)",
                           "target_scaler = MinMaxScaler().fit(dataset[:, 2:3])\n"
                           "restored = target_scaler.inverse_transform(predictions)")
    run(src)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
