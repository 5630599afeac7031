"""The link chain: transmitter -> channel -> receiver -> BER -> energy, with a typed result."""

from microlink.link.chain import evaluate_link
from microlink.link.result import LinkResult

__all__ = ["evaluate_link", "LinkResult"]
