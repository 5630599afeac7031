"""Presentation: figures and reports that render computed results and compute nothing."""
