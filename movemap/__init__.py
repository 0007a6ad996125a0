"""movemap: news reporting about movements -> dated route maps."""

__version__ = "0.1.0"
