"""Transmission media: imaging/multicore fiber, and the shared fiber and coupling physics."""
