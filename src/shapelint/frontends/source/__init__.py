"""The static source front-end: reads Python with ``ast`` and abstractly interprets it. Never imports or runs it."""
