"""The prose of the root-cause analysis (rootcause/): why a mismatch has the cause it has, what to do there, and how
an explanation that did not win is mentioned. One function per sentence, taking the values it interpolates."""
from __future__ import annotations

from ...core.dims import fmt_shape


def _s(shape) -> str:
    return fmt_shape(tuple(shape))


# -- the engine ---------------------------------------------------------------------------------------------------
def not_applied(why: str) -> str:
    return f" (not applied: {why})" if why else " (not applied)"


def not_verified_budget() -> str:
    return "this file has too many fixes, or is too large, to verify them all"


def alternative(help_text: str) -> str:
    return f"or: {help_text}"


def and_resize_after() -> str:
    return ", with the follow-on edit it needs"


def another_value_here() -> str:
    return (" (another diagnostic wants a different value here: the layer is built more than once from this "
            "line)")


def same_mistake_as(code: str, line: int) -> str:
    return f"the same mistake as {code} at line {line}: its fix removes this one too"


def fixed_with(code: str, line: int) -> str:
    return f"fixed with {code} at line {line}"


def same_error_unfixed(lines: list) -> str:
    where = ", ".join(str(n) for n in lines)
    return (f"the same error at line{'s' if len(lines) > 1 else ''} {where} has no fix that holds: fixing this one "
            "alone would leave the script failing")


def surfaces_here() -> str:
    return "the mismatch shows here"


# -- the batch axis -------------------------------------------------------------------------------------------------
def setting_left_off(setting: str, kind: str, made) -> str:
    return f"`{kind}` without `{setting}` gives {_s(made)} here"


def setting_computed(name: str, arg: str, kind: str) -> str:
    return f"`{name}`, passed as `{arg}`, is computed here: it is wrong for the `{kind}` before the one that fails"


def batch_merged_label(before, after) -> str:
    return f"folds the batch axis into the features: {_s(before)} -> {_s(after)}"


def batch_merged_note(op: str, batch, before, after) -> str:
    return (f"`{op}` turns {_s(before)} into {_s(after)}: the {batch} samples of the batch are merged into one row, "
            "so the next layer sees one sample of the whole batch; the layer's own size is right per sample")


def keep_batch_axis(spelling: str, features=None) -> str:
    if features is None:
        return f"keep the batch axis: `{spelling}`"
    return (f"keep the batch axis: `{spelling}` ({features} features per sample), and give the next layer that many "
            "input features")


def missing_batch_label(shape) -> str:
    return f"one sample {_s(shape)} without a batch axis"


def missing_batch_note(kind: str, shape, batched_rank: int) -> str:
    return (f"`{kind}` also accepts a single unbatched sample, so {_s(shape)} passes it, but the rest of the model "
            f"treats axis 0 as the batch; the model is written for {batched_rank}-D batches")


def one_sample_taken_label(shape) -> str:
    return f"one sample {_s(shape)} taken out of its batch here, without the batch axis"


def one_sample_made_label(shape) -> str:
    return f"the model's input is made here as one sample {_s(shape)}, without the batch axis"


def take_a_batch_of_one(index: str) -> str:
    return f"take a batch of one sample, `[{index}]`, so the batch axis stays"


def add_batch_axis_at_call(spelling: str) -> str:
    return f"add the batch axis where the sample is passed: `{spelling}`"


def add_batch_axis_in_helper(spelling: str) -> str:
    return f"add the batch axis where the function that makes the model's input builds it: `{spelling}`"


# -- numbers written upstream --------------------------------------------------------------------------------------
def shared_argument_label(text: str, value) -> str:
    return f"`{text}` = {value}"


def shared_argument_note(text: str, expected, received, relation: str) -> str:
    return (f"`{text}` ({expected}) also sizes the layer before, which produces {received} = {relation}: changing "
            f"`{text}` would change both sides; size this layer for what it receives")


def set_arg_to(arg: str, value: str) -> str:
    return f"set `{arg}` to {value}" if value.isdigit() else f"set `{arg}` to `{value}`"


def size_as(arg: str, expr: str) -> str:
    return f"set `{arg}` to `{expr}`"


def default_label(param: str, value) -> str:
    return f"`{param}` defaults to {value}"


def default_used_note(param: str, kind: str) -> str:
    return f"`{kind}` takes `{param}` from the helper's default, which the call does not pass: the default is wrong"


def default_call_label(param: str) -> str:
    return f"`{param}` is not passed here"


def default_note(param: str, default, wanted, produced, received) -> str:
    return (f"the default `{param}={default}` is used and gives {produced}; the data gives {received}, which "
            f"`{param}={wanted}` produces")


def upstream_literal_note(text: str, wanted, produced, received) -> str:
    return (f"`{text}` written here gives {produced}; the layer receives {received}, which `{wanted}` here would "
            "give")


def write_here(value) -> str:
    return f"write {value} here"


def pass_param(param: str, value) -> str:
    return f"pass `{param}={value}` where the object is created"


def formula_label(expected) -> str:
    return f"computed here as {expected}"


def formula_note(text: str, expected, received) -> str:
    return f"`{text}` gives {expected}, but the tensor it must match has {received}"


def formula_in_layer_note(text: str, value, layer_text: str, expected, received) -> str:
    return (f"`{text}` gives {value}, so `{layer_text}` is {expected}; the layers before it give {received}: the "
            "formula does not follow the shapes the layers compute (a rounding, a stage too many or too few)")


def write_in_formula(old: str, new: int, formula: str) -> str:
    return f"write {new} for {old} in `{formula}`, so it follows the layers' shapes"


def follow_the_conv(spelling: str) -> str:
    return f"count the tokens the patch convolution gives (its stride and padding): `{spelling}`"


def check_formula(text: str, received) -> str:
    if received is None:
        return f"correct the size computed by `{text}` so it follows the layers' shapes"
    return f"correct the size computed by `{text}`: the tensor it must match has {received}"


# -- layouts --------------------------------------------------------------------------------------------------------
def other_axis_label(size, axis: int) -> str:
    return f"the {size} sits on axis {axis}"


def other_axis_note(kind: str, size, axis: int, wanted_axis: int, shape) -> str:
    where = "the last axis" if wanted_axis == -1 else f"axis {wanted_axis}"
    return (f"`{kind}` works on {where}, but in {_s(shape)} the size {size} it is built for is on axis {axis}: "
            "the tensor's axes are in another order than the layer reads them")


def permute_around(spelling: str) -> str:
    return f"move the axis around the layer: `{spelling}`"


def data_layout_label(shape, wanted) -> str:
    return f"data {_s(shape)}: its axes are in another order than {_s(wanted)}"


def data_layout_note(shape, wanted) -> str:
    return (f"the data {_s(shape)} holds the sizes the model is built for, {_s(wanted)}, in another order: change "
            "the data, not the model (a model bent to this order would run on misread axes)")


def made_inside_note(kind: str, shape, wanted) -> str:
    return (f"`{kind}` gives {_s(shape)} with its features last; the convolution reads channels first, "
            f"{_s(wanted)}: permute it where it is made, not the layers")


def transpose_data(spelling: str) -> str:
    return f"put the data's axes in the model's order: `{spelling}`"


def padding_mask_made(shape) -> str:
    return f"the padding mask is made {_s(shape)} here: one row of keys per sample"


def padding_mask_note(inserted: int) -> str:
    axes = "a size-1 query axis" if inserted == 1 else "size-1 head and query axes"
    return (f"a per-sample padding mask says which keys each sample may attend to; the attention broadcasts its "
            f"mask against the scores, so it needs {axes} between the batch and the keys -- without them "
            "the batch axis lands on another axis; a mask expanded at the end masks queries instead of keys")


def repeat_mask_where_made(spelling: str) -> str:
    return f"repeat each sample's mask for every head where it is made: `{spelling}`"


def per_sample_mask_made(shape) -> str:
    return f"one mask per sample made here {_s(shape)}: attention wants one per sample and head"


def per_sample_mask_note(heads: int) -> str:
    return (f"nn.MultiheadAttention takes a 3-D mask as (N·num_heads, L, S), sample b's rows first: repeat each "
            f"sample's mask {heads} times in place (`repeat_interleave`, not `repeat`, which would pair masks with "
            "the wrong samples)")


def mask_sized_by_batch_label(batch: int) -> str:
    return f"axis 0 is the batch ({batch}) for batch-first data, not the sequence"


def mask_sized_by_batch_note() -> str:
    return ("the causal mask is (length, length); sized by the batch axis it only fits when the batch happens to "
            "equal the sequence length")


def mask_length_axis(spelling: str, axis: str) -> str:
    return f"size the mask by the sequence axis: read axis {axis} in `{spelling}`"


def mask_with_axes(spelling: str) -> str:
    return f"give the padding mask its broadcast axes where it is made: `{spelling}`"


def fed_here() -> str:
    return "fed to the model here"


def or_transpose_data(suffix: str) -> str:
    return f"or, if the model's input is declared right, the data's axes are in the wrong order: `x{suffix}`"


def declared_as(shape) -> str:
    return f"input declared as {_s(shape)}"


def data_made(shape) -> str:
    return f"data {_s(shape)} made here"


def batch_declared_label(size) -> str:
    return f"{size} is the batch size: Keras adds the batch axis itself"


def batch_declared_note(size, data) -> str:
    return (f"the input's `shape` is per sample; with the batch size {size} in it the model expects one axis more "
            f"than the data {_s(data)} has, and would read the samples of a batch as a sequence")


def declare_per_sample(spelling: str) -> str:
    return f"declare the input per sample, without the batch axis: `{spelling}`"


def declared_order_label(data) -> str:
    return f"the data is {_s(data)}: declared in another order"


def declared_order_note(declared, data) -> str:
    return (f"the model is declared for {_s(declared)} but the data is {_s(data)}, the same sizes in another "
            "order, and the data's order is the one the first layer reads")


def declare_as(spelling: str) -> str:
    return f"declare the input in the data's order: `{spelling}`"


def or_declare_as(spelling: str) -> str:
    return f"or, if the data is in the right order, declare the input as `{spelling}`"


# -- data ------------------------------------------------------------------------------------------------------------
def label_column_label(col, width) -> str:
    return f"takes all {width} columns, label column {col} included"


def label_column_note(col, width, declared) -> str:
    return (f"the labels are column {col} of the same table, and the features slice includes it: {width} columns "
            f"where the model takes {declared}; widening the model would train on the answer")


def leave_out_column(j) -> str:
    return f"leave column {j}, the labels, out of the features (not a wider layer: it would train on the answer)"


def slice_features(spelling: str) -> str:
    return f"leave the label column out of the features: `{spelling}`"


def id_range_label(high, rows) -> str:
    return f"{rows} rows: ids 0..{rows - 1}"


def id_range_note(low, high, rows, where: str) -> str:
    return (f"the ids fed to it run from {low} to {high} ({where}), but the table has {rows} rows, so id {high} "
            "is out of range; renumbering the ids would make them collide with the padding id")


def lookup_reserves_ids(kind: str, extra: int, high) -> str:
    slots = "its out-of-vocabulary slot" if extra == 1 else f"{extra} slots (out-of-vocabulary, mask)"
    return (f"`{kind}` keeps {slots} before the words, so the words get ids up to {high}; removing the slot would "
            "break on any word not in the vocabulary")


def samples_without_features_label(n) -> str:
    return f"{n} values, one per sample: no feature axis"


def samples_without_features_note(kind: str, n, wanted, other: str) -> str:
    return (f"`{kind}` takes this 1-D input as one sample of {n} values, but `{other}` has {n} rows too: these are "
            f"{n} samples of one value each, and the {wanted} features per sample were never built (the label array "
            f"passed as the features?); setting the layer to {n} inputs would take the batch for features")


def build_the_features(n, wanted) -> str:
    return f"feed the features, one row of {wanted} values per sample: shape ({n}, {wanted})"


def pass_features_per_step(arg: str, n) -> str:
    return f"pass the number of features per step: `{arg}={n}`"


def time_as_features_label(name: str) -> str:
    return f"`{name}`, a length, passed as the feature count"


def time_as_features_note(name: str, arg: str, n) -> str:
    return (f"`{name}` is the length of the sequences, but `{arg}` is the number of features per step, {n} in the "
            f"data; changing `{name}` would shorten the sequences instead")


def target_per_step_note(width) -> str:
    return (f"the targets have {width} values per sample, as many as the input has time steps, while the model keeps "
            "only the last step: they look like one target per step (the window shifted by one), not the next value")


def target_per_step_label(width) -> str:
    return f"{width} targets per sample, one per input step"


def target_per_step_help() -> str:
    return ("make each target the one value after its window (shape (N, 1)), or keep every step in the model (the "
            "output layer on the whole sequence) and compare it with the targets step by step; a head as wide as the "
            "window would predict a whole window from the last state")


def unwrap_item_label(inner: str) -> str:
    return f"make each label a single id, without the list: `{inner}`"


def wrapped_label_label() -> str:
    return "each label wrapped in a list: shape (1,) per item"


def wrapped_label_note(target_shape) -> str:
    return (f"the Dataset returns each label as a list of one id, so the loader stacks them into {target_shape}; "
            "the loss takes one id per sample, and squeezing at every loss call would only hide it")


def onehot_to_ids() -> str:
    return "pass the class ids: `.argmax(dim=1)` of the one-hot targets (or keep the ids where they were encoded)"


def onehot_made_label(k) -> str:
    return f"one-hot rows of {k} made here"


def onehot_for_ids_note(loss: str) -> str:
    return (f"`{loss}` takes one class id per sample; these targets are one-hot rows. Switching the loss or the "
            "model's head to fit them would train on something else")


def use_class_id_loss(loss: str) -> str:
    return f"use `{loss}` for one class id per sample (and give it the ids as `.long()`)"


def multi_label_loss_label(high) -> str:
    return f"a 0/1 column per class, but the targets are class ids 0..{high}"


def multi_label_loss_note(loss: str, classes) -> str:
    return (f"`{loss}` scores each of the {classes} outputs as its own yes/no label; with one class id per sample "
            "the task is single-label: expanding the ids to one column per class, or shrinking the head to one "
            "output, would run and train on a meaningless target")


def write_instead(value: int, valid: int) -> str:
    return f"write {valid} here instead of {value}"


def argument_written_note(arg: str, value: int, kind: str) -> str:
    return f"`{arg}` = {value} is written here and reaches `{kind}` by name: the number is wrong where it is written"


def argument_written_label(arg: str, value: int) -> str:
    return f"`{arg}` = {value}, written here"


def grow_table(arg: str, expr: str) -> str:
    return f"give the table one row per id: `{arg}={expr}`"


# -- targets ---------------------------------------------------------------------------------------------------------
def target_made(target) -> str:
    return f"targets {_s(target)} made here"


def dtype_made(dtype) -> str:
    return f"targets made {dtype} here" if dtype else "targets made here"


def target_label(target, pred) -> str:
    return f"targets {_s(target)} for output {_s(pred)}"


def target_note(loss: str, pred, target) -> str:
    return (f"the model's output {_s(pred)} is what `{loss}` takes; the targets {_s(target)} have a spare or missing "
            "axis: change the targets, not the output layer")


def take_the_column(spelling: str) -> str:
    return f"take the labels' column itself, without the spare axis: `{spelling}`"


def item_label_made(shape) -> str:
    return f"each sample's label is a single number here: the batch of them is {_s(shape)}"


def make_item_label_with_axis(spelling: str) -> str:
    return f"give each sample's label the output's per-sample shape where it is made: `{spelling}`"


def reshape_target(spelling: str) -> str:
    return f"give the targets the shape the loss takes: `{spelling}`"


def target_dtype_label(suffix: str) -> str:
    return "class indices must be integers" if suffix == ".long()" else "targets must be floating point"


def target_dtype_note(loss: str, suffix: str) -> str:
    kind = "integer class indices (torch.long)" if suffix == ".long()" else "floating-point targets"
    return f"`{loss}` takes {kind}; the model's output is right, the targets' dtype is not"


def convert_target(spelling: str) -> str:
    return f"convert the targets: `{spelling}`"


def head_width_label(width) -> str:
    return f"the targets need {width} output{'s' if width != 1 else ''}"


def head_width_note(head: str, width) -> str:
    return f"the targets have {width} value{'s' if width != 1 else ''} per sample: `{head}` must output as many"


def class_ids_note(head: str, width) -> str:
    return f"the labels are class ids 0 to {int(width) - 1}: `{head}` must output {width} class scores"


def give_head(head: str, width) -> str:
    return f"give `{head}` {width} output{'s' if width != 1 else ''}"


def decoder_label() -> str:
    return "does not multiply the size by its stride"


def decoder_layer_label() -> str:
    return "the transposed convolution built with it"


def decoder_note(pred, target) -> str:
    return (f"the decoder outputs {_s(pred)} for targets {_s(target)}: its strided transposed convolutions do not "
            "double the size exactly")


def output_padding() -> str:
    return "set `output_padding` so each transposed convolution multiplies the size by its stride"


def padding_same() -> str:
    return 'set `padding="same"` so each strided transposed convolution multiplies the size by its stride'


def whole_sequence_label(shape) -> str:
    return f"the whole sequence {_s(shape)}"


def whole_sequence_note(kind: str, shape, target) -> str:
    return (f"`{kind}` returns one output per time step {_s(shape)}; the targets {_s(target)} have one value per "
            "sample")


def tokens_kept_label(shape) -> str:
    return f"one vector per token {_s(shape)}: nothing pools the tokens"


def tokens_kept_note(kind: str, shape, pred, target) -> str:
    return (f"`{kind}` gives one vector per token {_s(shape)}, and every layer after it keeps the token axis, so the "
            f"model scores each token {_s(pred)} where the targets {_s(target)} have one class per sample; the loss "
            "then takes the tokens for the classes. Reshaping the targets would hide it")


def pool_the_tokens(spelling: str) -> str:
    return f"pool the token vectors into one per sample before the next layer (a CBOW average): `{spelling}`"


def take_last_step(spelling: str) -> str:
    return f"feed the next layer the last time step: `{spelling}`"


def take_each_direction_last_step(spelling: str) -> str:
    return (f"feed the next layer where each direction ends -- the forward half of the last step, the backward half "
            f"of the first: `{spelling}`")


def batch_folded_label(n, rows, before, after) -> str:
    return f"turns the batch of {n} into {rows} rows: {_s(before)} -> {_s(after)}"


def batch_folded_note(kind: str, n, rows) -> str:
    return (f"`{kind}` with -1 in the batch position reshapes {n} samples into {rows} rows, so the loss sees {rows} "
            f"samples for {n} targets")


def reshape_beside(spelling: str) -> str:
    return f"give the validation data the same reshape, beside the training data's: `{spelling}`"


def train_reshaped_label(shape) -> str:
    return f"the training data is reshaped to {_s(shape)} here, the validation data is not"


def train_reshaped_note(shape) -> str:
    return (f"the validation data {_s(shape)} holds the same values per sample as the training data but was not "
            "given its shape: every array fed to the model needs the reshape")


def ids_numbered_from_one_label(table: str) -> str:
    return f"`{table}` numbers the classes from 1"


def number_classes_from_zero(table: str) -> str:
    return f"number the classes of `{table}` from 0: drop `start=1`"


def ids_from_one_label(classes: int) -> str:
    return f"class ids 1..{classes} made here: counted from 1"


def ids_used_here() -> str:
    return "the ids reach the loss here"


def ids_from_one_note(classes: int) -> str:
    return (f"the loss takes class ids 0..{classes - 1} for {classes} scores; ids counted from 1 put the last class "
            f"out of range. A head of {classes + 1} outputs would run, and train a class 0 that never occurs")


def shift_ids(spelling: str) -> str:
    return f"count the class ids from 0: `{spelling}`"


def whole_shape_label(shape) -> str:
    return f"the data's whole shape {_s(shape)}, with its number of samples, is declared as one sample's"


def whole_shape_note(shape) -> str:
    return (f"an input's `shape` is per sample and Keras adds the batch axis itself: declared as {_s(shape)}, the "
            f"first axis ({shape[0]} samples) becomes an axis of every sample")


def loss_written_label(loss: str) -> str:
    return f"the loss `{loss}` is chosen here"


def _upsampler(wanter: str) -> str:
    """What a model that upsamples a seed map is called, by what its output must fit: a discriminator (GAN) or
    the targets (an autoencoder's decoder)."""
    return "decoder" if wanter == "targets" else "generator"


def generator_start_label(sh, sw, factor, gh, gw, wanter: str = "model") -> str:
    return f"the {_upsampler(wanter)} starts from {sh}x{sw} here and scales it x{factor} to {gh}x{gw}"


def generator_start_note(th, tw, factor, wh, ww, wanter: str = "model") -> str:
    if wanter == "targets":
        return (f"the targets it is fitted to are {th}x{tw} images; the start map must be the image size over the "
                f"upsampling factor, {wh}x{ww}. Cropping or padding the output, or resizing the targets, would run "
                "and reconstruct a different image")
    return (f"the model it feeds takes {th}x{tw} images; the start map must be the image size over the upsampling "
            f"factor, {wh}x{ww}. Cropping or padding the output, or shrinking the discriminator, would run and leave "
            "the real images unfit")


def generator_start(wh, ww, wanter: str = "model", reshape: str = "Reshape", maker: str = "Dense") -> str:
    reshape = f"`.{reshape}`" if reshape.islower() else f"`{reshape}`"
    return f"start the {_upsampler(wanter)} from a {wh}x{ww} map (the {reshape} and the `{maker}` before it)"


def raw_binary_labels(raw: str) -> str:
    return f"give the single sigmoid unit the 0/1 labels themselves: `{raw}`, not their one-hot encoding"


def onehot_two_classes_label() -> str:
    return "two one-hot columns made here, for one sigmoid unit"


def onehot_for_one_unit_note() -> str:
    return ("binary cross-entropy compares each output unit with one 0/1 target; one-hot labels of two classes are "
            "for a two-unit softmax with categorical cross-entropy. Widening the head to two sigmoids would train "
            "two independent, redundant outputs")


def class_count_label(k) -> str:
    return f"the labels have {k} classes"


def class_count_note(k) -> str:
    return (f"the one-hot labels have {k} columns, one per class id 0..{k - 1} in the data: the softmax head must "
            f"score {k} classes")


def one_hot_validation(func: str) -> str:
    return f"one-hot the validation labels with `{func}`, as the training labels are"


def view_maps(features, channels, maps: str) -> str:
    return f"view the {features} features as {channels} maps of {maps}"


def ids_counted_from_one(vocab: str, n: int) -> str:
    return (f"`{vocab}` numbers its {n} entries from 1 (0 is kept for padding), so the ids run 1..{n} and need "
            f"{n + 1} rows; renumbering them from 0 would collide with the padding id")


def noise_spatial_axes(spelled: str) -> str:
    return f"draw the noise with its spatial axes: `{spelled}`"


def noise_without_axes(shape, spatial: int) -> str:
    return f"noise {fmt_shape(tuple(shape))} drawn without its {spatial} spatial axes"


def noise_note(kind: str, spatial: int) -> str:
    return (f"`{kind}` reads (N, channels{', H, W' if spatial == 2 else ', ...'}): the latent vector is its channels at "
            f"1x1; putting an `nn.Unflatten` in front of the generator would bend the model to the data")


def pass_batch_first(kind: str) -> str:
    return f"pass `batch_first=True` to `{kind}`: the data is (batch, sequence, features)"


def reads_sequence_first(shape) -> str:
    return f"batch_first=False: reads {fmt_shape(tuple(shape))} as (sequence, batch, features)"


def mask_says_batch_first(kpm) -> str:
    return (f"the padding mask {fmt_shape(tuple(kpm))} was made from the same batch-first tokens: it is right, the "
            "layer reads its inputs sequence-first; transposing the mask would run and mix the samples of the batch")


def local_size_note(name: str, expected: int, received: int) -> str:
    return (f"`{name}` = {expected} sizes only layers that receive {received}: the width was stated wrong where "
            f"`{name}` is bound, and every layer it sizes gets it from there")


def causal_mask_says_batch_first(mask, q) -> str:
    return (f"the {fmt_shape(tuple(mask))} causal mask is sized by the sequence length, axis 1 of the "
            f"{fmt_shape(tuple(q))} input: the data is batch-first and the mask is right; building the mask from the "
            "batch size would run and let every token attend across the samples of the batch")


def caller_argument_note(param: str, given: str, expected: int, received: int) -> str:
    return (f"`{param}` is {expected} here because the call that built this block passed `{given}`; the layer "
            f"receives {received}. Other calls of the same block are right, so the call is what changes, not the "
            f"block")


def parameter_used_here(param: str) -> str:
    return f"sized by the parameter `{param}`"


def expand_mask_on_axis_one() -> str:
    return "expand the padding mask on axis 1, (batch, 1, keys), so every query sees the same keys: `axis=1`"


def mask_on_queries_note() -> str:
    return ("expanded on the last axis, the mask is (batch, queries, 1): it broadcasts over the keys, so padded "
            "keys stay visible and the rows of padded queries are masked instead")


def apply_missing_pool(callee: str, k: int) -> str:
    return f"apply the pooling step after the last conv as after the first: `{callee}(...)` ({k}x{k})"


def missing_pool_note(shape, k: int, row: int) -> str:
    return (f"the maps are {fmt_shape(tuple(shape))}; pooled {k}x{k} they would hold exactly {row} values per sample, "
            f"what the flatten was written for: the pooling step after the last conv is missing (widening the Linear "
            f"instead would bend the model to the bug)")


def missing_pool_label() -> str:
    return "the last conv's maps are not pooled"


def stray_axis_label() -> str:
    return "the data gets an axis of size 1 here"


def stray_axis_note(data, pred, target) -> str:
    return (f"the data {_s(data)} has an axis of size 1 that every layer keeps, so the model returns {_s(pred)} for "
            f"targets {_s(target)}: the loss reads that axis as the classes. Reshaping the targets to fit would train "
            "on a class axis of one")


def drop_stray_axis(spelling: str) -> str:
    return f"leave the extra axis out of the data: `{spelling}`"


def squeeze_stray_axis(axis: int) -> str:
    return f"leave the axis of size 1 out of the data (or `x.squeeze({axis})` before the model)"


def stray_axis_message(pred, target) -> str:
    return (f"the model returns {_s(pred)} for class ids {_s(target)}: an axis of size 1 in the data reached the loss, "
            "which reads axis 1 as the classes")


def batch_on_axis_label(axis: int) -> str:
    return f"the samples are stacked on axis {axis} here"


def batch_on_axis_note(shape, axis: int, n, rows) -> str:
    return (f"the batch {_s(shape)} holds its {n} samples on axis {axis}; the model takes axis 0 as the samples and "
            f"returns {rows} rows for {n} targets. Cutting or repeating the outputs or targets to match would pair "
            "outputs with the wrong samples")


def stack_on_axis_0(spelling: str) -> str:
    return f"stack the samples on axis 0, where the model and the targets have them: `{spelling}`"


def move_batch_to_axis_0(axis: int) -> str:
    return f"put the samples on axis 0 where the batch is made (or `x.transpose(0, {axis})` before the model)"


def reshaped_order_label(shape, wanted) -> str:
    return f"reshaped to {_s(shape)} here; the model reads {_s(wanted)}"


def reshaped_order_note(shape, wanted) -> str:
    return (f"the reshape puts the axis of size 1 in another place than the model reads it: the data is {_s(shape)}, "
            f"the model is declared for {_s(wanted)}. The values are the same in either order, so the reshape can "
            "write the model's order directly (changing the model's input instead would leave its layers reading "
            "the wrong axis)")


def reshape_to(spelling: str) -> str:
    return f"reshape to the model's order: `{spelling}`"


def column_taken_flat_label(target) -> str:
    return f"the targets' column is taken as {_s(target)} here, without its column axis"


def keep_the_column_axis(spelling: str) -> str:
    return f"take the targets' column as a column, the shape of the model's output: `{spelling}`"


def ignored_argument_label(function: str, param: str) -> str:
    return f"`{function}` never uses its `{param}` argument"


def ignored_argument_note(function: str, param: str, passed: str, line: int, expected, received) -> str:
    return (f"`{function}` is passed `{passed}` (line {line}) but its formula leaves `{param}` out, so the size it "
            f"computes ({expected}) is not what the layers produce ({received}). Hard-coding {received} would leave "
            "the helper wrong for every other setting")


def use_the_argument(function: str, param: str) -> str:
    return f"use `{param}` in `{function}`'s formula"


def conv_size_formula(spelling: str) -> str:
    return f"count the padding in the output-size formula: `{spelling}`"


def valid_conv_label(kernel) -> str:
    trim = kernel[0] - 1
    return f"no padding here: each block trims {trim} pixel{'s' if trim != 1 else ''} per axis"


def valid_conv_note(kind: str, kernel, count: int) -> str:
    return (f"this `{kind}` is built {count} times by the same code and, unlike the model's other convs, keeps no "
            f"padding: every block shrinks its maps by {kernel[0] - 1}, the halvings stop being exact, and the "
            "upsampled maps no longer match the skips they are joined with. Cropping or resizing the skips would "
            "hide it")


def id_embedding_label(shape) -> str:
    return f"one vector per id: {_s(shape)}, with the id axis of length 1"


def id_embedding_note(shape) -> str:
    return (f"an id fed as (batch, 1) keeps its length-1 axis through the `Embedding`, {_s(shape)}, one axis more than "
            "the vectors it is joined to. Flatten it (or Reshape it to one vector); lifting the other branch to "
            "three axes would build and carry the extra axis through the whole head")


def split_length_label(name: str, value: int, size: int) -> str:
    return f"{name} = {value} does not divide {size}"


def split_length_note(name: str, value: int, size: int) -> str:
    return (f"the pattern splits an axis of {size} into `{name}` = {value} groups of equal width; {size} is not a "
            f"multiple of {value}. The pattern is right: the count or the width it splits was set wrong")


def split_count_or_width(name: str, value: int, size: int, divisors: list, widths: list) -> str:
    counts = ", ".join(map(str, divisors)) if divisors else "none below it"
    return (f"set `{name}` to a count that divides {size} ({counts}), or the width to a multiple of {value} "
            f"({' or '.join(map(str, widths))}), where they are configured")


def state_layers_only_label(layers: int) -> str:
    return f"{layers} here: the layers, not the layers times the directions"


def state_layers_only_note(kind: str, layers: int) -> str:
    return (f"the `{kind}` is bidirectional, so its state has one slice per layer and direction: {2 * layers} on the "
            "first axis. Turning it unidirectional would run and change the model")


def count_the_columns(formula: str, spelled: str) -> str:
    return f"count the feature columns themselves: `{spelled}` for `{formula}`"


def setting_written_label() -> str:
    return "the value is written here"


def setting_used_here() -> str:
    return "and used here, by name"


def declare_with_name(name: str) -> str:
    return f"declare that axis with `{name}`, the size the data is made with"


def declared_name_label(written: str, meant: str) -> str:
    return f"`{written}` again here, where the data has `{meant}`"


def declared_name_note(written: str, meant: str, axis: int) -> str:
    return (f"the data's axis {axis} is made with `{meant}`, but the input declares `{written}` there (it already "
            "sizes another axis); every size computed from the declaration then follows the wrong name")


def return_every_step(kind: str, per_step_values: bool = False) -> str:
    then = "predicts each step" if per_step_values else "tags each token"
    return f"make the `{kind}` return every step: `return_sequences=True` (the Dense head then {then})"


def last_state_only_label() -> str:
    return "returns only its last state: one vector per sample"


def per_step_targets_note(kind: str, targets, pred) -> str:
    return (f"the targets {fmt_shape(targets)} have one value per step of the series, but the `{kind}` returns its "
            f"last state only, so the model predicts one value per sample {fmt_shape(pred)}, and the loss broadcasts "
            "it against every step. Widening the head to the number of steps would make the sequence length a layer "
            "size; reducing the targets would change the task")


def per_token_labels_note(kind: str, labels, pred) -> str:
    return (f"the labels {fmt_shape(labels)} have one class per token, but the `{kind}` returns its last state only, "
            f"so the model predicts one class per sample {fmt_shape(pred)}. Reducing the labels to one per sample "
            "would run and change the task")


def batch_norm_variant(want: str, shape) -> str:
    return f"use `{want}`, the batch norm for {len(shape)}-D input {fmt_shape(shape)}"


def batch_norm_variant_label(kind: str, rank: int) -> str:
    return f"`{kind}` here, given {rank}-D input"


def batch_norm_variant_note(kind: str, shape) -> str:
    return (f"the input {fmt_shape(shape)} has the layer's features on axis 1, as a batch norm takes them; only the "
            f"variant is wrong: `BatchNorm1d` takes (N, C) or (N, C, L), `BatchNorm2d` (N, C, H, W), `BatchNorm3d` "
            f"(N, C, D, H, W), and `{kind}` was written")


def stride_once_in_block(arg: str = "stride") -> str:
    return f"stride the block once: keep the stride on its first wide conv and give the others `{arg}=1`"


def stride_twice_label(factor: int) -> str:
    return f"the block's stride {factor} again: the main path shrinks twice"


def stride_kept_label() -> str:
    return "the block's stride belongs here"


def stride_twice_note(factor: int, count: int) -> str:
    return (f"{count} convolutions on the block's main path each take its stride {factor}, so the path shrinks by "
            f"{factor ** count} while the shortcut, strided once, shrinks by {factor}. Striding the shortcut again "
            "would run and throw away resolution")


def insert_axis_at(position: int, spelled: str) -> str:
    where = "in front, where the batch goes" if position == 0 else f"at position {position}"
    return f"insert the new axis {where}: `{spelled}`"


def inserted_axis_label(shape, position: int) -> str:
    return f"the new axis goes in at {position}: {fmt_shape(shape)}"


def inserted_axis_not_lined_up_note(kind: str, base, target) -> str:
    return (f"`{kind}` lines the axes up from the last one: with the new axis there, the axes of {fmt_shape(base)} "
            f"meet other axes of {fmt_shape(target)}")


def trailing_axis_for_each_step(spelled: str) -> str:
    return f"give it a trailing axis where it meets the values, so it lines up with their leading axes: `{spelled}`"


def leading_axes_label(short, full) -> str:
    return f"{fmt_shape(short)}: the leading axes of {fmt_shape(full)}, without its last axis"


def leading_axes_note(kind: str, short, full) -> str:
    return (f"`{kind}` lines the axes up from the last one, so the last axis of {fmt_shape(short)} meets the last axis "
            f"of {fmt_shape(full)}; one value per step needs a trailing axis of size 1 to weigh every feature of its "
            "step -- resizing the features to the number of steps would run and weigh the wrong axis")


def inserted_axis_note(kind: str) -> str:
    return (f"`{kind}` reads this data's axes in another order than the insertion left them; resizing the layer to "
            "what it got would run for this one batch size and treat samples as channels or features")


def transpose_mask_where_passed(spelling: str) -> str:
    return f"transpose the padding mask where it is passed: `{spelling}`"


def time_major_mask_label(shape) -> str:
    return f"{fmt_shape(shape)}: time-major like the data; a key padding mask is (N, S)"


def time_major_mask_note() -> str:
    return ("the data is time-major (length first, then the batch), as the layer reads it, and the padding mask made "
            "from it is too; a key padding mask is always (N, S), one row per sample. Setting `batch_first=True` "
            "would run and mix the samples")


def one_state_tensor_label() -> str:
    return "one tensor made here: an LSTM's state is the pair (h_0, c_0)"


def one_state_tensor_note() -> str:
    return ("an LSTM carries a hidden state and a cell state, so its initial state is a tuple of two tensors of this "
            "shape; one tensor is indexed as `hx[0]`, `hx[1]` and fails. Stacking them into one tensor still fails")


def make_lstm_state_pair(spelling: str) -> str:
    return f"make both states where the state is made: `{spelling}` (or pass `None` for zeros)"


def state_times_directions(spelling: str) -> str:
    return f"count both directions where the state is made: `{spelling}`"


def gray_images_label() -> str:
    return "images with one channel"


def gray_images_note(model: str) -> str:
    return (f"`{model}` is a torchvision model: its first conv takes RGB images (3 channels), and its layers are "
            "the library's, not yours to resize")


def repeat_gray_channel(spelling: str) -> str:
    return (f"repeat the gray channel to three where the images are fed: `{spelling}` (what pretrained weights "
            "expect), or replace the model's first conv with a 1-channel one and train it")


def size_not_halving_label(size: int, step: int, halvings: int) -> str:
    return f"{size} does not halve evenly {halvings} times: not a multiple of {step}"


def size_not_halving_note(chain: str, small: int, large: int) -> str:
    return (f"each downsampling halves the size, rounding down ({chain}), so a map upsampled back is "
            f"{small} where the skip it is joined with kept {large}. Cropping or padding the maps would hide it; "
            "the input size is what does not fit the network")


def joined_unpadded_label() -> str:
    return "the upsampled map is joined to its skip without being brought to the skip's size"


def size_not_halving_pad_note(chain: str, small: int, large: int) -> str:
    return (f"each downsampling halves the size, rounding down ({chain}), so a map upsampled back is {small} where "
            f"the skip it is joined with kept {large}. The input size is the data's; the block that joins them is "
            "what assumes sizes divisible all the way down (the reference U-Net pads the upsampled map instead)")


def count_stages(count: int, helper: str) -> str:
    return f"count the model's stages where `{helper}` is called: {count}"


def stage_count_label(count: int, helper: str) -> str:
    return f"`{helper}` is told {count} stages"


def stage_count_note(helper: str, count: int, actual: int, size: int) -> str:
    return (f"`{helper}` repeats its step once per stage, and is called with {count}; the data reaches the layer "
            f"with {size} values per sample, what {actual} stages give. Writing the width out as a number would hold "
            "for this input size only")


def default_width_note(param: str, default: int, value: int, text: str) -> str:
    return (f"this call uses the default `{param}={default}`, but what `{param}` stands for is {value} wide here "
            f"(`{text}`, as the file writes it for another layer): pass it here rather than change a default other "
            "callers rely on")


def upsample_count(old: int, new: int) -> str:
    return f"double the map {new} times, not {old}: set the count of upsampling steps to {new}"


def upsample_count_label(count: int, start: int, size: int) -> str:
    return f"{count} doublings of the {start}x{start} start give {size}"


def upsample_count_note(sh: int, sw: int, count: int, gh: int, gw: int, th: int, tw: int, new: int,
                        wanter: str = "model") -> str:
    wants = "the targets are" if wanter == "targets" else "the discriminator and the real images are"
    return (f"the {_upsampler(wanter)} starts from a {sh}x{sw} map and doubles it {count} times, to {gh}x{gw}, where "
            f"{wants} {th}x{tw}: {new} doublings give that size. (Starting from a "
            "smaller seed would fit too, but the seed is the usual size; the loop runs once too often.)")


def upsampled_here() -> str:
    return "the upsampling loop"


def write_the_setting(name: str) -> str:
    return f"write the setting there, not a number: `{name}`"


def literal_for_name_label(value: int, name: str) -> str:
    return f"{value} written here, where the layer it feeds reads `{name}`"


def literal_for_name_note(value: int, name: str, size: int, kind: str) -> str:
    return (f"the size `{kind}` receives is made from {value}, written as a number, while `{kind}` is sized by the "
            f"same formula from `{name}` ({size}): the number stands where `{name}` belongs, so the two sides "
            "disagree and would again whenever the setting changes")


def sized_from_name_label(name: str) -> str:
    return f"sized from `{name}`"


def pad_to_skip(spelling: str) -> str:
    return (f"pad the upsampled map to its skip's height and width before joining them (`{spelling}`), so the "
            "network takes the data's own size")


def size_multiple_of(step: int, lower: int, upper: int) -> str:
    options = f"{lower} or {upper}" if lower > 0 else str(upper)
    return (f"give the network an input size that is a multiple of {step} ({options}): resize or pad the images to "
            "it, where their size is set")


def pad_block_conv(spelling: str) -> str:
    return (f"keep the size in this conv like the others: `{spelling}`" if spelling
            else "keep the size in this conv like the others (pad it by kernel_size // 2)")


def channels_as_tokens_label(shape) -> str:
    return f"leaves the map as (batch, channels, positions) {_s(shape)}"


def channels_as_tokens_note(shape, other) -> str:
    return (f"{_s(shape)} holds the channels on axis 1 and the flattened positions on axis 2, but it is joined with "
            f"{_s(other)}, whose last axis is the embedding: the tokens must be (batch, positions, channels). "
            "Resizing the embedding or the class token to fit would treat channels as tokens")


def tokens_last(spelling: str) -> str:
    return f"put the positions before the channels: `{spelling}`"


def batch_split_label(kind: str, shape) -> str:
    return f"`{kind}` splits {_s(shape)} along axis 0, the samples"


def batch_split_note(kind: str, batch, shape) -> str:
    return (f"`{kind}` on {_s(shape)} with dim=0 cuts the batch of {batch} samples into pieces, each keeping every "
            "feature: what follows gets fewer samples with twice the features. Widening the next layer to fit would "
            "pair the first half of the batch with the second")


def split_features(spelling: str) -> str:
    return f"split each sample's features instead: `{spelling}`"


def projection_label(size) -> str:
    return f"projects to {size} features"


def projection_note(kind: str, size, channels, text: str) -> str:
    return (f"this `{kind}` gives {size} values per sample, added to a map of {channels} channels (`{text}`): the "
            "projection must give one value per channel. Changing the embedding width to the channel count would "
            "only fit one block; slicing the projection would drop conditioning")


def project_to(spelling: str) -> str:
    return f"project to the map's channels: `{spelling}`"


def no_channel_axis_label(shape) -> str:
    return f"images declared as {_s(shape)}, without a channel axis"


def no_channel_axis_note(kind: str, shape) -> str:
    return (f"`{kind}` reads (batch, height, width, channels); the model is declared for {_s(shape)}, so the layers "
            "before it read the batch as an image (Resizing takes a 3-D tensor as one unbatched image). Grayscale "
            "images have one channel: declare it (Keras adds it to (N, H, W) data). Reshaping in front of the conv "
            "would keep the batch read as an image")


def declare_channel(spelling: str) -> str:
    return f"declare the channel axis: `{spelling}`"


def build_axis_label(index: int, size) -> str:
    return f"sizes the weights with axis {index} of the input ({size})"


def build_axis_note(index: int, size, features) -> str:
    return (f"`build` reads axis {index} of the input's shape ({size}), but the matmul in `call` contracts the last "
            f"axis ({features}): the weights must be sized with `input_shape[-1]`. Changing the data or the sizes so "
            "the two coincide would only hide it")


def build_from_last_axis(spelling: str) -> str:
    return f"size the weights with the features, the last axis: `{spelling}`"


def targets_order_label() -> str:
    return "the targets are listed in another order than the model's outputs"


def targets_order_message(outputs: str, targets: str) -> str:
    return (f"the model's outputs are {outputs} but the targets are given as {targets}: Keras pairs them by "
            "position, so each head is trained on another head's targets")


def targets_order_note() -> str:
    return ("every target fits the output at another position; changing the heads or the losses to fit the order "
            "given would train each head on the wrong quantity")


def list_targets_as_outputs(spelling: str) -> str:
    return f"list the targets in the outputs' order: `{spelling}` (or pass a dict keyed by output name)"


def missing_channel_label(shape, axis: str = "channel") -> str:
    return f"each sample is made as {_s(shape)}, without a {axis} axis"


def missing_channel_note(kind: str, shape, axis: str = "channel") -> str:
    if axis == "feature":
        return (f"`{kind}` is built for one feature per step and reads a {len(shape)}-D tensor as one unbatched "
                f"sequence, so the batch {_s(shape)} is taken for {shape[0]} steps of {shape[1]} features. The "
                "windows need their feature axis of size 1, last; an input_size of the window length would read "
                "each window as one step")
    return (f"`{kind}` is built for one input channel and reads a {len(shape)}-D tensor as one unbatched sample, so "
            f"the batch {_s(shape)} is taken for {shape[0]} channels. The samples need their channel axis of size 1; "
            "giving the conv as many channels as the batch holds would fit one batch size only")


def add_channel_axis(spelling: str, axis: str = "channel") -> str:
    return f"give each sample its {axis} axis: `{spelling}`"


def last_sample_label(shape) -> str:
    return f"takes the last sample of the batch {_s(shape)}, not each sample's last step"


def last_sample_note(kind: str, shape) -> str:
    return (f"`{kind}` with batch_first=True returns (batch, steps, hidden) {_s(shape)}: `[-1]` picks the last "
            "sample's whole sequence, so the model returns one row per time step of one sample. Dropping "
            "batch_first to make `[-1]` the last step would feed the batch as time")


def take_each_last_step(spelling: str) -> str:
    return f"take every sample's last time step: `{spelling}`"


def pooled_map_label(shape) -> str:
    return f"the pooled features stay a map {_s(shape)}"


def pooled_map_note(shape, other) -> str:
    return (f"the global pooling leaves {_s(shape)}: one value per channel, still with its 1 x 1 spatial axes, so "
            f"it cannot be joined with {_s(other)}. Flattened it is (batch, {shape[1]}), what the layer after the "
            "join is sized for; giving the other input spatial axes instead would feed a map to that layer")


def flatten_pooled(spelling: str) -> str:
    return f"flatten the pooled features before joining them: `{spelling}`"


def shortcut_condition_label() -> str:
    return "the projection shortcut is built only when the stride changes"


def shortcut_condition_note(a: str, b: str) -> str:
    return (f"the block keeps an identity shortcut when only the width changes ({a} != {b} at stride 1), so the "
            "residual add joins maps of different channel counts. Changing the widths to avoid it would change the "
            "architecture and fail again at the next width change")


def project_when_width_changes(spelling: str) -> str:
    return f"build the projection whenever the width changes too: `{spelling}`"


def unpadded_convs_label(trim: int) -> str:
    return f"no padding: each of these convs trims {trim} step{'s' if trim != 1 else ''} per spatial axis"


def unpadded_convs_note(expected, received) -> str:
    return (f"the size written for the layer ({expected}) counts only the poolings, as if the convs kept their "
            f"input's size; without padding they trim it, and the layer receives {received}. Padding the convs makes "
            "the formula hold; subtracting the difference from it would leave it wrong for any other input length")


def pad_the_convs(spelling: str) -> str:
    return f"pad the convs so they keep the size the formula assumes: `{spelling}`"


def size_like_sibling(name: str) -> str:
    return f"size it like its sibling: `{name}`"


def sibling_label(width: int, name: str, other: int) -> str:
    return f"{width} here, while its sibling on the same input is sized `{name}` ({other})"


def sibling_note(kind: str, sibling: str, name: str, other: int) -> str:
    return (f"two `{kind}` heads read the same tensor: `{sibling}` is sized `{name}` ({other}), the size the other "
            f"side of the mismatch has too; this one has a number written out, left behind when `{name}` changed")


def index_the_layer_axis(spelling: str) -> str:
    return f"index the layers axis of the state, not the batch: `{spelling}`"


def state_batch_indexed_label(shape) -> str:
    return f"indexes axis 1 of the state {_s(shape)}, the batch: one sample's states, not each sample's"


def state_batch_indexed_note(kind: str, shape) -> str:
    return (f"`{kind}` returns its final state as (layers * directions, batch, hidden) {_s(shape)} even with "
            "batch_first=True (that only changes the output), so the model gives one row per layer instead of one "
            "per sample")


def one_row_for_class_token(spelling: str) -> str:
    return f"give the table a row for the class token too: `{spelling}`"


def table_rows_label(rows: int, tokens: int) -> str:
    return f"{rows} rows here, for {tokens} tokens"


def table_rows_note(rows: int, tokens: int) -> str:
    return (f"the class token is joined to the {rows} patch tokens, so the sequence has {tokens} tokens while the "
            f"position table was made with {rows} rows; dropping the class token or slicing the tokens would run "
            "and lose what the head reads")


def join_directions(spelling: str) -> str:
    return f"join the two directions where the encoder hands its state over: `{spelling}`"


def join_both_directions(joined, features: int, state: str = "") -> str:
    spelled = joined or (f"torch.cat(({state}[-2], {state}[-1]), dim=1)" if state else
                         "torch.cat of the last layer's two directions (indices -2 and -1), on the feature axis")
    return (f"join both directions of the last layer's state: `{spelled}`, which has the {features} features the "
            "layer expects")


def one_direction_note(kind: str) -> str:
    return (f"a bidirectional `{kind}`'s state holds each layer's forward and backward direction in turn: the index "
            "picks one direction (the backward one for [-1]); shrinking the layer would run and drop the other")


def state_both_directions_label(shape) -> str:
    return f"hands over both directions' states {_s(shape)} unjoined"


def state_both_directions_note(kind: str, shape, layers: int) -> str:
    return (f"a bidirectional `{kind}` returns its final state as (layers * 2, batch, hidden) {_s(shape)}; a "
            f"one-direction decoder with {layers} layer(s) takes ({layers}, batch, hidden). A two-layer decoder or "
            "`view(1, batch, 2 * hidden)` would run and feed the backward direction as a layer, or mix samples")


def size_dense_for_grid(spelling: str) -> str:
    return f"size the Dense for the grid it is reshaped to: `{spelling}`"


def dense_for_grid_label() -> str:
    return "sized for another grid than the Reshape after it"


def dense_for_grid_note(units: str, grid: str) -> str:
    return (f"`{units}` units are reshaped to `{grid}`; the upsampling after the Reshape is built for that grid, so "
            "the Dense must give its product (changing the Reshape would change the decoder's width or its output "
            "size)")


def repeat_length_label(steps) -> str:
    return f"repeats the context {steps} times: the decoder's number of steps"


def repeat_length_note(steps, target_steps) -> str:
    return (f"the model outputs {steps} steps because the context is repeated {steps} times, but each target "
            f"sequence has {target_steps}: padding or cutting the targets would train on made-up steps")


def repeat_target_length(spelling: str) -> str:
    return f"repeat the context once per target step: `RepeatVector({spelling})`"


def no_feature_axis_label(shape) -> str:
    return f"sequences declared as {_s(shape)}, without a features axis"


def no_feature_axis_note(kind: str, steps) -> str:
    return (f"`{kind}` reads (batch, timesteps, features); each sample is declared as {steps} plain values, so it "
            f"gets a 2-D tensor. A series of one value per step has one feature: declare it (Keras adds the axis of "
            f"size 1 to (samples, {steps}) data). Declaring ({'1'}, {steps}) instead would make each window one step "
            f"of {steps} features")


def declare_feature_axis(spelling: str) -> str:
    return f"declare one feature per time step: `{spelling}`"


def per_sample_size_written(spelling: str) -> str:
    return f"flatten each sample to its own size: `{spelling}` values, where the reshape's size is written"


def per_sample_size_label(written: str, per) -> str:
    return f"`{written}` values per row, but each sample has {per}"


def reshapes_with_it() -> str:
    return "reshapes with that size, so the batch is cut into rows of it"


def rows_per_sample_note(op: str, before, after) -> str:
    return (f"`{op}` turns {_s(before)} into {_s(after)}: with `-1` for the batch, a row size smaller than a sample "
            "cuts each sample into several rows, so the next layer trains on pieces of samples; resizing that layer "
            "to the row would keep the wrong batch")


def size_like_other_branch(name: str) -> str:
    return f"size it like the branch it is joined to: `{name}`"


def width_literal_label(width: int, name: str, other: int) -> str:
    return f"{width} written here, while the other branch is `{name}` ({other}) wide"


def width_literal_note(kind: str, name: str, other: int) -> str:
    return (f"the merged branches must agree on every axis but the one they are joined along: the other branch is "
            f"`{name}` ({other}) wide, and this `{kind}` has its width written out as a number")


def last_state_for_merge(kind: str) -> str:
    return f"give one vector per sample from this branch: `return_sequences=False` on the `{kind}`"


def sequence_branch_label(shape) -> str:
    return f"return_sequences=True keeps every step: {_s(shape)}"


def sequence_branch_note(kind: str) -> str:
    return (f"the `{kind}` branch is joined to a (batch, features) vector, so it should give one vector per sample "
            "too: its last state. Flattening its steps or repeating the vector over them would make it run on another "
            "model")


def left_out_beside_sibling(param: str, text: str) -> str:
    return f"`{param}` is left out here, while a sibling call passes `{param}={text}`"


def default_left_out_note(param: str, default, text: str, received) -> str:
    return (f"this call uses the default `{param}={default}`; the data has {received}, which the sibling call wires "
            f"through as `{param}={text}`")


def item_transposed_label() -> str:
    return "each sample is transposed here before the samples are stacked"


def item_stacked_first_label() -> str:
    return "each sample stacks its parts on its first axis here (np.stack's default axis=0)"


def stack_item_last() -> str:
    return "stack each sample's parts on its last axis, where the model reads them: `np.stack(..., axis=-1)`"


def keep_item_order(spelling: str) -> str:
    return f"keep each sample in its own order: append `{spelling}`, not its transpose"


def take_last_layer_state(spelling: str) -> str:
    return f"give the head the last layer's state: `{spelling}`"


def state_layers_folded_label(shape, out) -> str:
    return f"folds the layers of the state {_s(shape)} into the batch: {_s(out)}"


def state_layers_folded_note(kind: str, shape) -> str:
    return (f"`{kind}` returns its final state as (layers * directions, batch, hidden) {_s(shape)}; reshaping it to "
            "(-1, hidden) makes one row per layer and sample, which only matches the labels with one layer")


def pad_by_default(param: str, value: str) -> str:
    return f"keep the size in every conv: `{param}={value}` (kernel_size // 2)"


def unpadded_by_default_note(param: str, trim: int) -> str:
    return (f"every conv takes `{param}` from this default, so each one trims {trim} pixels per axis: the decoder's "
            "upsampled maps come out smaller than the skips they are joined with. Padding the upsampled maps or "
            "cropping the skips would fit one input size only")


def declare_channels_last(spelling: str) -> str:
    return f"declare the images channels last, as the data is: `{spelling}`"


def channels_first_declared_label(shape) -> str:
    return f"declared channels first: {_s(shape)}"


def channels_first_declared_note(shape, want) -> str:
    return (f"Keras convs read (batch, height, width, channels), so {_s(shape)} is read as {shape[0]} pixel(s) high; "
            f"the data fed to the model is {_s(want)} per sample, channels last. Padding the convs would make it run "
            "on images one pixel high")


def default_named_note(param: str, default, text: str, received) -> str:
    return (f"this call uses the default `{param}={default}`; the data has {received}, the size the file names "
            f"`{text}`: pass it here rather than change a default other callers rely on")


def drop_off_by_one(literal: str, formula: str) -> str:
    return f"drop the `{literal}` term in `{formula}`, so it counts every stage the layers apply"


def prepare_like_training(spelling: str) -> str:
    return f"prepare the validation data with the training data's settings: `{spelling}`"


def helper_setting_left_out_label() -> str:
    return "the training data's call passes a setting this one leaves to its default"


def keep_class_ids(spelling: str) -> str:
    return f"keep the class ids the loss takes: `{spelling}`, not their one-hot rows"


def fixed_batch_label(fixed) -> str:
    return f"the batch size is written here as a fixed {fixed}"


def fixed_batch_note(fixed) -> str:
    return (f"a tensor made inside the model with a fixed batch of {fixed} meets the model's free batch axis: only "
            f"batches of exactly {fixed} run, and the last, smaller batch of an epoch or any other batch size fails")


def batch_from_tensor(spelling: str) -> str:
    return f"read the batch size from the tensor it is combined with: `{spelling}`"


def flatten_per_step(spelled: str) -> str:
    return f"flatten each frame on its own, keeping the time axis for the recurrent layer: `{spelled}`"


def flatten_merges_steps_label(steps) -> str:
    return f"flattens the {steps} steps together with each step's features"


def flatten_merges_steps_note(shape) -> str:
    return (f"the frame encoder gives {fmt_shape(shape)}, one map per step; a plain Flatten merges the steps into "
            "the features, so nothing is left for the recurrent layer to run over")


def parenthesise_factor(spelled: str) -> str:
    return f"put the factor in parentheses: `{spelled}`"


def conditional_label(value, test: str) -> str:
    return f"this is {value} whenever `{test}` is false"


def conditional_note(base: str, factor: str, test: str, value, received) -> str:
    return (f"`{base} * {factor} if {test} else {value}` reads as `({base} * {factor}) if {test} else {value}`: a "
            f"conditional binds looser than `*`, so the size is {value}, not {base} ({received})")


def all_but_last(spelled: str) -> str:
    return f"every recurrent layer but the last returns its sequence: `{spelled}`"


def setting_default_note(name: str, default, helper: str) -> str:
    return (f"this call of `{helper}` leaves `{name}` at its default {default}; the other calls may need that "
            "default, so the setting is passed here")


def square_the_side(spelled: str) -> str:
    return f"the formula counts one side of the grid; the grid has its square: `{spelled}`"


def rows_of_len_label(text: str) -> str:
    return f"`{text}` rows: one short of the ids counted from 1"


def write_the_name(name: str) -> str:
    return f"make the data with the size the model is declared with: `{name}`"


def literal_beside_name_label(size, name: str, declared) -> str:
    return f"written here as {size}; the model is declared with `{name}` ({declared})"


def literal_beside_name_note(name: str, declared, size) -> str:
    return (f"the file names this size `{name}` ({declared}) and declares the model with it; the data is made with "
            f"a literal {size} instead, so the two disagree")


def set_constant(name: str, value: str) -> str:
    return f"set the constant where it is defined: `{name} = {value}`"


def constant_label(name: str, value) -> str:
    return f"`{name}` is set to {value} here"


def keep_every_target_column(width) -> str:
    return f"keep all {width} target columns for the head's {width} outputs: drop the column index"


def target_column_cut_label(width) -> str:
    return f"one column kept of {width}"


def target_column_cut_note(head: str, width) -> str:
    return (f"`{head}` predicts {width} values per sample and the array the targets come from has {width} "
            "columns, but the targets keep only one of them: cutting the head to 1 output would drop the others")


def targets_all_columns_note(width, head: str) -> str:
    return (f"the targets hold all {width} columns of the data, as many as the input has features, while `{head}` "
            "forecasts one value: the targets were not cut to the column the model forecasts")


def one_target_column_label() -> str:
    return "one column kept as the target"


def targets_one_column_note(width, head: str) -> str:
    return (f"`{head}` forecasts {width} values, one per feature of the input series, while the targets hold one "
            "column: either the targets were cut to one column where they are made, or the head should forecast "
            "one series")


def keep_every_feature_target(width) -> str:
    return (f"keep every column where the targets are made (e.g. `data[i + look_back, :]`) if all {width} features "
            "are forecast, or give the head 1 output if only one series is")


def pick_target_column(width) -> str:
    return ("select the forecast column where the targets are made (e.g. `arr[start:, COLUMN]`), or give the head "
            f"{width} outputs if every feature is to be forecast")


def drop_axis_move(text: str, undone: str) -> str:
    return f"the axes were already in the layer's order: drop the move, `{text}` -> `{undone}`"


def axis_move_label(shape) -> str:
    return f"this moves the axes to {_s(shape)}"


def axis_move_note(kind: str, wanted) -> str:
    return (f"before this `{kind}` the tensor was {_s(wanted)}, the order the convolution reads; moving them back "
            "after it would leave two moves that cancel")


def make_targets_with_axis(call_text: str) -> str:
    return f"make the targets with the output's axis of 1 where they are made: `{call_text}`"


def recomputed_label(name: str, size: int) -> str:
    return f"computed again here, by another formula than `{name}`, which holds {size}"


def recomputed_note(name: str, line: int, expected: int, received: int) -> str:
    return (f"this size is worked out a second time, and the two formulas disagree: this one gives {expected}, while "
            f"`{name}` (line {line}) gives {received}, the size the tensor arriving here has")


def use_name(name: str) -> str:
    return f"use the size the model already holds: `{name}`"


def stack_on_axis(param: str, axis: int) -> str:
    return f"stack on the axis the code after it reads: `{param}={axis}`"


def stacked_on_label(axis: int, shape: tuple) -> str:
    return f"stacked on axis {axis}: {fmt_shape(shape)}"


def stacked_on_note(axis: int, shape: tuple, other: tuple, wanted: int) -> str:
    return (f"the stacked tensor {fmt_shape(shape)} is combined with {fmt_shape(other)}, which is laid out for the "
            f"stack on axis {wanted}: the layout was decided where the tensors were stacked, not where they meet")


def width_without_heads_label(width: int, param: str) -> str:
    return f"the width is set to {width} here, without `{param}`"


def width_without_heads_note(width: int, param: str, heads: int, count: int) -> str:
    return (f"the width {width} is set here, while `{param}` stays at its default {heads}, made for another width: "
            f"{width} does not split into {heads} heads. {count} heads keep the head width the defaults were made "
            f"with")


def config_entry_beside(param: str, value) -> str:
    return f"set it beside the width: `\"{param}\": {value}`"


def give_feature_axis(n: int) -> str:
    return f"give the {n} values their feature axis where they enter: `.unsqueeze(-1)`, ({n}, 1)"


def per_sample_values_label(n: int) -> str:
    return f"one value per sample: ({n},), without a feature axis"


def per_sample_values_note(kind: str, n: int) -> str:
    return (f"these are {n} values, one per sample of the batch; `{kind}` takes a 1-D tensor as a single sample of "
            f"{n} features, so it wants {n} inputs -- a layer sized by the batch. Each sample's value is one "
            f"feature: ({n}, 1)")


def size_like_producer(arg: str, text: str) -> str:
    return f"size it by what the layer before it outputs: `{arg}={text}`"


def producer_input_width_label(written: str) -> str:
    return f"`{written}` is the width going into the layer before, not coming out of it"


def producer_input_width_note(kind: str, text: str, size: int) -> str:
    return f"the `{kind}` before it outputs `{text}` = {size} features, and this layer reads that output"


def producer_output_label(size: int) -> str:
    return f"outputs {size}"


def flatten_embedding() -> str:
    return "flatten the embedding where it is made: `layers.Flatten()(...)`, one vector per id"


def adapt_on_fed_data(text: str) -> str:
    return f"adapt on the features the model reads: `adapt({text})`"


def adapted_label(size: int) -> str:
    return f"statistics learned here for {size} features"


def adapted_note(size: int, want: int) -> str:
    return (f"`adapt` learned a mean and variance for each of {size} features here, and the model gives the layer "
            f"{want}: the array it was adapted on is not the one it normalises (a label column left in?)")


def stages_label(n: int) -> str:
    return f"{n} entries: one downsampling stage each"


def stages_note(n: int, halvings) -> str:
    room = f"; the input can be halved {halvings} times" if halvings is not None else ""
    return (f"a stage ending in a pool is built for each of the {n} entries of this list{room}: the last stages "
            f"have nothing left to halve")


def fewer_stages(halvings) -> str:
    if halvings is None:
        return "build fewer stages, or feed a larger input"
    return f"keep at most {halvings} stages here (drop entries), or feed an input at least twice as large per extra stage"


def stage_built_here() -> str:
    return "one stage per entry"


def mask_with_heads_axis(spelling: str) -> str:
    return f"give the mask its heads axis where it is made: `{spelling}`"


def per_query_mask_made(shape) -> str:
    return f"the mask is made {_s(shape)} here: one (queries, keys) grid per sample, without a heads axis"


def per_query_mask_note() -> str:
    return ("the attention broadcasts its mask against scores (batch, heads, queries, keys): a (batch, queries, "
            "keys) mask lines its batch axis up with the heads -- it needs a size-1 heads axis after the batch")


def size_as_height_width_label() -> str:
    return "(height, width) by its names; PIL reads (width, height)"


def size_as_height_width_note(height, width) -> str:
    return (f"PIL's `resize` takes the size as (width, height), so the images come out {height} high and {width} "
            "wide -- transposed against everything laid out (height, width)")


def write_size_width_first(spelled: str) -> str:
    return f"give PIL the size as (width, height): `{spelled}`; do not transpose the prediction or the targets to match"


def tokens_branch_label(shape) -> str:
    return f"every token's vector: {_s(shape)}"


def tokens_branch_note(kind: str) -> str:
    return (f"this branch returns every token's vector from its `{kind}`, while the branch it is joined to gives one "
            "vector per sample: the tokens were meant to be pooled")


def pool_tokens_before_join(spelled: str) -> str:
    return (f"pool the tokens where the branch returns them: `{spelled}` (or a mean over the non-padded tokens, or the "
            "first token); flattening them into the features would tie the model to the padded length")


def state_batch_first_label() -> str:
    return "(batch, layers, hidden): batch_first does not apply to the states"


def state_batch_first_note(kind: str) -> str:
    return (f"`{kind}` takes its initial state as (num_layers * num_directions, batch, hidden) even with "
            "batch_first=True; the state was made with the batch first")


def state_layers_first_where_made(spelled: str) -> str:
    return f"make the state with the layers first where it is made: `{spelled}`"


def axes_moved_away_label(shape) -> str:
    return f"moves the axes to {_s(shape)}, away from the order the model takes"


def delete_axis_move(statement: str) -> str:
    return f"delete `{statement}`: the data was already in the order the model takes"


def view_per_sample_values(text: str) -> str:
    return f"give each sample's value axes of 1 after the batch: `{text}`"


def viewed_short_label(short, other) -> str:
    return f"one value per sample as {fmt_shape(tuple(short))}: it lines up with the last axes of {fmt_shape(tuple(other))}"


def viewed_short_note(short, other) -> str:
    return (f"broadcasting lines {fmt_shape(tuple(short))} up with the last axes of {fmt_shape(tuple(other))}, not "
            "with the batch: each sample's value needs an axis of 1 for every axis after the batch")


def output_shape_with_batch_label() -> str:
    return "`output_shape` holds the batch axis as well"


def output_shape_with_batch_note(declared, given) -> str:
    return (f"an input declared from a model's `output_shape` counts its batch axis twice: "
            f"{fmt_shape(tuple(declared))} for tensors {fmt_shape(tuple(given))}; declare the shape of one sample, "
            "without the batch axis")


def weight_over_last_axis(spelled: str) -> str:
    return f"size the weight by the last axis, `shape={spelled}`: one value per channel, broadcast everywhere else"


def weight_slice_label(shape) -> str:
    return f"the weight takes this slice of the input's shape: {fmt_shape(tuple(shape))}"


def weight_slice_note(weight, x) -> str:
    return (f"a weight of {fmt_shape(tuple(weight))} cannot multiply {fmt_shape(tuple(x))}: broadcasting lines it up "
            "with the last axes, so a per-channel weight must be sized by the last axis of the input")


def pass_training_columns(name: str, call: str) -> str:
    return f"make the new data with the columns the model was trained on, `{name}`, as in `{call}`"


def other_columns_label(name: str) -> str:
    return f"`{name}`: other columns than the training data was made with"


def other_columns_note(helper: str, mine: str, theirs: str) -> str:
    return (f"`{helper}` makes the training data from `{theirs}` and this data from `{mine}`: the model reads the "
            "columns it was trained on, and any other column (the label above all) is no feature of it")


def start_setting(old: str, new: str) -> str:
    return f"set the generator's start size from the image size: `{old}` -> `{new}`"


def start_setting_read_here() -> str:
    return "the start map is read from that setting here"


def pool_globally(text: str) -> str:
    return f"pool each map to one position whatever the image size: `{text}`"


def fixed_pool_label(shape) -> str:
    return f"a pool of a fixed size leaves {fmt_shape(tuple(shape))}, more than one position per map"


def fixed_pool_note(shape, kind: str) -> str:
    return (f"the pool was sized for the last map of the images the model was designed on; on these it leaves "
            f"{shape[2]}x{shape[3]} positions, and the `{kind}` that reads one vector of channels per sample cuts "
            "each sample into several rows. Widening the head to the extra positions, or repeating the labels, "
            "would keep the wrong rows")


def window_with_target(size: str) -> str:
    return f"cut windows one longer, to hold the target as well: `window({size} + 1, ...)` and `batch({size} + 1)`"


def window_without_target_label(size: str) -> str:
    return f"windows of `{size}` values, the target included"


def window_without_target_note(size: str, declared: int) -> str:
    return (f"each window holds `{size}` values and the last one is split off as the target, so the model, "
            f"declared for {declared} steps, gets {declared - 1}: the window must be one longer (declaring the model "
            "one step shorter would drop a step the design asks for)")


def unfold_views(text: str) -> str:
    return f"pool the views back to one row per sample where their features are made: `{text}`"


def views_not_unfolded_label(shape, samples: int) -> str:
    return f"one row per view, {fmt_shape(tuple(shape))}, never pooled back to the {samples} samples"


def views_folded_label() -> str:
    return "the views are folded into the batch here (right for the shared encoder)"


def views_not_unfolded_note(before, after) -> str:
    return (f"the views of each sample were folded into the batch, {fmt_shape(before)} -> {fmt_shape(after)}, so the "
            "encoder gives one row per view; joined with values of one row per sample, they must be pooled back "
            "(mean, max or attention over the views) first")


def item_already_stacked_label(item_shape) -> str:
    return f"each item is already a stack, {fmt_shape(tuple(item_shape))}"


def items_already_stacked_note(shape) -> str:
    return (f"the loader adds its batch axis on top of items that are stacks already: {fmt_shape(tuple(shape))}; "
            "fold the two leading axes into one batch (a layer for one more axis, or for the stack times the "
            "channels, would read the stack as depth or as colors)")


def volumes_into_slice_net_label(shape) -> str:
    return f"volumes {fmt_shape(tuple(shape))} into a 2-D network"


def volumes_into_slice_net_note(shape) -> str:
    return (f"a 2-D network reads slices, and {fmt_shape(tuple(shape))} holds a stack of {shape[2]} slices per "
            "sample behind the channels: move the depth next to the batch and fold it in, and the targets with "
            "it (a plain reshape would mix channels and slices; read the volumes whole with a 3-D network only "
            "if that is the design)")


def fold_stacked_items(statement: str) -> str:
    return f"fold each stack into the batch where it is unpacked: `{statement}`"


def add_grayscale_step(step: str) -> str:
    return f"convert the picture to one channel first: add `{step}` at the start of the transform"


def transform_keeps_colors_label() -> str:
    return "this transform keeps the picture's colors"


def color_picture_note(channels: int) -> str:
    return (f"the picture has {channels} color channels and the model takes one-channel images: the transform "
            "lacks a grayscale step (giving the first layer more channels would change the model, and its trained "
            "weights, for one picture; moving the batch axis would read the colors as separate pictures)")


def delete_axis_insertion(statement: str) -> str:
    return f"delete `{statement}`: the data already has that axis"


def spare_channel_axis_note(shape, base) -> str:
    return (f"without the inserted axis the data {fmt_shape(tuple(shape))} is a batch the first layer reads, "
            f"{fmt_shape(tuple(base))}: the axis was already there, so the insertion is the mistake (a layer for "
            "one more axis would read a wrong one)")


def drop_axis_move_in_chain(move: str) -> str:
    return f"take out `{move}`: the data was already in the order the model takes before it"


def class_map_unit_axis_label(shape) -> str:
    return f"class maps given an axis of size 1: {_s(shape)}"


def drop_unit_axis_of_class_map(text: str) -> str:
    return (f"make the class maps without the unit axis: `{text}` (CrossEntropyLoss takes (N, H, W) class ids; "
            "argmax over that axis would not do: these are ids, not one-hot rows)")


def flatten_in_rebuilt_backbone(flatten: str) -> str:
    return f"end the rebuilt backbone with `{flatten}`: the `torch.flatten(x, 1)` of its `forward` is not a module"


def children_without_flatten_label(shape) -> str:
    return f"the backbone's modules without its forward's flatten: gives {fmt_shape(tuple(shape))}"


def children_without_flatten_note() -> str:
    return ("`nn.Sequential(*children())` keeps a model's modules, not what its `forward` does between them: the "
            "flatten after the pooling is lost, and a Linear sized to 1 would run and never see the features together")


def squeeze_output_at_loss(spelled: str) -> str:
    return f"drop the output's unit axis where the loss is computed: `{spelled}`"


def unit_axis_output_label(shape) -> str:
    return f"{fmt_shape(tuple(shape))}: one column per sample"


def unit_axis_output_note(name: str, target_shape) -> str:
    return (f"the script reads `{name}` as one number per sample elsewhere, like the targets "
            f"{fmt_shape(tuple(target_shape))}: the output's unit axis is the one to drop here (giving each label an "
            "axis of its own would make the loss run and the other comparisons broadcast to (N, N))")


def drop_inserted_axis(base: str) -> str:
    return f"leave the data's axes as they are: `{base}` (it already has the axes the model was built for)"


def spare_axis_label(shape, axis: int) -> str:
    return f"axis {axis} of size 1 inserted here: {fmt_shape(tuple(shape))}"


def spare_axis_note(shape, declared) -> str:
    return (f"without the inserted axis the data {fmt_shape(tuple(shape))} is exactly the "
            f"{fmt_shape(tuple(declared))} the model was built for: the insertion is the mistake (declaring one more "
            "input axis would not make the layers read it)")


def project_joined_features(width_text: str, model_width: int) -> str:
    return (f"project the joined features to a width the heads divide before the attention: "
            f"`nn.Linear({width_text}, {model_width})` (and that width as the model's), or one head")


def joined_width_label(parts, width: int) -> str:
    return f"the model width is the joined features: {' + '.join(str(p) for p in parts)} = {width}"


def joined_width_note(width: int, heads: int) -> str:
    return (f"{width} features joined from several inputs are given to the attention as its model width, and "
            f"{heads} heads do not divide it; changing a feature width would not change the data, so the joined "
            "features need a projection to a width the heads divide")


def set_class_count(old: str, width: int) -> str:
    return f"count the classes the labels have where the count is written: `{old}` -> `{width}`"


def class_count_written_label(width: int) -> str:
    return f"the class count is written here; the labels need {width}"


def mask_for_shifted_target(spelled: str) -> str:
    return f"build the causal mask for the shifted target the decoder is fed: `{spelled}`"


def mask_before_shift_label(n: int) -> str:
    return f"the causal mask is sized {n} here: the target's length before the shift"


def mask_before_shift_note(n: int, length: int) -> str:
    return (f"the ({n}, {n}) causal mask was made from the whole target, while the decoder is fed the target shifted "
            f"for teacher forcing, {length} long; passing no mask would run and let each position see the future")


def head_literal_label(width: int) -> str:
    return f"{width} written as a number for the new head"


def head_literal_note(target: str) -> str:
    return (f"the head `{target}` replaces already knows the width the backbone gives: `{target}.in_features`; "
            "another number would be copied the same way")


def images_sized_for_model(old: tuple, new: tuple) -> str:
    return (f"make the images {_hw(new)}, the size the model reduces to one score per image (or add a stride-2 stage "
            f"to both networks for {_hw(old)})")


def images_sized_label(old: tuple) -> str:
    return f"images made {_hw(old)} here"


def images_sized_note(model: str, old: tuple, new: tuple) -> str:
    return (f"`{model}` gives one value per image for {_hw(new)} images (the generator's) but a map per image for "
            f"these {_hw(old)} ones: its layers are built for {_hw(new)}. Averaging the map or making the labels "
            "its shape would run and compare images of two sizes")


def _hw(sizes: tuple) -> str:
    return "x".join(str(s) for s in sizes)


def image_size_passed(names: list, size: int) -> str:
    settings = ", ".join(f"{n}={size}" for n in dict.fromkeys(names))
    return f"build the model for the images it is given: `{settings}`"


def image_size_label(names: list, old: int) -> str:
    return f"{' and '.join(f'`{n}`' for n in dict.fromkeys(names))} left at {old} here"


def image_size_note(names: list, old: int, size: int, written: int, actual: int) -> str:
    shown = " and ".join(f"`{n}`" for n in dict.fromkeys(names))
    return (f"the model computes its flatten size from {shown} ({old}): {written} per sample; the images are "
            f"{size} wide, which gives the {actual} it receives. The formula is right, the size it was told is not")


def return_output_width(out_name: str) -> str:
    return f"return the width the block makes: `{out_name}`"


def returns_input_width_label(in_name: str, value: int) -> str:
    return f"returns the width it was given (`{in_name}` = {value})"


def returns_input_width_note(fn: str, in_name: str, out_name: str, given: int, made: int) -> str:
    return (f"`{fn}` turns {given} channels into {made} (`{out_name}`) but returns `{in_name}` as the width for what "
            "comes next: every layer built from it expects the width before the block")


def branch_back_to_width(spelled: str) -> str:
    return f"bring the branch back to the width it adds to: `{spelled}`"


def branch_width_label(got: int, width: int) -> str:
    return f"ends the branch at {got}; the input it is added to is {width} wide"


def branch_width_note(kind: str, width: int) -> str:
    return (f"a residual adds a branch back to its own input, so the branch's last `{kind}` must give the input's "
            f"width ({width}); making the inner width equal to it or projecting the input would run and change the "
            "block")


def read_batch_axis(batch: int) -> str:
    return f"read the batch size from axis {batch}, where this RNN takes the batch"


def time_axis_read_label(axis: int, size: int) -> str:
    return f"reads axis {axis}, the time steps ({size}), as the batch size"


def time_axis_read_note(kind: str, time: int, batch: int) -> str:
    return (f"the `{kind}` takes the batch on axis {batch} and the time steps on axis {time}, so the initial state "
            f"sized from axis {time} has one entry per time step; transposing the input or changing `batch_first` "
            "would run and change the model")


def scale_by_name(name: str) -> str:
    return f"scale by `{name}`, the size the other map has"


def scale_literal_label(written: int, name: str, needed: int) -> str:
    return f"scales by {written}; `{name}` ({needed}) is the size it must reach"


def scale_literal_note(kind: str, written: int, name: str, needed: int) -> str:
    return (f"the `{kind}` factor {written} is written as a number while `{name}` ({needed}) names the size the "
            "other map has; zero-padding the small map, or making the images fit the number, would run and change "
            "the model")


def residual_width_choice(skip: int, branch: int) -> str:
    return (f"a residual sum needs both sides {skip} wide or both {branch} wide: if the block is meant to keep the "
            f"width, end the branch at {skip}; if it is meant to widen, project the skip to {branch} (a Linear / "
            f"Dense / 1x1 convolution from {skip} to {branch} on it)")


def residual_width_note(skip: int, branch: int) -> str:
    return (f"the branch ends {branch} wide and the input it is added to is {skip} wide; which of the two the block "
            "is meant to have is the author's design, so no edit is made")


def subpixel_channels(spelled: str) -> str:
    return f"give the convolution before the shuffle the square of the scale in channels: `{spelled}`"


def subpixel_label(channels: int, r: int) -> str:
    return f"{channels} channels: the scale once ({r}), not its square ({r * r})"


def subpixel_note(channels: int, r: int) -> str:
    return (f"`PixelShuffle({r})` turns C * {r * r} channels into C channels {r} times larger each way, so the "
            f"convolution before it must give {r * r} channels per output channel; {channels} is the scale once. "
            "A smaller shuffle or scale would run and make another output size")


def width_multiple_of_groups(width: int, groups: int, multiples: list) -> str:
    options = " or ".join(str(m) for m in multiples)
    return (f"write a width the {groups} groups divide here ({options}), or choose a number of groups that divides "
            "every width")


def width_not_multiple_label(width: int, groups: int) -> str:
    return f"{width} is not a multiple of the {groups} groups"


def width_not_multiple_note(width: int, groups: int) -> str:
    return (f"a grouped convolution splits its channels into {groups} equal groups, so its widths must be multiples "
            f"of {groups}; {width} was written here. `groups=1` would run and remove the grouped convolution")


def carry_the_width(made: str) -> str:
    return f"carry the width the block makes to the next one: `{made}`"


def carries_other_width_label(carried: str, made: str) -> str:
    return f"carries `{carried}` to the next block, which receives `{made}`"


def carries_other_width_note(carried: str, made: str) -> str:
    return (f"the loop builds each block from the running width and sets it for the next one; the block is built "
            f"to give `{made}`, but the loop carries `{carried}`, so the next block is built for a width it does "
            "not receive (the two agree only for some settings)")


def repeat_for_steps(steps: str) -> str:
    return (f"repeat the encoder's vector once per output step: insert `RepeatVector({steps})` before the decoder "
            "(the decoder then needs `return_sequences=True` to give every step)")


def repeat_for_steps_label(kind: str) -> str:
    return f"this `{kind}` gives one vector per sample; the decoder after it needs a sequence"


def repeat_for_steps_note(steps_in: int, steps_out: int) -> str:
    return (f"the labels have {steps_out} steps and the input {steps_in}: `return_sequences=True` here would hand "
            f"the decoder {steps_in} steps and the output would not match the labels")


def regroup_formula(text: str, regrouped: str) -> str:
    return (f"`{text}` groups its operators the other way (Python's precedence): write `{regrouped}`, which gives the "
            "size the layers compute")


def default_sizes_beside_attribute_note(param: str, attr: str, default: int, received: int) -> str:
    return (f"this call leaves `{param}` at its default, whose sizes ({default} here) were written for another "
            f"configuration; `{attr}` holds the sizes this model's layers give ({received} here). Changing the default "
            "would break the configuration it was written for")


def flatten_head_output(text: str) -> str:
    return f"flatten the head's output where the model makes it: `{text}.flatten(1)`, one row of values per sample"


def pooled_map_kept_label(shape) -> str:
    return f"gives {_s(shape)}: the pooled map's 1-sized axes are still there"


def pooled_map_kept_note(pred, target) -> str:
    return (f"the loss broadcasts {_s(pred)} against the targets {_s(target)} and compares every prediction with every "
            "sample's target. Giving the targets the map's axes would run, and keep a model output that is not one "
            "row per sample")


def count_the_list(written: str, spelled: str) -> str:
    return f"count the list instead of writing {written} by hand: `{spelled}`"


def count_by_hand_label(n: int) -> str:
    return f"{n} written by hand"


def count_by_hand_note(n: int, name: str, count: int) -> str:
    return (f"the data has one column per entry of `{name}` ({count}); the declaration says {n}. Declaring {count}, or "
            "cutting the data, would fix this run and break again when the list changes")

def pass_by_name(spelled: str) -> str:
    return f"pass the arguments by their parameters' names: `{spelled}`"


def argument_order_label(name: str, param: str) -> str:
    return f"`{name}` is passed where the signature takes `{param}`"


def argument_order_note(params: list, given: list) -> str:
    return (f"the signature takes ({', '.join(params)}) and this call passes ({', '.join(given)}) in that order: a "
            "name of one parameter is passed as another")


def permute_time_first(kind: str) -> str:
    return f"put time first for the `{kind}` (built without batch_first) and the loss: `.permute(2, 0, 1)`"


def batch_first_for_rnn_label(kind: str) -> str:
    return f"batch first, (N, W, C), for a `{kind}` that reads (W, N, C)"


def batch_first_for_rnn_note(kind: str) -> str:
    return (f"the `{kind}` is built without batch_first, so it reads the first axis of this (N, W, C) sequence as "
            "time and runs across the batch, mixing samples; CTC then gets batch-first log-probs. Transposing at "
            "the loss would run and keep the recurrence over the batch")


def reduce_other_axis(kind: str, axis: str) -> str:
    return f"reduce the other {'axes' if axis.startswith('(') else 'axis'}: `{kind}(dim={axis})`"


def reduced_axis_label(shape, axis) -> str:
    axes = f"axes {', '.join(str(a) for a in axis)}" if isinstance(axis, (list, tuple)) else f"axis {axis}"
    return f"reduces {axes} of {fmt_shape(tuple(shape))}"


def reduced_axis_note(kind: str, shape, reduced: int, kept: int) -> str:
    return (f"`{kind}` over axis {reduced} of {fmt_shape(tuple(shape))} takes away its {shape[reduced]} entries and "
            f"keeps the {shape[kept]} of axis {kept}, which the model cannot read: the axis written in the reduction "
            "is the mistake, not the model")


def default_setting_of_op_note(param: str, default: int, made: int, text: str, met: int) -> str:
    return (f"this call uses the default `{param}={default}`, which makes {made}; the tensor it meets was made "
            f"with `{param}={text}`, which makes {met}: pass the same setting here rather than change a default "
            "other callers rely on")


def stft_signal_rank() -> str:
    return "give stft one signal (L,) or a batch of them (B, L): fold the other axes into the batch first"


def stft_return_complex() -> str:
    return "pass `return_complex=True` (and take `.abs()` for magnitudes)"


def stft_window_length(n: int) -> str:
    return f"make the window {n} samples long, e.g. `torch.hann_window({n})`"


def stft_signal_too_short(n_fft: int) -> str:
    return f"use a signal longer than n_fft={n_fft} samples, or a smaller n_fft"


def use_fft_for_complex() -> str:
    return "use `torch.fft.fft` for complex values (or take `.real` first if the imaginary part is not meant)"


def slice_the_table(spelled: str) -> str:
    return f"take the positions the sequence has: `{spelled}`"


def table_not_sliced_label(rows: int, steps: int) -> str:
    return f"the whole table: {rows} positions for {steps} steps"


def table_not_sliced_note(rows: int, steps: int) -> str:
    return (f"the table holds {rows} positions, for the longest sequence the model takes; a sequence of {steps} steps "
            f"reads the first {steps}. Writing {steps} as the table's length would make the model take that one length "
            "only")


def retype_operator(text: str, retyped: str) -> str:
    return (f"one operator of `{text}` does not compute what the layers do; with the operator the formula uses beside "
            f"it: `{retyped}`")


def stale_per_sample_note(kind: str, before) -> str:
    return (f"the size given to `{kind}` was written for another input; each sample of {_s(before)} has the product of "
            "its axes. Keeping it and flattening with `x.size(0), -1` would leave the layer it also sizes wrong")


def steps_not_channels(n: int) -> str:
    return (f"make the {n} values the steps the layer slides over, one channel each: (samples, {n}, 1), in the data "
            "and in the declared input")


def one_step_label(n: int) -> str:
    return f"one step of {n} channels"


def one_step_note(kind: str, n: int) -> str:
    return (f"`{kind}` slides along the steps, and there is one; the {n} values sit on the channels axis. "
            "`padding=\"same\"` would run and convolve a single step")


def one_weight_per_class(n) -> str:
    return f"give one weight per class: a tensor of shape ({n},), the label matrix reduced over its samples (axis 0)"


def weight_sized_by_name(name: str) -> str:
    return f"size the weight's inner axis by the width it multiplies: `{name}`"


def weight_size_label(text: str, n: int) -> str:
    return f"`{text}` gives {n}"


def weight_size_note(name: str, n: int) -> str:
    return f"the vector it multiplies has `{name}` = {n} values, computed in `build` for this weight"


def key_padding_mask(spelled: str) -> str:
    return f"mask the padded keys, for every head and query: `{spelled}`"


def pairwise_mask_note() -> str:
    return ("the mask is the padding mask's outer product with itself: giving it a heads axis would run, but a padded "
            "query's whole row would be -inf, and its softmax NaN (NaN gradients for every weight)")


def sequence_as_state_label() -> str:
    return "the encoder's whole output: its sequence first, then its states"


def sequence_as_state_note() -> str:
    return ("with `return_sequences=True, return_state=True` a Keras RNN returns `[sequences, *states]`; passed on "
            "whole, the (batch, steps, units) sequence becomes the decoder's first state, and the cell fails. Widening "
            "the decoder or dropping `return_sequences` would change the model")


def pass_states_only(spelling: str) -> str:
    return f"pass the states only: `initial_state={spelling}`"


def spare_axis_before_join_label() -> str:
    return "an axis of size 1 inserted here: one axis too many for the join below"


def spare_axis_before_join_note(join: str) -> str:
    return (f"without this inserted axis the tensors reach `{join}` with the same number of axes and join as "
            "intended (the model then runs, for another batch size too)")


def drop_spare_axis(base: str) -> str:
    return f"take the inserted axis out: `{base}`"


def window_count_label() -> str:
    return "the number of windows: the last ones end past the series"


def window_count_note(end: str) -> str:
    return (f"each slice ends `{end}` after the window's start, so the last window that fits starts at `len - ({end})`;"
            " counting more windows cuts the last slices short at the end of the array, and they can no longer be "
            "stacked. Padding the series or trimming the list would run and hide it")


def count_full_windows(spelled: str) -> str:
    return f"count only the windows that end inside the series: `{spelled}`"


def lookup_oov_label(oov: int) -> str:
    return f"keeps {'index 0' if oov == 1 else f'the first {oov} indices'} for unknown names: the classes start at {oov}"


def lookup_oov_note(kind: str, classes: int) -> str:
    return (f"`{kind}` puts its out-of-vocabulary slot before the words (`num_oov_indices=1` by default), so the "
            f"{classes} classes become ids 1..{classes}, and the last one has no unit in a head of {classes}. A head "
            f"of {classes + 1} units would run and keep a class no sample has")


def lookup_without_oov(kind: str) -> str:
    return f"map the class names to 0..C-1: `{kind}(..., num_oov_indices=0)` (labels have no unknown names)"


def prediction_column_label(shape: str) -> str:
    return f"predictions {shape}: one column, not one value per sample"


def read_consumed_axis(spelled: str) -> str:
    return f"size it from the axis the layer reads: `{spelled}`"


def axis_read_label(name: str, axis: int, size: int) -> str:
    what = f"its {size} rows" if axis == 0 else f"its axis {axis}, {size}"
    return f"reads axis {axis} of `{name}`: {what}"


def add_time_axis_to_step(spelled: str) -> str:
    return f"give the step its time axis of one: `{spelled}`"


def step_without_time_label(shape: tuple) -> str:
    return f"one step of the batch, {shape}: no time axis"


def step_without_time_note(step: tuple, state: tuple, axis: int) -> str:
    return (f"the RNN reads a 2-D input {step} as one unbatched sequence of {step[0]} steps, so it wants a 2-D state, "
            f"but the state {state} is made for a batch of {step[0]}: the step is one time step of each sample and "
            f"needs a time axis of one (at {axis}); dropping the state's batch axis would run and share one sample's "
            "state across the batch")


def state_layers_as_rnn(spelled: str) -> str:
    return f"make the state with the RNN's layer count: `{spelled}`"


def state_layers_label(written: int, wanted: int) -> str:
    return f"{written} layer{'s' if written != 1 else ''} written here; the RNN has {wanted}"


def state_layers_note(written: int, layers: int, bidirectional: bool) -> str:
    count = f"num_layers * 2 = {layers * 2} (bidirectional)" if bidirectional else f"num_layers = {layers}"
    return (f"the initial state's first axis is one entry per layer and direction: the RNN is built with {count}, "
            f"but the state is made with {written}; building the RNN with fewer layers would change the model")


def count_targets_per_sample(spelled: str) -> str:
    return f"count the targets by the samples: `{spelled}`"


def targets_counted_label(name: str, axis: int, size: int) -> str:
    return f"counts the targets by axis {axis} of `{name}`: {size}"


def targets_counted_note(name: str, axis: int, size: int, rows: int) -> str:
    return (f"the loss takes one target per row of its input ({rows} rows, one per sample), but the targets were "
            f"counted by axis {axis} of `{name}` ({size}), not by its samples (axis 0); reading axis 0 keeps them right "
            "at any batch size, where writing a number would fit one batch only")


def axis_read_note(name: str, shape: tuple, read: int, consumed: int, size: int) -> str:
    rows = " (one per sample, or per node: a count that changes with the data)" if read == 0 else ""
    return (f"`{name}` is {shape}: the layer was built with the size of axis {read}{rows}, but it reads axis "
            f"{consumed}, {size} values per row. Reading axis {consumed} keeps the layer right for any number of "
            f"rows; writing {size} by hand would hide where the size comes from, and transposing `{name}` would bend "
            "the data to the layer")


def weight_literal_label(value: int, name: str) -> str:
    return f"{value} written by hand; this size is `{name}`"


def weight_literal_note(n: int, name: str, wanted: int) -> str:
    return (f"the weight is made with {n} written by hand where the module names the size `{name}` ({wanted}), the "
            f"size the data has on the axis the product reads. Writing the name keeps the weight right when "
            f"`{name}` changes; cutting the data to {n}, or writing {wanted}, would fix this run only")


def keep_prediction_column(kept: str) -> str:
    return f"keep the prediction as the (N, 1) column the targets are: `{kept}`, without the squeeze"


def squeezed_prediction_label(n) -> str:
    return f"squeezed to ({n},) here, while the targets stay ({n}, 1)"


def squeezed_prediction_note(n) -> str:
    return (f"the predictions are squeezed to ({n},) but the targets they are compared with are ({n}, 1) columns, "
            f"so each difference is ({n}, {n}). Dropping the squeeze keeps predictions and targets in one layout "
            "wherever they meet; squeezing the targets at one place would leave the other uses broadcasting")


def flatten_before_dense(spelled: str) -> str:
    return f"flatten the feature map before the first Dense of the branch: `{spelled}`"


def dense_on_map_label(shape) -> str:
    return f"this Dense runs on every position of the {shape} feature map"


def dense_on_map_note() -> str:
    return ("a Dense layer given a feature map acts on each pixel's channels separately, so the branch ends with a "
            "map, not a vector, and cannot be joined to the other inputs. The Flatten belongs before the first Dense; "
            "flattening at the join would keep the Dense layers working pixel by pixel")


def head_counts_other_list_label(text: str, width: int) -> str:
    return f"`{text}` counts another list: the targets have {width} columns"


def count_the_targets_list(written: str, spelled: str) -> str:
    return f"count the list the targets are made of, not `{written}`: `{spelled}`"


def output_planes(new: str) -> str:
    return f"give the model's last convolution the targets' planes: `{new}`"


def output_planes_label(planes: int) -> str:
    return f"makes one output plane; the targets and the input images have {planes}"


def output_planes_note(planes: int) -> str:
    return (f"the model reads images of {planes} planes and is compared with targets of {planes}, but its last "
            "convolution makes one: the loss broadcasts that plane over all of them. Making the targets one plane "
            "would throw the colour away")


def state_rows(spelled: str) -> str:
    return f"give the learned state one row per layer and direction: `{spelled}`"


def state_rows_label(n: int, want: int) -> str:
    return f"{n} row written here; the recurrent layer needs {want}"


def state_rows_note(kind: str, want: int) -> str:
    return (f"an initial state of `{kind}` has one row per layer and direction ({want} here), and the parameter was "
            "made with a number written for one layer. Writing the layer's own settings keeps the state right "
            "when they change")


def one_hot_ids(spelled: str) -> str:
    return f"join the ids one-hot, as the model's width expects: `{spelled}`"


def ids_for_one_hot_label(k: int) -> str:
    return f"class ids below {k}, joined as one column"


def ids_for_one_hot_note(features: int, k: int, width: int) -> str:
    return (f"the model takes {width} features: the {features} beside the ids and one per id value ({k}), so the ids "
            f"are meant one-hot. Giving them an axis would join one column ({features + 1} features), and resizing "
            "the model to that would treat the id as a number")


def pool_before_head(spelled, pooled: bool = False) -> str:
    if spelled and pooled:
        return f"flatten the pooled map before the head, one vector per image: `{spelled}`"
    if spelled:
        return f"pool the feature map before the head, one vector per image: `{spelled}`"
    return "pool the feature map before the head, one vector per image (`x.mean((2, 3))` or `nn.AdaptiveAvgPool2d(1)` " \
           "and `nn.Flatten()`)"


def head_on_map_label(shape) -> str:
    return f"a head on the feature map {fmt_shape(tuple(shape))}"


def head_on_map_note(channels: int) -> str:
    return (f"the head is built for the {channels} channels of a feature map that still has its spatial axes: a "
            "global pooling gives one vector of them per image; moving the channels last would classify every "
            "pixel, and resizing the layer would read one column of the image")


def keep_backbone_pooling(flatten: str) -> str:
    return f"keep the backbone's pooling, `[:-1]`, and end the rebuilt backbone with `{flatten}`"


def children_cut_label(shape) -> str:
    return f"the cut drops the global pooling: gives {fmt_shape(tuple(shape))}"


def children_cut_note() -> str:
    return ("`[:-2]` keeps the trunk without its global pooling, so the features are a map per image; `[:-1]` keeps "
            "the pooling, and the flatten that the model's `forward` did after it is not a module, so it is added")


def targets_widened_label(n, width) -> str:
    return f"({n}, 1) meets ({n}, {width}) here: the targets become {width} per sample"


def targets_widened_note(width) -> str:
    return (f"the targets are computed: a term with one value per sample is broadcast against a term of {width}, so "
            f"they have {width} values per sample; giving the head {width} outputs would fit that broadcast")


def targets_widened_help(width) -> str:
    return (f"reduce the {width}-wide term to one value per sample where it is made (a log-probability over the "
            f"action dimensions: `.sum(-1, keepdim=True)`), so the targets keep the head's one value per sample")


def wide_term_label(width) -> str:
    return f"{width} values per sample made here"


def sum_log_prob_title() -> str:
    return "sum the log-probability over its dimensions where it is made (`.sum(-1, keepdim=True)`)"


def parallel_branch_width(spelled: str) -> str:
    return f"give this branch the width of the one it is added to: `{spelled}`"


def parallel_branch_label(got: int, width: int) -> str:
    return f"makes this branch {got} wide; the branch it is added to is {width} wide"


def parallel_branch_note(kind: str, width: int) -> str:
    return (f"both sides of the sum are computed from the same input, so one of them was given the wrong width; "
            f"this `{kind}` at {width} keeps the layers after the sum working (resizing the other side does not)")


def target_dtype_given(dtype: str) -> str:
    return f"make the targets {dtype} where they are converted: `dtype={dtype}`"


def pooled_wrong_axes_note(kind: str, shape, keep: int, size: int) -> str:
    return (f"`{kind}` takes away axis {keep} of {fmt_shape(tuple(shape))}, the {size} values the layer after it is "
            f"built for, and keeps others: pool the other axes and keep axis {keep} (resizing the layer would fit "
            "one input size only)")


def eval_before_inference(model: str) -> str:
    return f"put the model in evaluation mode before predicting: `{model}.eval()`"


def inference_block_label() -> str:
    return "a prediction, with the model still in training mode"


def eval_before_inference_note() -> str:
    return ("a batch of one is right for a prediction; in training mode BatchNorm normalises with the batch's own "
            "statistics, and one sample has none: in evaluation mode it uses its running statistics (a larger batch "
            "would run and normalise the image with made-up neighbours)")


def default_to(param: str, value: str) -> str:
    return f"give `{param}` the model's size by default: `{param}={value}`"


def data_default_note(param: str, default: int, declared: int) -> str:
    return (f"the data's size comes from the default `{param}={default}` of the function that made it, while the "
            f"model is declared for {declared}: the default is the number written wrong (declaring the input at "
            f"{default} would run and lose what lies beyond it)")


def same_padding_for_even_kernel() -> str:
    return 'keep the length for every kernel size: `padding="same"` (stride 1)'


def padding_not_keeping_label(kernel) -> str:
    k = tuple(kernel) if kernel and len(kernel) > 1 else (kernel[0] if kernel else "?")
    return f"padding meant to keep the length, with kernel {k}: it does not"


def padding_not_keeping_note() -> str:
    return ("padding by half the kernel keeps the length only for an odd kernel (an even one gets one position too "
            "many), and a padding written for another kernel changes it: the join needs every map the same length, "
            "which `padding=\"same\"` gives for any kernel (cropping or padding the maps would run for one kernel or "
            "one input size only)")


def reduced_samples_note(kind: str, shape, reduced: int) -> str:
    return (f"`{kind}` over axis {reduced} of {fmt_shape(tuple(shape))} averages the {shape[reduced]} samples away and "
            f"keeps the {shape[0]} entries of axis 0 (the stacked predictions): average those instead, one row per "
            "sample remains")


def transpose_topk_indices(name: str) -> str:
    return f"put one row per rank before comparing with the labels: `{name} = {name}.t()`"


def topk_indices_label(shape) -> str:
    return f"the top-k indices come out {fmt_shape(tuple(shape))}: one row per sample"


def topk_indices_note(shape) -> str:
    return (f"`topk` gives the indices {fmt_shape(tuple(shape))}, one row per sample; the labels viewed as (1, N) are "
            "compared with one row per rank, (k, N), so the indices are transposed first -- and `correct[:k]` then "
            "takes the first k ranks, not the first k samples")


def declare_as_fed(spelled: str) -> str:
    return f"declare the input as one sample of the data the model is given: `{spelled}`"


def declared_unlike_label(declared) -> str:
    return f"declared as {fmt_shape(tuple(declared))} per sample"


def declared_unlike_note(declared, per_sample) -> str:
    return (f"every dataset the model is given has samples of {fmt_shape(tuple(per_sample))}, while the model is "
            f"declared for {fmt_shape(tuple(declared))}: the declaration is what was written wrong (reshaping inside "
            "the model would build a model the data never meets)")


def depthwise_groups(text: str) -> str:
    return f"group a depthwise convolution by its input channels: `groups={text}`"


def depthwise_groups_label(out: int) -> str:
    return f"grouped by the output width ({out})"


def depthwise_groups_note(cin: int, cout: int) -> str:
    return (f"a depthwise convolution with a channel multiplier has one group per input channel, each making "
            f"{cout // cin} of the {cout} maps: groups={cin}, not the output width (groups=1 would run and make it a "
            "full convolution)")


def root_cause_not_weighed(error: Exception) -> str:
    return (f"one explanation of this mismatch could not be weighed (internal error: {type(error).__name__}), so the "
            "diagnosis may stop where the mistake surfaces; SHAPELINT_DEBUG=1 shows why -- please report it")


def declared_from_entry_label() -> str:
    return "declared from that entry"


def moved_before_the_model_note(moved_by: str) -> str:
    return (f"`{moved_by}` moves the data's axes just before the model, and the model reads them in the order they "
            "had: without it the error goes away")


def map_branch_label(shape) -> str:
    return f"a whole feature map per sample: {_s(shape)}"


def map_branch_note(kind: str) -> str:
    return (f"this branch returns the feature map of its `{kind}`, while the branch it is joined to gives one vector "
            "per sample: the map was meant to be pooled over its height and width")


def pool_map_before_join(spelled: str) -> str:
    return (f"pool the map over its height and width where the branch returns it: `{spelled}` (or an "
            "`nn.AdaptiveAvgPool2d(1)` and a flatten); flattening the map into the features would tie the head to one "
            "image size")


def build_from_axis(spelled: str) -> str:
    return f"size the weight from the axis `call()` multiplies it over: `{spelled}`"


def build_reads_moved_axis_note(meets: int, axis: int) -> str:
    return (f"`call()` moves the input's axes before the product, so the weight meets {meets} values, axis {axis} of "
            "the input `build()` is given -- not the axis it reads")


def output_size_plus_one(spelled: str) -> str:
    return f"count the first position too: `{spelled}` (an output size is floor((n - f + 2p) / s) + 1)"


def output_size_one_short_label() -> str:
    return "one position short: the formula leaves out its `+ 1`"


def output_size_one_short_note(count: int) -> str:
    return (f"with one more position on each of the {count} sizes this formula gives, the view takes exactly the "
            "values the tensor has")


def join_on_the_features(param: str, spelled: str) -> str:
    return f"join them on the features, the last axis (`{param}={spelled}`), so each sample keeps one row"


def joined_on_the_batch_label(shape, n: int) -> str:
    return f"joins {n} tensors of {fmt_shape(shape)} on the batch axis: each sample's parts become rows of their own"


def joined_on_the_batch_note(expected: int, widths: list) -> str:
    return (f"the next layer is sized for the features joined ({' + '.join(str(w) for w in widths)} = {expected}); "
            "joined on axis 0 the samples are stacked instead, and there are more rows than samples")


def per_channel_values_title() -> str:
    return "give the per-channel values the image's trailing axes where they are made: `.view(-1, 1, 1)`"


def per_channel_values_label(short, full) -> str:
    return f"{fmt_shape(short)}: one value per channel of {fmt_shape(full)}"


def per_channel_values_used_label() -> str:
    return "meets the images here, lined up with their width"


def per_channel_values_note(short, full) -> str:
    return (f"broadcasting lines the axes up from the last one, so the {short[0]} per-channel values meet the width "
            f"of {fmt_shape(full)}, not its channels (axis 1); shaped (C, 1, 1) they scale each channel's plane")
