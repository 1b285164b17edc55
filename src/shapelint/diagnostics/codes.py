"""The permanent table of diagnostic codes.

Codes are never reused or removed; a retired code stays here marked ``retired=True``. Grouped by kind:

* SHP0xx -- shapelint could not check something (info) or could not read the input
* SHP1xx -- a layer's shape contract is violated: the framework raises (error)
* SHP2xx -- silent shape bugs: the framework runs but computes the wrong thing (warning)
* SHP3xx -- data, labels and losses do not fit the model (error or warning)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: str  # error | warning | info
    summary: str
    retired: bool = False


_TABLE = [
    # -- SHP0xx: could not check ---------------------------------------------------------------------
    Code("SHP001", "unsupported-layer", "info", "shapelint has no shape rule for this layer or op; its output is unknown"),
    Code("SHP002", "unresolved-argument", "info", "a layer argument is not known without running the code"),
    Code("SHP003", "unknown-input-shape", "info", "the model's input shape is not stated and no call shows it"),
    Code("SHP004", "syntax-error", "error", "the file (or notebook cell) is not valid Python"),
    Code("SHP005", "internal-error", "info", "shapelint failed on this layer; it is skipped, not reported as wrong"),
    Code("SHP006", "unfollowed-code", "info", "code shapelint cannot follow statically; values it defines are unknown"),
    # -- SHP1xx: the framework raises -----------------------------------------------------------------
    Code("SHP101", "feature-count-mismatch", "error", "a layer's declared number of input features differs from what it receives"),
    Code("SHP102", "channel-count-mismatch", "error", "a convolution or normalisation layer's declared channels differ from its input"),
    Code("SHP103", "rank-mismatch", "error", "a layer receives a tensor with the wrong number of dimensions"),
    Code("SHP104", "non-positive-output-size", "error", "a kernel, pool or crop is larger than its input, leaving an empty output"),
    Code("SHP105", "reshape-size-mismatch", "error", "a reshape's target size does not match the number of elements"),
    Code("SHP106", "merge-shape-mismatch", "error", "tensors merged, concatenated or added have incompatible shapes"),
    Code("SHP107", "invalid-argument", "error", "a layer argument has a value the framework rejects"),
    Code("SHP108", "tuple-output-into-layer", "error", "a layer returning a tuple (an RNN's output and state) feeds a layer that needs a tensor"),
    Code("SHP109", "channels-last-input", "error", "channels-last images are fed to a channels-first convolution"),
    Code("SHP110", "axis-out-of-range", "error", "a dimension index is outside the tensor's rank"),
    Code("SHP111", "incompatible-input-shape", "error", "a layer cannot take a tensor of this shape"),
    Code("SHP112", "matmul-shape-mismatch", "error", "the inner dimensions of a matrix product differ"),
    # SHP120-SHP139: PyTorch-specific contracts
    Code("SHP120", "index-out-of-range", "error", "an integer index is outside the size of the axis it indexes"),
    Code("SHP121", "missing-input", "error", "a module needs more inputs than it is given (e.g. inside nn.Sequential)"),
    Code("SHP122", "index-dtype-mismatch", "error", "an embedding receives floating-point values instead of integer indices"),
    Code("SHP123", "padding-too-large", "error", "a padding is larger than the layer or the input allows"),
    Code("SHP124", "single-value-per-channel", "warning", "a normalisation layer sees one value per channel; PyTorch raises in training mode"),
    Code("SHP125", "attention-mask-mismatch", "error", "an attention or padding mask does not have the shape the attention layer takes"),
    Code("SHP126", "ctc-input-mismatch", "error", "CTC loss inputs do not fit: log-probs (T, N, C), targets and one length per sample"),
    Code("SHP127", "collate-size-mismatch", "error", "a DataLoader's default collate stacks samples whose sizes differ"),
    # SHP140-SHP149: PyTorch front-ends (source nn.Module, live nn.Module)
    Code("SHP140", "module-raised", "error", "a live nn.Module raised a shape error when run on meta tensors"),
    Code("SHP141", "meta-run-incomplete", "info", "a live nn.Module could not be run to the end on the meta device (a data-dependent or device-specific op)"),
    Code("SHP150", "layer-reused-with-different-input", "error", "a layer already built on its first call is called again on an input its weights do not fit"),
    Code("SHP151", "model-called-on-incompatible-input", "error", "a model with a declared input is used as a layer on a tensor of another shape"),
    # -- SHP2xx: silent shape bugs --------------------------------------------------------------------
    Code("SHP201", "dense-on-unflattened-input", "warning", "a Dense/Linear layer applied to a >2-D tensor acts on the last axis only"),
    # SHP202-SHP219: silent bugs where data, losses and models meet (checks/)
    Code("SHP202", "loss-broadcast", "warning", "a loss compares predictions and targets of different shapes, which are silently broadcast"),
    Code("SHP203", "reduction-over-batch-axis", "warning", "a softmax, argmax, similarity, normalisation or join is taken over the wrong axis: the batch, or time / space instead of the classes, features or channels"),
    Code("SHP204", "single-unit-categorical-loss", "warning", "a categorical loss on a single output unit is always 0"),
    Code("SHP205", "batch-first-confusion", "warning", "batch-first data is fed to a recurrent/attention layer left at batch_first=False"),
    Code("SHP206", "probabilities-into-logits-loss", "warning", "a loss that applies softmax/sigmoid itself receives outputs already passed through one"),
    Code("SHP207", "sequence-output-for-sample-targets", "warning", "an RNN returns one output per time step where per-sample targets are used"),
    Code("SHP208", "metric-label-format", "warning", "a metric expects another label format than the labels have, so it reports a meaningless value"),
    Code("SHP209", "reshape-mixes-samples", "warning", "a view/reshape with -1 in the batch position cuts rows across samples"),
    Code("SHP210", "softmax-over-one-value", "warning", "a softmax over a single value is always 1, so the output never changes"),
    Code("SHP211", "reshape-reorders-axes", "warning", "a reshape/view gives the same axes in another order: it re-reads memory, it does not move axes"),
    Code("SHP212", "data-format-against-layout", "warning", "a layer's data_format reads the channels on an axis that holds something else"),
    Code("SHP213", "channels-first-images", "warning", "channels-first images reach a channels-last convolution, which reads their columns as channels"),
    Code("SHP214", "table-sliced-by-batch", "warning", "a position table is sliced by the batch size and broadcast over the positions"),
    Code("SHP215", "signals-stacked-as-steps", "warning", "separate signals stacked on axis 1 are read as time steps by an RNN or a channels-last Conv1D"),
    Code("SHP216", "attention-softmax-axis", "warning", "attention scores are normalised over another axis than the keys"),
    Code("SHP217", "norm-over-steps", "warning", "a layer normalisation in a sequence model normalises across the time steps"),
    Code("SHP218", "mask-over-queries", "warning", "a padding mask applied to attention scores sits on the query axis instead of the key axis"),
    Code("SHP219", "label-among-features", "warning", "the column given as the labels is also among the features (target leakage)"),
    Code("SHP220", "concat-along-batch", "warning", "tensors are concatenated along the batch axis, so a batch gives more rows than samples"),
    Code("SHP221", "squeeze-does-nothing", "warning", "squeeze of an axis whose size is not 1 leaves the tensor unchanged"),
    Code("SHP222", "per-sample-values-on-last-axis", "warning", "one value per sample broadcast against a batch's last axis instead of its batch axis"),
    Code("SHP223", "squeeze-drops-batch", "warning", "a bare squeeze() also removes the batch axis of a batch of one sample (a loader's last batch)"),
    Code("SHP224", "transpose-swaps-height-width", "warning", "a transpose meant to put an image's channels first swaps its rows and columns too"),
    Code("SHP225", "padding-mask-inverted", "warning", "a padding mask is True on the real tokens where the attention ignores the True keys, or the other way round"),
    Code("SHP226", "mask-heads-tiled", "warning", "a per-sample attention mask is repeated over the heads in batch order, so heads get other samples' masks"),
    Code("SHP227", "samples-crossed", "warning", "two tensors with one row per sample are combined where broadcasting lines one's batch axis up with a unit axis of the other: every sample meets every other"),
    # -- SHP3xx: data, labels and losses ----------------------------------------------------------------
    Code("SHP301", "labels-loss-mismatch", "error", "the labels' shape or format does not fit the loss and the model's output"),
    Code("SHP302", "label-out-of-range", "error", "class labels are larger than the number of classes the model outputs"),
    Code("SHP303", "label-dtype-mismatch", "error", "the targets have a dtype the loss rejects (class indices must be integers, probabilities floats)"),
    Code("SHP304", "data-input-mismatch", "error", "the data fed to a model does not fit the input the model was built for"),
    Code("SHP305", "sample-count-mismatch", "error", "inputs and labels have different numbers of samples"),
    Code("SHP306", "metric-labels-mismatch", "error", "a metric cannot compare these labels with the model's output"),
    Code("SHP307", "dataset-not-batched", "error", "a tf.data dataset of single samples is fed to a model, which takes each element as a batch"),
    Code("SHP308", "dataset-batched-twice", "error", "a tf.data dataset batched twice is fed to a model: its elements have an extra batch axis"),
    Code("SHP309", "id-out-of-range", "error", "integer ids fed to an embedding reach past its number of rows"),
    Code("SHP310", "dataset-list-stacked", "error", "a tf.data source is given a list of arrays of different shapes: tf.data stacks a list into one tensor, it is not a (features, labels) structure"),
    Code("SHP311", "dataset-zip-unbatched", "warning", "tf.data zips a batched dataset with one of single samples: each batch is paired with one target"),
]

BY_CODE = {c.code: c for c in _TABLE}
BY_NAME = {c.name: c for c in _TABLE}


def lookup(code_or_name: str) -> Optional[Code]:
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())


def all_codes() -> list:
    return list(_TABLE)
