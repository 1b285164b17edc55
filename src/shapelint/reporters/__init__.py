"""Reporters: each renders a Result (the same diagnostic model) in one format."""
