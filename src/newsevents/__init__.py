"""newsevents: news reports in, coded political events out."""
__version__ = "0.1.0"
