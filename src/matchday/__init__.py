"""Matchday: a curated talent marketplace for AI and infrastructure engineers."""
