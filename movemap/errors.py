"""One small exception tree, so callers can catch movemap's failures and nothing else.

It lives in a leaf module that imports nothing, so every package can raise from it
without creating an import cycle."""


class MovemapError(Exception):
    """Base of every error movemap raises on purpose."""


class InputError(MovemapError):
    """An input (file, folder, catalog, JSON line) cannot be read or understood."""


class GazetteerError(MovemapError):
    """The gazetteer database is missing, broken, or an entry is invalid."""


class OutputError(MovemapError):
    """An output file could not be written."""


class SpillError(MovemapError):
    """The temporary database a large run keeps its per-document material in failed (a full
    temporary folder, most often); the message names the file and the folder."""
