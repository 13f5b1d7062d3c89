"""The web edge: FastAPI app (REST under /api/v1, the live socket, the pages). Thin: it parses, calls a
workflow inside a transaction, and broadcasts what the workflow returns once committed."""
