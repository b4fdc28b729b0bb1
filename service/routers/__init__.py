"""API routers: thin layers that authorise, call the library and serialise."""
