"""Benchmarks of talon_async against the official SDK and a bare aiohttp floor.

Run ``python -m benchmarks --help``; the README next to this file explains the setup.
"""
