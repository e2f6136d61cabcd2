"""Fakes of the network boundary: the Anthropic Messages API."""
