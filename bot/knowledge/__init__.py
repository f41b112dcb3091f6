"""The knowledge base: entries, loading, validation and the guide importer."""

from bot.knowledge.loader import cached_knowledge_base, load_knowledge_base
from bot.knowledge.model import Entry, KnowledgeBase, LocalizedBody

__all__ = ["Entry", "KnowledgeBase", "LocalizedBody", "cached_knowledge_base",
           "load_knowledge_base"]
