"""rectifykit: inspection feedback and its rectification (巡察整改) as checked records."""

__version__ = "0.2.0"
