"""Stage 3, assets: photo variants and QR codes, each named by a pure function of what it
is made from, made in worker processes and kept in the cache between builds."""
