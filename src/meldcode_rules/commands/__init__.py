"""CLI commands that live in their own module (registered at the end of ``cli.py``)."""
