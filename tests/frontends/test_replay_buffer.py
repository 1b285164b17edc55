"""A replay buffer as DQN code writes it: a ``collections.deque(maxlen=...)`` of transitions pushed in a loop,
``random.sample`` / ``random.choices`` drawing a batch, ``zip(*batch)`` splitting it, ``np.array`` stacking the
states. The shapes are followed (numpy and Python are the oracle); a buffer whose items differ in shape draws an
unknown batch, and a deque keeps only its last ``maxlen`` items."""
import textwrap

import pytest

from oracle import run, static_values

SRC = textwrap.dedent("""
    import random
    from collections import deque
    import numpy as np

    memory = deque([], maxlen=CAPACITY)
    for _ in range(200):
        s = np.random.randn(4).astype(np.float32)
        memory.append((s, random.randrange(2), s))
    batch = random.sample(memory, 32)
    states, actions, next_states = zip(*batch)
    states_t = np.array(states)
    drawn = random.choices(memory, k=16)
    next_t = np.array([t[2] for t in drawn])
    kept = len(memory)
""").lstrip()


@pytest.mark.parametrize("capacity", [1000, 50])
def test_a_batch_drawn_from_the_buffer_has_its_shape(capacity):
    src = SRC.replace("CAPACITY", str(capacity))
    static = static_values(src)
    assert tuple(static["states_t"].shape) == (32, 4)
    assert tuple(static["next_t"].shape) == (16, 4)
    assert static["kept"] == min(200, capacity)
    real = run(src)
    assert real["states_t"].shape == (32, 4) and real["next_t"].shape == (16, 4) and real["kept"] == min(200, capacity)


def test_items_of_different_shapes_draw_an_unknown_batch():
    src = SRC.replace("CAPACITY", "1000").replace("np.random.randn(4)", "np.random.randn(4 + _ % 2)")
    static = static_values(src)
    assert getattr(static.get("states_t"), "shape", None) is None


def test_appendleft_and_popleft_keep_the_deque_bounded():
    src = textwrap.dedent("""
        from collections import deque
        d = deque([1, 2, 3], maxlen=3)
        d.appendleft(0)
        first = d.popleft()
        d.append(9)
        items = list(d)
    """)
    static, real = static_values(src), run(src)
    assert static["items"] == real["items"] and static["first"] == real["first"]
