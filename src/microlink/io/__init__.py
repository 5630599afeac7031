"""Configuration files in and result files out; no physics here."""
