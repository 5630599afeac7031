"""Emitters, detectors and electronics: pure vectorised physics plus thin parameter classes."""
