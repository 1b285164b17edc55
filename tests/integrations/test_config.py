"""``[tool.shapelint]`` in pyproject.toml, ``# shapelint: ignore[...]``, ``--select/--ignore``, ``--statistics``,
``--version`` and ``--format github``, driven through the command line as a user runs it."""
import json
import textwrap

import pytest

from shapelint.cli import main

BAD_LINEAR = textwrap.dedent("""\
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(10, 5), nn.Linear(6, 2))
    model(torch.randn(4, 10))
""")
NO_FLATTEN = textwrap.dedent("""\
    import keras
    from keras import layers

    model = keras.Sequential([
        layers.Input(shape=(28, 28, 1)),
        layers.Conv2D(8, 3),
        layers.Dense(10),
    ])
""")
NO_INPUT = textwrap.dedent("""\
    import torch.nn as nn

    net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(8 * 30 * 30, 10))
    other = nn.Sequential(nn.Linear(4, 2))
""")


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def codes(out):
    return sorted(d["code"] for f in json.loads(out)["files"] for d in f["diagnostics"])


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "linear.py").write_text(BAD_LINEAR)
    (tmp_path / "src" / "cnn.py").write_text(NO_FLATTEN)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "t_cnn.py").write_text(NO_FLATTEN)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "copy.py").write_text(BAD_LINEAR)
    return tmp_path


def test_without_settings_everything_is_reported(project, capsys):
    code, out, _ = run(capsys, "check", ".", "--format", "json")
    assert code == 1 and codes(out) == ["SHP101", "SHP101", "SHP201", "SHP201"]


def test_pyproject_select_ignore_per_file_and_exclude(project, capsys):
    (project / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "demo"

        [tool.shapelint]
        exclude = ["build"]
        per-file-ignores = {"tests/*" = ["SHP2"]}
    """))
    code, out, _ = run(capsys, "check", ".", "--format", "json")
    assert [f["path"] for f in json.loads(out)["files"]] == ["./src/cnn.py", "./src/linear.py", "./tests/t_cnn.py"]
    assert codes(out) == ["SHP101", "SHP201"]
    code, out, _ = run(capsys, "check", "src", "--format", "json", "--ignore", "SHP101")
    assert code == 0 and codes(out) == ["SHP201"]
    code, out, _ = run(capsys, "check", "src", "--format", "json", "--select", "SHP1")
    assert code == 1 and codes(out) == ["SHP101"]
    (project / "pyproject.toml").write_text('[tool.shapelint]\nselect = ["SHP2"]\nignore = ["SHP201"]\n')
    code, out, _ = run(capsys, "check", "src", "--format", "json")
    assert code == 0 and codes(out) == []


def test_input_shapes_for_named_models_and_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nets.py").write_text(NO_INPUT)
    code, out, _ = run(capsys, "check", "nets.py", "--format", "json")
    models = {m["name"]: m for m in json.loads(out)["files"][0]["models"]}
    assert models["net"]["input_source"] != "--input-shape"
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint.input-shapes]\nnet = [2, 3, 28, 28]\n'
                                             '"nets.py" = [2, 4]\n')
    code, out, _ = run(capsys, "check", "nets.py", "--format", "json")
    models = {m["name"]: m for m in json.loads(out)["files"][0]["models"]}
    assert models["net"]["input"] == [2, 3, 28, 28] and models["other"]["input"] == [2, 4]
    assert codes(out) == ["SHP101"] and code == 1  # 28x28 images do not give 8*30*30 features


def test_inline_suppression(tmp_path, capsys):
    f = tmp_path / "m.py"
    f.write_text(BAD_LINEAR.replace("nn.Linear(6, 2))", "nn.Linear(6, 2))  # shapelint: ignore[SHP101]"))
    assert run(capsys, "check", str(f))[0] == 0
    f.write_text(BAD_LINEAR.replace("nn.Linear(6, 2))", "nn.Linear(6, 2))  # shapelint: ignore[SHP201]"))
    assert run(capsys, "check", str(f))[0] == 1  # another code: still reported
    f.write_text(BAD_LINEAR.replace("nn.Linear(6, 2))", "nn.Linear(6, 2))  # shapelint: ignore"))
    assert run(capsys, "check", str(f))[0] == 0
    f.write_text(BAD_LINEAR.replace("nn.Linear(6, 2))", "nn.Linear(6, 2), '# shapelint: ignore')"))
    assert run(capsys, "check", str(f))[0] == 1  # inside a string it is not a comment


def test_framework_versions_and_bad_settings(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(BAD_LINEAR)
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\ntorch-version = "2.13"\nkeras-version = "2.15"\n'
                                             'colour = "red"\n')
    code, _, err = run(capsys, "check", "m.py")
    assert code == 1 and "keras-version = \"2.15\": shapelint models Keras 3.15" in err
    assert "unknown setting `colour`" in err and "torch-version = \"2.13\"" not in err
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint]\nselect = ["E501"]\n')
    code, _, err = run(capsys, "check", "m.py")
    assert code == 2 and "`E501` is not a shapelint code" in err and "Traceback" not in err
    (tmp_path / "pyproject.toml").write_text('[tool.shapelint\n')
    code, _, err = run(capsys, "check", "m.py")
    assert code == 2 and "not valid TOML" in err


def test_version_and_statistics(project, capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("shapelint 0.") and "Keras 3" in out and "PyTorch 2" in out
    code, out, _ = run(capsys, "check", "src", "tests", "--statistics")
    lines = out.splitlines()
    assert code == 1 and lines[0].split() == ["2", "SHP201", "dense-on-unflattened-input"]
    assert lines[1].split() == ["1", "SHP101", "[*]", "feature-count-mismatch"]
    assert lines[-1].startswith("checked 3 files")


def test_github_annotations(project, capsys):
    code, out, _ = run(capsys, "check", "src", "--format", "github")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith("::warning file=src/cnn.py,line=7,col=5,endLine=7,endColumn=")
    assert ",title=shapelint SHP201 (dense-on-unflattened-input)::`Dense` is applied" in lines[0]
    assert lines[1].startswith("::error file=src/linear.py,line=4,")
    assert "%0Ahelp: set `in_features` to 5" in lines[1]  # newlines escaped as the runner expects


def test_fix_leaves_ignored_codes_alone(tmp_path, capsys):
    f = tmp_path / "two.py"
    f.write_text(BAD_LINEAR.replace("nn.Linear(6, 2))", "nn.Linear(6, 3), nn.Linear(4, 2))"))
    assert run(capsys, "check", str(f), "--diff", "--ignore", "SHP101")[0] == 0  # nothing selected to fix
    code, out, _ = run(capsys, "check", str(f), "--diff")
    assert code == 1 and "+model = nn.Sequential(nn.Linear(10, 5), nn.Linear(5, 3), nn.Linear(3, 2))" in out
