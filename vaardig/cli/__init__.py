"""The ``vaardig`` command line: a thin shell over the library.

User errors (bad input, missing data, unknown ids) print one line that says what to do and exit
with code 2; they never show a traceback. Commands live in the modules imported below; each
registers itself on the apps in :mod:`vaardig.cli.common`.
"""

from __future__ import annotations

import sys

import vaardig.cli.taxonomy_admin  # noqa: F401  (registers taxonomy import/list/use/coverage)
from vaardig.cli import (  # noqa: F401  (registers commands)
    commands,
    development_cmds,
    extract_cmds,
    passport_cmds,
    serve_cmds,
    trends_cmds,
)
from vaardig.cli.common import app, err


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)


__all__ = ["app", "main"]
