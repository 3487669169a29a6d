"""Composition root: the command-line interface and the web app that mounts both channels."""
