"""translate: a desk for translating foreign-press stories into English."""

__version__ = "0.1.0"
