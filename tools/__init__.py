"""Developer tools outside the product: `make bench` and `make screenshots` (README)."""
