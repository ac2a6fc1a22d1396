"""``python -m dupdetect``: the same as the ``dupdetect`` command."""

from .cli import cli

cli(prog_name="dupdetect")
