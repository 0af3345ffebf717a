"""briefbot: grounded news briefings with actors and their stances."""

__version__ = "0.1.0"
