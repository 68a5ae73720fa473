"""Stage 2, render: a `Site` and a theme to `{output path: bytes}`.

Pages, the site-wide files (sitemap, search indexes, offline files, ...), structured
data and Markdown. Templates ask for images and QR codes and get back their URLs
(planned by `showcase.assets`); nothing here writes into the output folder.
"""
