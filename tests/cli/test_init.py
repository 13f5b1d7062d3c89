"""The ``ressenti`` entry point: what it says before any command runs."""

from __future__ import annotations

import os
import subprocess

from tests.cli.test_main import ressenti_command


def run_with(ressenti_lang: str) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [ressenti_command(), "analyze", "Bonjour"],
        capture_output=True,
        env={**env, "RESSENTI_LANG": ressenti_lang},
        timeout=300,
        check=False,
    )


def test_an_unsupported_ressenti_lang_is_said_once_on_stderr_and_the_run_goes_on_in_french() -> None:
    """RESSENTI_LANG=de used to fall back to French without a word: a German reader could not tell why."""
    done = run_with("de")
    assert done.returncode == 0
    assert done.stderr.decode("utf-8").splitlines() == [
        "RESSENTI_LANG='de': language not supported (fr, en), messages are in French / "
        "RESSENTI_LANG='de' : langue non prise en charge (fr, en), les messages sont en français"
    ]
    assert "sentiment" in done.stdout.decode("utf-8")
    assert "Émotions" in done.stdout.decode("utf-8")


def test_a_supported_ressenti_lang_says_nothing_on_stderr() -> None:
    for value in ("fr", "en"):
        done = run_with(value)
        assert done.returncode == 0
        assert done.stderr == b""
