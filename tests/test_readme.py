"""The README's two commands are the project's contract with a new user."""
import re

from conftest import ROOT


def commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_starts_with_demo_and_test_commands():
    demo, tests = commands()
    assert demo.endswith("civgraph demo")
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command():
    _, tests = commands()
    assert tests in (ROOT / ".ci" / "run").read_text()
