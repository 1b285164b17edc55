"""Fixes that work: apply every fix to fixture files and RUN the fixed file with the real framework (Keras 3 on the
torch backend, PyTorch), in a subprocess with a timeout. A fixed file must no longer raise, a silent-bug fix must
give the intended output shape, the file must re-check clean of the diagnostic, and fixing again changes nothing.

Corpus: the failing public cases (../shared/cases), the bad examples of every code page that carry a fix, and
tests/fixtures/fixes (one file per way a fix is spelled: list element, one-line list, model.add, functional line,
nn.Sequential argument, call-site argument, helper class)."""
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
import slow_machine

from shapelint.api import check_path
from shapelint.cli import main

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT.parent / "shared" / "cases"
FIXTURES = Path(__file__).parent / "fixtures" / "fixes"
EXAMPLES = ROOT / "docs" / "codes" / "examples"
TF_SHIM = Path(__file__).parent / "fixtures" / "tf_shim"

# silent bugs: the output shape the fixed model must have
INTENDED = {"seed_ex1_missing_flatten.py": (1, 10), "keras_functional_missing_flatten.py": (2, 10),
            "keras_one_line_list.py": (2, 5), "SHP201_bad.py": (1, 10), "SHP209_bad.py": (8, 10),
            # fixtures of the structural fixes: the shape the repaired model must give (not just "no exception")
            "fix_matmul_transpose_key.py": (3, 12, 32), "fix_cat_expand_token.py": (6, 5),
            "fix_cat_pad_odd_size.py": (1, 2, 37, 37), "fix_cat_wrong_dim_torch.py": (4, 2, 30),
            "fix_keras_concat_zeropad_1d.py": (2, 45, 1), "fix_keras_residual_projection.py": (2, 4),
            "fix_residual_option_a_1d.py": (4, 32, 20), "fix_mha_batch_first.py": (3, 5, 10),
            "fix_lstm_state_batch_first.py": (6, 10, 20), "fix_conv_kernel_too_large.py": (2, 4),
            "fix_keras_rnn_flat_input.py": (4, 1), "fix_keras_timedistributed_return_sequences.py": (2, 15, 3),
            "fix_unflatten_before_conv.py": (5, 6), "fix_class_param_literal.py": (7, 3),
            "fix_reshape_mixes_samples.py": (4, 10), "fix_keras_reshape_target.py": (3, 2),
            "fix_convtranspose_output_padding.py": (8, 2, 48), "fix_rnn_last_step_seq_first.py": (8, 4),
            "fix_keras_regression_one_unit.py": (4, 1), "fix_keras_validation_one_hot.py": (2, 5),
            "fix_bn1d_sequence_transpose.py": (4, 25, 12), "fix_conv2d_channels_last_permute.py": (2, 7),
            "fix_keras_multiclass_softmax.py": (3, 4),
            "fix_unet1d_skip_pad_not_axis.py": (2, 1, 101), "fix_rnn_last_step_functional_loss.py": (5, 3),
            "fix_rnn_last_step_inline_loss.py": (5, 3), "fix_output_padding_functional_loss.py": (8, 2, 48),
            "fix_keras_multiclass_loss_object.py": (2, 3), "fix_keras_functional_insert_keeps_input.py": (2, 1),
            "fix_keras_autoencoder_crop.py": (3, 28, 28, 1)}


def _failing_cases() -> list:
    if not CASES.is_dir():
        return []
    out = []
    for expect in sorted(CASES.glob("*.expect.json")):
        if json.loads(expect.read_text())["outcome"] in ("error", "silent"):
            out.append(CASES / expect.name.replace(".expect.json", ".py"))
    return out


def _example_corpus() -> list:
    return sorted(p for p in EXAMPLES.glob("SHP*_bad.py")
                  if any(d.fix is not None and d.fix.edits for d in check_path(str(p)).diagnostics))


RUNNER = r"""
import contextlib, io, json, os, runpy, sys, traceback, warnings
warnings.simplefilter("ignore")
out = {}
for path in sys.argv[1:]:
    buf = io.StringIO()
    os.chdir(os.path.dirname(path))
    try:
        with contextlib.redirect_stdout(buf):
            runpy.run_path(path, run_name="__main__")
        out[path] = {"error": None, "stdout": buf.getvalue()}
    except BaseException as exc:
        out[path] = {"error": f"{type(exc).__name__}: {str(exc)[:300]}", "stdout": buf.getvalue()}
print("RESULT" + json.dumps(out))
"""


def _run_all(paths: list) -> dict:
    """Run the scripts in ONE interpreter (importing keras and torch once), each with its own globals. Bounded by
    CPU time (60 s a script), not by a wall-clock timeout that a busy machine trips."""
    env = dict(os.environ, KERAS_BACKEND="torch", PYTHONPATH=str(TF_SHIM), PYTHONWARNINGS="ignore")
    p = slow_machine.run([sys.executable, "-c", RUNNER, *map(str, paths)], cpu_seconds=120 + 60 * len(paths),
                         capture_output=True, text=True, env=env)
    line = next((l for l in p.stdout.splitlines() if l.startswith("RESULT")), None)
    assert line is not None, p.stderr[-2000:]
    return json.loads(line[len("RESULT"):])


def _output_shape(stdout: str):
    for line in stdout.splitlines():
        if line.startswith("OUTPUT_SHAPE"):
            return tuple(int(v) for v in line.split("(", 1)[1].rstrip(")").split(",") if v.strip())
        if line.startswith("torch.Size("):
            return tuple(int(v) for v in line[len("torch.Size(["):-2].split(",") if v.strip())
    return None


def _serious(path: Path) -> list:
    return [d for d in check_path(str(path)).diagnostics if d.severity in ("error", "warning")]


def _fix(src: Path, tmp: Path) -> dict:
    """Copy, fix with the CLI, fix again; what happened, for the tests to judge."""
    work = tmp / src.name
    shutil.copy(src, work)
    work.chmod(0o644)
    before = _serious(work)
    info = {"src": src, "work": work, "before": before, "skip": None}
    if not before:
        missing = sorted({d.message.split("`")[1] for d in check_path(str(work)).diagnostics if d.code == "SHP001"})
        info["skip"] = f"no diagnostic yet: shape rules missing for {missing}"
        return info
    if not any(d.fix is not None and d.fix.edits for d in before):
        info["skip"] = f"{before[0].code} has no mechanical fix yet"
        return info
    info["rc"] = main(["check", "--fix", "--unsafe-fixes", "--format", "concise", str(work)])
    info["fixed"] = work.read_text()
    info["after"] = _serious(work)
    main(["check", "--fix", "--unsafe-fixes", "--format", "concise", str(work)])
    info["refixed"] = work.read_text()
    return info


@pytest.fixture(scope="module")
def fixed_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fixed")
    infos = {}
    for group, paths in (("case", _failing_cases()), ("fixture", sorted(FIXTURES.glob("*.py"))),
                         ("example", _example_corpus())):
        for src in paths:
            d = tmp / group
            d.mkdir(exist_ok=True)
            infos[src.name] = _fix(src, d)
    runnable = [i["work"] for i in infos.values() if i["skip"] is None]
    ran = _run_all(runnable) if runnable else {}
    for info in infos.values():
        info["run"] = ran.get(str(info["work"]))
    return infos


def _judge(info: dict) -> None:
    if info["skip"]:
        pytest.xfail(info["skip"])
    src, fixed = info["src"], info["fixed"]
    assert info["rc"] in (0, 1)
    assert fixed != src.read_text(), "nothing was fixed"
    compile(fixed, str(info["work"]), "exec")
    fixed_codes = {d.code for d in info["before"] if d.fix is not None and d.fix.edits}
    assert not fixed_codes & {d.code for d in info["after"]}, [d.message for d in info["after"]]
    assert info["refixed"] == fixed, "fixing again changed the file"
    run = info["run"]
    if run["error"] and "module 'tensorflow' has no attribute" in run["error"]:
        pytest.xfail("needs the real tensorflow (tf.data), not the test shim: tests/frontends/test_tf_data.py")
    assert run["error"] is None, f"{src.name} still fails after the fix:\n{fixed}\n{run['error']}"
    if src.name in INTENDED:
        assert _output_shape(run["stdout"]) == INTENDED[src.name], run["stdout"]


@pytest.mark.differential
@pytest.mark.parametrize("case", _failing_cases(), ids=lambda p: p.stem)
def test_failing_case_runs_after_fix(case, fixed_runs):
    _judge(fixed_runs[case.name])


@pytest.mark.differential
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.py")), ids=lambda p: p.stem)
def test_fixture_runs_after_fix(path, fixed_runs):
    _judge(fixed_runs[path.name])
    fixed = fixed_runs[path.name]["fixed"]
    for line in path.read_text().splitlines():  # formatting and comments outside the edits are kept
        if "#" in line:
            assert "#" + line.split("#", 1)[1] in fixed


@pytest.mark.differential
@pytest.mark.parametrize("path", _example_corpus(), ids=lambda p: p.stem)
def test_code_example_runs_after_fix(path, fixed_runs):
    _judge(fixed_runs[path.name])


CORPUS = Path(__file__).parent / "corpus"
ENVIRONMENT = ("URL fetch failure", "No module named 'sklearn'", "No module named 'torchvision'")


def _corpus_fix_rate(tmp_path, real_world: bool):
    """(scripts that run clean after ``--fix --unsafe-fixes``, scripts counted, failures) for the failing corpus
    scripts of one set. Scripts that cannot run in this environment at all (a dataset download, a package that is
    not installed) are not counted."""
    failing = [CORPUS / e.name.replace(".expect.json", ".py") for e in sorted(CORPUS.glob("*.expect.json"))
               if json.loads(e.read_text())["outcome"] in ("error", "silent") and ("_rw" in e.name) == real_world]
    if not failing:
        pytest.skip("no corpus")
    infos = [_fix(src, tmp_path) for src in failing]
    again = [i["src"].name for i in infos if i["skip"] is None and i["refixed"] != i["fixed"]]
    assert not again, f"a second --fix --unsafe-fixes changed these files: {again}"
    ran = _run_all([i["work"] for i in infos])
    ok, counted, bad = 0, 0, []
    for info in infos:
        run = ran[str(info["work"])]
        if run["error"] and any(e in run["error"] for e in ENVIRONMENT):
            continue
        counted += 1
        fixed = info["work"].read_text() != info["src"].read_text()
        good = run["error"] is None and (fixed or json.loads(
            info["src"].with_name(info["src"].stem + ".expect.json").read_text())["outcome"] == "error")
        ok += good
        if not good:
            bad.append(f"{info['src'].name}: {run['error'] or 'silent bug left'}")
    return ok, counted, bad


@pytest.mark.differential
@pytest.mark.slow  # CI: pytest -m slow (.ci/run)
def test_corpus_runs_clean_after_fix(tmp_path):
    """#4's corpus of failing scripts (issue #5's bar): at least 85% run clean after ``--fix --unsafe-fixes``."""
    ok, counted, bad = _corpus_fix_rate(tmp_path, real_world=False)
    assert counted and ok / counted >= 0.85, f"{ok}/{counted} run clean; failing: {bad}"


# The real-world sets (``*_rw_*``, ``*_rw2_*``, ``*_rw3_*``, ``*_rw4_*``) hold the structural mistakes (a missing
# projection shortcut, an odd U-Net size, a missing output_padding ...). rw and rw2 drove the structural fixes; rw3
# and rw4 were written independently as holdouts and measured before their follow-up fixes (see issue #5's note).
# The same 85% bar applies, and the count may only go up: raise the floor when fixes land. One exception, on purpose
# (issue #9): keras_rw3_too_many_pools no longer gets `padding="same"` on each conv in turn -- too many poolings for
# the input has several right remedies (drop a stage, ceil_mode, padding, a larger input), so its fix is display-only.
REAL_WORLD_FIX_FLOOR = 68


@pytest.mark.differential
@pytest.mark.slow  # CI: pytest -m slow (.ci/run)
def test_real_world_corpus_fix_rate_does_not_regress(tmp_path):
    ok, counted, bad = _corpus_fix_rate(tmp_path, real_world=True)
    assert ok >= REAL_WORLD_FIX_FLOOR and ok / counted >= 0.85, f"{ok}/{counted} run clean; failing: {bad}"
