"""microreach — open-source platform for micro-influencer marketing."""

__version__ = "0.1.0"
