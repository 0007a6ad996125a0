"""The ``movemap`` command: a thin layer that parses options and calls the library.

Commands load lazily so that ``movemap geocode`` does not pay for importing geopandas,
folium or the date parser.
"""

from __future__ import annotations

import importlib
import sys

import click

from movemap import __version__

_LAZY = {
    "build": ("movemap.cli_build", "build"),
    "render": ("movemap.cli_build", "render"),
    "geocode": ("movemap.cli_gazetteer", "geocode"),
    "gazetteer": ("movemap.cli_gazetteer", "gazetteer"),
    "geoparse": ("movemap.cli_geoparse", "geoparse"),
    "timex": ("movemap.cli_timex", "timex"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(_LAZY)

    def get_command(self, ctx, name):
        if name not in _LAZY:
            return None
        module, attr = _LAZY[name]
        try:
            return getattr(importlib.import_module(module), attr)
        except ModuleNotFoundError as exc:
            if exc.name == module:
                return None  # a command not built yet
            raise


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="movemap")
def cli() -> None:
    """Map movements reported in news articles: places, dates, legs, offline."""


def main(argv: list[str] | None = None) -> int:
    try:
        rv = cli.main(args=argv, prog_name="movemap", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
