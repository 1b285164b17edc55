"""The repository's .pre-commit-hooks.yaml, run by the real ``pre-commit`` in a temporary git repository that uses
this checkout as its hook repository: a staged shape bug fails the hook with shapelint's report, a fixed file
passes."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
pytestmark = pytest.mark.skipif(not (shutil.which("git") and os.path.exists(PRE_COMMIT)),
                                reason="needs git and pre-commit (the test extra installs pre-commit)")

BAD = "import torch.nn as nn\nimport torch\n\nnet = nn.Sequential(nn.Linear(10, 5), nn.Linear(6, 2))\n" \
      "net(torch.randn(4, 10))\n"


def git(cwd, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def test_pre_commit_hook_in_a_temporary_repository(tmp_path):
    # the hook repository: this checkout's package as committed files (pre-commit installs it from a git revision)
    hooks = tmp_path / "shapelint-hooks"
    hooks.mkdir()
    for name in (".pre-commit-hooks.yaml", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, hooks / name)
    shutil.copytree(ROOT / "src", hooks / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    git(hooks, "init", "-q")
    git(hooks, "add", ".")
    git(hooks, "commit", "-qm", "hooks")
    rev = git(hooks, "rev-parse", "HEAD")
    # the user's repository
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: shapelint\n")
    (repo / "model.py").write_text(BAD)
    (repo / "notes.txt").write_text("not python\n")
    git(repo, "add", ".")
    # no build isolation: the hook's fresh virtualenv has setuptools, and fetching another copy costs seconds
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1", "PIP_NO_BUILD_ISOLATION": "1"}
    run = lambda: subprocess.run([PRE_COMMIT, "run", "--all-files"], cwd=repo, env=env, capture_output=True,
                                 text=True)
    p = run()
    assert p.returncode == 1, p.stdout + p.stderr
    assert "shapelint" in p.stdout and "Failed" in p.stdout
    assert "error[SHP101]: `Linear` expects 6 input features but receives 5" in p.stdout
    assert "--> model.py:4:" in p.stdout and "notes.txt" not in p.stdout
    (repo / "model.py").write_text(BAD.replace("nn.Linear(6, 2)", "nn.Linear(5, 2)"))
    git(repo, "add", ".")
    p = run()
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Passed" in p.stdout
