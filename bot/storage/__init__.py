from bot.storage.store import FeedState, Store

__all__ = ["FeedState", "Store"]
