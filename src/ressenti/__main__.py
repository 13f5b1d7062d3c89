"""``python -m ressenti`` is the ``ressenti`` command."""

from ressenti.cli.main import main

main()
