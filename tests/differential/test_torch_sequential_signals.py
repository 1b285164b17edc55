"""Differential tests: generated nn.Sequential models over 1-d signals and 3-d volumes, real torch 2.13 vs shapelint (see
test_torch_sequential.py and torch_gen.FAMILIES)."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
pytest.importorskip("torch")

from torch_gen import check_family  # noqa: E402


@pytest.mark.parametrize("family", ['signals1d', 'volumes3d'])
def test_generated_models_agree_with_torch(family):
    check_family(family)
