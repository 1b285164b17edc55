"""The README's two set-up commands are the project's contract with a fresh machine; CI runs the second one."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    block = re.search(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [l for l in block.splitlines() if l.strip() and not l.startswith("#")]


def test_readme_has_two_setup_commands_and_ci_runs_the_test_one():
    install_and_run, install_and_test = _readme_commands()
    assert "shapelint check examples/" in install_and_run
    assert "pytest" in install_and_test
    ci = (ROOT / ".ci" / "run").read_text()
    assert install_and_test in ci
