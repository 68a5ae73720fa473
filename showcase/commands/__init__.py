"""The commands an organiser runs: the only layer that prints, reads arguments and exits.

Everything here calls down into the pipeline (`showcase.builder`) or the stages; nothing
below imports a command.
"""
