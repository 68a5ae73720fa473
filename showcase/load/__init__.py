"""Stage 1, load: the content folder to a validated `Site`, or every problem at once.

Reads files (front matter, YAML that keeps each key's line), checks them against the
schema, reads what the site needs of each photo and the printed codes. Knows nothing of
pages, images or the output folder.
"""
