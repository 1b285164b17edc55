"""SAC's soft target ``r + gamma * (q_next + alpha * entropy)`` where the policy's log-probability was not summed
over the action dimensions: the (N, 1) Q-value meets the (N, 4) entropy and the targets become 4 per sample. The
critic's single output is right; giving it 4 outputs (what the loss alone suggests) would fit the broadcast. The
cause is where (N, 1) meets (N, 4), the fix sums the log-probability where the policy makes it. PyTorch is the
oracle: the fixed targets are one per sample at two batch sizes."""
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal


class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(17, 64), nn.ReLU())
        self.mu = nn.Linear(64, 4)

    def forward(self, obs):
        dist = Normal(self.mu(self.body(obs)), 1.0)
        u = dist.rsample()
        action = torch.tanh(u)
        log_prob = dist.log_prob(u) - torch.log(1 - action.pow(2) + 1e-7)
        return action, log_prob


actor = Policy()
critic = nn.Sequential(nn.Linear(21, 64), nn.ReLU(), nn.Linear(64, 1))
states, rewards = torch.randn(BATCH, 17), torch.randn(BATCH, 1)
with torch.no_grad():
    next_actions, log_prob = actor(states)
    q_next = critic(torch.cat([states, next_actions], dim=1))
    target = rewards + 0.99 * (q_next - 0.2 * log_prob)
loss = F.mse_loss(critic(torch.cat([states, next_actions], dim=1)), target)
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_log_prob_is_summed_not_the_critic_widened():
    src = SRC.replace("BATCH", "64").lstrip()
    assert tuple(run(src)["target"].shape) == (64, 4)
    (d,) = _loud(src)
    assert d.primary.span.line == 27 and any(lab.span.line == 17 for lab in d.secondary)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert ").sum(-1, keepdim=True)" in fixed.splitlines()[16] and "nn.Linear(64, 4))" not in fixed
    assert not _loud(fixed)
    for batch in ("64", "5"):
        other = SRC.replace("BATCH", batch).lstrip()
        done = fix_source("case.py", other, _loud(other), ("safe", "unsafe")).source
        assert tuple(run(done)["target"].shape) == (int(batch), 1)
