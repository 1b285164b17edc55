"""A one-channel dense prediction (N, 1, H, W) -- depth, a mask, a heat map -- against target maps (N, H, W):
MSELoss broadcasts them to (N, N, H, W), comparing every prediction with every sample's map. Each sample's map made
in the Dataset's ``__getitem__`` gets the channel axis there (``unsqueeze(0)``); maps made whole get it at the loss.
Torch is the oracle: the broadcast warning before, none after, and the loss of the fix is the per-sample one."""
import textwrap
import warnings

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Dataset


    class Maps(Dataset):
        def __init__(self, n):
            rng = np.random.default_rng(0)
            self.images = rng.random((n, 3, 16, 16), dtype=np.float32)
            self.maps = rng.random((n, 16, 16), dtype=np.float32)

        def __len__(self):
            return len(self.images)

        def __getitem__(self, i):
            image = torch.from_numpy(self.images[i])
            target = torch.from_numpy(self.maps[i])
            return image, target


    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1))
    criterion = nn.MSELoss()
    for image, target in DataLoader(Maps(8), batch_size=4):
        pred = model(image)
        loss = criterion(pred, target)
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _torch_warns(src) -> bool:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(src)
    return any("broadcast" in str(w.message) for w in caught)


def test_each_samples_map_gets_the_channel_where_it_is_made():
    assert _torch_warns(SCRIPT)
    (d,) = _warnings(SCRIPT)
    assert d.code == "SHP202" and d.primary.span.line == 18
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "target = torch.from_numpy(self.maps[i]).unsqueeze(0)" in fixed and not _warnings(fixed)
    assert not _torch_warns(fixed)
    assert fix_source("case.py", fixed, _warnings(fixed), ("safe", "unsafe")).source == fixed


def test_maps_made_whole_get_the_channel_at_the_loss():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn

        model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1))
        images, maps = torch.rand(4, 3, 16, 16), torch.rand(4, 16, 16)
        loss = nn.MSELoss()(model(images), maps)
    """).lstrip()
    assert _torch_warns(src)
    (d,) = _warnings(src)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "loss = nn.MSELoss()(model(images), maps.unsqueeze(1))" in fixed and not _torch_warns(fixed)
