"""Remedies of the Keras rules (rules/keras), one section per rule family."""
from __future__ import annotations


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
def check_layout_of_thin_axis() -> str:
    return ("an image axis of 1 beside a long one is usually a layout mistake (channels first, or a missing axis): "
            "check the input's axis order before changing padding, which would make the layer slide over a 1-pixel "
            "strip")


def use_smaller_pool_size() -> str:
    return "use a smaller `pool_size`, padding='same', or remove this pooling layer"


def one_stage_too_many() -> str:
    return ("the map is already 1x1: the model downsamples once more than its input size allows -- remove a "
            "downsampling stage (a block of the list that builds them) or feed larger inputs; padding='same' "
            "would add a pooling that does nothing")


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
def match_merge_inputs(feature_maps: bool) -> str:
    how = "1x1 Conv projection" if feature_maps else "Dense layer"
    return (f"make the inputs' shapes equal (or 1) in every non-batch axis, e.g. with a {how} of matching size "
            "before merging")


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


def state_width_is_units(units: int, width: int) -> str:
    if width == 2 * units:
        return (f"the state is twice the units (a bidirectional encoder's two directions joined): give this layer "
                f"{width} units, or add the directions instead of concatenating them")
    return f"give this layer {width} units, or make the initial states {units} wide"


def state_is_a_sequence(index: int, rank: int) -> str:
    if rank == 3:
        return ("pass only the states: an RNN with `return_sequences=True, return_state=True` returns its sequence "
                "first, then the states (`outputs, *states = rnn(x)`)")
    return f"make initial state {index} a (batch, units) matrix"


def state_count(kind: str, need: int) -> str:
    if kind == "LSTM":
        return "pass both states of an LSTM, `initial_state=[h, c]`"
    return f"pass one state, `initial_state=[h]`"


def softmax_over_steps_dense() -> str:
    return ("to weight the steps (attention pooling), score each step with `Dense(1)` and normalise over the steps: "
            "`layers.Softmax(axis=1)(layers.Dense(1)(scores))`; a sigmoid would give gates that do not sum to 1")


def adapt_on_what_the_layer_reads(size: int, want: int) -> str:
    return (f"adapt the layer on the data it normalises: it learned statistics for {size} features and reads "
            f"{want} (leave the label column out of what `adapt` sees)")


def loss_over_batch_label() -> str:
    return "reduces over axis 0, the batch"


def loss_per_sample() -> str:
    return "reduce over the outputs of each sample: `axis=-1`, which leaves one loss per sample"


def loss_per_sample_title() -> str:
    return "reduce over the outputs of each sample (`axis=-1`)"


def given_as_the_loss(name: str) -> str:
    return f"`{name}` given as the loss"


def fixed_sequence_length(spelled: str) -> str:
    return (f"give the vectorizer the length the model declares: `output_sequence_length={spelled}` (it pads or cuts "
            "every text to it)")


def pool_before_sample_head() -> str:
    return ("pool over the time axis before this output's head (e.g. `layers.GlobalAveragePooling1D()`), so it gives "
            "one value per sample; the sequence must stay per step for the other layer that reads it")


def convert_colour_planes(given: int, trained: int, spelled: str) -> str:
    mode = {1: "grayscale", 3: "RGB"}
    return (f"the model was fitted on {mode[trained]} images ({trained} channel{'s' if trained > 1 else ''}): convert "
            f"this {mode[given]} image where it is fed, `{spelled}`, rather than declare {given} channels")


def convert_one_gray_image(trained: int, spelled: str) -> str:
    if trained == 1:
        return f"one grayscale image needs the batch and channel axes the model was fitted with: `{spelled}`"
    return (f"the model was fitted on RGB images: give this one grayscale image the batch axis and three channels, "
            f"`{spelled}`, rather than change the model")


def declared_output_label(shape) -> str:
    return f"declares {shape}"


def declare_what_call_returns(received) -> str:
    return (f"return the shape `call()` makes, {received} (the batch axis as `input_shape[0]`), or make `call()` "
            "return the declared one")


def built_for_declared_label(kind: str) -> str:
    return f"`{kind}` is built for the declared shape"


def shape_as_tuple(spelled: str) -> str:
    return f"write the shape as a tuple: `{spelled}` (the comma makes the tuple, not the parentheses)"


def int_not_tuple_label(value) -> str:
    return f"the int {value}, not a tuple"


def int_shape_detail(text: str, value) -> str:
    return (f"`{text}` is the int {value}, not a tuple, and Keras 3 raises \"Cannot convert '{value}' to a shape\" "
            "(tf.keras 2 accepted it)")
