"""The fuzzing harness, run briefly (the long run for a release is documented in fuzzing.py and the README)."""
import json

import pytest

from fuzzing import check_batch, fuzz

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

FRAGMENTS = [
    "import torch\n", "import torch.nn as nn\n", "import keras\n", "from keras import layers\n",
    "m = nn.Linear({a}, {b})\n", "y = m(torch.randn({a}, {b}))\n", "x = torch.randn({a}, {b}, {c})\n",
    "x = x.view({a}, -1)\n", "net = nn.Sequential(nn.Conv2d({a}, {b}, 3), nn.Flatten(), nn.Linear({c}, 2))\n",
    "z = net(torch.randn(2, {a}, {b}, {c}))\n", "model = keras.Sequential([keras.Input(shape=({a},)), "
    "layers.Dense({b})])\n", "model.fit(torch.randn({c}, {a}), torch.randn({c}, {b}))\n",
    "for i in range({a}):\n    x = x + 1\n", "s = 'ab' * {a}\n", "l = [0] * {b}\n", "t = (t, t)\n", "t = ()\n",
    "def f(v):\n    return f(v)\n", "w = f({a})\n", "if {a} > {b}:\n    m = nn.Linear({b}, {c})\n",
    "while x:\n    x = x * 2\n", "class N(nn.Module):\n    def forward(self, v):\n        return self.l(v)\n",
    "n = N()\n", "n.l = nn.Linear({a}, {b})\n", "q = n(torch.randn({c}, {a}))\n",
]
SIZES = st.sampled_from([0, 1, 2, 3, 4, 8, 16, 64, 10000, 10001, -1, 2 ** 31, 10 ** 40])


@st.composite
def programs(draw):
    parts = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12))
    return "".join(p.format(a=draw(SIZES), b=draw(SIZES), c=draw(SIZES)) for p in parts)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sources=st.lists(programs(), min_size=1, max_size=4))
def test_generated_programs_never_break_the_contract(tmp_path, sources):
    paths = []
    for i, text in enumerate(sources):
        p = tmp_path / f"g{i}.py"
        p.write_text(text)
        paths.append(p)
    found = check_batch(paths, jobs=1)
    found.pop("costs")
    assert not any(found.values()), found


def test_a_short_mutation_fuzz_run_finds_nothing():
    summary = fuzz(120, seed=2026, batch=60, jobs=2)
    problems = {k: summary[k] for k in ("internal", "hang", "json", "exit", "slow", "memory", "render")}
    assert not any(problems.values()), json.dumps(summary["findings"][:5], default=str)
    assert summary["inputs"] == 120
