"""What the source front-end, the checks and the root-cause analysis keep about one run of the evaluator
(``Evaluator.state``): one typed field per item, so a mistyped name raises instead of reading an empty default.

Each field says who writes it and who reads it. A value computed on first use starts as None; a collection that
is only added to starts empty. Types of higher layers (checks/, rootcause/) are not imported here (frontends do not
import them): such fields are plain ``list`` / ``set`` / ``dict`` / ``object``, their comment names what they hold.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from ...core.infer import Inference


@dataclass(slots=True)
class RunState:
    # -- what the user states outside the code (written by check.py before the run) ------------------------------
    # written by check.py ([tool.shapelint.input-shapes], model name -> shape tuple); read by models.given_input_shape
    input_shapes: dict = field(default_factory=dict)
    # written by check.py (--input-shape, or the "*" entry of input-shapes); read by models.given_input_shape
    input_shape: Optional[tuple] = None
    # written by check.py for a fix-contract re-check (no notes shown); read by checks/feed.finalize
    notes_unread: bool = False

    # -- the file-wide runs, made on first use ----------------------------------------------------------------------
    # written by keras_api.functional_graph; read by keras_api, check.py (its diagnostics), tests
    keras_graph: Optional[Inference] = None
    # written by models.script_run and checks/torch_loss._inference; read by check.py, checks/silent, feature_axis,
    # torch_loss, rootcause/causes/batch and numbers, tests
    script_run: Optional[Inference] = None

    # -- hooks ---------------------------------------------------------------------------------------------------
    # fn(ev) appended by checks/__init__.install, keras_api and torch_api (_ensure_finalizer, _install_unbuilt_classes),
    # checks/torch_loss._drop_later_copies; run by Evaluator.finish
    finalizers: list = field(default_factory=list)
    # fn(ev, func, call), written by checks/__init__ (install, then _on_call swaps in checks/feed.on_call); read by
    # Evaluator.call
    on_call: Optional[Callable] = None
    # fn(ev, model, call), read by keras_api's fit/evaluate handlers; nothing in shapelint writes it
    on_fit: Optional[Callable] = None
    # written by checks/__init__._on_call (the file made a call); read by checks/__init__._finalize
    checks_called: bool = False

    # -- source front-end ------------------------------------------------------------------------------------------
    # snake-cased layer kind -> how many were named, written and read by keras_api.auto_name
    keras_names: dict = field(default_factory=dict)
    # Inference of each subclassed-model call()/Lambda being traced, innermost last: pushed and popped by keras_api;
    # read by keras_api and keras_ops_api
    keras_call_stack: list = field(default_factory=list)
    # torch_ops.Context of each torch module forward being run, innermost last: pushed and popped by torch_api
    # through torch_ops.stack; read by torch_ops.current
    torch_stack: list = field(default_factory=list)
    # (left, right, node) of a subtraction with predictions on one side, appended by data_api; read by checks/silent
    array_differences: list = field(default_factory=list)
    # (left, right, node) of a comparison, appended by data_api and torch_ops; read by checks/silent
    array_comparisons: list = field(default_factory=list)
    # id(value) -> datasets_api.OneImage, written by datasets_api; read by rootcause/sites.picture_of
    one_images: dict = field(default_factory=dict)
    # (features, labels) args of TensorDataset(X, y), appended by datasets_api; read by checks/data_input
    paired_data: list = field(default_factory=list)
    # id(mask value) -> mask_polarity.MaskMade, written and read by mask_polarity
    mask_polarity: dict = field(default_factory=dict)
    # pil_api.SizeAsHeightWidth, appended by pil_api; read by rootcause/causes/library
    size_as_height_width: list = field(default_factory=list)
    # id(UserClass) of each torch class instantiated, added by torch_api.instantiate; read by
    # torch_api._check_unbuilt_classes
    torch_classes_built: set = field(default_factory=set)
    # Span of each from_numpy call already noted, written and read by torch_api._numpy_scalar
    numpy_scalar_calls: set = field(default_factory=set)

    # -- checks/ ---------------------------------------------------------------------------------------------------
    # checks/feed.Event of each call that feeds or compiles a model, appended by checks/feed.on_call; read by
    # checks/feed._check_events and checks/silent
    feed_events: list = field(default_factory=list)
    # (model, x TensorVal, call), appended by checks/data_input.record_feed; read by checks/data_input,
    # checks/silent, rootcause/context
    fed_data: list = field(default_factory=list)
    # TensorVal labels, loss targets and validation data, appended by checks/feed, silent and torch_loss; read by
    # checks/silent and rootcause/context
    fed_targets: list = field(default_factory=list)
    # (input, target) TensorVals of each loss call, appended by checks/torch_loss._apply; read by
    # checks/data_input and checks/flatten_order
    loss_pairs: list = field(default_factory=list)
    # id(call node) of each loss call checked, written and read by checks/torch_loss._apply
    loss_calls_checked: set = field(default_factory=set)
    # names of the checks that raised (one note each), written and read by checks/feed._note_failure
    failed_checks: set = field(default_factory=set)
    # id(call node) already checked for the batch axis, written and read by checks/feed
    batch_axis_checked: set = field(default_factory=set)
    # keys of the findings already made (one mistake, one diagnostic), written and read by checks/report.first_time
    findings_made: set = field(default_factory=set)
    # id(call node) already checked, written and read by checks/one_entry
    one_entry_checked: set = field(default_factory=set)
    # id(layer) of each embedding table already reported, written and read by checks/id_range
    id_range_reported: set = field(default_factory=set)
    # name -> Layer of the file's lookup layers, computed once by checks/id_range.vocabulary_of_a_lookup
    lookup_layers: Optional[dict] = None
    # the plain names the file calls, computed once by checks/id_range._called_names
    called_names: Optional[set] = None
