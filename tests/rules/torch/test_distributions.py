"""torch.distributions: the shapes of log_prob, entropy, sample / rsample and the moments, for the common families
with parameters of random shapes (broadcast against each other, values broadcast against the batch), compared with
real torch on the same script; and an actor-critic whose log-probabilities and values reach the loss with their
shapes."""
import random
import textwrap

import pytest

from oracle import run, static_values

_FAMILIES = [
    ("Normal", "torch.randn({a}), torch.rand({b}) + 0.1"), ("Laplace", "torch.randn({a}), torch.rand({b}) + 0.1"),
    ("Uniform", "torch.zeros({a}), torch.ones({b})"), ("Bernoulli", "logits=torch.randn({a})"),
    ("Beta", "torch.rand({a}) + 0.5, torch.rand({b}) + 0.5"), ("Exponential", "torch.rand({a}) + 0.1"),
    ("Categorical", "logits=torch.randn({a})"), ("Categorical", "probs=torch.rand({a}).softmax(-1)"),
    ("OneHotCategorical", "logits=torch.randn({a})"), ("Dirichlet", "torch.rand({a}) + 0.5"),
    ("MultivariateNormal", "torch.randn({a}), scale_tril=torch.eye({last})"),
]


def _shape(rng, rank):
    return tuple(rng.randint(1, 4) for _ in range(rank))


def _case(seed):
    rng = random.Random(seed)
    family, params = rng.choice(_FAMILIES)
    a = _shape(rng, rng.randint(1, 3))
    b = a[rng.randint(0, len(a)):] if rng.random() < 0.7 else (1,) * rng.randint(0, 2) + a[1:]
    lines = [f"d = torch.distributions.{family}({params.format(a=a, b=b, last=a[-1])})"]
    if rng.random() < 0.3 and len(a) >= 2 and family not in ("Categorical", "OneHotCategorical", "Dirichlet",
                                                             "MultivariateNormal"):
        lines.append("d = torch.distributions.Independent(d, 1)")
    lines += ["s = d.sample()", f"r = d.sample(({rng.randint(1, 3)},))", "lp = d.log_prob(s)", "ent = d.entropy()",
              "mu = d.mean"]
    if family not in ("Categorical", "OneHotCategorical", "Bernoulli", "Dirichlet", "MultivariateNormal", "Beta"):
        lines += ["rs = d.rsample()", "lp2 = d.log_prob(torch.zeros(2, *d.batch_shape, *d.event_shape) + 0.5)"]
    return "import torch\n" + "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(60))
def test_shapes_agree_with_torch(seed):
    pytest.importorskip("torch")
    src = _case(seed)
    real = run(src)
    static = static_values(src)
    for name in ("s", "r", "lp", "ent", "mu", "rs", "lp2"):
        if name not in real:
            continue
        got = getattr(static.get(name), "shape", None)
        assert got is None or tuple(got) == tuple(real[name].shape), (src, name, got, tuple(real[name].shape))
    assert getattr(static.get("lp"), "shape", None) is not None, src  # the common families are all followed


ACTOR_CRITIC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class Agent(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Linear(12, 64)
            self.mu = nn.Linear(64, 3)
            self.log_std = nn.Parameter(torch.zeros(3))
            self.value_head = nn.Linear(64, 1)

        def evaluate(self, obs, actions):
            h = torch.tanh(self.body(obs))
            dist = torch.distributions.Normal(self.mu(h), self.log_std.exp())
            return dist.log_prob(actions).sum(-1), self.value_head(h), dist.entropy().sum(-1)

    agent = Agent()
    logp, values, ent = agent.evaluate(torch.randn(32, 12), torch.randn(32, 3))
""").lstrip()


def test_an_actor_critic_has_its_shapes():
    static = static_values(ACTOR_CRITIC)
    assert [tuple(static[n].shape) for n in ("logp", "values", "ent")] == [(32,), (32, 1), (32,)]
    pytest.importorskip("torch")
    real = run(ACTOR_CRITIC)
    assert [tuple(real[n].shape) for n in ("logp", "values", "ent")] == [(32,), (32, 1), (32,)]
