"""The root-cause finders, one function per kind of explanation; each takes (Context, Diagnostic) and yields
:class:`~shapelint.rootcause.cause.Cause` values. Order does not matter: causes are ranked by priority."""
from .batch import inference_in_training_mode, items_already_stacked, views_never_unfolded, per_sample_values_into_linear, batch_merged, batch_folded_before_the_model, batch_split, fixed_batch_drawn, missing_batch_axis, missing_channel_axis, samples_without_features
from .data import batch_in_declaration, declared_name_for_another_axis, declared_count_written_by_hand, one_step_of_many_features, keras_data_layout, label_column, label_column_in_table, validation_not_reshaped
from .layout import data_moved_before_the_model, dense_on_unflattened_map, id_embedding_joined_to_vectors, children_without_flatten, children_cut_before_pooling, einops_channels_last_data, channels_as_tokens, channels_last_data, flatten_merges_steps, other_axis, pooled_map_not_flattened
from .widths import depthwise_grouped_by_its_output, image_size_left_at_default, helper_returns_input_width, width_not_a_multiple_of_groups, loop_carries_another_width
from .numbers import data_size_from_default, default_left_out_spelled_elsewhere, default_left_out_for_an_op_setting, helper_loop_count, split_length_not_dividing, argument_written_elsewhere, conditional_binds_looser, data_literal_beside_name, setting_in_module_constant, arguments_in_another_order, default_sizes_beside_attribute, default_left_out_beside_sibling, default_left_out_named_elsewhere, helper_ignores_argument, time_passed_as_features, projection_width, layer_number, shared_argument, upstream_formula, upstream_number
from .targets import target_axis
from . import (rankings, axis_read, reduced_axis, weights, scales, subpixel, attention_heads, inserted_axis, layer_kind, data, custom_layers, recomputed, stacking, declared, library, generators, heads, labels, loss, masks, positions, producer, reshape, rnn_states,
               skips, windows)

FINDERS = (inference_in_training_mode, items_already_stacked, views_never_unfolded, batch_merged, batch_folded_before_the_model, batch_split, fixed_batch_drawn, samples_without_features, missing_batch_axis, missing_channel_axis, other_axis, channels_as_tokens,
           pooled_map_not_flattened, children_without_flatten, children_cut_before_pooling, einops_channels_last_data, flatten_merges_steps, channels_last_data, shared_argument, upstream_number, upstream_formula,
           helper_ignores_argument, projection_width, data_size_from_default, keras_data_layout, label_column, target_axis, layer_number,
           loss.target_dtype, loss.head_width, loss.tokens_not_pooled, loss.decoder, loss.last_step, loss.stray_axis, loss.head_keeps_unit_axes, loss.batch_on_other_axis,
           loss.last_sample_not_last_step, loss.state_indexed_on_batch, loss.state_layers_folded, loss.view_fold, loss.pool_sized_for_another_input, labels.validation_one_hot, labels.repeat_length,
           labels.regression_head, labels.decoder, reshape.view_rows, reshape.output_size_one_short, reshape.dense_sized_for_another_grid,
           masks.padding_mask, masks.scores_mask_without_heads, producer.repeat_for_target_steps, producer.producer_setting, producer.sequence_joined_to_vector, producer.setting_from_default, batch_in_declaration, labels.onehot_for_one_unit,
           labels.onehot_from_one, labels.ids_shifted_by_lookup_oov, labels.targets_out_of_order, labels.class_count_head, validation_not_reshaped,
           loss.ids_from_one, declared.whole_shape_declared, declared.declared_unlike_the_data, declared.image_without_channels, declared.series_without_features, declared.channels_first_declared,
           labels.loss_written_elsewhere, label_column_in_table, masks.mask_sized_by_batch, masks.causal_mask_before_shift, masks.per_sample_mask,
           generators.generator_start, generators.latent_without_spatial_axes, generators.images_larger_than_the_model_reduces, masks.padding_mask_batch_first, masks.causal_mask_batch_first, masks.padding_mask_time_major,
           masks.mask_on_query_axis, reshape.missing_pool, skips.valid_conv_in_block, skips.unpadded_by_default, skips.conv_padding_not_keeping_size,
           skips.identity_shortcut_condition, skips.unpadded_convs_for_formula, skips.input_not_halving, custom_layers.build_reads_wrong_axis, custom_layers.build_reads_axis_the_call_moves, custom_layers.build_weight_from_wrong_slice, custom_layers.build_weight_sized_by_another_name,
           heads.sibling_head, heads.width_literal_beside_name, heads.residual_branch_width, heads.residual_width_choice, heads.parallel_branch_width, scales.scale_literal_beside_name, positions.table_without_class_token, positions.table_not_sliced, rnn_states.bidirectional_state_to_decoder, rnn_states.state_without_directions, rnn_states.one_direction_of_bidirectional_state, rnn_states.state_batch_read_from_time_axis,
           argument_written_elsewhere, loss.class_ids_to_multi_label_loss, time_passed_as_features,
           loss.target_wrapped_per_item, loss.unit_axis_output_flattened_elsewhere, arguments_in_another_order, default_sizes_beside_attribute, default_left_out_beside_sibling, default_left_out_named_elsewhere,
           loss.onehot_targets_for_class_ids, conditional_binds_looser, producer.setting_left_at_helper_default,
           data_literal_beside_name, setting_in_module_constant, library.gray_images_into_rgb_model, library.color_picture_into_gray_model, library.head_replaced_with_a_literal,
           split_length_not_dividing, id_embedding_joined_to_vectors, recomputed.recomputed_beside_attribute,
           stacking.stacked_on_other_axis, stacking.concatenated_along_the_batch, attention_heads.heads_left_at_default, attention_heads.width_is_joined_features, per_sample_values_into_linear,
           producer.size_written_beside_producer, producer.producer_literal_for_name, default_left_out_spelled_elsewhere, default_left_out_for_an_op_setting, helper_loop_count, data.adapted_on_other_data, data.helper_given_other_columns, data.output_shape_declared_with_batch, skips.stage_per_entry_too_many, library.size_as_height_width,
           producer.tokens_joined_to_vector, rnn_states.state_made_batch_first,
           rnn_states.one_tensor_for_lstm_state, rnn_states.state_layers_written_by_hand, rnn_states.step_without_time_axis, rnn_states.sequence_passed_as_state, inserted_axis.inserted_at_other_position, inserted_axis.spare_inserted_axis, inserted_axis.spare_axis_into_conv, inserted_axis.spare_axis_before_join, inserted_axis.inserted_where_it_does_not_line_up, inserted_axis.per_sample_values_viewed_short, inserted_axis.leading_axes_without_trailing_axis, inserted_axis.per_channel_values_on_the_last_axis,
           skips.stride_twice_in_block, layer_kind.batch_norm_for_rank,
           labels.per_token_labels_for_last_state, declared_name_for_another_axis, declared_count_written_by_hand, one_step_of_many_features,
           labels.setting_written_elsewhere, image_size_left_at_default, helper_returns_input_width,
           subpixel.conv_sized_for_the_scale, width_not_a_multiple_of_groups, depthwise_grouped_by_its_output,
           loop_carries_another_width, windows.windows_past_the_end, windows.window_without_its_target, axis_read.size_read_from_another_axis, axis_read.labels_counted_on_another_axis,
           weights.weight_literal_beside_name, loss.squeezed_prediction_beside_columns, data_moved_before_the_model,
           dense_on_unflattened_map, subpixel.output_planes_for_the_targets,
           weights.state_made_for_one_layer, data.ids_joined_to_features,
           reduced_axis.reduced_over_another_axis, rankings.topk_indices_not_transposed, reduced_axis.pooled_the_wrong_axes, reduced_axis.reduced_over_the_samples, rnn_states.sequence_permuted_batch_first_for_rnn)
