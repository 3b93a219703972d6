"""The compliance store: models, migrations, repository functions. Only this package touches Session."""

from commands.store.db import Store

__all__ = ["Store"]
