"""Remedies of the PyTorch rules (rules/torch), one section per rule family."""
from __future__ import annotations


# -- torch shared (_common) --------------------------------------------------------------------------------------------
def use_axis_in_range(low, high) -> str:
    return f"use an axis in [{low}, {high}]"


def reshape_to_expected_rank() -> str:
    return "reshape the input to the expected rank"


# -- torch linear ------------------------------------------------------------------------------------------------------
def pass_feature_count(name) -> str:
    return f"pass the number of features as `{name}`"


def give_input_an_axis() -> str:
    return "give the input at least one axis"


def call_from_forward(kind, inputs) -> str:
    return (f"call `{kind}` from a module's forward() with all of {inputs}; "
            "nn.Sequential passes a single tensor")


def give_inputs_same_batch_dims() -> str:
    return "give both inputs the same batch dimensions"


# -- torch conv --------------------------------------------------------------------------------------------------------
def permute_input(order) -> str:
    return f"permute the input: x.permute{order}"


def feed_non_empty_spatial_input() -> str:
    return "feed a non-empty input (only the batch or channel axis may be 0)"


def reduce_padding_or_feed_larger_input() -> str:
    return "reduce `padding` or feed a larger input"


def reduce_padding_or_use_zeros_mode() -> str:
    return "reduce `padding` or use padding_mode='zeros'"


def use_smaller_kernel() -> str:
    return "use a smaller kernel, add padding, or feed a larger input"


def pass_positive_groups() -> str:
    return "pass a positive `groups`"


def pass_positive_conv_stride() -> str:
    return "pass a positive `stride`"


def pass_padding_int_or_tuple() -> str:
    return "pass an int or a tuple of ints as `padding`"


def use_valid_torch_padding() -> str:
    return "use padding='same', padding='valid' or an int"


def pass_non_negative_padding() -> str:
    return "pass a non-negative `padding`"


def use_padding_mode_zeros() -> str:
    return "use padding_mode='zeros'"


def remove_padding_mode() -> str:
    return "remove `padding_mode`"


def choose_groups_dividing_input_channels() -> str:
    return "choose `groups` that divides the input channels"


def make_output_padding_smaller_than_stride() -> str:
    return "make `output_padding` smaller than `stride`"


def choose_groups_dividing_in_channels() -> str:
    return "choose `groups` that divides in_channels"


def choose_groups_dividing_out_channels_arg() -> str:
    return "choose `groups` that divides out_channels"


# -- torch pooling -----------------------------------------------------------------------------------------------------
def pass_int_kernel_size() -> str:
    return "pass `kernel_size` as an int"


def pass_positive_kernel_size() -> str:
    return "pass a positive `kernel_size`"


def pass_positive_stride() -> str:
    return "pass a positive `stride` (or leave it out: it defaults to the kernel size)"


def pass_positive_dilation() -> str:
    return "pass a positive `dilation`"


def use_padding_at_most_half_kernel(limit) -> str:
    return f"use padding <= {limit}, or a larger kernel"


def use_smaller_kernel_or_larger_input() -> str:
    return "use a smaller kernel, or feed a larger input"


def pass_int_output_size() -> str:
    return "pass an int `output_size`"


def pass_output_size_int_or_tuple(n) -> str:
    return f"pass `output_size` as an int or a tuple of {n} values"


def pass_non_negative_output_size() -> str:
    return "pass a non-negative `output_size`"


def feed_non_empty_input() -> str:
    return "feed a non-empty input"


def remove_or_fix_divisor_override() -> str:
    return "remove `divisor_override` or pass a non-zero value"


def pass_output_size_or_ratio() -> str:
    return "pass `output_size` or `output_ratio`"


def remove_one_of_them() -> str:
    return "remove one of them"


def pass_ratio_between_0_and_1() -> str:
    return "pass a ratio between 0 and 1"


def use_smaller_kernel_or_output_size() -> str:
    return "use a smaller kernel or output size"


def pass_output_size_tuple(n) -> str:
    return f"pass `output_size` as a tuple of {n} sizes (or x.size() of the pooled input)"


def pass_spatial_sizes(n) -> str:
    return f"pass the {n} spatial sizes, or the full size of the tensor that was pooled"


def feed_pooled_tensor() -> str:
    return "feed the pooled tensor (N, C, *spatial) that MaxPool returned"


def pass_maxpool_indices() -> str:
    return "pass the indices MaxPool returned for this tensor (return_indices=True)"


def pass_int64_maxpool_indices() -> str:
    return "pass the int64 indices MaxPool returned (return_indices=True), or indices.long()"


def pass_size_before_pooling() -> str:
    return "pass the size of the tensor before pooling (x.size()), or leave output_size out"


def match_unpool_padding() -> str:
    return "use a smaller padding or a larger kernel, matching the MaxPool it undoes"


# -- torch normalization -----------------------------------------------------------------------------------------------
def pass_positive(name) -> str:
    return f"pass a positive `{name}`"


def add_batch_axis_for_syncbatchnorm() -> str:
    return "SyncBatchNorm normalises axis 1 of (N, C, *); add a batch axis (x.unsqueeze(0))"


def put_channels_on_axis_1() -> str:
    return "feed a tensor with channels on axis 1"


def use_batchnorm2d_for_images() -> str:
    return "BatchNorm1d normalises axis 1 of (N, C) or (N, C, L); use BatchNorm2d for images"


def use_larger_batch_or_eval() -> str:
    return "use a batch of more than one sample, or call model.eval() before running it"


def normalise_larger_feature_map() -> str:
    return "normalise a larger feature map, or use another normalisation here"


def feed_larger_feature_map_or_eval() -> str:
    return "feed a larger feature map, or call model.eval() before running it"


def pass_trailing_dims(name) -> str:
    return f"pass `{name}` as the trailing dims of the input"


def set_argument(name, value) -> str:
    return f"set `{name}` to {value}"


def add_batch_axis_unsqueeze() -> str:
    return "add a batch axis (x.unsqueeze(0))"


def choose_dividing_num_groups(channels) -> str:
    return f"choose `num_groups` that divides {channels}"


def use_fewer_groups_or_larger_input() -> str:
    return "use fewer groups or a larger input"


def add_batch_channel_axes() -> str:
    return "add batch and channel axes"


def use_batchnorm_for_rank(n) -> str:
    return f"use BatchNorm{n}d for this input"


def reshape_input() -> str:
    return "reshape the input"


# -- torch activation --------------------------------------------------------------------------------------------------
def use_valid_gelu_approximate() -> str:
    return "use approximate='none' or 'tanh'"


def swap_min_max_val() -> str:
    return "swap `min_val` and `max_val`"


def use_softmax_with_dim() -> str:
    return "softmax over channels needs image-shaped input; use nn.Softmax(dim=...) otherwise"


def give_glu_an_axis() -> str:
    return "GLU halves an axis; give it a tensor with at least one axis"


def give_even_size_for_glu() -> str:
    return "give the previous layer an even number of outputs on that axis"


def give_prelu_channel_axis() -> str:
    return "PReLU with several parameters needs a channel axis"


# -- torch dropout -----------------------------------------------------------------------------------------------------
def pass_probability_between_0_and_1() -> str:
    return "pass a probability between 0 and 1"


def use_dropout_for_other_ranks() -> str:
    return "use nn.Dropout for other ranks"


def use_dropout_for_1d() -> str:
    return "use nn.Dropout for 1-D inputs"


def use_dropout_for_0d() -> str:
    return "use nn.Dropout for 0-D inputs"


# -- torch recurrent ---------------------------------------------------------------------------------------------------
def feed_a_time_step() -> str:
    return "feed at least one time step"


def give_state_layers_first() -> str:
    return ("give the state as (num_layers * num_directions, batch, hidden_size); "
            "undo any permute to batch-first")


def lstm_state_is_a_pair_detail(h: str, c: str) -> str:
    return f"an LSTM's initial state is a tuple `(h_0, c_0)` of two tensors {h} and {c}, not one tensor"


def rnn_state_is_one_tensor_detail(kind: str, h: str) -> str:
    return f"a `{kind}`'s initial state is one tensor h_0 {h}, not a tuple (only an LSTM takes `(h_0, c_0)`)"


def give_rnn_one_state(kind: str) -> str:
    return f"pass the `{kind}` its hidden state alone: one tensor (num_layers * num_directions, batch, hidden_size)"


def give_lstm_state_pair() -> str:
    return ("pass the state as a tuple `(h_0, c_0)`, each (num_layers * num_directions, batch, hidden_size), "
            "or `None` for zeros")


def loop_over_time_steps() -> str:
    return ("a cell takes one time step; "
            "loop over the sequence, or use the full recurrent module")


def give_rnn_a_sequence(kind) -> str:
    return "nn.%s takes a sequence: give it (batch, seq, features) with batch_first=True" % kind


def pass_input_size() -> str:
    return "pass the feature count"


def pass_positive_hidden_size() -> str:
    return "pass a positive `hidden_size`"


def pass_positive_num_layers() -> str:
    return "pass a positive `num_layers`"


def pass_dropout_probability() -> str:
    return "pass a probability"


def remove_proj_size() -> str:
    return "remove `proj_size`"


def use_smaller_proj_size() -> str:
    return "use a smaller `proj_size`"


def use_tanh_or_relu() -> str:
    return "use 'tanh' or 'relu'"


def check_sizes() -> str:
    return "check the sizes"


# -- torch transformer -------------------------------------------------------------------------------------------------
def pass_positive_sizes() -> str:
    return "pass positive sizes"


def choose_dividing(name, embed_dim) -> str:
    return f"choose `{name}` that divides {embed_dim}"


def use_batch_seq_features_layout() -> str:
    return "give the sequence a (batch, seq, features) layout"


def give_tgt_memory_same_layout() -> str:
    return "give tgt and memory the same layout"


def feed_tgt_memory_same_batch() -> str:
    return "feed tgt and memory with the same batch size"


def feed_src_tgt_same_batch() -> str:
    return "feed src and tgt with the same batch size"


def give_qkv_same_layout() -> str:
    return "give query, key and value the same layout"


def pass_key_value_same_length() -> str:
    return "pass key and value of the same length"


# -- torch embedding ---------------------------------------------------------------------------------------------------
def pass_vocabulary_and_vector_size() -> str:
    return "pass the vocabulary size and the vector size"


def use_padding_idx_in_range(low, high) -> str:
    return f"use a padding_idx in [{low}, {high}]"


def feed_integer_token_ids() -> str:
    return ("feed integer token ids (torch.long), e.g. x.long(), or use nn.Linear for "
            "real-valued features")


def use_valid_bag_mode() -> str:
    return "use mode='mean', 'sum' or 'max'"


def flatten_bags() -> str:
    return "flatten the bags to (B, L), or pass 1-D indices with offsets"


def drop_offsets_for_2d_input() -> str:
    return "drop `offsets` for 2-D input"


def pass_offsets_for_1d_input() -> str:
    return "pass offsets with 1-D input, or give the input a (B, L) shape"


# -- torch padding -----------------------------------------------------------------------------------------------------
def give_pad_pairs() -> str:
    return "give a (left, right) pair per axis"


def pad_at_most_rank_axes(rank) -> str:
    return f"pad at most {rank} axes of this tensor"


def add_axes_or_pad_fewer() -> str:
    return "add batch/channel axes, or pad fewer axes"


def use_valid_pad_mode() -> str:
    return "use 'constant', 'reflect', 'replicate' or 'circular'"


def use_padding_below_size(size) -> str:
    return f"use padding below {size}, or nn.ReplicationPad / zero padding"


def use_padding_at_most(size) -> str:
    return f"use padding of at most {size}"


def use_smaller_negative_padding() -> str:
    return "use a smaller negative padding"


# -- torch reshape -----------------------------------------------------------------------------------------------------
def swap_start_end_dim() -> str:
    return "swap `start_dim` and `end_dim`"


def unflatten_tensor_with_axes() -> str:
    return "unflatten a tensor with at least one axis"


def use_single_minus_one() -> str:
    return "use a single -1 for the size to infer"


def choose_sizes_with_product(size) -> str:
    return f"choose sizes whose product is {size}"


def give_input_chw_axes() -> str:
    return "give the input channel, height and width axes"


def give_channel_multiple(factor) -> str:
    return f"give the previous layer a multiple of {factor} output channels"


def feed_height_width_multiple(factor) -> str:
    return f"feed an input whose height and width are multiples of {factor}"


def choose_dividing_groups(channels) -> str:
    return f"choose `groups` that divides {channels}"


def add_axes_for_interpolation() -> str:
    return "add batch and channel axes: interpolation needs (N, C, *spatial)"


def choose_mode_for_rank() -> str:
    return "choose a mode that fits the input rank"


def remove_align_corners() -> str:
    return "remove `align_corners`"


def pass_size_or_scale_factor_not_both() -> str:
    return "pass either `size` or `scale_factor`"


def pass_output_sizes(n) -> str:
    return f"pass {n} output sizes"


def pass_scale_factors(n) -> str:
    return f"pass {n} scale factors"


def pass_size_or_scale_factor() -> str:
    return "pass `size` or `scale_factor`"


def use_larger_size_or_scale() -> str:
    return "use a larger size or scale factor"


def give_input_channel_image_axes() -> str:
    return "give the input channel and image axes"


def fold_unfold_output() -> str:
    return "fold the output of nn.Unfold"


def fold_with_unfold_kernel_size() -> str:
    return "fold with the kernel_size that unfolded it"


def fold_into_unfolded_size() -> str:
    return "fold into the output_size that was unfolded"


def use_one_of(options) -> str:
    return "use one of " + ", ".join(options)


# -- torch loss --------------------------------------------------------------------------------------------------------
def pass_class_scores_first() -> str:
    return "pass the model's class scores (N, C) as the first argument"


def convert_one_hot_targets() -> str:
    return ("a target of the input's shape holds class probabilities: convert one-hot "
            "targets to class ids with `target.argmax(dim=1)`, or to float with "
            "`target.float()`")


def move_classes_to_axis_1(loss, scores, order, classes) -> str:
    return (f"`{loss}` takes the classes on axis 1, (N, C, ...), but the scores {scores} "
            f"have them last: pass `output.permute{order}` (or flatten both: "
            f"`output.reshape(-1, {classes})` and `target.reshape(-1)`)")


def pass_this_batch_targets() -> str:
    return "pass the targets of this batch (the input and target batch sizes differ)"


def give_target_shape(shape) -> str:
    return f"give the target the shape {shape}"


def convert_targets_to_long() -> str:
    return "convert the targets to class indices with `target.long()`"


def convert_targets_to_float() -> str:
    return "convert the targets with `target.float()`"


def use_cross_entropy_for_class_ids() -> str:
    return "binary losses need targets in [0, 1]: use `nn.CrossEntropyLoss` for class ids"


def distributions_over_other_classes(given: int, wanted: int) -> str:
    # a distillation target is a teacher's output: reshaping it would pair classes that are not the same classes
    return (f"the input is over {given} classes and the target distribution over {wanted}: both must be over the same "
            "classes -- size the head of the model that disagrees with the labels (a teacher built for another "
            "dataset), do not reshape or slice the target")


def pool_positions_for_one_label(scores, extra: int) -> str:
    # (N, C, L) scores with one id per sample: a missing pooling step (a ViT's tokens, a sequence's steps) far more
    # often than labels missing a per-position axis
    axes = "an axis" if extra == 1 else f"{extra} axes"
    return (f"the targets are one class id per sample, but the input {scores} still has {axes} besides the "
            "samples and the classes: if one prediction per sample is meant, reduce them in the model (the first "
            "token, or a mean over the positions) before the loss; give the targets one id per position only if "
            "every position has its own label")


def give_target_input_shape(scores) -> str:
    return f"give the target the input's shape {scores}"


def same_sizes_other_order(scores, target) -> str:
    return (f"the prediction {scores} and the target {target} hold the same sizes in another order: find where one "
            "of them was laid out differently (a transpose, a resize given as (width, height)) and fix it there -- "
            "transposing one of them at the loss hides a misread image")


def give_one_output_per_class(classes) -> str:
    return f"give the last layer {classes} outputs (one per class)"


def use_class_ids_from_0() -> str:
    return "use class ids from 0"


# -- torch functional --------------------------------------------------------------------------------------------------
def pass_nd_weight(rank) -> str:
    return f"pass a {rank}-D weight"


def use_valid_conv_padding() -> str:
    return "use 'same', 'valid' or integers"


def use_explicit_integer_padding() -> str:
    return "use an explicit integer padding with stride > 1"


def choose_groups_dividing_out_channels() -> str:
    return "choose `groups` that divides the output channels"


def match_weight_to_input_features() -> str:
    return "the weight's second axis must equal the input's last axis"


def give_query_key_same_embedding() -> str:
    return "give query and key the same last (embedding) size"


# -- torch tensor_ops --------------------------------------------------------------------------------------------------
def use_one_minus_one() -> str:
    return "use -1 for at most one dimension"


def use_non_negative_sizes() -> str:
    return "use non-negative sizes and at most one -1"


def list_all_axes_example(rank, order) -> str:
    return f"list all {rank} axes, e.g. x.permute({order})"


def list_all_axes(rank) -> str:
    return f"list all {rank} axes of the input in `permute`"


def name_every_axis_exactly() -> str:
    return "name every axis exactly once"


def match_destinations_to_sources() -> str:
    return "list as many destinations as sources"


def use_transpose_or_permute() -> str:
    return "use x.transpose(dim0, dim1) or x.permute(...) for tensors with more than 2 axes"


def list_axis_once() -> str:
    return "list each axis once"


def pick_smaller_k() -> str:
    return "pick k no larger than the size of that dim, or take topk along another dim"


def give_tensor_per_term() -> str:
    return "give one tensor per comma-separated term of the equation"


def move_axes_not_view(kind: str, perm: tuple) -> str:
    swapped = [i for i, j in enumerate(perm) if i != j]
    moved = f"transpose({swapped[0]}, {swapped[1]})" if len(swapped) == 2 else \
        "permute(" + ", ".join(str(i) for i in perm) + ")"
    return f"move the axes with `x.{moved}` instead of `{kind}` (then index or pool the axis you mean)"


def write_subscript_per_dim() -> str:
    # not "or use `...`": an extra axis under `...` broadcasts against the other operand's leading axes and is
    # summed with them, which runs and computes something else (top-k experts summed over all tokens)
    return "write one subscript per dim of the operand (an axis whose letter is left out of the output is summed over)"


def line_up_shared_subscript() -> str:
    return "transpose or reshape the operand so the shared subscript lines up"


def give_matrices(op) -> str:
    return f"{op} works on matrices: give it at least 2 dims"


def use_mul_for_scalars() -> str:
    return "both arguments to matmul need at least one axis; use * for a scalar"


def broadcast_batch_axes() -> str:
    return "make the leading (batch) axes equal or 1"


def give_operands_same_batch() -> str:
    return "give both operands the same batch size"


def pass_a_tensor() -> str:
    return "pass at least one tensor"


def reshape_inputs_same_rank() -> str:
    return "reshape the inputs to the same rank"


def use_stack_for_scalars() -> str:
    return "zero-dimensional tensors cannot be concatenated; use torch.stack"


def give_tensors_same_shape() -> str:
    return "give all tensors the same shape (torch.cat joins along an existing axis)"


def give_expand_enough_sizes() -> str:
    return "give expand at least as many sizes as the tensor has axes"


def expand_only_size_one_axes() -> str:
    return "expand only axes of size 1, or use repeat"


def give_repeat_enough_dims() -> str:
    return "the number of repeat dims can not be smaller than the number of tensor dims"


def use_fewer_indices(rank) -> str:
    return f"too many indices for a tensor of dimension {rank}"


def use_index_in_range(low, high) -> str:
    return f"use an index in [{low}, {high}]"


def use_positive_step() -> str:
    return "use a positive step (torch does not support negative steps; use flip)"


def pass_positive_chunks() -> str:
    return "pass a positive number of chunks"


def use_sizes_summing_to(n) -> str:
    return f"use sizes that sum to {n}"


def check_sizes_dividing(known, total) -> str:
    return f"the other sizes multiply to {known}, which does not divide {total}; check the sizes"


def choose_sizes_or_minus_one(total) -> str:
    return f"choose sizes whose product is {total}, or use -1 for one of them"


def match_matmul_inner_axes() -> str:
    return ("make the last axis of the left operand equal the second-to-last axis of the "
            "right one (transpose one of them, or fix the layer size)")


def use_matmul_for_other_ranks() -> str:
    return "use torch.matmul for other ranks"


def use_matmul_to_broadcast() -> str:
    return "bmm needs 3-D batches of matrices; use torch.matmul to broadcast"


def in_place_broadcast_detail(written, broadcast) -> str:
    return (f"the result is written into the first tensor {written}, but the operands broadcast to {broadcast}, "
            "which it cannot hold")


def in_place_broadcast_remedy(kind: str) -> str:
    return (f"give the other operand a shape that broadcasts to the first one's (one value per channel it has), or "
            f"use the out-of-place `{kind.rstrip('_')}` if the larger result is meant")


def normalise_over_summed_axis(letter: str, equation: str, axis: int) -> str:
    return f"normalise over `{letter}`, the axis `einsum(\"{equation}\")` sums over: `dim={axis}`"


def normalise_over_summed_axis_title(axis: int) -> str:
    return f"normalise over the summed axis (dim={axis})"


def flatten_in_one_order() -> str:
    return ("flatten both in the same order: permute the targets into the predictions' order before flattening them "
            "(or make the model batch-first)")


def flattens_label(shape: str) -> str:
    return f"flattens {shape}"


def flattens_in_another_order(shape: str) -> str:
    return f"flattens {shape} in another order"


def permute_targets_title(move: str) -> str:
    return f"permute the targets into the predictions' order: `{move}`"


# -- a (N, 1) prediction against (N,) targets (checks/silent.py, loss broadcast) --------------------------------
def target_like_prediction() -> str:
    return ("give the target the prediction's shape (`target.unsqueeze(1)`), or squeeze the prediction "
            "(`pred.squeeze(1)`), before combining them")


def squeeze_prediction_first() -> str:
    return ("squeeze the prediction (`pred.squeeze(1)`): the result is kept and used again with other per-sample "
            "values, which have the targets' shape; giving the target an axis instead would broadcast there")


def target_one_value_per_sample() -> str:
    return ("give the target one value per sample, as the prediction has (`target.squeeze(1)`, or make it without "
            "its extra axis where it is built)")


def target_trailing_axis_title() -> str:
    return "give the target a trailing axis: `.unsqueeze(1)`"


def target_extra_axis_title() -> str:
    return "drop the target's extra axis: `.squeeze(1)`"


def squeeze_prediction_title() -> str:
    return "drop the prediction's axis of 1: `.squeeze(1)`"



def stack_same_shapes() -> str:
    return "give every array the same shape before stacking it (or pad them, or concatenate along an axis)"


def pack_batch_first() -> str:
    return "tell it the data is batch-first: `batch_first=True` (and the same where the output is unpacked)"


def unpack_batch_first() -> str:
    return "unpack as it was packed: `batch_first=True`"


def kl_batchmean() -> str:
    return "use `reduction=\"batchmean\"`: the divergence summed over the classes, averaged over the batch"


def labels_per_position(labels: str, scores: str) -> str:
    return (f"the labels {labels} are one class id per position, the scores {scores} one row per sample: score every "
            "position (keep the sequence axis up to the head, then flatten scores and labels for the loss: "
            "`logits.view(-1, C)`, `labels.view(-1)`), or give one label per sample")


def softmax_last_axis_for_both() -> str:
    return "pass `dim=-1` (the class axis, the last one both for one sample and for a batch)"


def built_for_channels_label(size: int) -> str:
    return f"built for the {size} channels"


def index_tensors_of_one_length() -> str:
    return ("index with tensors of one length, one entry per row picked: the rows and the labels of the same "
            "samples (a minibatch's labels, `Y[ix]`, beside `torch.arange(len(ix))`)")


def predictions_crossed_upstream(pred: str, target: str) -> str:
    return (f"the predictions {pred} hold the batch twice: the model already paired every sample with every other "
            f"(a (B,) value combined with a (B, 1) one); make it output one value per sample, {target}, where the "
            "two meet -- giving the targets that shape would lock the mistake in")
