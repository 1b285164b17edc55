"""(N, 1) predictions against (N,) targets, broadcast to (N, N) without an error, where the model's output reaches
them in ways real training loops have: a multi-task forward returning a dict ({"age": (N, 1), ...}) fed to
F.l1_loss, and a hand-written loss in a helper function whose squared error is weighted with torch.where. Torch is
the oracle: the bad difference is (N, N), the fixed one (N, 1)."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

DICT_HEADS = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class Heads(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Linear(8, 16)
        self.age = nn.Linear(16, 1)
        self.kind = nn.Linear(16, 3)

    def forward(self, x):
        z = torch.relu(self.trunk(x))
        return {"age": self.age(z), "kind": self.kind(z)}


out = Heads()(torch.randn(12, 8))
targets = {"age": torch.rand(12) * 80, "kind": torch.randint(0, 3, (12,))}
loss = F.l1_loss(out["age"], targets["age"]) + F.cross_entropy(out["kind"], targets["kind"])
"""

HELPER = """
import numpy as np
import torch
import torch.nn as nn


def weighted_mse(pred, target, over=1.5):
    err = target - pred
    weight = torch.where(err < 0, over, 1.0)
    return (weight * err ** 2).mean()


t = np.arange(64)
x = torch.randn(64, 4)
y = torch.tensor(np.sin(t / 24 * 2 * np.pi), dtype=torch.float32)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
loss = weighted_mse(model(x), y)
"""

ACCURACY = """
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 1))
loader = DataLoader(TensorDataset(torch.randn(64, 6), torch.randint(0, 2, (64,)).float()), batch_size=16)


def evaluate(model, loader):
    correct = 0
    for xb, yb in loader:
        preds = (torch.sigmoid(model(xb)) > 0.5).float()
        correct += (preds == yb).sum().item()
    return correct / 64


print(f"accuracy {evaluate(model, loader):.3f}")
"""

WEIGHTS = """
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class Weighted(Dataset):
    def __init__(self):
        self.x, self.y, self.w = torch.randn(64, 6), torch.randint(0, 3, (64,)), torch.rand(64)

    def __len__(self):
        return 64

    def __getitem__(self, i):
        return self.x[i], self.y[i], torch.tensor([self.w[i]])


model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
per_sample = nn.CrossEntropyLoss(reduction="none")
for x, y, w in DataLoader(Weighted(), batch_size=16):
    loss = (per_sample(model(x), y) * w).sum() / w.sum()
"""

SQUEEZED = """
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 1))
loader = DataLoader(TensorDataset(torch.randn(64, 6), torch.randint(0, 2, (64, 1)).float()), batch_size=16)
hits = 0
for xb, yb in loader:
    loss = nn.functional.binary_cross_entropy_with_logits(model(xb), yb)
    preds = (torch.sigmoid(model(xb)) > 0.5).float().squeeze(1)
    hits += (preds == yb).float().sum().item()
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("src, line, fixed", [(DICT_HEADS, 'F.l1_loss(out["age"], targets["age"])',
                                               'F.l1_loss(out["age"], targets["age"].unsqueeze(1))'),
                                              # a result kept under a name: the prediction is squeezed (see
                                              # test_a_kept_result_squeezes_the_prediction)
                                              (HELPER, "err = target - pred", "err = target - pred.squeeze(1)"),
                                              # an accuracy through `> 0.5` and `.float()` (no op recorded), run
                                              # from an f-string with a format spec
                                              (ACCURACY, "(preds == yb).sum()", "(preds == yb.unsqueeze(1)).sum()"),
                                              # per-sample losses (N,) times (N, 1) weights from the dataset
                                              (WEIGHTS, "* w).sum()", "(per_sample(model(x), y) * w.squeeze(1))"),
                                              # squeezed (N,) predictions against (N, 1) targets, through casts
                                              (SQUEEZED, "(preds == yb)", "(preds == yb.squeeze(1))")])
def test_the_broadcast_is_found_and_the_targets_get_their_axis(src, line, fixed):
    (d,) = _loud(src)
    assert d.code == "SHP202" and line in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and not _loud(out)


def test_what_torch_does():
    torch = pytest.importorskip("torch")
    pred, target = torch.randn(12, 1), torch.randn(12)
    assert tuple((target - pred).shape) == (12, 12)
    assert tuple((target.unsqueeze(1) - pred).shape) == (12, 1)
    preds = (torch.sigmoid(pred) > 0.5).float()
    assert tuple((preds == target).shape) == (12, 12)  # the accuracy counts every pair
    losses, w = torch.rand(12), torch.rand(12, 1)
    assert tuple((losses * w).shape) == (12, 12) and tuple((losses * w.squeeze(1)).shape) == (12,)
    assert tuple(torch.tensor([torch.rand(5)[2]]).shape) == (1,)  # a one-element tensor in a list is its number


DICE = textwrap.dedent("""
    import torch
    import torch.nn as nn

    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 1))
    imgs = torch.rand(4, 3, 16, 16)
    masks = (torch.rand(4, 16, 16) > 0.5).float()


    def dice_loss(logits, target, eps=1.0):
        probs = torch.sigmoid(logits)
        inter = (probs * target).sum()
        return 1 - (2 * inter + eps) / (probs.sum() + target.sum() + eps)


    product = torch.sigmoid(net(imgs)) * masks
    loss = dice_loss(net(imgs), masks)
""").lstrip()


def test_a_one_channel_map_times_masks_without_one_broadcasts_over_samples():
    """(N, 1, H, W) probabilities times (N, H, W) masks is (N, N, H, W): every map against every mask."""
    assert tuple(run(DICE)["product"].shape) == (4, 4, 16, 16)
    found = [d for d in check_source("case.py", DICE).diagnostics if d.severity in ("error", "warning")]
    assert found and all(d.code == "SHP202" for d in found)
    fixed = fix_source("case.py", DICE, found, ("safe", "unsafe")).source
    assert "inter = (probs * target.unsqueeze(1)).sum()" in fixed and 0 < float(run(fixed)["loss"]) < 1
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


PAIRWISE = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    encoder = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 16))
    x = torch.randn(8, 32)
    z = encoder(x).unsqueeze(1)                  # (8, 1, 16) anchors
    p = encoder(x + 0.1 * torch.randn(8, 32))    # (8, 16) positives
    dist = ((z - p) ** 2).sum(-1)                # (8, 8): every anchor against every positive, on purpose
    loss = F.cross_entropy(-dist, torch.arange(8))
    maps = (torch.sigmoid(torch.randn(4, 1, 16, 16)) * torch.rand(4, 16, 16)).sum((2, 3))  # (4, 4) pair scores
""").lstrip()


def test_all_pairs_distances_and_pair_scores_are_left_alone():
    """(N, 1, D) against (N, D) is how all-pairs scores are written, and a map product summed over some axes only
    keeps a pair matrix that is used as one (code review: a false alarm and a wrong fix)."""
    real = run(PAIRWISE)
    assert tuple(real["dist"].shape) == (8, 8) and tuple(real["maps"].shape) == (4, 4)
    assert not [d for d in check_source("case.py", PAIRWISE).diagnostics if d.severity in ("error", "warning")]


A2C = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class ActorCritic(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(6, 16), nn.ReLU())
            self.actor, self.critic = nn.Linear(16, 4), nn.Linear(16, 1)

        def forward(self, x):
            h = self.body(x)
            return self.actor(h), self.critic(h)


    T = 40
    net = ActorCritic()
    logits, values = net(torch.randn(T, 6))                                  # (T, 4), (T, 1)
    log_probs = torch.log_softmax(logits, dim=1)[torch.arange(T), torch.randint(0, 4, (T,))]   # (T,)
    returns = torch.randn(T)                                                 # (T,)
    advantages = returns - values
    actor_term = log_probs * advantages.detach()
    actor_loss = -actor_term.mean()
    critic_loss = advantages.pow(2).mean()
""").lstrip()


def test_a_kept_result_squeezes_the_prediction():
    """rw20d (unseen reviewers, round 1): ``advantages = returns - values`` with (T, 1) values. Giving ``returns`` an
    axis makes ``advantages`` (T, 1), and ``log_probs * advantages`` broadcasts to (T, T) further on; squeezing the
    prediction keeps every per-sample value (T,). torch is the oracle."""
    assert tuple(run(A2C)["actor_term"].shape) == (40, 40)
    found = [d for d in check_source("case.py", A2C).diagnostics if d.severity in ("error", "warning")]
    assert [d.code for d in found] == ["SHP202"]
    fixed = fix_source("case.py", A2C, found, ("safe", "unsafe")).source
    assert "advantages = returns - values.squeeze(1)" in fixed
    assert tuple(run(fixed)["actor_term"].shape) == (40,)
    wrong = A2C.replace("returns - values", "returns.unsqueeze(1) - values")
    assert tuple(run(wrong)["actor_term"].shape) == (40, 40)  # what the other fix would have left
