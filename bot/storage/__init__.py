from bot.storage.store import FeedState, OutboxRow, Store

__all__ = ["FeedState", "OutboxRow", "Store"]
