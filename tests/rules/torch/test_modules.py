"""PyTorch module rules, table-driven: (module source, input shape, expected output shape or error code, params).
Every row's expectation comes from real torch 2.13; ``test_rows_match_torch`` re-runs each row through torch."""
import pytest

from torch_rule_helpers import check_row, torch_row

OK = [
    # linear
    ("nn.Linear(784, 10)", (8, 784), (8, 10), 7850),
    ("nn.Linear(4, 3)", (4,), (3,), 15),
    ("nn.Linear(4, 3, bias=False)", (2, 5, 4), (2, 5, 3), 12),
    ("nn.LazyLinear(6)", (5,), (6,), 36),
    ("nn.Identity()", (2, 3), (2, 3), 0),
    # conv
    ("nn.Conv2d(3, 16, 3)", (2, 3, 32, 32), (2, 16, 30, 30), 448),
    ("nn.Conv2d(3, 16, 3, padding=1)", (3, 32, 32), (16, 32, 32), 448),
    ("nn.Conv2d(3, 4, 4, padding='same')", (1, 3, 5, 5), (1, 4, 5, 5), 196),
    ("nn.Conv2d(3, 4, 4, padding='same', dilation=2, padding_mode='reflect')", (1, 3, 5, 5), (1, 4, 5, 5), 196),
    ("nn.Conv2d(3, 4, (3, 1), stride=(2, 1), padding='valid', bias=False)", (1, 3, 9, 5), (1, 4, 4, 5), 36),
    ("nn.Conv2d(4, 8, 3, groups=2)", (1, 4, 5, 5), (1, 8, 3, 3), 152),
    ("nn.Conv2d(3, 4, 5, padding=1)", (1, 3, 3, 3), (1, 4, 1, 1), 304),
    ("nn.Conv2d(3, 4, 3, stride=5)", (1, 3, 4, 4), (1, 4, 1, 1), 112),
    ("nn.Conv2d(3, 4, 3, padding=4, padding_mode='circular')", (1, 3, 4, 4), (1, 4, 10, 10), 112),
    ("nn.Conv2d(3, 4, 3, padding=5, padding_mode='replicate')", (1, 3, 4, 4), (1, 4, 12, 12), 112),
    ("nn.Conv1d(3, 4, 3, padding=1, padding_mode='reflect')", (3, 4), (4, 4), 40),
    ("nn.Conv1d(8, 16, 5, stride=2)", (4, 8, 100), (4, 16, 48), 656),
    ("nn.Conv3d(2, 4, 3, padding=1)", (1, 2, 4, 5, 6), (1, 4, 4, 5, 6), 220),
    ("nn.LazyConv2d(6, 3)", (1, 5, 5, 5), (1, 6, 3, 3), 276),
    ("nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1)", (1, 3, 4, 4), (1, 4, 8, 8), 112),
    ("nn.ConvTranspose2d(3, 4, 3, output_padding=1, dilation=2)", (1, 3, 4, 4), (1, 4, 9, 9), 112),
    ("nn.ConvTranspose2d(4, 6, 3, groups=2)", (1, 4, 5, 5), (1, 6, 7, 7), 114),
    ("nn.ConvTranspose1d(3, 4, 3)", (3, 5), (4, 7), 40),
    # pooling
    ("nn.MaxPool2d(2)", (2, 3, 8, 8), (2, 3, 4, 4), 0),
    ("nn.MaxPool2d(4, padding=2)", (1, 1, 8, 8), (1, 1, 3, 3), 0),
    ("nn.MaxPool2d(3, 2, 1, ceil_mode=True)", (1, 1, 8, 8), (1, 1, 5, 5), 0),
    ("nn.MaxPool1d(2)", (3, 8), (3, 4), 0),
    ("nn.MaxPool1d(4, padding=1)", (1, 3, 2), (1, 3, 1), 0),
    ("nn.MaxPool3d(2)", (3, 8, 8, 8), (3, 4, 4, 4), 0),
    ("nn.MaxPool3d(3, padding=1)", (1, 1, 2, 5, 5), (1, 1, 1, 2, 2), 0),
    ("nn.MaxPool2d(2, return_indices=True)", (1, 2, 5, 5), ((1, 2, 2, 2), (1, 2, 2, 2)), 0),
    ("nn.AvgPool2d(3, 2, 1, ceil_mode=True)", (1, 3, 8, 8), (1, 3, 5, 5), 0),
    ("nn.AvgPool2d(4, stride=2, ceil_mode=True)", (1, 1, 3, 5), (1, 1, 1, 2), 0),
    ("nn.AvgPool3d(2)", (3, 8, 8, 8), (3, 4, 4, 4), 0),
    ("nn.AdaptiveAvgPool2d((None, 2))", (1, 3, 5, 5), (1, 3, 5, 2), 0),
    ("nn.AdaptiveAvgPool1d(2)", (3, 5), (3, 2), 0),
    ("nn.AdaptiveMaxPool2d(7)", (1, 3, 5, 5), (1, 3, 7, 7), 0),
    ("nn.LPPool1d(2, 3)", (3, 8), (3, 2), 0),
    ("nn.LPPool2d(2, 3, ceil_mode=True)", (1, 3, 8, 8), (1, 3, 3, 3), 0),
    # reshape / upsample
    ("nn.Flatten()", (2, 3, 4), (2, 12), 0),
    ("nn.Flatten(0)", (), (1,), 0),
    ("nn.Unflatten(1, (2, -1))", (2, 6), (2, 2, 3), 0),
    ("nn.PixelShuffle(2)", (8, 3, 3), (2, 6, 6), 0),
    ("nn.PixelShuffle(2)", (2, 1, 8, 3, 3), (2, 1, 2, 6, 6), 0),
    ("nn.PixelUnshuffle(2)", (1, 2, 4, 6), (1, 8, 2, 3), 0),
    ("nn.Upsample(scale_factor=1.5)", (1, 2, 5, 5), (1, 2, 7, 7), 0),
    ("nn.Upsample(scale_factor=1.1)", (1, 2, 10), (1, 2, 11), 0),
    ("nn.Upsample(size=3)", (1, 2, 5, 5, 5), (1, 2, 3, 3, 3), 0),
    ("nn.Upsample(scale_factor=(2, 3))", (1, 2, 5, 5), (1, 2, 10, 15), 0),
    ("nn.UpsamplingNearest2d(scale_factor=2)", (2, 3, 3), (2, 3, 6), 0),
    ("nn.ChannelShuffle(2)", (2, 6, 3), (2, 6, 3), 0),
    ("nn.Unfold(3)", (2, 3, 8, 8), (2, 27, 36), 0),
    ("nn.Unfold(3)", (3, 8, 8), (27, 36), 0),
    ("nn.Unfold((2, 3), dilation=2, padding=1, stride=2)", (2, 3, 8, 9), (2, 18, 16), 0),
    ("nn.Fold((4, 5), 2)", (2, 12, 12), (2, 3, 4, 5), 0),
    ("nn.Fold((4, 5), 2)", (12, 12), (3, 4, 5), 0),
    ("nn.FractionalMaxPool2d(3, output_size=5)", (2, 3, 8, 8), (2, 3, 5, 5), 0),
    ("nn.FractionalMaxPool2d(2, output_ratio=0.5)", (2, 3, 9, 8), (2, 3, 4, 4), 0),
    ("nn.FractionalMaxPool2d(2, output_size=(4, 3))", (3, 9, 8), (3, 4, 3), 0),
    ("nn.FractionalMaxPool3d(2, output_ratio=0.5)", (2, 3, 8, 8, 9), (2, 3, 4, 4, 4), 0),
    ("nn.FractionalMaxPool2d(3, output_size=6)", (1, 1, 8, 8), (1, 1, 6, 6), 0),
    # normalisation
    ("nn.BatchNorm1d(4)", (2, 4), (2, 4), 8),
    ("nn.BatchNorm1d(4, affine=False)", (2, 4, 7), (2, 4, 7), 0),
    ("nn.BatchNorm2d(8)", (2, 8, 3, 3), (2, 8, 3, 3), 16),
    ("nn.LazyBatchNorm2d()", (2, 8, 3, 3), (2, 8, 3, 3), 16),
    ("nn.BatchNorm2d(4, affine=False, track_running_stats=False)", (2, 5, 3, 3), (2, 5, 3, 3), 0),
    ("nn.SyncBatchNorm(4)", (2, 4), (2, 4), 8),
    ("nn.SyncBatchNorm(4, affine=False)", (2, 4, 3, 3), (2, 4, 3, 3), 0),
    ("nn.SyncBatchNorm(4, bias=False)", (2, 4, 1, 2, 3, 1), (2, 4, 1, 2, 3, 1), 4),
    ("nn.SyncBatchNorm(4, affine=False, track_running_stats=False)", (2, 6, 3), (2, 6, 3), 0),
    ("nn.InstanceNorm1d(4)", (2, 3, 5), (2, 3, 5), 0),
    ("nn.InstanceNorm1d(3)", (3, 5), (3, 5), 0),
    ("nn.LayerNorm((3, 4))", (2, 3, 4), (2, 3, 4), 24),
    ("nn.LayerNorm(4, bias=False)", (2, 4), (2, 4), 4),
    ("nn.RMSNorm(4)", (2, 4), (2, 4), 4),
    ("nn.GroupNorm(2, 4)", (2, 4, 5), (2, 4, 5), 8),
    ("nn.GroupNorm(2, 4, affine=False)", (2, 6, 5), (2, 6, 5), 0),
    ("nn.LocalResponseNorm(2)", (2, 5, 3), (2, 5, 3), 0),
    # activations and dropout
    ("nn.ReLU()", (2, 3), (2, 3), 0),
    ("nn.GELU(approximate='tanh')", (2, 3), (2, 3), 0),
    ("nn.Softmax(dim=-1)", (2, 3), (2, 3), 0),
    ("nn.Softmax()", (5,), (5,), 0),
    ("nn.LogSoftmax(1)", (2, 3), (2, 3), 0),
    ("nn.Softmax2d()", (2, 5, 3), (2, 5, 3), 0),
    ("nn.GLU()", (2, 6), (2, 3), 0),
    ("nn.PReLU(3)", (2, 3), (2, 3), 3),
    ("nn.PReLU()", (), (), 1),
    ("nn.Threshold(0.1, 0.0)", (5,), (5,), 0),
    ("nn.Dropout(0.3)", (), (), 0),
    ("nn.Dropout2d()", (2, 3), (2, 3), 0),
    ("nn.Dropout1d()", (2, 3, 4), (2, 3, 4), 0),
    ("nn.FeatureAlphaDropout()", (2, 3), (2, 3), 0),
    # padding
    ("nn.ZeroPad2d(1)", (3, 4), (5, 6), 0),
    ("nn.ZeroPad2d((1, 2))", (2, 3, 4), (2, 3, 7), 0),
    ("nn.ZeroPad2d((-2, -1, 0, 0))", (2, 3, 3), (2, 3, 0), 0),
    ("nn.ConstantPad3d(1, 0.5)", (2, 3, 4), (4, 5, 6), 0),
    ("nn.ReflectionPad1d(3)", (2, 3, 4), (2, 3, 10), 0),
    ("nn.ReflectionPad2d((1, 2, 0, 3))", (3, 4, 5), (3, 7, 8), 0),
    ("nn.ReplicationPad1d(10)", (1, 4, 5), (1, 4, 25), 0),
    ("nn.CircularPad2d(4)", (1, 1, 4, 5), (1, 1, 12, 13), 0),
    # embeddings, recurrent, attention
    ("nn.LSTM(10, 20, batch_first=True)", (4, 7, 10), ((4, 7, 20), ((1, 4, 20), (1, 4, 20))), 2560),
    ("nn.LSTM(10, 20, 2, bidirectional=True, proj_size=5)", (7, 4, 10),
     ((7, 4, 10), ((4, 4, 5), (4, 4, 20))), 5840),
    ("nn.LSTM(10, 20, 2, bidirectional=True)", (7, 10), ((7, 40), ((4, 20), (4, 20))), 15040),
    ("nn.GRU(8, 6, batch_first=True)", (2, 5, 8), ((2, 5, 6), (1, 2, 6)), 288),
    ("nn.RNN(10, 20, 2, 'relu', True, True)", (4, 7, 10), ((4, 7, 20), (2, 4, 20)), 1480),
    ("nn.LSTMCell(4, 3)", (2, 4), ((2, 3), (2, 3)), 108),
    ("nn.GRUCell(4, 3)", (4,), (3,), 81),
    ("nn.TransformerEncoderLayer(16, 4, 32)", (5, 2, 16), (5, 2, 16), 2224),
    ("nn.TransformerEncoderLayer(16, 4, 32)", (5, 16), (5, 16), 2224),
    ("nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32, batch_first=True), 2)", (2, 5, 16),
     (2, 5, 16), 4448),
]

EMBEDDING_OK = [
    ("nn.Embedding(10, 3)", (2, 4), (2, 4, 3), 30),
    ("nn.Embedding(10, 3)", (), (3,), 30),
    ("nn.EmbeddingBag(10, 3)", (2, 4), (2, 3), 30),
]

ERRORS = [
    ("nn.Linear(400, 120)", (8, 256), "SHP101"),
    ("nn.Linear(1, 3)", (), "SHP103"),
    ("nn.Bilinear(4, 5, 3)", (2, 4), "SHP121"),
    ("nn.Conv2d(3, 4, 3, stride=2, padding='same')", (1, 3, 8, 8), "SHP107"),
    ("nn.Conv2d(3, 4, 3, padding='full')", (1, 3, 8, 8), "SHP107"),
    ("nn.Conv2d(3, 4, 3, groups=2)", (1, 3, 8, 8), "SHP107"),
    ("nn.Conv2d(4, 3, 3, groups=2)", (1, 4, 8, 8), "SHP107"),
    ("nn.Conv2d(3, 4, 5)", (1, 3, 4, 4), "SHP104"),
    ("nn.Conv2d(3, 4, 3, padding=4, padding_mode='reflect')", (1, 3, 4, 4), "SHP123"),
    ("nn.Conv2d(3, 4, 3, padding=5, padding_mode='circular')", (1, 3, 4, 4), "SHP123"),
    ("nn.Conv1d(3, 4, 3)", (2, 3, 4, 4), "SHP103"),
    ("nn.Conv2d(3, 4, 3)", (3, 4), "SHP103"),
    ("nn.Conv2d(3, 4, 3)", (2, 5, 4, 4), "SHP102"),
    ("nn.Conv2d(3, 4, 3)", (5, 4, 4), "SHP102"),
    ("nn.Conv2d(3, 4, 3)", (2, 8, 8, 3), "SHP109"),
    ("nn.Conv2d(3, 4, (3,))", (1, 3, 4, 4), "SHP107"),
    ("nn.Conv2d(3, 4, 3, stride=0)", (1, 3, 4, 4), "SHP107"),
    ("nn.ConvTranspose2d(3, 4, 3, stride=2, output_padding=2)", (1, 3, 4, 4), "SHP107"),
    ("nn.ConvTranspose2d(3, 4, 3, padding_mode='reflect')", (1, 3, 4, 4), "SHP107"),
    ("nn.ConvTranspose2d(3, 4, 1, padding=2)", (1, 3, 2, 2), "SHP104"),
    ("nn.ConvTranspose1d(1, 4, 4, stride=3, padding=2)", (1, 1, 1), "SHP104"),
    ("nn.ConvTranspose2d(4, 6, 3)", (1, 5, 5, 5), "SHP102"),
    ("nn.MaxPool2d(3, padding=2)", (1, 1, 8, 8), "SHP123"),
    ("nn.AvgPool2d(3, padding=2)", (1, 1, 8, 8), "SHP123"),
    ("nn.MaxPool2d(5)", (1, 1, 4, 4), "SHP104"),
    ("nn.MaxPool1d(2)", (2, 3, 8, 8), "SHP103"),
    ("nn.AvgPool2d(2)", (8, 8), "SHP103"),
    ("nn.AvgPool3d(3, padding=1)", (1, 1, 2, 5, 5), "SHP104"),
    ("nn.MaxPool2d(2, 0)", (1, 3, 8, 8), "SHP107"),
    ("nn.AdaptiveAvgPool2d(2)", (5, 5), "SHP103"),
    ("nn.AdaptiveAvgPool1d(None)", (1, 1, 3), "SHP107"),
    ("nn.LPPool2d(2, (2,))", (1, 1, 4, 4), "SHP107"),
    ("nn.Flatten()", (5,), "SHP110"),
    ("nn.Flatten(2, 1)", (2, 3, 4), "SHP107"),
    ("nn.Unflatten(1, (4, -1))", (2, 6), "SHP105"),
    ("nn.Unflatten(2, (2, 3))", (2, 6), "SHP110"),
    ("nn.PixelShuffle(2)", (1, 6, 3, 3), "SHP111"),
    ("nn.PixelShuffle(2)", (8, 3), "SHP103"),
    ("nn.PixelUnshuffle(2)", (1, 2, 4, 5), "SHP111"),
    ("nn.ChannelShuffle(4)", (2, 6, 3), "SHP111"),
    ("nn.Unfold(9)", (2, 3, 8, 8), "SHP104"),
    ("nn.Unfold(2)", (8, 8), "SHP103"),
    ("nn.Fold((4, 5), 2)", (2, 10, 12), "SHP111"),
    ("nn.Fold((4, 5), 2)", (2, 12, 11), "SHP111"),
    ("nn.Fold((4, 5), 2)", (2, 12, 3, 4), "SHP103"),
    ("nn.FractionalMaxPool2d(3, output_size=7)", (2, 3, 8, 8), "SHP104"),
    ("nn.FractionalMaxPool2d(3)", (2, 3, 8, 8), "SHP107"),
    ("nn.FractionalMaxPool3d(3, output_size=6)", (1, 1, 8, 8, 8), "SHP104"),
    ("nn.FractionalMaxPool2d(3, output_size=4, output_ratio=0.5)", (2, 3, 8, 8), "SHP107"),
    ("nn.FractionalMaxPool2d(2, output_ratio=1.0)", (2, 3, 8, 8), "SHP107"),
    ("nn.CosineSimilarity()", (2, 3, 4), "SHP121"),
    ("nn.Upsample(scale_factor=2)", (5, 5), "SHP103"),
    ("nn.Upsample(size=(3, 4))", (1, 2, 5), "SHP107"),
    ("nn.Upsample(size=3, scale_factor=2)", (1, 2, 5), "SHP107"),
    ("nn.Upsample()", (1, 2, 5), "SHP107"),
    ("nn.Upsample(scale_factor=2, mode='bilinear')", (1, 2, 5), "SHP103"),
    ("nn.Upsample(scale_factor=2, align_corners=True)", (1, 2, 5), "SHP107"),
    ("nn.Upsample(scale_factor=0.3)", (1, 2, 3), "SHP104"),
    ("nn.BatchNorm1d(4)", (2, 5), "SHP102"),
    ("nn.BatchNorm1d(4)", (2, 4, 3, 3), "SHP103"),
    ("nn.BatchNorm2d(4)", (4, 3, 3), "SHP103"),
    ("nn.SyncBatchNorm(4)", (4,), "SHP103"),
    ("nn.SyncBatchNorm(4)", (2, 5, 3), "SHP102"),
    ("nn.SyncBatchNorm(4, track_running_stats=False)", (2, 5), "SHP102"),
    ("nn.SyncBatchNorm(4)", (2, 0, 3), "SHP111"),
    ("nn.MaxUnpool2d(2)", (2, 3, 4, 4), "SHP121"),
    ("nn.InstanceNorm1d(4, affine=True)", (2, 3, 5), "SHP102"),
    ("nn.InstanceNorm1d(3)", (2, 3, 1), "SHP111"),
    ("nn.InstanceNorm2d(3)", (3, 5), "SHP103"),
    ("nn.LayerNorm((3, 4))", (2, 4, 3), "SHP111"),
    ("nn.LayerNorm((2, 3, 4))", (3, 4), "SHP111"),
    ("nn.RMSNorm(4)", (2, 3), "SHP101"),
    ("nn.GroupNorm(2, 4)", (2, 6, 5), "SHP102"),
    ("nn.GroupNorm(2, 4)", (4,), "SHP103"),
    ("nn.GroupNorm(2, 2)", (1, 2), "SHP111"),
    ("nn.GroupNorm(3, 4)", (2, 4), "SHP107"),
    ("nn.LocalResponseNorm(2)", (2, 5), "SHP103"),
    ("nn.Softmax2d()", (2, 5), "SHP103"),
    ("nn.GLU()", (2, 5), "SHP111"),
    ("nn.GLU()", (), "SHP103"),
    ("nn.Softmax(2)", (2, 5), "SHP110"),
    ("nn.PReLU(4)", (4,), "SHP102"),
    ("nn.PReLU(3)", (), "SHP103"),
    ("nn.Dropout1d()", (2, 3, 4, 5), "SHP103"),
    ("nn.FeatureAlphaDropout()", (5,), "SHP103"),
    ("nn.Dropout(1.5)", (5,), "SHP107"),
    ("nn.Hardtanh(1, -1)", (5,), "SHP107"),
    ("nn.Embedding(10, 3)", (2, 4), "SHP122"),
    ("nn.EmbeddingBag(10, 3)", (2, 4, 5), "SHP103"),
    ("nn.LSTM(10, 20)", (2, 7, 4, 10), "SHP103"),
    ("nn.LSTM(10, 20)", (7, 4, 12), "SHP101"),
    ("nn.GRU(10, 20, proj_size=5)", (7, 4, 10), "SHP107"),
    ("nn.LSTM(10, 20, proj_size=20)", (7, 4, 10), "SHP107"),
    ("nn.RNN(10, 20, nonlinearity='gelu')", (7, 4, 10), "SHP107"),
    ("nn.LSTM(10, 20, 0)", (7, 4, 10), "SHP107"),
    ("nn.TransformerEncoderLayer(16, 4, 32)", (5, 2, 12), "SHP101"),
    ("nn.TransformerEncoderLayer(16, 4, 32)", (5, 2, 3, 16), "SHP103"),
    ("nn.TransformerEncoderLayer(16, 5, 32)", (5, 2, 16), "SHP107"),
    ("nn.TransformerDecoderLayer(16, 4, 32)", (5, 2, 16), "SHP121"),
    ("nn.Transformer(16, 4, 1, 1, 32)", (5, 2, 16), "SHP121"),
    ("nn.MultiheadAttention(16, 4)", (5, 2, 16), "SHP121"),
    ("nn.ZeroPad2d(1)", (4,), "SHP103"),
    ("nn.ZeroPad2d(-2)", (2, 3, 4), "SHP104"),
    ("nn.ReflectionPad1d(4)", (2, 3, 4), "SHP123"),
    ("nn.ReflectionPad1d(1)", (2, 3, 4, 5), "SHP103"),
    ("nn.ReplicationPad2d(1)", (4, 5), "SHP103"),
    ("nn.CircularPad2d(5)", (1, 1, 4, 5), "SHP123"),
    ("nn.CircularPad2d(1)", (4, 5), "SHP103"),
]


@pytest.mark.parametrize("src,shape,expected,params", OK)
def test_ok(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.parametrize("src,shape,expected,params", EMBEDDING_OK)
def test_embedding_ok(src, shape, expected, params):
    check_row(src, shape, expected, params, dtype="int64")


@pytest.mark.parametrize("src,shape,code", ERRORS)
def test_errors(src, shape, code):
    check_row(src, shape, code)


TORCH_ROWS = OK + [r + ("int64",) for r in EMBEDDING_OK] + [(s, i, "error", None) for s, i, _ in ERRORS]


@pytest.mark.parametrize("row", TORCH_ROWS)
def test_rows_match_torch(row):
    """The tables are torch's answers: every row re-run through real torch 2.13."""
    pytest.importorskip("torch")
    src, shape, expected, params = row[:4]
    dtype = row[4] if len(row) > 4 else None
    out, n = torch_row(src, shape, dtype)
    assert out == expected, f"{src} on {shape}: torch gives {out}"
    if params is not None and out != "error":
        assert n == params, f"{src}: torch counts {n} parameters"


def test_empty_transposed_output_for_a_batch_is_unknown():
    """torch 2.13 accepts or rejects a size-0 ConvTranspose output for batches > 1 depending on the backend it picks
    (thread count, oneDNN); shapelint says unknown rather than guess. For a batch of 1 it always raises."""
    check_row("nn.ConvTranspose1d(1, 4, 4, stride=3, padding=2)", (2, 1, 1), None)
    check_row("nn.ConvTranspose1d(1, 4, 4, stride=3, padding=2)", (1, 1, 1), "SHP104")
