"""Request and response bodies of the API (pydantic), one module per part of the API."""
