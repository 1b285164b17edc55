"""Every remedy (the ``help:`` line's imperative fix) that a rule writes itself, in one place.

wording.py holds the message templates keyed by code name; the remedies here are the sentences a rule picks for the
case it recognised, passed as ``remedy=`` (or ``help_override=``) in its Mismatch. One function per remedy, named
after what it advises, taking the values it interpolates. Grouped by rule family, in the order of rules/keras and
rules/torch.
"""
from __future__ import annotations

from ..core.dims import fmt_shape


# -- shared: tuples, arguments, values a layer is built from --------------------------------------------------------
def tuple_remedy(framework: str, producer_kind: str, batch_first) -> str:
    """Help for a tuple fed to a layer that needs a tensor; a PyTorch RNN gets the idiomatic fix."""
    if framework == "torch" and producer_kind in ("LSTM", "GRU", "RNN"):
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


def channels_on_spatial_axis(channels, axis: int, shape) -> str:
    return (f"the input {fmt_shape(tuple(shape))} has its {channels} channels on axis {axis}, not axis 1: the image "
            "layout is wrong (a permute/transpose with the wrong axis order?). Put the channels on axis 1, e.g. "
            "(N, H, W, C) -> (N, C, H, W) with `.permute(0, 3, 1, 2)`")



# -- keras shared (_args, _spec, _window) ------------------------------------------------------------------------------
def remove_arguments(names, hint) -> str:
    return f"remove {names}{hint}"


def pass_int_or_tuple(name, n) -> str:
    return f"pass `{name}` as an int or a tuple of {n} ints"


def pass_nd_input(rank) -> str:
    return f"pass a {rank}-D input (batch first)"


def use_keras_activation_name() -> str:
    return f"use one of the Keras activation names, e.g. 'relu', 'sigmoid', 'softmax' or 'linear'"


def pass_positive_integer(inputs) -> str:
    return f"pass a positive integer {inputs}"


def pass_between_0_and_1(name) -> str:
    return f"pass a `{name}` between 0 and 1"


def pass_non_negative(name) -> str:
    return f"pass a non-negative `{name}`"


def pass_valid_or_same_padding() -> str:
    return f"pass padding='valid' or padding='same'"


def pass_data_format() -> str:
    return "pass data_format='channels_last' (batch, ..., channels) or 'channels_first'"


# -- keras core --------------------------------------------------------------------------------------------------------
def add_batch_axis() -> str:
    return "add a batch axis to the input"


def match_equation_input_rank() -> str:
    return "make the equation's input part match the input's rank"


def set_output_size(label, size) -> str:
    return f"set the output size of '{label}' to {size} (or None)"


def name_existing_shared_axes() -> str:
    return "name only existing non-batch axes in `shared_axes`"


def size_every_output_dimension() -> str:
    return "give every output dimension that is not shared with the input a size"


def pass_einsum_equation() -> str:
    return "pass an einsum equation such as 'ab,bc->ac'"


def write_equation_like_example() -> str:
    return "write the equation like 'ab,bc->ac' or '...b,bc->...c'"


def use_known_letters_in_output() -> str:
    return "use only letters from the input or kernel spec in the output spec"


def use_known_letters_in_kernel() -> str:
    return "use only letters from the input or output spec in the kernel spec"


def name_output_dims_in_bias_axes() -> str:
    return "name only output dimensions in `bias_axes`"


def pass_noise_shape_tuple() -> str:
    return "pass `noise_shape` as a tuple"


def pass_positive_noise_shape() -> str:
    return "pass positive sizes (or None) in `noise_shape`"


def pass_channels_last_or_first() -> str:
    return "pass data_format='channels_last' or 'channels_first'"


# -- keras conv --------------------------------------------------------------------------------------------------------
def use_same_padding_smaller_kernel_or_larger_input() -> str:
    return "use padding='same', a smaller `kernel_size`, or a larger input"


def use_dividing_groups(channels, filters, good) -> str:
    return (f"use a `groups` value that divides both {channels} and filters={filters} "
            f"(e.g. groups={good})")


def use_larger_input_or_no_output_padding() -> str:
    return "use a larger input or output_padding=None"


def pass_positive_integer_arg(name) -> str:
    return f"pass a positive integer `{name}`"


def use_strides_or_dilation() -> str:
    return "use strides=1 with a dilated kernel, or dilation_rate=1 with strides"


def pass_valid_or_same_padding_no_pad_sizes() -> str:
    return ("pass padding='valid' or padding='same' (Keras 3 convolutions take no explicit pad sizes; "
            "add a ZeroPadding layer before this one)")


def pass_groups_at_least_1() -> str:
    return "pass groups=1 or more"


def pass_groups_value(groups) -> str:
    return f"pass groups={groups}"


def use_groups_dividing_filters(filters, groups) -> str:
    return f"use a `groups` value that divides {filters}, or a multiple of {groups} filters"


def pass_output_padding_below_strides(limit) -> str:
    return f"pass output_padding below the strides (at most {limit}) or leave it None"


# -- keras pooling -----------------------------------------------------------------------------------------------------
def use_smaller_pool_size() -> str:
    return "use a smaller `pool_size`, padding='same', or remove this pooling layer"


def pass_hint(hint) -> str:
    return f"pass {hint}"


def pass_positive_strides_or_none() -> str:
    return "pass strides >= 1 (or None to use pool_size)"


# -- keras reshaping ---------------------------------------------------------------------------------------------------
def crop_fewer_positions(total) -> str:
    return f"crop fewer than {total} positions in total along that axis"


def use_non_negative_padding() -> str:
    return "use a padding >= 0 (crop with a Cropping layer instead)"


def fit_target_shape_to(size, fixed) -> str:
    return f"make the sizes fit the {size} values per sample, e.g. target_shape={fixed}"


def fit_target_shape(size) -> str:
    return f"make the sizes of `target_shape` multiply to {size} (the values per sample of the input)"


def use_one_minus_one_to_infer() -> str:
    return "use -1 for the one size Keras should infer"


def give_all_sizes_but_one() -> str:
    return "give every size but one explicitly"


def pass_dims_tuple() -> str:
    return "pass a tuple such as (2, 1)"


def list_axes_exactly_once(count) -> str:
    return f"list each of the axes 1..{count} exactly once"


def pass_interpolation_nearest() -> str:
    return "pass interpolation='nearest'"


def pass_non_negative_value(name) -> str:
    return f"pass a `{name}` >= 0"


def pass_padding_int_tuple_or_pairs(rank) -> str:
    return f"pass an int, a tuple of {rank} ints, or a tuple of {rank} (before, after) pairs"


# -- keras recurrent ---------------------------------------------------------------------------------------------------
def declare_batch_size() -> str:
    return ("declare the batch size, e.g. keras.Input(shape=..., batch_size=32), or drop "
            "stateful=True")


def use_same_padding_or_smaller_kernel() -> str:
    return "use padding='same' or a smaller kernel_size"


def feed_sequence_per_time_step(kind) -> str:
    return (f"TimeDistributed({kind}) needs a sequence per time step: "
            "(batch, time, steps, features)")


def feed_sequence_of_rank(rank, spatial) -> str:
    return f"feed a {rank}-D tensor (batch, time, {'spatial..., channels' if spatial else ''})"


def pass_positive_units() -> str:
    return "pass a positive number of units"


def pass_positive_integer_units() -> str:
    return "pass a positive integer number of units"


def pass_use_cudnn_auto() -> str:
    return "pass use_cudnn='auto'"


def pass_positive_values(name) -> str:
    return f"pass positive values for `{name}`"


def pass_padding_valid_or_same() -> str:
    return "pass padding='valid' or 'same'"


def use_strides_or_dilation_rate_1() -> str:
    return "use strides=1 or dilation_rate=1"


def pass_positive_filters() -> str:
    return "pass a positive number of filters"


def pass_layer_instance(name) -> str:
    return f"pass a layer instance as `{name}`"


def pass_valid_merge_mode() -> str:
    return "pass merge_mode='concat' (or 'sum', 'mul', 'ave', None)"


def wrap_recurrent_layer() -> str:
    return "wrap an LSTM, GRU or SimpleRNN layer"


def remove_go_backwards() -> str:
    return "remove go_backwards=True from the wrapped layer"


def give_backward_layer_go_backwards() -> str:
    return "give the backward layer go_backwards=True"


def give_backward_layer_same(name) -> str:
    return f"give the backward layer the same `{name}`"


# -- keras attention ---------------------------------------------------------------------------------------------------
def call_on_query_value_list(kind) -> str:
    return f"call it on a list: `{kind}()([query, value])`"


def pass_inputs(inputs) -> str:
    return f"pass {inputs}"


def project_query_to_key_size(features) -> str:
    return f"give the query and the key the same feature size, e.g. project the query with `Dense({features})`"


def call_mha_with_query_value() -> str:
    return "call it as `mha(query, value)` (pass the same tensor twice for self-attention)"


def pass_key_shaped_like_value() -> str:
    return "pass a key with the same sequence shape as the value"


def name_value_axes_up_to(high) -> str:
    return ("name axes of the value tensor between 1 and "
            f"{high}")


def call_gqa_with_query_value() -> str:
    return "call it as `gqa(query, value)`"


def project_query_value_same_size() -> str:
    return "project query and value to the same feature size first"


def pass_valid_score_mode() -> str:
    return "pass score_mode='dot' or 'concat'"


def pass_positive_value_dim() -> str:
    return "pass a positive value_dim"


def pass_output_shape_tuple() -> str:
    return "pass output_shape as a tuple"


def pass_attention_axes() -> str:
    return "pass attention_axes=(1,)"


def pass_positive_sliding_window() -> str:
    return "pass a positive sliding_window"


def set_dropout_zero() -> str:
    return "set dropout=0.0"


def pass_integer_axes() -> str:
    return "pass integer axes"


def use_dividing_kv_heads() -> str:
    return "use a number of key/value heads that divides the number of query heads"


# -- keras merging -----------------------------------------------------------------------------------------------------
def pass_axis_between(low, high) -> str:
    return f"pass an axis between {low} and {high}"


def pass_axis_from_one(high) -> str:
    return f"pass an axis between 1 and {high}"


def keep_batch_axis_out_of_dot() -> str:
    return "do not take the dot product over the batch axis"


def pass_integer_axis() -> str:
    return "pass an integer axis"


def pass_axes_int_or_pair() -> str:
    return "pass axes=1 or axes=(1, 2)"


def pass_axes_pair() -> str:
    return "pass axes as a pair, e.g. (1, 2)"


def take_dot_over_feature_axes() -> str:
    return "take the dot product over feature axes (1 and above), not the batch axis"


# -- keras normalization -----------------------------------------------------------------------------------------------
def pass_axis_from_one_or_last(high) -> str:
    return f"pass an axis between 1 and {high} (or -1 for the last axis)"


def use_at_most_groups(dim) -> str:
    return f"use at most {dim} groups (a divisor of {dim})"


def use_dividing_group_count(dim, examples) -> str:
    return f"use a number of groups that divides {dim}, e.g. {examples}"


def normalize_over_feature_axis() -> str:
    return "normalize over a feature axis (the default axis=-1 is the channels axis)"


def remove_synchronized() -> str:
    return "remove synchronized=True"


def pass_positive_group_count() -> str:
    return "pass a positive number of groups"


def pass_one_power_iteration() -> str:
    return "pass power_iterations=1"


def wrap_layer_with_kernel() -> str:
    return "wrap a layer with a kernel, such as Dense or Conv2D"


# -- keras preprocessing -----------------------------------------------------------------------------------------------
def feed_image_batch() -> str:
    return "feed a batch of images (batch, height, width, channels)"


def feed_rgb_image_batch() -> str:
    return "feed a batch of RGB images"


def pass_integer_arg(name) -> str:
    return f"pass an integer `{name}`"


def pass_mean_and_variance_or_neither() -> str:
    return "pass both `mean` and `variance`, or neither (and call `adapt`)"


def give_mean_variance_same_shape() -> str:
    return "give `mean` and `variance` the same shape"


def pass_mean_per_kept_axis() -> str:
    return "pass one mean per kept axis (a 1-D list for the default axis=-1)"


def keep_feature_axis() -> str:
    return "keep a feature axis (the default axis=-1)"


def pass_value_between(name, lo, hi) -> str:
    return f"pass a `{name}` between {lo} and {hi}"


def pass_between_minus_1_and_1(name) -> str:
    return f"pass a `{name}` between -1 and 1"


def use_bilinear_or_nearest() -> str:
    return "use 'bilinear' or 'nearest'"


def pass_value_range_0_255() -> str:
    return "pass value_range=(0, 255)"


def pass_factor_between_0_and_1() -> str:
    return "pass a `factor` between 0 and 1"


def use_valid_category_output_mode() -> str:
    return "use 'multi_hot', 'one_hot' or 'count'"


def pass_category_count_as_num_tokens() -> str:
    return "pass the number of categories as num_tokens"


def pass_positive_num_tokens() -> str:
    return "pass a positive num_tokens"


def use_valid_lookup_output_mode() -> str:
    return "use 'int', 'one_hot', 'multi_hot' or 'count'"


def remove_sparse() -> str:
    return "remove sparse=True"


def pass_non_negative_num_bins() -> str:
    return "pass a non-negative num_bins"


def pass_num_bins_or_boundaries() -> str:
    return "pass num_bins=... or bin_boundaries=[...]"


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


def give_target_input_shape(scores) -> str:
    return f"give the target the input's shape {scores}"


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


def write_subscript_per_dim() -> str:
    return "write one subscript per dim of the operand, or use `...` for the rest"


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
