"""Ajel: Arabic breaking-news («عاجل») alerts on Telegram."""

__version__ = "0.1.0"
