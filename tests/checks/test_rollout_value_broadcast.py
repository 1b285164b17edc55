"""Actor-critic value losses written by hand, where (N, 1) values meet (N,) returns and broadcast to (N, N):
values gathered step by step and joined with ``torch.cat`` (A2C), and a value head squeezed in ``evaluate`` while
the rollout stored (N, 1) returns (PPO, the larger of two clipped losses). The squeeze is blamed and dropped, once
for both places it surfaces. PyTorch is the oracle: the broadcasts are real, the fixed losses one per sample."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

A2C = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class ActorCritic(nn.Module):
        def __init__(self):
            super().__init__()
            self.critic = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 1))

        def forward(self, x):
            return self.critic(x)

    NUM_ENVS = 8
    model = ActorCritic()
    state = torch.randn(NUM_ENVS, 4)
    values, rewards = [], []
    for _ in range(5):
        values.append(model(state))
        rewards.append(torch.randn(NUM_ENVS))
    returns = torch.cat(rewards)
    values = torch.cat(values)
    advantage = returns - values
    critic_loss = advantage.pow(2).mean()
""").lstrip()

PPO = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class Agent(nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = nn.Sequential(nn.Linear(12, 64), nn.Tanh())
            self.value_head = nn.Linear(64, 1)

        def evaluate(self, obs):
            h = self.backbone(obs)
            values = self.value_head(h).squeeze(-1)
            return values

    agent = Agent()
    obs = torch.randn(BATCH, 12)
    with torch.no_grad():
        prev_values = agent.value_head(agent.backbone(obs))
    returns = prev_values + torch.randn(BATCH, 1)
    values = agent.evaluate(obs)
    v_clipped = prev_values + (values - prev_values).clamp(-0.2, 0.2)
    v_loss = torch.max((returns - values) ** 2, (returns - v_clipped) ** 2).mean()
    per_sample = torch.max((returns - values) ** 2, (returns - v_clipped) ** 2)
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP202"]


def test_values_joined_step_by_step_are_still_predictions():
    (d,) = _warnings(A2C)
    assert d.primary.span.line == 21
    assert "advantage = returns - values.squeeze(1)" in apply_edits(A2C, d.fix.edits)


def test_the_squeeze_is_blamed_once_for_every_place_it_surfaces():
    src = PPO.replace("BATCH", "32")
    (d,) = _warnings(src)
    assert d.primary.span.line == 12
    fixed = apply_edits(src, d.fix.edits)
    assert "values = self.value_head(h)\n" in fixed
    assert not _warnings(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    assert tuple(run(A2C)["advantage"].shape) == (40, 40)
    assert tuple(run(PPO.replace("BATCH", "32"))["per_sample"].shape) == (32, 32)
    for batch in (32, 5):
        fixed = PPO.replace("BATCH", str(batch)).replace(".squeeze(-1)", "")
        assert tuple(run(fixed)["per_sample"].shape) == (batch, 1)


POLICY = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class A2C(nn.Module):
        def __init__(self):
            super().__init__()
            self.trunk = nn.Sequential(nn.Linear(16, 64), nn.ReLU())
            self.policy = nn.Linear(64, 4)
            self.value = nn.Linear(64, 1)

        def forward(self, x):
            h = self.trunk(x)
            return self.policy(h), self.value(h)

    net = A2C()
    states = torch.randn(BATCH, 16)
    actions = torch.randint(0, 4, (BATCH,))
    returns = torch.randn(BATCH)
    logits, values = net(states)
    log_probs = F.log_softmax(logits, dim=1)[torch.arange(BATCH), actions]
    advantage = (returns.unsqueeze(1) - values).detach()
    per_step = log_probs * advantage
    policy_loss = -per_step.mean()
""").lstrip()


def test_log_probs_times_a_column_advantage():
    """The log-probabilities picked per action are (N,), the advantage kept the critic's (N, 1): their product is
    (N, N). Reported at the product, fixed by flattening the column there; one row per sample at two batch sizes."""
    src = POLICY.replace("BATCH", "32")
    assert tuple(run(src)["per_step"].shape) == (32, 32)
    (d,) = _warnings(src)
    assert d.primary.span.line == 23 and "(32, 32)" in d.message
    fixed = apply_edits(src, d.fix.edits)
    assert "per_step = log_probs * advantage.squeeze(-1)" in fixed and not _warnings(fixed)
    for batch in (32, 5):
        assert tuple(run(fixed.replace("32", str(batch)))["per_step"].shape) == (batch,)


def test_an_outer_product_of_other_values_is_left_alone():
    """The same shapes from values that are not one row per sample of a model (a hand-made table) say nothing."""
    src = POLICY.replace("BATCH", "32").replace("per_step = log_probs * advantage",
                                                 "per_step = torch.randn(32) * torch.randn(32, 1)")
    assert not _warnings(src)
