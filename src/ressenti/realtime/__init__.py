"""Live events: a hub of local sockets, and a bus that carries events to it within the process or,
through Redis, across API processes."""
