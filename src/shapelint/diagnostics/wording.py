"""All user-facing wording, in one place (Elm style: rules produce data, this module produces prose).

Each code name maps to a message template and an optional help template. Templates are ``str.format`` strings over
the facts a rule put in its Mismatch plus these always-present facts:

  kind      the layer class (``Dense``)          name      the layer's name (``dense_1``, ``fc1``)
  expected  what the contract needs               received  what arrived
  arg       the argument that set the expectation

Shapes (tuples / lists of dims) are rendered as Python prints them: ``(None, 28, 28, 1)``.
A help text is an imperative fix, never a question.
"""
from __future__ import annotations

from ..core.dims import fmt_shape
from ..core.values import Tensor, TensorTuple

TEMPLATES: dict = {
    "unsupported-layer": (
        "cannot check `{kind}`: shapelint has no shape rule for it, so its output shape is unknown",
        None),
    "unresolved-argument": (
        "cannot check `{kind}`: argument `{arg}` is not known without running the code",
        None),
    "unknown-input-shape": (
        "cannot infer shapes for `{model}`: its input shape is not stated and no call in this file shows it",
        "state the input with `{hint}`, or pass `--input-shape` on the command line"),
    "syntax-error": ("{detail}", None),
    "internal-error": (
        "cannot check `{kind}`: shapelint hit an internal problem ({detail}); the layer is skipped",
        None),
    "internal-error:check": (
        "the `{check}` check failed on this file ({detail}); what it looks for is not reported here",
        None),
    "unfollowed-code": ("{detail}", None),
    "feature-count-mismatch:adapted": (
        "`{kind}` was adapted on data with {expected} features but receives {received}",
        "{remedy}"),
    "feature-count-mismatch": (
        "`{kind}` expects {expected} input features but receives {received}",
        "set `{arg}` to {received}"),
    "channel-count-mismatch": (
        "`{kind}` expects {expected} input channels but receives {received}",
        "set `{arg}` to {received}"),
    "rank-mismatch": (
        "`{kind}` expects a {expected}-D input{layout} but receives a {received}-D tensor {received_shape}",
        "{remedy}"),
    "non-positive-output-size": (
        "`{kind}` would produce an empty output: {detail}",
        "{remedy}"),
    "reshape-size-mismatch": (
        "`{kind}` cannot reshape {received_shape} ({received} values{per}) into {target} ({expected} values)",
        "{remedy}"),
    "reshape-size-mismatch:batch-written": (
        "`{kind}` writes the batch size {batch} into the model: the loader's last batch has {last} samples, and "
        "({last}, ...) cannot become {batch} rows of the same width",
        "{remedy}"),
    "merge-shape-mismatch": (
        "`{kind}` cannot combine inputs of shapes {shapes}: {detail}",
        "{remedy}"),
    "merge-shape-mismatch:fixed_batch": (
        "`{kind}` combines inputs of shapes {shapes}: axis 0 is the batch (any size) on one and a fixed {fixed} "
        "on the other, so only a batch of exactly {fixed} runs (the torch and JAX backends fail as the model is "
        "built, TensorFlow at the first batch of another size)",
        "{remedy}"),
    "invalid-argument": (
        "`{kind}` argument `{arg}` is invalid: {detail}",
        "{remedy}"),
    "invalid-argument:no-arg": (  # the call itself does not bind (a missing or unexpected argument)
        "`{kind}` cannot be built with these arguments: {detail}",
        "{remedy}"),
    "tuple-output-into-layer": (
        "`{kind}` receives a tuple {received_shape} from `{producer}`, but needs a tensor",
        "{remedy}"),
    "channels-last-input": (
        "`{kind}` expects {expected} channels in axis 1 {layout}, but the input {received_shape} is channels-last",
        "{remedy}"),
    "channels-last-input:axis": (
        "`{kind}` expects {expected} channels in axis 1 {layout}, but the input {received_shape} has them on axis "
        "{axis}",
        "{remedy}"),
    "channels-last-input:unbatched-rows": (
        "`{kind}` reads the 2-D input {received_shape} as one sample without a batch axis, with {rows} channels; "
        "its last axis holds the {expected} channels it expects: these are rows of channels (one row per step), "
        "with the channels last and no batch axis",
        "{remedy}"),
    "channels-last-input:planes-first": (
        "`{kind}` reads a NumPy image as (H, W, C), but {received_shape} holds its {expected} colour planes first: "
        "it becomes a tensor of {expected} rows, and the channels are lost",
        "{remedy}"),
    "axis-out-of-range": (
        "`{kind}` uses axis {axis}, which is out of range for a {rank}-D tensor {received_shape}",
        "{remedy}"),
    "incompatible-input-shape": (
        "`{kind}` cannot take an input of shape {received_shape}: {detail}",
        "{remedy}"),
    "incompatible-input-shape:state-batch": (
        "`{kind}` is given a state made for {batch} samples for every batch, but the loader's last batch has {last}: "
        "torch raises on it",
        "{remedy}"),
    "incompatible-input-shape:declared-output": (
        "`{kind}` declares its output as {declared} in `compute_output_shape`, but `call()` returns {received_shape}: "
        "Keras builds the layers after it for the declared shape, and the real output fails them when the model runs",
        "{remedy}"),
    "incompatible-input-shape:initial-state": (
        "`{kind}` cannot start from the initial state it is given: {detail}",
        "{remedy}"),
    "matmul-shape-mismatch": (
        "`{kind}` cannot multiply {left_shape} by {right_shape}: inner dimensions {left_inner} and {right_inner} differ",
        "{remedy}"),
    "index-out-of-range": (
        "`{kind}` index {index} is out of range for axis {axis} of size {size} in {received_shape}",
        "{remedy}"),
    "missing-input": (
        "`{kind}` needs {expected} inputs ({inputs}) but receives {received}",
        "{remedy}"),
    "index-dtype-mismatch": (
        "`{kind}` needs integer indices (torch.long) but receives a {received} tensor {received_shape}",
        "{remedy}"),
    "index-dtype-mismatch:mask": (
        "`{kind}` needs a bool mask but receives a {received} tensor {received_shape}",
        "{remedy}"),
    "padding-too-large": (
        "`{kind}` cannot pad {received_shape}: {detail}",
        "{remedy}"),
    "module-raised": (
        "`{name}` ({kind}) raised on input {received_shape}: {detail}",
        "{remedy}"),
    "meta-run-incomplete": (
        "cannot check past `{name}` ({kind}): {detail}",
        "pass an input shape the model accepts, or check the model from its source file"),
    "single-value-per-channel": (
        "`{kind}` sees {detail}; in training mode PyTorch raises \"Expected more than 1 value per channel\"",
        "{remedy}"),
    "attention-mask-mismatch": (
        "`{kind}` cannot use `{mask}` of shape {received_shape}: {detail}",
        "{remedy}"),
    "attention-mask-mismatch:causal": (
        "`{kind}` is called with `{mask}=True` but without a mask: {detail}",
        "{remedy}"),
    "ctc-input-mismatch": (
        "`{kind}` cannot take {what} {received_shape}: {detail}",
        "{remedy}"),
    "collate-size-mismatch": (
        "the DataLoader's default collate cannot stack the samples: {detail}",
        "{remedy}"),
    "collate-size-mismatch:joined": (
        "the collate_fn joins the samples end to end with `{op}`, so a batch {received_shape} has no batch axis: "
        "the model reads the samples, joined on their first axis, as one sample",
        "{remedy}"),
    "model-called-on-incompatible-input": (
        "`{model}` takes inputs of shape {declared} but is called here on {received_shape}",
        "call `{model}` on tensors of shape {declared}, or declare the input it should take in its `keras.Input`"),
    "layer-reused-with-different-input": (
        "`{name}` ({kind}) was built for inputs {built_shape}{first_call} but is called again here on "
        "{received_shape} ({what} {received}, expected {expected})",
        "create a separate `{kind}(...)` for this input, or make its {what} {expected} (a layer keeps the weights "
        "of its first call)"),
    "dense-on-unflattened-input": (
        "`{kind}` is applied to a {rank}-D tensor {received_shape} and acts on the last axis only, "
        "so the model outputs {output_shape} instead of one vector per sample",
        "insert `{flatten}` before this layer"),
    # -- checks/: data, labels and losses (every template is filled from facts the check computes) ----------------
    "loss-broadcast": (
        "`{loss}` compares predictions {pred_shape} with targets {target_shape}; they are broadcast to {result_shape}, "
        "so every prediction is compared with every target and the loss is wrong without any error",
        "{remedy}"),
    "loss-broadcast:per-sample": (
        "`{loss}` combines per-sample losses {pred_shape} with {target_shape}; they are broadcast to {result_shape}, "
        "so every sample's loss meets every other sample's value and the result is wrong without any error",
        "{remedy}"),
    "loss-broadcast:rows": (
        "`{loss}` combines {pred_shape} with {target_shape}, both one row per sample; they are broadcast to "
        "{result_shape}, so every sample meets every other sample's value and the result is wrong without any error",
        "{remedy}"),
    "loss-broadcast:comparison": (
        "`{loss}` compares predictions {pred_shape} with targets {target_shape}; they are broadcast to {result_shape}, "
        "so every prediction is compared with every target and the count of matches (an accuracy) is wrong without "
        "any error",
        "{remedy}"),
    "reduction-over-batch-axis:norm-axis": (
        "`{op}` keeps one mean and variance per entry of axis {axis} of {received_shape}, a spatial axis, not per "
        "channel (axis {features_axis}): each image row is normalised on its own instead of each feature map",
        "{remedy}"),
    "reduction-over-batch-axis:norm-width": (
        "`{op}` normalises over the last axis of {received_shape}, the image width, not over the channels (axis "
        "{features_axis}): it runs, and normalises each row of pixels instead of each pixel's channels",
        "{remedy}"),
    "reduction-over-batch-axis:norm-steps": (
        "`{op}` keeps one mean and variance per entry of axis {axis} of {received_shape}, the {role} axis, not per "
        "feature (axis {features_axis}): each step is normalised on its own, across its features",
        "{remedy}"),
    "reduction-over-batch-axis:norm-positions": (
        "`{op}` keeps one mean and variance per entry of axis {axis} of {received_shape} ({size} entries), not per "
        "feature: the {features} features are on axis {features_axis} by their name, so each entry is normalised "
        "over its features mixed together instead of each feature over the batch",
        "{remedy}"),
    "reduction-over-batch-axis:pooled-features": (
        "`{op}` over axis {axis} of {received_shape} averages away the {features} features of each step and leaves "
        "one value per step: `{head}` then reads the {steps} steps as its features, so it learns a weight per "
        "position and only works for sequences of exactly {steps} steps",
        "{remedy}"),
    "reduction-over-batch-axis:pooled-channels": (
        "`{op}` over axes {axes} of {received_shape} averages the channels (axis {channels_axis}) with a spatial "
        "axis and keeps another spatial axis: a pooling per channel is over the spatial axes {spatial}, and this "
        "one broadcasts back without an error",
        "{remedy}"),
    "reduction-over-batch-axis:join-axis": (
        "`{op}` joins {received_shape} along axis {axis}, a spatial axis, not the channels (axis {features_axis}): "
        "the maps are stacked on top of each other instead of adding channels",
        "{remedy}"),
    "reduction-over-batch-axis:kl-mean": (
        "`{op}` with reduction='mean' averages {received_shape} over the {classes} entries of each sample as well as the "
        "batch: each sample's divergence comes out {classes} times too small; 'batchmean' is the KL divergence",
        "{remedy}"),
    "reduction-over-batch-axis:one-entry": (
        "`{op}` over axis {axis} of {received_shape}, which has one entry, is always 0: every sample gets the first "
        "class, whatever the model predicts",
        "{remedy}"),
    "reduction-over-batch-axis:no-dim": (
        "`{op}` without `dim` on {received_shape} flattens the batch: it gives one index for the whole batch, not one "
        "class per sample",
        "{remedy}"),
    "reduction-over-batch-axis:batch-total": (
        "`{op}` without `dim` reduces {received_shape} over the batch too, to one number, which is then combined with "
        "each sample's {per_sample_shape} term: every sample carries the whole batch's total, and it grows with the "
        "batch size",
        "{remedy}"),
    "reduction-over-batch-axis:softmax-by-hand": (
        "the softmax written by hand divides by `{op}` over axis {axis} of {received_shape}, the batch axis: each "
        "class's scores are normalised across the samples, so no row is a distribution over the classes and each "
        "sample's probabilities depend on the rest of the batch",
        "{remedy}"),
    "reduction-over-batch-axis:mask-count": (
        "`{op}` without `dim` counts the mask {received_shape} over the whole batch: each sample's masked total is "
        "divided by the batch's count of kept steps, not by its own, so the mean shrinks with the batch size",
        "{remedy}"),
    "reduction-over-batch-axis:not-features": (
        "`{op}` is taken over axis {axis} of {received_shape}, the {role} axis, not the features (axis "
        "{features_axis}): it {effect} across that axis instead of within each sample's feature vector",
        "{remedy}"),
    "reduction-over-batch-axis:not-classes": (
        "`{op}` is taken over axis {axis} of {received_shape}, the {role} axis, not the class scores (axis "
        "{classes_axis}): each class's scores are normalised across that axis, so no row is a distribution over the "
        "classes",
        "{remedy}"),
    "reduction-over-batch-axis:model-rows": (
        "`{op}` over axis 0 of {received_shape} reduces the batch: the model's output is {output_shape} whatever the "
        "batch size, one row for the whole batch instead of one per sample, and the loss broadcasts it against "
        "every label",
        "{remedy}"),
    "reduction-over-batch-axis:custom-loss": (
        "the loss function `{loss}` reduces the error over axis 0, the batch: it returns {result} instead of one "
        "loss per sample, so samples are mixed before Keras averages them (sample weights and the mean over the "
        "batch no longer mean what they should)",
        "{remedy}"),
    "reduction-over-batch-axis": (
        "`{op}` is taken over axis {axis} of {received_shape}, the batch axis: it mixes samples instead of classes",
        "{remedy}"),
    "single-unit-categorical-loss": (
        "`{loss}` on a model with a single output unit {pred_shape}: the loss is always 0 and nothing is learnt",
        "{remedy}"),
    "batch-first-confusion": (
        "`{kind}` has batch_first=False, so it reads {received_shape} as (sequence, batch, features) = {reading}; "
        "the data looks batch-first",
        "{remedy}"),
    "batch-first-confusion:lengths": (
        "`{kind}` has batch_first=False, so it reads {received_shape} as (sequence, batch, ...) with a batch of "
        "{reads_batch}, but its {count} lengths are one per row of axis 0: the data is batch-first",
        "{remedy}"),
    "batch-first-confusion:unpacked": (
        "`{kind}` returns the padded output time-major, (T, B, ...), while the data was packed batch-first "
        "(`batch_first=True`): what follows reads the steps as the samples",
        "{remedy}"),
    "batch-first-confusion:data": (
        "the data {received_shape} has the batch on axis {axis}, but `{kind}` reads axis {reads_axis} as the batch: "
        "the model takes the padded length for the batch and mixes the samples",
        "{remedy}"),
    "probabilities-into-logits-loss": (
        "`{loss}` applies {inner} itself, but the model's output already went through `{activation}`",
        "{remedy}"),
    "sequence-output-for-sample-targets": (
        "`{kind}` returns one output per time step {pred_shape}, but the targets {target_shape} have one value per "
        "sample",
        "{remedy}"),
    "labels-loss-mismatch": (
        "`{loss}` needs {needs}, but the labels are {labels}",
        "{remedy}"),
    "label-out-of-range": (
        "the labels are class ids from {low} to {high_incl}, but the model outputs {classes} class score{plural} "
        "{pred_shape}; `{loss}` fails on labels >= {classes}",
        "{remedy}"),
    "label-out-of-range:binary": (
        "the labels are class ids from {low} to {high_incl}, but the model's single output {pred_shape} stands for "
        "2 classes; `{loss}` fails on labels >= 2",
        "{remedy}"),
    "label-dtype-mismatch": (
        "`{loss}` needs {needs} targets, but the targets {target_shape} are {dtype}",
        "{remedy}"),
    "data-input-mismatch:scaler": (
        "`{kind}.{method}` gets {received_shape}, but the scaler was fitted on {expected} columns and scales each "
        "column with the statistics of its own: scikit-learn raises a ValueError",
        "{remedy}"),
    "data-input-mismatch": (
        "`{model}` was built for inputs {expected_shape}; the data {received_shape} {detail}",
        "{remedy}"),
    "metric-label-format": (
        "metric `{metric}` expects {needs}, but the labels are {labels}: it runs and reports a meaningless value",
        "{remedy}"),
    "metric-label-format:negative-class": (
        "`{metric}` scores {taken} of the class scores {shape}, the score of class 0: it runs and reports one minus "
        "the AUC of the positive class",
        "{remedy}"),
    "metric-labels-mismatch": (
        "metric `{metric}` expects {needs}, but the labels are {labels}",
        "{remedy}"),
    "reshape-mixes-samples": (
        "`{kind}` turns {received_shape} into {out_shape}: {rows} rows from {samples} samples of {per} values, so "
        "rows mix values of different samples",
        "keep the batch axis with `x.{kind}(x.size(0), -1)`, and give the next layer {per} input features"),
    "reshape-mixes-samples:reorder": (
        "`{kind}` turns {received_shape} into {out_shape}, the same sizes in another order: `{kind}` re-reads the "
        "values in memory order, it does not move axes, so rows mix values of different samples",
        "{remedy}"),
    "reshape-mixes-samples:pairing": (
        "`{pred_text}` merges the axes {pred_order} of the predictions {pred_shape}, but `{target_text}` merges "
        "{target_order} of the targets {target_shape}: both give {rows} rows, but row i of one is not row i of the "
        "other, so the loss scores each prediction against another position's target without any error",
        "{remedy}"),
    "reshape-mixes-samples:per_sample": (
        "`{kind}` reshapes {received_shape} into {out_shape}: one sample has {per} values but a row of the result "
        "takes {row}, so rows straddle samples (Keras fails on data unless the batch size happens to fit)",
        "{remedy}"),
    "reshape-reorders-axes:swapped-split": (
        "`view` splits axis {axis} of {received_shape} into {out_shape} in the other order than it was merged: the "
        "axis was made as {outer} x {inner} (the {outer} outer), so each of the {inner} blocks this reads as its "
        "first axis mixes entries of different ones of the {outer} (samples, when they are the batch), without "
        "any error",
        "{remedy}"),
    "reshape-reorders-axes:axis-last": (
        "`{kind}` turns {received_shape} into {out_shape}: rows of the {size} values at one position are meant, "
        "but the {size} sit on axis {axis}, not last, so each row reads {size} neighbouring values along the last "
        "axis of one map -- the rows mix positions and channels without any error",
        "{remedy}"),
    "reshape-reorders-axes:heads": (
        "`view` turns {received_shape} into {out_shape} by merging the batch with {heads} heads split off the last "
        "axis, without moving them beside it: each row of the result reads several fields' values in place of "
        "one head of every field, and the attention runs over that mixture",
        "{remedy}"),
    "reshape-reorders-axes:planar-rows": (
        "the rows read at `{key}` are CIFAR's pickled images, stored channel-planar (the {size}x{size} red "
        "values, then the green, then the blue): reshaped straight to ({size}, {size}, 3) every pixel takes three "
        "neighbouring values of one plane, and the model trains on scrambled images without any error",
        "{remedy}"),
    "reshape-reorders-axes": (
        "`{kind}` turns {received_shape} into {out_shape}: the same axes in another order, but a reshape does not "
        "move axes -- it re-reads the values in memory order, so each new axis mixes values of the old ones",
        "{remedy}"),
    "reshape-reorders-axes:minus-one-took": (
        "`{kind}` turns {received_shape} into {out_shape}: the -1 took the last axis, of size {taken}, and made it "
        "the first, so what follows reads {taken} scrambled samples -- one {received_shape} colour image becomes "
        "{taken} gray-looking ones",
        "{remedy}"),
    "reshape-reorders-axes:rows": (
        "`{kind}` turns {received_shape} into {out_shape}, but each row holds its values in the order {written} -- "
        "how its size was made -- so the reshape re-reads them as other axes: every image is scrambled without any "
        "error",
        "{remedy}"),
    "reshape-reorders-axes:einops-inverse": (
        "`{kind}` reads {read} where the rearrange at line {line} wrote {written}: the sizes agree, but undoing "
        "one with the other does not give the tensor back -- the values inside each group are shuffled",
        "{remedy}"),
    "reshape-reorders-axes:patches": (
        "`{kind}` turns the images {received_shape} into {out_shape} patch tokens without moving axes: a reshape "
        "re-reads memory in order, so each token is a run of {per} values along the rows of one channel, not a "
        "{p}x{p} patch",
        "{remedy}"),
    "data-format-against-layout": (
        "`{kind}(data_format=\"channels_first\")` reads {received_shape} as (batch, channels={channels}, ...), but "
        "the layers before it leave the {held} on the last axis: it {effect}",
        "{remedy}"),
    "data-format-against-layout:conv1d-tokens": (
        "`{kind}` reads {received_shape} as (batch, channels, length): the {steps} token positions are its channels "
        "and it slides along the {features} embedding features, so no filter sees two neighbouring tokens",
        "{remedy}"),
    "channels-first-images": (
        "the images {received_shape} are channels-first ({planes} of {side} pixels), but `{layer}` reads "
        "channels last: it takes the {channels} columns as channels and convolves {rows}-pixel-high strips",
        "{remedy}"),
    "table-sliced-by-batch": (
        "the table {table_shape} is sliced by the batch size ({rows} rows) and added to {received_shape}: it "
        "broadcasts over the {positions} positions, so every position of a sample gets the same vector and each "
        "sample a different one",
        "{remedy}"),
    "signals-stacked-as-steps": (
        "the {signals} signals stacked on axis 1 give {received_shape}, and `{layer}` reads that as {signals} time "
        "steps of {steps} features: each step holds one whole signal",
        "{remedy}"),
    "signals-stacked-as-steps:named": (
        "the data {received_shape} is ({layout}) by the names it is made with, but `{layer}` reads ({reads}): it "
        "takes the {size} {what} for {other} and the {other_size} {held} for {what}",
        "{remedy}"),
    "signals-stacked-as-steps:declared": (
        "the model's input is declared ({layout}) by its names, as the data {received_shape} is laid out, but "
        "`{layer}` reads ({reads}): it takes the {size} {what} for {other} and the {other_size} {held} for {what}",
        "{remedy}"),
    "signals-stacked-as-steps:one_step": (
        "the data {received_shape} holds the {size} steps of each window on the axis `{layer}` reads as {other}, "
        "beside an axis of 1 where it reads the steps: every sample is one time step of {size} {other}, so the "
        "layer never runs over time",
        "{remedy}"),
    "signals-stacked-as-steps:unit_last": (
        "the data {received_shape} has a trailing axis of 1 added, but `{layer}` reads (batch, channels, steps): it "
        "takes the {steps} values of each sample for channels and slides its kernel of {kernel} over a single "
        "position, so it convolves over nothing",
        "{remedy}"),
    "attention-softmax-axis:heads": (
        "`{kind}` attends over axis -2 of {received_shape}: the {heads} heads, not the {steps} steps -- each token's "
        "heads attend to one another and no token sees another token",
        "{remedy}"),
    "attention-softmax-axis": (
        "`{kind}` normalises the attention scores {received_shape} (queries, keys) over axis {axis}, not over the "
        "{keys} keys: each query's weights do not sum to 1, and each key is spread over the {queries} queries instead",
        "{remedy}"),
    "norm-over-steps:kept": (
        "`{kind}(axis={axis})` keeps axis {axis} of {received_shape}, the {steps} time steps: it learns one mean and "
        "variance per step, pooled over the {features} features, so features on different scales are not brought "
        "to one scale",
        "{remedy}"),
    "norm-over-steps": (
        "`{kind}(axis={axis})` normalises {received_shape} across the {steps} time steps: each token's value depends "
        "on every other step, and the learned scale is tied to the sequence length",
        "{remedy}"),
    "mask-heads-tiled": (
        "the per-sample mask {received_shape} is repeated {heads} times as a whole, but `MultiheadAttention` reads "
        "row n * {heads} + h of its (N·heads, L, S) mask as head h of sample n: most heads of each sample get another "
        "sample's mask, and each output depends on the other samples of the batch; the shape is right, so it runs",
        "{remedy}"),
    "padding-mask-inverted": (
        "`{kind}` ignores the keys where `{arg}` is True, and the mask {received_shape} passed is True on the real "
        "tokens: the real tokens are hidden from the attention and only the padding is attended to; shapes and "
        "dtypes agree, so it runs",
        "{remedy}"),
    "padding-mask-inverted:keeps": (
        "`{kind}` attends to the keys where `{arg}` is True, and the mask {received_shape} passed is True on the "
        "padding: the real tokens are hidden from the attention and only the padding is attended to; shapes and "
        "dtypes agree, so it runs",
        "{remedy}"),
    "mask-over-queries": (
        "the padding mask {received_shape} is applied to the attention scores {scores_shape} (queries, keys) with its "
        "{positions} positions on the query axis: it blanks the rows of padded queries and leaves every padded key "
        "visible",
        "{remedy}"),
    "label-among-features:named": (
        "the features are the columns {names} of the table, and `{column}` is also given as the labels: the model is "
        "trained with its own target as an input (target leakage)",
        "{remedy}"),
    "label-among-features": (
        "the features are columns {first} to {last} of the table, and column {column} is also given as the labels: "
        "the model is trained with its own target as an input (target leakage)",
        "{remedy}"),
    "concat-along-batch": (
        "`{kind}` joins {shapes} along axis 0, the batch axis: a batch of N samples gives {count}·N rows, so the "
        "outputs no longer line up with the labels (fit fails; predict returns {count} rows per sample)",
        "{remedy}"),
    "squeeze-drops-batch": (
        "`squeeze()` without a dim removes every axis of size 1: the loader's batches of {batch} give "
        "{received_shape} -> {out_shape}, but its last batch holds {last} sample, and squeezing it removes the batch "
        "axis too, so that batch's output no longer has one row per sample",
        "{remedy}"),
    "per-sample-values-on-last-axis": (
        "one value per sample, {received_shape}, is broadcast against the batch {batch_shape}: broadcasting lines it "
        "up with the last axis ({last} entries), not the batch axis, so entry j of every sample gets sample j's "
        "value",
        "{remedy}"),
    "samples-crossed": (
        "`{kind}` combines {short_shape} with {long_shape}: both hold one row per sample, but broadcasting lines the "
        "batch axis of {short_shape} up with a unit axis of {long_shape}, so every sample meets every other sample "
        "and the result is {result_shape}",
        "{remedy}"),
    "squeeze-does-nothing": (
        "`{kind}` on {received_shape} does nothing: axis {dims} has size {sizes}, and torch squeezes an axis only "
        "when its size is 1",
        "{remedy}"),
    "softmax-over-one-value": (
        "`{kind}` takes a softmax over a single value {received_shape}: the output is always 1.0, whatever the input",
        "{remedy}"),
    "id-out-of-range": (
        "the ids fed to `{kind}` run from {low} to {high}, but it has {rows} rows: id {high} has no row",
        "{remedy}"),
    "id-out-of-range:from_one": (
        "`{kind}` has `{size}` rows, for the ids 0 to {size} - 1, but `{vocab}` numbers its words from 1 (0 is kept "
        "for padding): the last word's id, {size}, has no row",
        "{remedy}"),
    "dataset-not-batched": (
        "`{model}` is fed a dataset of single samples {received_shape}: Keras takes each element as a batch, so the "
        "model would see {seen} where it was built for {expected_shape}",
        "{remedy}"),
    "dataset-batched-twice": (
        "`{model}` is fed a dataset batched twice: its elements {received_shape} have one batch axis too many for "
        "inputs {expected_shape}",
        "{remedy}"),
    "transpose-swaps-height-width": (
        "this transpose of the channels-last image {received_shape} gives {result_shape}: the channels move first, "
        "but the rows and columns swap, so the model sees every image transposed",
        "{remedy}"),
    "dataset-zip-unbatched": (
        "`{zipped}` pairs batches of {size} with single samples: each batch of features meets one target, which "
        "Keras broadcasts over the batch without an error",
        "{remedy}"),
    "dataset-list-stacked": (
        "`{source}` is given a list of arrays {shapes}: tf.data reads a list as one tensor to stack, not as a "
        "structure such as (features, labels), and arrays of different shapes do not stack",
        "{remedy}"),
    "sample-count-mismatch": (
        "the inputs have {n_x} samples but the labels have {n_y}",
        "{remedy}"),
}


def _fmt(value):
    if isinstance(value, (Tensor, TensorTuple)):
        return str(value)
    if isinstance(value, (tuple, list)) and all(v is None or isinstance(v, (int, str)) for v in value):
        return fmt_shape(tuple(value))
    return str(value)


class _Facts(dict):
    def __missing__(self, key):
        return ""


def render(name: str, facts: dict) -> tuple:
    """(message, help) for a code name and its facts; help is None when the code has no generic remedy."""
    if name == "invalid-argument" and not facts.get("arg") and not facts.get("variant"):
        facts = dict(facts, variant="no-arg")
    msg_t, help_t = TEMPLATES.get(f"{name}:{facts.get('variant')}", TEMPLATES.get(name, ("{detail}", None)))
    if name == "reshape-size-mismatch" and "per" not in facts:
        facts = dict(facts, per=" per sample")  # Keras counts per sample; torch's view/reshape pass per=""
    if facts.get("help_override"):  # a rule that knows the generic help is wrong for this case (e.g. a layout mix-up)
        help_t = str(facts["help_override"]).replace("{", "{{").replace("}", "}}")
    f = _Facts({k: _fmt(v) for k, v in facts.items() if v is not None})
    message = msg_t.format_map(f)
    if name == "rank-mismatch":  # "expects a at least 3-D input" -> "expects at least a 3-D input"
        message = message.replace("expects a at least ", "expects at least a ").replace(
            "expects a at most ", "expects at most a ")
    help_text = help_t.format_map(f).strip() if help_t else None
    return message, (help_text or None)

