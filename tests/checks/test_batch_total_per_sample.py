"""SHP203 batch-total: a VAE's KL term summed without ``dim`` over (batch, latent) is one number for the whole batch;
added to each sample's reconstruction term it gives every sample the batch's total KL. PyTorch runs it; the fix
keeps the batch axis. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

VAE = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(20, 8)
            self.mu = nn.Linear(8, 4)
            self.logvar = nn.Linear(8, 4)
            self.dec = nn.Sequential(nn.Linear(4, 20), nn.Sigmoid())

        def forward(self, x):
            h = torch.relu(self.enc(x))
            mu, logvar = self.mu(h), self.logvar(h)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return self.dec(z), mu, logvar

    def loss_fn(recon, x, mu, logvar):
        rec = F.binary_cross_entropy(recon, x, reduction="none").sum(dim=1)
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return (rec + kld).mean(), kld

    model = VAE()
    x = torch.rand(16, 20)
    recon, mu, logvar = model(x)
    loss, kld = loss_fn(recon, x, mu, logvar)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP203"]


def test_the_kl_sum_keeps_the_batch_axis():
    (d,) = _found(VAE)
    assert d.severity == "warning" and d.primary.span.line == 21
    fixed = fix_source("case.py", VAE, [d], ("safe", "unsafe")).source
    assert "logvar.exp(), dim=1)" in fixed and not _found(fixed)


def test_a_total_taken_on_its_own_is_left_alone():
    assert not _found(VAE.replace("(rec + kld).mean()", "rec.mean() + kld / x.size(0)"))
    assert not _found(VAE.replace("logvar.exp())", "logvar.exp(), dim=1)"))


def test_what_torch_does():
    pytest.importorskip("torch")
    assert run(VAE)["kld"].shape == ()
    assert run(VAE.replace("logvar.exp())", "logvar.exp(), dim=1)"))["kld"].shape == (16,)


DQN = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class QNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))

        def forward(self, x):
            return self.fc(x)

        def predicted_q(self, x, actions_onehot):
            output = self.forward(x)
            return torch.sum(output * actions_onehot)

    net = QNet()
    states, next_states = torch.randn(16, 8), torch.randn(16, 8)
    actions = torch.eye(3)[torch.randint(0, 3, (16,))]
    rewards = torch.randn(16)
    with torch.no_grad():
        target = rewards + 0.99 * net(next_states).max(dim=1).values
    q = net.predicted_q(states, actions)
    loss = torch.mean(torch.square(target - q))
""").lstrip()


def test_a_q_value_summed_over_the_batch_against_per_sample_targets():
    """The targets come out of ``max(dim=1).values`` (a tuple's part keeps one row per sample): the Q-value summed
    without ``dim`` is one number for the batch, and ``target - q`` gives every sample the batch's total (PyTorch:
    q is 0-d, target - q is (16,))."""
    out = run(DQN)
    assert tuple(out["q"].shape) == () and tuple((out["target"] - out["q"]).shape) == (16,)
    (d,) = _found(DQN)
    assert d.primary.span.line == 14
    fixed = fix_source("case.py", DQN, [d], ("safe", "unsafe")).source
    assert "actions_onehot, dim=1)" in fixed and not _found(fixed)
