"""Remedies shared by both frameworks: tuples, arguments, and the fixes that rewrite an op's input."""
from __future__ import annotations

from ...core.dims import fmt_shape
from ...core.registry import fact


# -- shared: tuples, arguments, values a layer is built from --------------------------------------------------------
def tuple_remedy(framework: str, producer_kind: str, batch_first) -> str:
    """Help for a tuple fed to a layer that needs a tensor; a PyTorch RNN gets the idiomatic fix."""
    if framework == "torch" and fact("torch", producer_kind, "recurrent"):
        last = "output[:, -1]" if batch_first is True else "output[-1]"
        return (f"an nn.{producer_kind} returns (output, state): wrap it in a module whose forward returns {last} "
                "(the last time step) or output, and put that module in the Sequential instead")
    return "select the tensor you need from the tuple before this layer"


def check_arguments(kind: str) -> str:
    return f"check the arguments of `{kind}`"


def pass_instead(value, param: str) -> str:
    return f"pass {value} as `{param}` here; the layer inside is built from it"


# -- remedies for fixes that rewrite an op's input ------------------------------------------------------------------
def transpose_operand(side: int) -> str:
    which = "right" if side == 1 else "left"
    example = "`q @ k.transpose(-2, -1)`" if side == 1 else "`a.transpose(-2, -1) @ b`"
    return (f"transpose the {which} operand's last two axes so the inner dimensions meet, as in {example} "
            "for attention scores")


def expand_operand(axes) -> str:
    which = ", ".join(str(a) for a in axes)
    return (f"the input of size 1 on axis {which} is never repeated over the batch: expand it first, as in "
            "`self.cls_token.expand(x.shape[0], -1, -1)`")


def pad_operand() -> str:
    return ("the feature maps differ by a few pixels (an input size that does not halve evenly): pad the smaller one "
            "to the other's size before concatenating (or crop the larger one, or use an input size divisible by "
            "2 ** number of poolings)")


def project_shortcut(channels, stride: int) -> str:
    strided = f" with strides={stride}" if stride != 1 else ""
    return (f"the shortcut does not match the main path: project it with a 1x1 convolution to {channels} "
            f"channels{strided} before adding (a ResNet projection shortcut)")


def mha_batch_first() -> str:
    return ("the query, key and value are batch-first (batch, seq, embed) but the layer reads (seq, batch, embed): "
            "pass `batch_first=True`")


def mha_transpose_kv(batch_first: bool) -> str:
    layout = "(batch, seq, embed)" if batch_first else "(seq, batch, embed)"
    return f"the key and value are laid out the other way round from the query: transpose them to {layout}"


def zero_pad_shortcut(channels, stride: int) -> str:
    strided = f", every {stride}th pixel" if stride != 1 else ""
    return (f"the shortcut does not match the block's output ({channels} channels{strided}): give the block a "
            "downsample (a 1x1 convolution with that stride, created in __init__), or use the parameter-free "
            "shortcut: subsample it and zero-pad its channels")


def rows_of_channels(shape, channels) -> str:
    return (f"group the rows into samples and put the {channels} channels first: (samples, steps, {channels}) with "
            f"`.reshape(-1, steps, {channels})`, then `.permute(0, 2, 1)` to (samples, {channels}, steps); "
            f"`in_channels={shape[0]}` would run and read every row as a channel")


def channels_on_spatial_axis(channels, axis: int, shape) -> str:
    return (f"the input {fmt_shape(tuple(shape))} has its {channels} channels on axis {axis}, not axis 1: the image "
            "layout is wrong (a permute/transpose with the wrong axis order?). Put the channels on axis 1, e.g. "
            "(N, H, W, C) -> (N, C, H, W) with `.permute(0, 3, 1, 2)`")


# -- a reshape meant as a transpose (core/reorder.py) ----------------------------------------------------------------
def move_axes_before_reshape(move: str) -> str:
    return (f"move the axes with `{move}` before the reshape (a transpose moves axes; a reshape only splits or merges "
            "neighbouring ones)")


def split_then_move_axes(split, move: str) -> str:
    return (f"split the axis first and then move it: reshape to {fmt_shape(tuple(split))}, then `{move}` (a reshape "
            "alone only splits or merges neighbouring axes)")


def stack_samples_first(stack: str) -> str:
    return (f"stack the samples on the first axis, `{stack}(..., axis=0)`: stacked on another axis, the reshape after "
            "it re-reads them in memory order and mixes the samples")


def stack_samples_first_title() -> str:
    return "stack the samples on axis 0"


def transpose_instead(move: str) -> str:
    return f"use `{move}` instead (a transpose moves axes; a reshape only splits or merges neighbouring ones)"


def slice_table_by_positions() -> str:
    return ("slice the table by the sequence length and put it on the sequence axis: "
            "`self.pe[:x.size(1)].transpose(0, 1)` (or build it as (1, max_len, d) and add `self.pe[:, :x.size(1)]`)")


def last_layer_state() -> str:
    return ("take the last layer's state, `h_n[-1]`: the state is (num_layers * num_directions, batch, hidden), and "
            "squeeze(0) removes that axis only for one layer")


def squeeze_size_one() -> str:
    return "index or reshape the axis you mean to remove (squeeze removes only axes of size 1)"


def table_for_positions(arg: str, length) -> str:
    return (f"give the position table a row for every position: `{arg}` at least {length}, the sequence length "
            f"(or cut the sequences to the table's length where they are made)")


def gather_patches_first(move: str) -> str:
    return f"gather each patch's values first: `x{move}`, then the same reshape"


def split_patches_then_move(split: str, move: str) -> str:
    return (f"split the images into patches {split}, move the patch axes together with `{move}`, then reshape (or "
            "take them with `keras.ops.image.extract_patches`)")


def against_label(a: str, b: str) -> str:
    return f"{a} against {b}"


def same_shape_both_sides() -> str:
    return "give both sides the same shape, one row per sample (take out the axis one of them got too many)"


def flatten_column(flatten: str = ".ravel()") -> str:
    return f"compare one value per sample on each side: flatten the (N, 1) column (`{flatten}`)"


def combine_per_sample(flatten: str) -> str:
    return f"combine one value per sample on each side: flatten the (N, 1) column (`{flatten}`)"


def flatten_column_title(flatten: str = ".ravel()") -> str:
    return f"flatten the (N, 1) column before comparing: `{flatten}`"


# -- transposes of images, picks over one entry, pooling and class axes (checks/image_transpose.py, one_entry.py,
#    feature_axis.py, feed.py)
def swapped_image_label(result) -> str:
    return f"gives {fmt_shape(result)}: (C, W, H)"


def keep_rows_before_columns(move: str) -> str:
    return f"move the channels first and keep the rows before the columns: `{move}`"


def use_move(move: str) -> str:
    return f"use `{move}`"


def one_entry_label(axis: int) -> str:
    return f"axis {axis} has one entry: always 0"


def threshold_one_value(threshold: str) -> str:
    kind = "probability" if threshold == "0.5" else "score"
    return f"one {kind} per sample is a threshold, not an argmax: `> {threshold or '0.5'}` gives the class"


def threshold_fix_title(text: str) -> str:
    return f"threshold the one value: `{text}`"


def pooled_channels_label(axis: int, shape) -> str:
    return f"averages the channels (axis {axis}) of {fmt_shape(shape)}"


def pool_over_spatial(arg: str, spelled: str) -> str:
    return f"pool over the spatial axes: `{arg}={spelled}`"


def pool_over_spatial_title(arg: str, spelled: str) -> str:
    return f"pool over the spatial axes (`{arg}={spelled}`)"


def normalise_over_classes(arg: str, spelled: str) -> str:
    return f"normalise over the class axis: `{arg}={spelled}`"


def reduce_within_sample(rank: int) -> str:
    if rank == 2:
        return "reduce each sample's own values: `axis=-1` (the features), so the output keeps one row per sample"
    return "reduce over the axes of each sample (not axis 0), so the output keeps one row per sample"


def reduce_within_sample_title() -> str:
    return "reduce over each sample's features (`axis=-1`)"


def normalise_over_classes_title(arg: str, spelled: str) -> str:
    return f"normalise over the class axis (`{arg}={spelled}`)"


def values_per_step_label(width) -> str:
    return f"{width} value{'s' if width != 1 else ''} per step"


def units_per_step(units) -> str:
    return (f"give the last layer {units} unit{'s' if units != 1 else ''} per step, the targets' last axis (the steps "
            "are already the output's time axis)")


def softmax_for_class_ids() -> str:
    return ("the sigmoid outputs are independent probabilities: for class ids use `softmax` with "
            "`sparse_categorical_crossentropy`")


def one_sigmoid_unit() -> str:
    return "two classes with 0/1 labels take one sigmoid unit: `Dense(1)` with `binary_crossentropy`"


def one_sigmoid_unit_title() -> str:
    return "one sigmoid unit (`Dense(1)`)"


def sigmoid_units_label(units) -> str:
    return f"{units} sigmoid units for 0/1 labels"


def reads_tensor_as(words) -> str:
    return f"reads the same tensor as ({', '.join(words)})"


def norm_features_between_transposes(width: str) -> str:
    return f"normalise the features: `BatchNorm1d({width})` between two transposes"


def mask_marks(real_tokens: bool) -> str:
    return "True on the real tokens" if real_tokens else "True on the padding"


def mask_made_marks(text: str, real_tokens: bool) -> str:
    return f"`{text}` is {mask_marks(real_tokens)}"


def negate_mask_title(new: str) -> str:
    return f"negate the mask: `{new}`"


def one_direction_label() -> str:
    return "one direction of the bidirectional state"


def planar_rows_title() -> str:
    return "read the rows as colour planes, then put the channels last"


def planar_rows_label(n: int) -> str:
    return f"CIFAR rows are 3 planes of {n}x{n}: this scrambles the pixels"


def planar_rows_remedy(spelled: str) -> str:
    return f"reshape to the planes, then move the channels last: `{spelled}`"


def select_without_label(new: str) -> str:
    return f"select the features without the label: `{new}`"


def fewer_values_per_sample(data: str, declared: str) -> str:
    return (f"the data {data} has fewer axes than the declared input {declared} and not as many values per sample: "
            "a reshape to the declared sizes would put several samples in one; check the declaration")


def make_the_sample_first(taken) -> str:
    return (f"make the data one sample of what the model takes first (a gray image from a colour one: `.mean(-1)` or "
            f"load it in gray), then add the batch axis by name: `reshape(1, ...)`, not -1 -- the {taken} was not "
            "meant as a batch")


def split_heads_then_merge() -> str:
    return ("split the heads off the last axis where they are, move them beside the batch, then merge: "
            "`x.view(B, F, H, d).transpose(1, 2).reshape(B * H, F, d)`")


def split_in_merge_order() -> str:
    return "split the axis in the order it was merged (the outer factor first): swap the two sizes"
