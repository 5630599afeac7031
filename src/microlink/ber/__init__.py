"""Bit-error-ratio engine: closed forms, pulse responses and cursors, statistical eye, Monte Carlo, FEC."""
