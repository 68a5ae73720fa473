"""Stage 4, publish: the rendered files and assets into the output folder, whole or not at
all, and the record that lets a build with nothing to do do nothing."""
