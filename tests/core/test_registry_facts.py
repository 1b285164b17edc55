"""Layer facts are declared where a rule is registered and asked for with ``registry.fact`` / ``has`` /
``kinds_with``: the checks and the root-cause finders keep no lists of layer names of their own."""
from shapelint.core.registry import fact, kinds_with
from shapelint.rules.torch.loss import FUNCTIONAL, LOSS_KINDS


def test_recurrent_layers():
    assert kinds_with("torch", "recurrent") == {"LSTM", "GRU", "RNN"}
    assert {"SimpleRNN", "LSTM", "GRU", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D"} <= kinds_with("keras", "recurrent")
    assert "Dense" not in kinds_with("keras", "recurrent")


def test_layers_that_read_the_sequence_first_unless_batch_first():
    assert kinds_with("torch", "sequence_first") == {"LSTM", "GRU", "RNN", "MultiheadAttention", "Transformer",
                                                     "TransformerEncoderLayer", "TransformerDecoderLayer",
                                                     "TransformerEncoder", "TransformerDecoder"}


def test_every_torch_loss_declares_its_targets():
    for kind in sorted(LOSS_KINDS) + ["F." + f for f in sorted(FUNCTIONAL)]:
        assert fact("torch", kind, "loss_target") in ("class-index", "same-shape"), kind
    assert fact("torch", "CrossEntropyLoss", "loss_target") == "class-index"
    assert fact("torch", "F.mse_loss", "regression") and not fact("torch", "BCELoss", "regression")


def test_plain_convolutions():
    assert kinds_with("torch", "conv_rank", 2) == {"Conv2d"}
    assert {"Conv1D", "Conv2D", "Conv3D"} <= kinds_with("keras", "conv_rank")
    assert "Conv2DTranspose" not in kinds_with("keras", "conv_rank")


def test_joins_name_their_axis_argument():
    assert kinds_with("torch", "joins", "dim") == {"cat", "concat", "concatenate"}
    assert kinds_with("keras", "joins", "axis") == {"Concatenate", "ops.concatenate"}
    assert fact("torch", "stack", "joins") is None  # a new axis, not a join along one
