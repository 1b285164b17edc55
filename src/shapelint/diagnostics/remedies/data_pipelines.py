"""Remedies of the data-pipeline checks added for issue #10: tf.data datasets fed to models, DataLoader collation,
CTC loss inputs, Keras text and category preprocessing."""
from __future__ import annotations



# -- tf.data datasets fed to a Keras model (frontends/source/tfdata_api.py) ----------------------------------------
def batch_the_dataset(role, size: str = "32") -> str:
    what = "the validation dataset" if role == "validation_data" else "the dataset"
    return f"batch {what} before it reaches the model: `.batch({size})` (Keras takes every element as one batch)"


def batch_like_its_partner(size: str) -> str:
    return (f"batch the single samples like the dataset they are zipped with, `.batch({size})` (or zip the two "
            "unbatched and batch the zip): every batch must carry one target per sample")


def batch_once() -> str:
    return "batch the dataset once: remove the second `.batch(...)` (or `.unbatch()` first to change the batch size)"


def batch_once_at_the_end() -> str:
    return ("batch the dataset once, at the end of the pipeline: remove this `.batch(...)`, so the per-sample "
            "stages after it see samples and the later `.batch(...)` makes the batches")


def unbatch_before_sample_stages() -> str:
    return ("split the packs back into samples where the stages written for samples begin: `.unbatch()` after "
            "the stages that count packs (take, skip, cache), before the shuffle or batch that expect samples")


def remove_batch(which: str) -> str:
    return f"remove the {which} `.batch(...)`"


def batch_in_loader(loader: str, size: str) -> str:
    return f"batch once, by the size chosen, in the loader: `{loader}(..., batch_size={size})` without the `.batch(...)`"


def batched_before(stages: tuple) -> str:
    names = ", ".join(f"`.{s}`" for s in dict.fromkeys(stages))
    return f"batched before {names}, which expect{'s' if len(set(stages)) == 1 else ''} single samples"


# -- CTC loss (rules/torch/ctc.py) ----------------------------------------------------------------------------------
def ctc_log_probs_layout() -> str:
    return "give CTC the log-probs as (T, N, C): time, batch, classes (`.log_softmax(2)` of the model's output)"


def ctc_time_first() -> str:
    return ("make the log-probs time first before the loss: `log_probs.transpose(0, 1)` turns (N, T, C) into "
            "(T, N, C)")


def ctc_lengths_long(name) -> str:
    return f"pass `{name}` as integers: `torch.full((N,), T, dtype=torch.long)`"


def ctc_one_length_per_sample(name, n) -> str:
    return f"give `{name}` one entry per sample: {n}"


def ctc_input_lengths_at_most(t) -> str:
    return f"keep every input length at most the {t} time steps of the log-probs"


def ctc_targets_layout() -> str:
    return "pass targets as (N, S) padded with one row per sample, or 1-D with all targets concatenated"


def ctc_target_lengths_fit() -> str:
    return "make the target lengths match the targets: each at most S for padded targets, or summing to their length"


# -- padding and collating variable-length samples ---------------------------------------------------------------
def pad_same_trailing_sizes() -> str:
    return "give every sequence the same trailing sizes; only the length (axis 0) may differ"


def collate_with_padding() -> str:
    return ("pass `collate_fn=` a function that pads the variable-length items "
            "(`torch.nn.utils.rnn.pad_sequence(items, batch_first=True)`), or make every item the same size")


# -- Keras text and category preprocessing (rules/keras/text_category.py) -----------------------------------------
def pass_max_tokens_above_one() -> str:
    return "pass `max_tokens` of at least 2 (it counts the OOV and mask tokens), or None for no limit"


def pass_max_tokens_with_padding() -> str:
    return "set `max_tokens` when `pad_to_max_tokens=True` (the size to pad the encoding to)"


def invert_with_int_mode() -> str:
    return "use `invert=True` only with output_mode='int' (it maps indices back to tokens)"


def sequence_length_with_int_mode() -> str:
    return "set `output_sequence_length` only with output_mode='int', or drop it for the multi-hot / count modes"


def pass_positive_bins() -> str:
    return "pass a positive integer `num_bins`"


def loader_batches(batch) -> str:
    return f"the DataLoader yields batches of {batch} on axis 0"


def named_batch_first(batch) -> str:
    return (f"the data is made as (samples, steps): its axis 1 is sized by a length's name, so the batches of "
            f"{batch} are on axis 0")


def keep_batched_dataset(spelling: str) -> str:
    return f"keep the batched dataset (tf.data returns a new one): `{spelling}`"


def count_is_the_steps(arg: str, size, what: str) -> str:
    return f"`{arg}` {size} is the number of {what}, written to make the data fit"


def count_and_axes(arg: str, held, permute: str, layer: str) -> str:
    return (f"give `{arg}` the {held} channels the data has, and move them to axis 1 where `{layer}` takes its "
            f"input: `{permute}`")


def norm_the_features(kind: str, features, transpose: str) -> str:
    return (f"normalise the features: `nn.{kind}({features})` on `x.{transpose}`, transposed back after it (or on "
            f"the features flattened to `x.reshape(-1, {features})`)")


def norm_per_position_label(size) -> str:
    return f"normalises axis 1 ({size} entries)"


def features_by_name_label(axis: int) -> str:
    return f"features on axis {axis} by their name"


def one_channel_first(steps, layer: str) -> str:
    return (f"lay the series out as (batch, 1, {steps}): `unsqueeze(1)` instead of `unsqueeze(-1)`, build `{layer}` "
            f"with 1 input channel, and size the layers after it for the {steps} positions it then convolves over")


def unit_axis_last_label(steps) -> str:
    return f"a trailing axis of 1 added: (batch, {steps}, 1)"


def loader_unbatched(loader: str) -> str:
    return (f"let `{loader}` yield single windows (`batch_size=None`) and batch once, after the per-sample stages "
            "(a shuffle between the two batches would shuffle whole batches)")


def structure_as_tuple(spelling: str) -> str:
    return f"pass a tuple, which tf.data reads as a structure of separate tensors: `{spelling}`"


def list_stacked_label() -> str:
    return "a list: stacked into one tensor"


def axis_past_rank_label(axis, rank: int) -> str:
    return f"axis {axis}, but the array has {rank} axis" + ("" if rank == 1 else "es")


def axis_within_rank(rank: int) -> str:
    return f"use an axis the array has (0 to {rank - 1}, or -1 for the last)"


def threshold_scores(written) -> str:
    name = written or "the scores"
    return (f"{name} holds one score per sample (a binary model's output), not a column per class: threshold it for "
            f"the labels, `({name} > 0.5).astype(int)` for probabilities (`> 0` for logits)")


def auc_scores_detail(shape) -> str:
    return (f"a binary ROC AUC takes one score per sample, and {shape} holds a column per class: sklearn raises "
            "\"y should be a 1d array\"")


def auc_positive_column(column: str) -> str:
    return f"score with the positive class's column: `{column}`"


def negative_class_label() -> str:
    return "the score of class 0"


def last_batch_of_one_label(batch: int) -> str:
    return f"batches of {batch}: the last one holds a single sample"


def one_value_per_channel_label(kind: str) -> str:
    return f"`{kind}` sees one value per channel on it"


def trained_here_label() -> str:
    return "trained here, in training mode"


def last_batch_of_one_detail(batch: int) -> str:
    return (f"one value per channel in the loader's last batch (the samples do not divide into batches of {batch}: "
            "one is left over)")


def drop_last_batch() -> str:
    return "drop the incomplete last batch of the training loader: `drop_last=True`"


def normalize_stats_label(given: int, channels: int) -> str:
    return f"{given} means and stds for {channels} channel" + ("" if channels == 1 else "s")


def normalize_stats_detail(given: int, channels: int) -> str:
    return (f"`Normalize` is given {given} means and stds, and the image has {channels} channel"
            f"{'' if channels == 1 else 's'}: torch cannot subtract them in place")


def normalize_per_channel(channels: int) -> str:
    return f"give `Normalize` one mean and one std per channel of the image ({channels})"


def grey_statistics(mean: str, std: str) -> str:
    return f"give the grey image one mean and std, the average of the three: `Normalize({mean}, {std})`"


def planes_first_label(shape) -> str:
    return f"each image is {shape}: colour planes first"


def totensor_reads_hwc_label() -> str:
    return "`ToTensor` reads it as (H, W, C)"


def planes_last(order: str) -> str:
    return f"store the images with their colour planes last, as transforms read NumPy images: `.transpose{order}`"


def matmul_inner_label(left, right) -> str:
    return f"inner sizes {left} and {right}"


def made_other_way_round_label(shape) -> str:
    return f"made {shape}: its two sizes the other way round"


def sizes_other_way_round(text: str) -> str:
    return f"write its two sizes the other way round: `{text}`"


def matmul_inner_sizes() -> str:
    return "make the last axis of the left operand the size of the first axis of the right one"


def and_back_after(text: str) -> str:
    return f", and read them back in that order: `{text}`"


def count_per_sample(dim: int) -> str:
    return f"count each sample's kept steps on its own: `dim={dim}, keepdim=True`"


def mask_counted_over_batch_label() -> str:
    return "counts the kept steps of the whole batch"


def softmax_by_hand_over_last_axis(dim: str, keep: str) -> str:
    return (f"sum over the classes, the last axis (`{dim}=-1, {keep}=True`), so each row is a distribution over its "
            "classes")


def numpy_softmax_over_axis(axis: int) -> str:
    return (f"normalise over axis {axis}, the axis the rows are read along (`axis={axis}, keepdims=True` in the sum and "
            "in the max subtracted before it), so each row is a distribution over its classes")


def sums_over_other_axis_label(axis: int) -> str:
    return f"sums over axis {axis}: each column across the rows"


def read_per_row_label(axis: int) -> str:
    return f"read per row, along axis {axis}"


def pick_per_sample(kind: str) -> str:
    return f"take the `{kind}` over the classes, axis 1, for one label per sample: `axis=1`"


def over_the_samples_label(shape) -> str:
    return f"axis 0 of the predictions {shape}: the samples"


def sums_over_the_batch_label() -> str:
    return "sums each class over the samples"


def samples_crossed_label(long_shape: str) -> str:
    return f"{long_shape}: its batch axis and a unit axis after it"


def samples_crossed_here_label(result_shape: str) -> str:
    return f"every sample meets every other here: {result_shape}"


def drop_kept_axis(keyword: str) -> str:
    return f"do not keep the reduced axis (`{keyword}=False`), so both sides have the batch on axis 0 and line up"


def squeeze_one_feature_outputs() -> str:
    return "drop the one-feature axis where the (B, 1) outputs meet the (B,) values: `.squeeze(-1)`"


def line_up_the_samples() -> str:
    return ("give both sides the same rank before combining them (drop the extra unit axis, or add one to the "
            "other side), so their batch axes line up")


def each_sample_divided_label() -> str:
    return "each sample's total divided by it"


def no_broadcast_label(a, b) -> str:
    return f"sizes {a} and {b} cannot broadcast"


def broadcast_sizes() -> str:
    return ("give the operands shapes that line up from the last axis (a size of 1 broadcasts): a value per row needs "
            "its own axis, `[:, None]`")


def value_per_row(text: str) -> str:
    return f"give the one value per row its own axis, so it lines up with the rows: `{text}`"


def scaler_width_label(width: int, fitted: int) -> str:
    return f"{width} column{'s' if width != 1 else ''} for a scaler fitted on {fitted}"


def scaler_fitted_label(fitted: int) -> str:
    return f"fitted on {fitted} columns here"


def scaler_width_remedy(fitted: int, predictions: bool) -> str:
    if predictions:
        return (f"the model predicts one of the {fitted} scaled columns: put the predictions in that column of an "
                f"array of {fitted} columns before `inverse_transform` and read that column back -- or fit a "
                "separate scaler on the target column alone and invert with it")
    return f"give the scaler arrays of the {fitted} columns it was fitted on"
