"""planner: a workforce curriculum planner for CONALEP programmes (see README.md)."""

__version__ = "0.1.0"
