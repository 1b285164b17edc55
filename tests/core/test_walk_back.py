"""The backward walk of a run (``Inference.walk_back`` / ``walk_end``): which pairs it yields, where it ends, that it
asks ``through`` only for the next step the caller takes, and ``source_of`` built on it."""
from shapelint.core.infer import Inference, first_input
from shapelint.core.program import Layer, Op, Program
from shapelint.core.values import Tensor


def chain(*kinds, shapes=None):
    """A run of one-input ops of ``kinds`` on a fresh input: (inference, the input, the ops' outputs)."""
    x = Tensor((4, 8))
    values, ops = [x], []
    for i, kind in enumerate(kinds):
        out = Tensor(shapes[i] if shapes else (4, 8))
        ops.append(Op(i, Layer("torch", kind), [values[-1]], out))
        values.append(out)
    inf = Inference(Program("m", "torch"))
    inf.adopt(ops)
    return inf, x, values[1:]


def kinds(pairs):
    return [op.layer.kind if op is not None else None for _, op in pairs]


def test_the_walk_yields_each_value_with_its_producer_and_ends_where_no_op_made_one():
    inf, x, outs = chain("Linear", "ReLU", "Dropout")
    pairs = list(inf.walk_back(outs[-1]))
    assert kinds(pairs) == ["Dropout", "ReLU", "Linear", None]
    assert [v for v, _ in pairs] == [outs[2], outs[1], outs[0], x]


def test_through_picks_the_next_value_and_none_ends_the_walk_at_that_op():
    inf, _, outs = chain("Linear", "ReLU", "Dropout")
    past_dropout = lambda op, v: first_input(op, v) if op.layer.kind == "Dropout" else None  # noqa: E731
    assert kinds(inf.walk_back(outs[-1], past_dropout)) == ["Dropout", "ReLU"]
    assert inf.walk_end(outs[-1], past_dropout).layer.kind == "ReLU"
    assert inf.walk_end(outs[-1]) is None  # all the way back to the input, which no op made


def test_depth_bounds_the_pairs_and_the_end_is_the_last_op_reached():
    inf, _, outs = chain("Linear", "ReLU", "Dropout")
    assert kinds(inf.walk_back(outs[-1], depth=2)) == ["Dropout", "ReLU"]
    assert inf.walk_end(outs[-1], depth=2).layer.kind == "ReLU"
    assert kinds(inf.walk_back(outs[-1], depth=1)) == ["Dropout"]


def test_through_is_asked_only_for_the_steps_the_caller_takes():
    inf, _, outs = chain("Linear", "ReLU", "Dropout")
    asked = []

    def through(op, value):
        asked.append(op.layer.kind)
        return first_input(op, value)
    for _, op in inf.walk_back(outs[-1], through):
        if op.layer.kind == "ReLU":
            break
    assert asked == ["Dropout"]
    asked.clear()
    list(inf.walk_back(outs[-1], through, depth=2))
    assert asked == ["Dropout"]  # not for the last op of a bounded walk


def test_through_sees_the_value_the_op_made():
    inf, _, outs = chain("Linear", "ReLU", shapes=[(4, 3), (4, 3)])
    seen = []
    list(inf.walk_back(outs[-1], lambda op, v: seen.append((op.layer.kind, v)) or first_input(op, v)))
    assert seen == [("ReLU", outs[1]), ("Linear", outs[0])]


def test_source_of_looks_past_shape_keeping_layers_only():
    inf, _, outs = chain("LSTM", "Dropout", "ReLU")
    assert inf.source_of(outs[-1]).layer.kind == "LSTM"
    inf, _, outs = chain("LSTM", "Dropout", shapes=[(4, 8), (4, 9)])  # not the shape it was given: not looked past
    assert inf.source_of(outs[-1]).layer.kind == "Dropout"
    inf, x, _ = chain("Dropout")
    assert inf.source_of(x) is None


def test_source_of_looks_past_sixteen_layers_at_the_most():
    inf, _, outs = chain("Linear", *["Dropout"] * 16)
    assert inf.source_of(outs[-1]).layer.kind == "Linear"
    inf, _, outs = chain("Linear", *["Dropout"] * 17)
    assert inf.source_of(outs[-1]) is inf.producer_of(outs[1])  # the op after the sixteenth, looked past or not
