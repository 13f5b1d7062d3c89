"""``python -m ressenti`` is the ``ressenti`` command."""

from ressenti.cli import main

main()
