"""A stateful local emulator of Zoom's OAuth, REST API and webhooks (see README.md).

Runs as its own process (`python -m zoom_sandbox`); never imports the application, and the
application never imports it. Tests use `zoom_sandbox.control` and `zoom_sandbox.pytest_plugin`.
"""
