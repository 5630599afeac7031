"""Fit device models to measured curves and write the result as a link file every command accepts.

:func:`microlink.calibrate.led.fit_led` fits the micro-LED's ABC recombination and extraction (and, with
several sizes, the sidewall velocity) to bandwidth and EQE against current; ``microlink calibrate led`` is the
command on top.
"""

from microlink.calibrate.led import LEDFit, fit_led, read_led_data, synthetic_led_data, write_led_file

__all__ = ["LEDFit", "fit_led", "read_led_data", "synthetic_led_data", "write_led_file"]
