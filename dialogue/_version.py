"""The package's version, on the ground floor: every module may import it without importing the package."""

__version__ = "0.1.0"
