from tests.web.api_helpers import client
from tests.web.live_server import live_server

__all__ = ["client", "live_server"]
