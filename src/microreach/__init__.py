"""microreach — open-source platform for micro-influencer marketing."""

from importlib.metadata import PackageNotFoundError, version

try:
    # One home for the version: the package metadata, built from pyproject.toml.
    __version__ = version("microreach")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
