"""showcase: a static-site generator for exhibition showcases."""

__version__ = "0.1.0"
