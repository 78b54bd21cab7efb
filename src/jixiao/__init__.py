"""jixiao (绩效): budget performance management for China's public budget projects."""

__version__ = "0.1.0"
