"""The package version, in a module of its own so that every stage can read it without
importing the public facade (``meldcode_rules/__init__.py``), which imports the stages."""

__version__ = "0.1.0"
